"""The house's layering: the import-linter contracts in pyproject.toml
(``[tool.importlinter]``: layers and forbidden imports, indirect ones
included unless a contract allows them), checked here too, from the pytest
run (``scripts/check`` runs import-linter itself), and no import cycle between modules
but the known ones (``[tool.imageinspect] known_cycles``, exactly as listed)."""

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
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
#: import-linter's contracts (``[tool.importlinter]``), the kinds this house uses.
CONTRACTS = PYPROJECT["tool"]["importlinter"]["contracts"]
KNOWN_CYCLES = PYPROJECT["tool"]["imageinspect"]["known_cycles"]
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


def _within(module: str, name: str) -> bool:
    """``module`` is ``name`` or one of its descendants (``name`` may end in
    ``.*``: its descendants only, as import-linter's wildcard)."""
    if name.endswith(".*"):
        return module.startswith(name[:-1])
    return module == name or module.startswith(name + ".")


def _reach(edges: dict[str, set[str]]) -> dict[str, dict[str, list[str]]]:
    """For every module, every module it imports directly or through others,
    with one chain that does it."""
    out: dict[str, dict[str, list[str]]] = {}
    for start in edges:
        chains: dict[str, list[str]] = {}
        todo = [(start, [start])]
        while todo:
            node, chain = todo.pop()
            for target in sorted(edges[node]):
                if target not in chains and target != start:
                    chains[target] = [*chain, target]
                    todo.append((target, chains[target]))
        out[start] = chains
    return out


REACH = _reach(graph())


def _layers(contract: dict[str, object]) -> list[list[str]]:
    """A layers contract's layers, highest first, each a list of independent siblings."""
    containers = contract.get("containers") or [""]
    assert isinstance(containers, list)
    layers = contract["layers"]
    assert isinstance(layers, list)
    return [
        [f"{container}.{name.strip()}" if container else name.strip() for name in layer.split("|")]
        for container in containers
        for layer in layers
    ]


def layer_violations(contract: dict[str, object]) -> list[list[str]]:
    """Chains by which a layer reaches one above it, or a sibling marked
    independent (``|``) reaches another."""
    layers = _layers(contract)
    found = []
    for rank, layer in enumerate(layers):
        above = [name for higher in layers[:rank] for name in higher]
        for own in layer:
            siblings = [other for other in layer if other != own]
            for importer in (m for m in MODULES if _within(m, own)):
                for target, chain in REACH[importer].items():
                    if any(_within(target, name) for name in above + siblings) and not _within(target, own):
                        found.append(chain)
    return found


def forbidden_violations(contract: dict[str, object]) -> list[list[str]]:
    """Chains by which a source module imports a forbidden one (directly
    only, when indirect imports are allowed)."""
    sources, forbidden = contract["source_modules"], contract["forbidden_modules"]
    assert isinstance(sources, list)
    assert isinstance(forbidden, list)
    direct_only = bool(contract.get("allow_indirect_imports", False))
    edges = graph()
    found: list[list[str]] = []
    for importer in (m for m in MODULES if any(_within(m, s) for s in sources)):
        reached = {t: [importer, t] for t in edges[importer]} if direct_only else REACH[importer]
        found.extend(chain for target, chain in reached.items() if any(_within(target, f) for f in forbidden))
    return found


def test_every_module_is_in_a_layer() -> None:
    """Each module of the house is in a layer of the top contract (the
    package's face, ``imageinspect/__init__`` and ``__main__``, is above them all)."""
    top = _layers(CONTRACTS[0])
    loose = sorted(
        m for m in MODULES if m.count(".") >= 1 and m != "imageinspect.__main__"
        and not any(_within(m, name) for layer in top for name in layer)
    )  # fmt: skip
    assert not loose, f"modules in no layer of the contract: {loose}"


@pytest.mark.parametrize("contract", CONTRACTS, ids=[c["name"].split(":")[0] for c in CONTRACTS])
def test_contract_is_kept(contract: dict[str, object]) -> None:
    assert contract["type"] in ("layers", "forbidden"), "a contract type this checker does not know"
    found = layer_violations(contract) if contract["type"] == "layers" else forbidden_violations(contract)
    assert not found, "\n".join(" -> ".join(chain) for chain in found[:20])


