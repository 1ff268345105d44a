"""The public surface of every package: each module says what it exports in ``__all__``,
every name there exists, packages list theirs sorted, and ``import suffrage`` stays light."""

from __future__ import annotations

import ast
import importlib
import os
import pkgutil
import subprocess
import sys
from pathlib import Path

import pytest

import suffrage

SOURCE = Path(suffrage.__file__).parent
PACKAGES = sorted(
    [
        "suffrage",
        *(f"suffrage.{m.name}" for m in pkgutil.iter_modules(suffrage.__path__) if m.ispkg),
        "suffrage.core.proofs",
    ]
)


def _order(name: str) -> tuple[bool, bool, str]:
    return (not name.isupper(), not name[0].isupper(), name)


def _defines_all(path: Path) -> bool:
    tree = ast.parse(path.read_text("utf-8"))
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else []
        if isinstance(node, ast.AnnAssign):
            targets = [node.target]
        if any(isinstance(t, ast.Name) and t.id == "__all__" for t in targets):
            return True
    return False


@pytest.mark.parametrize("name", PACKAGES)
def test_all_names_exist_and_are_sorted(name: str) -> None:
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=_order)
    for item in exported:
        assert hasattr(module, item), f"{name}.{item} is in __all__ but not defined"


def test_every_module_declares_all() -> None:
    missing = [
        str(path.relative_to(SOURCE))
        for path in sorted(SOURCE.rglob("*.py"))
        if not _defines_all(path)
    ]
    assert missing == []


def test_the_entry_points_of_a_program() -> None:
    from suffrage import Failure, VerificationReport, load_record, load_results, verify_record
    from suffrage.reports.results import load_results as results_loader
    from suffrage.verify import verify_record as verify_entry
    from suffrage.verify.record import load_record as record_loader

    assert verify_record is verify_entry
    assert load_results is results_loader
    assert load_record is record_loader
    assert Failure.__module__ == VerificationReport.__module__ == "suffrage.verify.report"
    with pytest.raises(AttributeError, match="no attribute 'verify_everything'"):
        _ = suffrage.verify_everything  # type: ignore[attr-defined]
    assert set(suffrage.__all__) <= set(dir(suffrage))


def _loaded_after(statement: str) -> set[str]:
    code = f"import sys; {statement}; print('\\n'.join(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(SOURCE.parent)}
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return set(out.stdout.split())


def test_importing_counting_or_suffrage_stays_light() -> None:
    heavy = {"suffrage.verify", "suffrage.reports", "sqlalchemy", "suffrage._native", "typer"}
    for statement in ("import suffrage", "import suffrage.counting"):
        loaded = _loaded_after(statement)
        assert not heavy & loaded, (statement, sorted(heavy & loaded))
    assert "suffrage.verify.record" in _loaded_after("from suffrage import verify_record")
