"""The type stub (src/suffrage/_native.pyi) against the built kernel, checked by mypy's stubtest.

mypy reads only the stub, so a stub that drifts from the Rust code (a parameter added, a
function renamed, an operator missing) would type-check callers against a kernel that does
not exist; stubtest imports the built module and compares every name and signature.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import suffrage

STUB = Path(suffrage.__file__).parent / "_native.pyi"


def _stubtest(mypy_path: Path | None, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {key: value for key, value in os.environ.items() if key != "MYPYPATH"}
    if mypy_path is not None:
        env["MYPYPATH"] = str(mypy_path)
    return subprocess.run(
        [sys.executable, "-m", "mypy.stubtest", "suffrage._native"],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )


def test_the_stub_matches_the_built_kernel(tmp_path: Path) -> None:
    result = _stubtest(None, tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr


def test_stubtest_refuses_a_stub_that_drifted(tmp_path: Path) -> None:
    drifted = STUB.read_text("utf-8").replace(
        "def scalars_from_bytes(data: bytes)", "def scalars_from_bytes(data: bytes, strict: bool)"
    )
    assert drifted != STUB.read_text("utf-8")
    package = tmp_path / "stubs" / "suffrage"
    package.mkdir(parents=True)
    (package / "__init__.pyi").write_text("", "utf-8")
    (package / "_native.pyi").write_text(drifted, "utf-8")
    result = _stubtest(tmp_path / "stubs", tmp_path)
    assert result.returncode == 1
    assert 'scalars_from_bytes is inconsistent, runtime does not have parameter "strict"' in (
        result.stdout
    )
