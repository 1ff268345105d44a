"""The kernel contract of pyproject.toml finds every form of import of the kernel, and only them."""

from __future__ import annotations

from pathlib import Path

import pytest

from import_contracts import kernel_imports  # tests/ is on sys.path

KERNEL = "suffrage._native"


@pytest.mark.parametrize(
    ("module", "filename", "source"),
    [
        ("suffrage.protocol.x", "x.py", "from suffrage._native import Scalar\n"),
        ("suffrage.protocol.x", "x.py", "import suffrage._native as kernel\n"),
        ("suffrage.protocol.x", "x.py", "from suffrage import _native\n"),
        ("suffrage.protocol.x", "x.py", "from .. import _native\n"),
        ("suffrage.protocol.x", "x.py", "from .._native import Element\n"),
        ("suffrage.protocol", "__init__.py", "from .._native import Element\n"),
        ("suffrage.protocol.x", "x.py", "def f():\n    import suffrage._native\n"),
        ("suffrage.x", "x.py", "import importlib\nimportlib.import_module('suffrage._native')\n"),
    ],
)
def test_every_form_of_import_is_found(
    tmp_path: Path, module: str, filename: str, source: str
) -> None:
    path = tmp_path / filename
    path.write_text(source, "utf-8")
    assert list(kernel_imports(path, module, KERNEL)) == [source.count("\n")]


@pytest.mark.parametrize(
    "source",
    [
        "from suffrage.core.group import Scalar\n",
        "from suffrage import errors\n",
        "from . import _native\n",  # suffrage.protocol._native, not the kernel
        "import suffrage._nativeish\n",
        '"""Wraps ``suffrage._native``."""\n',
    ],
)
def test_other_imports_are_not(tmp_path: Path, source: str) -> None:
    path = tmp_path / "x.py"
    path.write_text(source, "utf-8")
    assert list(kernel_imports(path, "suffrage.protocol.x", KERNEL)) == []
