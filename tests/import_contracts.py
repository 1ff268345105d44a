"""An import-linter contract type for the native kernel: only its allowed packages import it.

import-linter builds its graph with grimp, which reads ``.py`` files only: the kernel
(``suffrage._native``, a compiled extension) is not in the graph, and an import of it is
dropped rather than recorded, so neither a ``forbidden`` nor a ``layers`` contract can name
it ("Module 'suffrage._native' does not exist"). This contract reads the source of every
module of the graph itself and finds each import of the kernel, in any form: ``import``,
``from ... import`` (relative ones resolved, ``from suffrage import _native`` included) and
``importlib.import_module("suffrage._native")``. Registered in pyproject.toml
(``contract_types``); ``lint-imports`` runs from the project directory, which it puts on
``sys.path``, so this module is found as ``tests.import_contracts``.
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Iterator
from pathlib import Path

from grimp import ImportGraph
from importlinter import Contract, ContractCheck, fields, output

__all__ = ["KernelContract", "kernel_imports"]


class KernelContract(Contract):
    """Only the modules of ``importers`` (packages, with their descendants) import ``kernel``.

    Options: ``kernel``, the module's full name; ``importers``, the packages allowed to.
    """

    type_name = "kernel"

    kernel = fields.StringField()
    importers = fields.ListField(subfield=fields.StringField())

    def check(self, graph: ImportGraph, verbose: bool) -> ContractCheck:
        kernel = str(self.kernel)
        allowed = [str(name) for name in self.importers]  # type: ignore[attr-defined]
        root = kernel.partition(".")[0]
        found = [
            (module, line)
            for module in sorted({root, *graph.find_descendants(root)})
            if not any(module == a or module.startswith(f"{a}.") for a in allowed)
            for line in kernel_imports(_source(module), module, kernel)
        ]
        output.verbose_print(verbose, f"{len(found)} imports of {kernel} outside {allowed}")
        return ContractCheck(kept=not found, metadata={"found": found, "kernel": kernel})

    def render_broken_contract(self, check: ContractCheck) -> None:
        kernel = check.metadata["kernel"]
        for module, line in check.metadata["found"]:
            output.print_error(f"{module} imports {kernel} (l.{line})", bold=False)
        output.new_line()


def _source(module: str) -> Path:
    """The file of ``module`` (a package's ``__init__.py``), found without importing it."""
    root, _, rest = module.partition(".")
    spec = importlib.util.find_spec(root)
    if spec is None or not spec.submodule_search_locations:
        raise ValueError(f"{root} is not an importable package")
    path = Path(next(iter(spec.submodule_search_locations)), *rest.split(".") if rest else ())
    module_file = path.with_name(f"{path.name}.py")  # before a directory of the same name
    return module_file if module_file.is_file() else path / "__init__.py"


def kernel_imports(path: Path, module: str, kernel: str) -> Iterator[int]:
    """The line of each import of ``kernel`` (or of a submodule of it) in ``path``."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if any(_is_kernel(name, kernel) for name in _imported(node, package)):
            yield node.lineno  # type: ignore[attr-defined]


def _imported(node: ast.AST, package: str) -> list[str]:
    """The full names a node imports (for ``from a import b``: ``a`` and ``a.b``)."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        base = package.split(".")
        base = base[: len(base) - node.level + 1] if node.level else []
        where = ".".join([*base, *([node.module] if node.module else [])])
        return [where, *(f"{where}.{alias.name}" for alias in node.names)]
    if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
        return [node.args[0].value] if isinstance(node.args[0].value, str) else []
    return []


def _is_kernel(name: str, kernel: str) -> bool:
    return name == kernel or name.startswith(f"{kernel}.")
