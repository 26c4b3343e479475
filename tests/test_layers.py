"""The house's layering (``[tool.imageinspect.layers]`` in pyproject.toml):
no package imports one above it, no forbidden import, and no import cycle
between modules but the known ones (which must be exactly as listed)."""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - CI runs 3.11
    tomllib = pytest.importorskip("tomli", reason="reading pyproject.toml needs tomllib (Python 3.11+) or tomli")

from tests.conftest import REPO

PACKAGE = REPO / "imageinspect"
CONTRACTS = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["imageinspect"]["layers"]
#: Compiled extensions: modules without a source file here, importing nothing.
EXTENSIONS = {"imageinspect.codec._accel", "imageinspect.codec._gojson_accel"}


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


MODULES = modules()


def imported(module: str, path: Path) -> Iterator[str]:
    """The house's modules ``module`` imports (anywhere in it)."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + ([base] if base else []))
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            names.extend(name for name in submodules if name in MODULES or name in EXTENSIONS)
            if len(names) < len(submodules):  # names from the module itself, not only its submodules
                names.append(base)
        elif isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        for name in names:
            if name in EXTENSIONS:
                yield name
                continue
            while name and name not in MODULES:
                name = name.rpartition(".")[0]
            if name.startswith("imageinspect") and name != module:
                yield name


def graph() -> dict[str, set[str]]:
    edges = {name: set(imported(name, path)) for name, path in MODULES.items()}
    edges.update({name: set() for name in EXTENSIONS})
    return edges


def test_the_module_list_is_read() -> None:
    """The checks below see the house (a test that found no module would pass)."""
    assert len(MODULES) > 60
    edges = graph()
    assert "imageinspect.codec.inspect" in edges["imageinspect"]
    assert "imageinspect.codec._accel" in edges["imageinspect.codec.accel"]


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if len(parts) < 2:
        return None  # the package's public face
    for rank, names in enumerate(CONTRACTS["order"]):
        if parts[1] in ([names] if isinstance(names, str) else names):
            return rank
    return None


def test_no_package_imports_one_above_it() -> None:
    """errors < values < model < codec < sources < testing, cli."""
    known = {name for names in CONTRACTS["order"] for name in ([names] if isinstance(names, str) else names)}
    loose = sorted(m for m in MODULES if m.count(".") >= 1 and m.split(".")[1] not in known | {"__main__"})
    assert not loose, f"modules in no layer of the contract: {loose}"
    upward = [
        (importer, target)
        for importer, targets in graph().items()
        for target in targets
        if (low := _layer(importer)) is not None
        and (high := _layer(target)) is not None
        and (high > low or (high == low and importer.split(".")[1] != target.split(".")[1]))
    ]
    assert not upward, upward


def test_no_forbidden_import() -> None:
    found = [
        (importer, target)
        for importer, targets in graph().items()
        for target in targets
        for low, high in CONTRACTS["forbidden"]
        if (importer == low or importer.startswith(low + ".")) and (target == high or target.startswith(high + "."))
    ]
    assert not found, found


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(edges[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10 * len(edges)))
    try:
        for node in sorted(edges):
            if node not in index:
                visit(node)
    finally:
        sys.setrecursionlimit(limit)
    return sorted(found)


def test_no_import_cycle_but_the_known_ones() -> None:
    assert _cycles(graph()) == sorted(sorted(cycle) for cycle in CONTRACTS["known_cycles"])


@pytest.mark.parametrize(
    ("edges", "expected"),
    [
        ({"a": {"b"}, "b": {"a"}, "c": set()}, [["a", "b"]]),
        ({"a": {"b"}, "b": {"c"}, "c": set()}, []),
        ({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}, [["a", "b", "c"]]),
    ],
)
def test_the_cycle_finder(edges: dict[str, set[str]], expected: list[list[str]]) -> None:
    assert _cycles(edges) == expected
