"""The public surface of each package re-exports exactly what its __all__ says."""

from __future__ import annotations

import importlib

import pytest

PACKAGES = ["suffrage.core", "suffrage.core.proofs", "suffrage.counting", "suffrage.errors"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_sorted(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    for item in exported:
        assert hasattr(module, item), f"{name}.{item} is in __all__ but not defined"
