"""Suffrage: elections that anyone can verify.

The entry points a program needs are importable from here, lazily, so that importing one
light package (``import suffrage.counting``) does not load the verifier, the native kernel
or a database driver::

    from suffrage import verify_record, load_results
    report = verify_record("record/")
    report.raise_for_failures()
"""

from __future__ import annotations

import importlib
from typing import Any

__all__ = [
    "Failure",
    "VerificationReport",
    "__version__",
    "load_record",
    "load_results",
    "verify_record",
]

__version__ = "0.1.0"

_LAZY = {
    "Failure": "suffrage.verify",
    "VerificationReport": "suffrage.verify",
    "load_record": "suffrage.verify",
    "verify_record": "suffrage.verify",
    "load_results": "suffrage.reports.results",
}


def __getattr__(name: str) -> Any:
    """Import an entry point on first use (PEP 562). The names are given as strings, not
    imports, so that the import-linter's layers and ``import suffrage.core`` stay light;
    type checkers see them through the modules themselves."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'suffrage' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})