@pytest.mark.parametrize(
    ("contract", "edges", "broken"),
    [
        ({"type": "layers", "layers": ["a.high", "a.low"]}, {"a.low.x": {"a.high"}}, True),
        ({"type": "layers", "layers": ["a.high", "a.low"]}, {"a.low.x": {"a.mid"}, "a.mid": {"a.high"}}, True),
        ({"type": "layers", "layers": ["a.high", "a.low"]}, {"a.high": {"a.low.x"}}, False),
        ({"type": "layers", "layers": ["a.p | a.q"]}, {"a.p": {"a.q"}}, True),
        ({"type": "layers", "containers": ["a"], "layers": ["high", "low"]}, {"a.low": {"a.high"}}, True),
        (
            {"type": "forbidden", "source_modules": ["a.t"], "forbidden_modules": ["a.c.*"]},
            {"a.t": {"a.c"}, "a.c": {"a.c.d"}},
            True,
        ),
        (
            {
                "type": "forbidden",
                "source_modules": ["a.t"],
                "forbidden_modules": ["a.c.*"],
                "allow_indirect_imports": True,
            },
            {"a.t": {"a.c"}, "a.c": {"a.c.d"}},
            False,
        ),
    ],
)
def test_the_checker_sees_a_broken_contract(
    contract: dict[str, object], edges: dict[str, set[str]], broken: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The checks above can fail (a checker that found nothing would pass)."""
    everything = {name for pair in edges.items() for name in (pair[0], *pair[1])}
    full = {name: edges.get(name, set()) for name in everything}
    monkeypatch.setattr(sys.modules[__name__], "MODULES", dict.fromkeys(everything, Path()))
    monkeypatch.setattr(sys.modules[__name__], "REACH", _reach(full))
    monkeypatch.setattr(sys.modules[__name__], "graph", lambda: full)
    found = layer_violations(contract) if contract["type"] == "layers" else forbidden_violations(contract)
    assert bool(found) is broken


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
    assert _cycles(graph()) == sorted(sorted(cycle) for cycle in KNOWN_CYCLES)


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


#: The names of the storage formats (``FORMATS``' rows and ``Entry.source``;
#: ``"dir"``, also a tar member's kind, is caught by the ``.source`` check).
FORMAT_NAMES = {"docker-archive", "oci-layout", "docker-archive (pre-1.10)", "docker-archive or oci-layout"}


def _format_name_tests(path: Path) -> list[str]:
    """Comparisons with a format's name, or reads of ``.source`` (the name an
    entry was found by), in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            if any(isinstance(o, ast.Constant) and o.value in FORMAT_NAMES for o in operands):
                found.append(f"{path.name}:{node.lineno}")
        if isinstance(node, ast.Attribute) and node.attr == "source" and isinstance(node.ctx, ast.Load):
            found.append(f"{path.name}:{node.lineno} (.source)")
    return found


def test_nothing_below_the_face_branches_on_a_format_name() -> None:
    """The views, the stored image, selection and verification read what an
    entry states (:class:`~imageinspect.sources.formats.entry.Holding`,
    ``docker_save``), never which format found it; only the face shows the
    name (``list_images``)."""
    sources = PACKAGE / "sources"
    checked = [p for p in sources.rglob("*.py") if "formats" not in p.parts and p.name != "image.py"]
    assert len(checked) > 10
    found = [hit for path in checked for hit in _format_name_tests(path)]
    assert not found, found


def test_the_format_name_check_sees_one(tmp_path: Path) -> None:
    sample = tmp_path / "view.py"
    sample.write_text('def f(entry):\n    return entry.source == "docker-archive"\n')
    assert len(_format_name_tests(sample)) == 2


TESTED_THROUGH: dict[str, str] = PYPROJECT["tool"]["imageinspect"]["tested_through"]


def _has_logic(path: Path) -> bool:
    tree = ast.parse(path.read_text(), str(path))
    return any(isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) for node in ast.walk(tree))


def _mirror(module: str) -> Path:
    parts = module.split(".")[1:]
    return REPO / "tests" / Path(*parts[:-1]) / f"test_{parts[-1]}.py"


def test_test_modules_mirror_source_modules() -> None:
    """A module with logic of its own has ``tests/<path>/test_<name>.py``, or
    is tested through a face by the module ``[tool.imageinspect.tested_through]``
    names; an entry goes when its module gains its own."""
    with_logic = [
        m
        for m, path in MODULES.items()
        if m.count(".") >= 1 and not path.name.startswith("_") and path.name != "__init__.py" and _has_logic(path)
    ]
    assert len(with_logic) > 60
    untested = [m for m in with_logic if not _mirror(m).exists() and m not in TESTED_THROUGH]
    assert not untested, f"modules with no test module of their own and no tested_through entry: {untested}"
    stale = [m for m in TESTED_THROUGH if m not in MODULES or _mirror(m).exists()]
    assert not stale, f"tested_through entries to remove (the module is gone or has its own tests): {stale}"
    missing = [f for f in TESTED_THROUGH.values() if not (REPO / f).is_file()]
    assert not missing, missing
