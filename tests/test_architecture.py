"""The layering the README describes, checked on the source: every import (inside functions too) read with `ast`.

- no import circle between modules, and none between the rooms of flows/ (its subpackages);
- extractors/ knows file formats, schemas/ knows forms, flows/ sits above both: no import runs back up;
- no production module over MAX_LINES lines;
- flows/ imports nothing inside a function, except the heavy or optional dependencies in LAZY_IMPORTS, and
  each such import says why in a comment on its line or the line above.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.state.ledger import READER_INPUTS
from tests.conftest import ROOT

PACKAGES = ("extractors", "schemas", "flows")
# package -> packages it must not import (the layering: formats, forms, then the runs above both)
FORBIDDEN = {"extractors": ("schemas", "flows"), "schemas": ("flows",)}
MAX_LINES = 500
# Production modules over MAX_LINES today, each left to the issue that owns it (this one may not edit them).
# An entry whose file has shrunk under the limit fails the test, so the list only gets shorter.
OVERSIZE: dict[str, str] = {}
# What flows/ may import inside a function, and why. Everything else goes at the top of the module.
LAZY_IMPORTS = {
    # seconds to import, and flows/quiet.py must route its logging before the first import; --no-prefect never
    # loads it
    "prefect": "Prefect",
    # the Prefect flow itself: importing it imports Prefect (same reason)
    "flows.intake_flow": "the Prefect flow",
    # optional extra (pip install .[dask]): only `--dask-address` needs it
    "prefect_dask": "Dask task runner",
}


@dataclass(frozen=True)
class Import:
    source: str  # importing module
    target: str  # imported module (the deepest one of ours it names; a third-party module as written)
    path: Path
    line: int
    nested: bool  # inside a function


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def production_files() -> list[Path]:
    return sorted(p for package in PACKAGES for p in (ROOT / package).rglob("*.py"))


MODULES = {_module_name(p): p for p in production_files()}


def _resolve(module: str, node: ast.ImportFrom | None = None) -> list[str]:
    """The modules an import statement loads: `from a.b import c` is a.b.c when that is a module, else a.b."""
    if node is None:
        return [module]
    return [f"{module}.{alias.name}" if f"{module}.{alias.name}" in MODULES else module for alias in node.names]


def _base(source: str, path: Path, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    package = source.split(".") if path.name == "__init__.py" else source.split(".")[:-1]
    package = package[: len(package) - node.level + 1]
    return ".".join([*package, node.module] if node.module else package)


def imports_of(path: Path) -> Iterator[Import]:
    source = _module_name(path)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))

    def visit(node: ast.AST, nested: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            inside = nested or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(source, alias.name, path, child.lineno, nested)
            elif isinstance(child, ast.ImportFrom):
                for target in _resolve(_base(source, path, child), child):
                    yield Import(source, target, path, child.lineno, nested)
            yield from visit(child, inside)

    yield from visit(tree, False)


ALL_IMPORTS = [imp for p in production_files() for imp in imports_of(p)]


def _ours(target: str) -> str | None:
    """The module of ours an import names (`import flows.state` → flows.state), or None for a third party's."""
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


def _where(imp: Import) -> str:
    return f"{imp.path.relative_to(ROOT)}:{imp.line}"


def _cycle(edges: dict[str, set[str]]) -> list[str] | None:
    try:
        graphlib.TopologicalSorter(edges).prepare()
    except graphlib.CycleError as exc:
        return exc.args[1]
    return None


def test_the_import_graph_is_read_from_every_package() -> None:
    """Guards the test itself: it sees the modules and the imports, nested ones included."""
    assert {"flows.cli", "flows.reading.pipeline", "schemas.validate", "extractors.docx"} <= MODULES.keys()
    nested = [imp for imp in ALL_IMPORTS if imp.nested]
    assert any(imp.target.startswith("extractors.") for imp in nested), "extractors/__init__.py imports lazily"
    assert len(ALL_IMPORTS) > 300


def test_no_import_circle_between_modules() -> None:
    edges: dict[str, set[str]] = {name: set() for name in MODULES}
    for imp in ALL_IMPORTS:
        target = _ours(imp.target)
        if target is not None and target != imp.source:
            edges[imp.source].add(target)
    cycle = _cycle(edges)
    assert cycle is None, "import circle: " + " → ".join(cycle)


def _room(module: str) -> str:
    """flows.state.ledger → flows.state; a module directly in flows/ is a room of its own."""
    parts = module.split(".")
    if parts[0] != "flows" or len(parts) < 3:
        return module
    return ".".join(parts[:2])


def test_the_rooms_of_flows_import_each_other_one_way() -> None:
    edges: dict[str, set[str]] = {}
    for imp in ALL_IMPORTS:
        target = _ours(imp.target)
        if target is None or not imp.source.startswith("flows"):
            continue
        source_room, target_room = _room(imp.source), _room(target)
        if source_room != target_room and target_room != "flows":
            edges.setdefault(source_room, set()).add(target_room)
    cycle = _cycle(edges)
    assert cycle is None, "rooms import each other: " + " → ".join(cycle)


def test_no_import_runs_back_up_the_layers() -> None:
    wrong = [
        f"{_where(imp)}: {imp.source} imports {imp.target}"
        for imp in ALL_IMPORTS
        for package, forbidden in FORBIDDEN.items()
        if imp.source.split(".")[0] == package and imp.target.split(".")[0] in forbidden
    ]
    assert not wrong, "\n".join(wrong)


def test_no_production_module_is_over_the_line_limit() -> None:
    lines = {p.relative_to(ROOT).as_posix(): len(p.read_text(encoding="utf-8").splitlines()) for p in MODULES.values()}
    too_long = {name: n for name, n in lines.items() if n > MAX_LINES and name not in OVERSIZE}
    assert not too_long, f"over {MAX_LINES} lines: {too_long}"
    shrunk = [name for name in OVERSIZE if lines.get(name, 0) <= MAX_LINES]
    assert not shrunk, f"under the limit now (or gone): remove from OVERSIZE: {shrunk}"


@pytest.mark.parametrize("imp", [i for i in ALL_IMPORTS if i.nested and i.source.startswith("flows")], ids=_where)
def test_flows_imports_inside_functions_only_heavy_optional_dependencies(imp: Import) -> None:
    allowed = next((name for name in LAZY_IMPORTS if imp.target == name or imp.target.startswith(name + ".")), None)
    assert allowed is not None, f"{_where(imp)}: import {imp.target} at the top of the module"
    lines = imp.path.read_text(encoding="utf-8").splitlines()
    said = "#" in lines[imp.line - 1] or lines[imp.line - 2].strip().startswith("#")
    assert said, f"{_where(imp)}: say why {LAZY_IMPORTS[allowed]} is imported here, in a comment"


def test_the_ledger_hashes_files_that_exist() -> None:
    """The reader version hashes the code a file's outcome depends on, by path: a moved module must be followed."""
    missing = [pattern for pattern in READER_INPUTS if not list(ROOT.glob(pattern))]
    assert not missing, f"READER_INPUTS names nothing at: {missing}"
