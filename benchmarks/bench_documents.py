"""Benchmark ``imageinspect.parse`` and ``to_json`` on real configs, manifests and indexes.

Run by hand, never from the test suite::

    pip install '.[bench]'
    python benchmarks/bench_documents.py [--repeats 200] [--json FILE]

(``benchmarks/run.py`` runs this together with the other benchmarks.)

The documents are the real registry / daemon / tool outputs in
``tests/data/documents/`` (see its PROVENANCE.md), grouped by kind and byte
shape. One timed call handles every document of a group; every row is a ratio
to orjson on the same bytes (``orjson.loads`` for reading, ``orjson.dumps`` of
the same plain data for writing, ``OPT_INDENT_2`` for the groups whose
canonical form is indented). Only the ratios mean anything.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import msgspec
import orjson

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path[:0] = [str(ROOT), str(HERE)]

from bench_inspect import (  # noqa: E402
    TARGET_PARSE,
    TARGET_PURE_PARSE,
    TARGET_RENDER_DOCUMENT,
    Op,
    _fmt_time,
    _machine,
    _measure,
)
from document_models import MODELS  # noqa: E402

import imageinspect  # noqa: E402
from imageinspect.codec.accel import pure_path  # noqa: E402

CORPUS = ROOT / "tests" / "data" / "documents"


@dataclass
class Group:
    name: str
    kind: str  # directory under tests/data/documents
    docs: list[bytes]
    indented: bool
    parse_kind: tuple[str, Callable[[bytes], Any]] | None  # the kind-specific parser


def _indented(raw: bytes) -> bool:
    return raw.lstrip()[1:2] in (b"\n", b"\r")


def _groups() -> list[Group]:
    def load(kind: str) -> list[bytes]:
        found = [path.read_bytes() for path in sorted((CORPUS / kind).iterdir()) if path.is_file()]
        if not found:
            raise SystemExit(f"no documents under {CORPUS / kind}")
        return found

    configs = load("configs")
    manifests = load("manifests")
    indexes = load("indexes")
    schema1 = load("schema1")
    groups = [
        Group("configs (compact)", "configs", configs, False, ("parse_config", imageinspect.parse_config)),
        Group(
            "manifests, compact (OCI: podman, skopeo, umoci)",
            "manifests",
            [raw for raw in manifests if not _indented(raw)],
            False,
            ("parse_manifest", imageinspect.parse_manifest),
        ),
        Group(
            "manifests, 3-space (Docker schema2 from registry 2.8)",
            "manifests",
            [raw for raw in manifests if _indented(raw)],
            True,
            ("parse_manifest", imageinspect.parse_manifest),
        ),
        Group(
            "indexes / manifest lists (compact)", "indexes", indexes, False, ("parse_index", imageinspect.parse_index)
        ),
        Group("schema1, 3-space, signed", "schema1", schema1, True, None),
    ]
    for group in groups:
        if any(_indented(raw) != group.indented for raw in group.docs):
            raise SystemExit(f"{group.name}: mixed byte shapes")
    return groups


def _check(group: Group) -> None:
    """Before timing: every document parses, its value writes the same JSON
    value back, and the plain decoders agree."""
    for raw in group.docs:
        doc = imageinspect.parse(raw)
        assert doc.raw == raw, group.name
        assert orjson.loads(doc.value.to_json()) == orjson.loads(raw), f"{group.name}: to_json changed the value"
        assert orjson.loads(raw) == json.loads(raw) == msgspec.json.decode(raw), group.name
        if group.parse_kind is not None:
            group.parse_kind[1](raw)
        if group.kind in MODELS:
            model, struct = MODELS[group.kind]
            model.model_validate_json(raw)
            msgspec.json.decode(raw, type=struct)


def _ops(group: Group) -> list[Op]:
    docs = group.docs
    plain = [orjson.loads(raw) for raw in docs]
    values = [imageinspect.parse(raw).value for raw in docs]
    opt = orjson.OPT_INDENT_2 if group.indented else 0
    indent = 3 if group.indented else None
    separators = None if group.indented else (",", ":")
    parse = imageinspect.parse
    loads = orjson.loads
    dumps = orjson.dumps
    decode = msgspec.json.decode
    encode = msgspec.json.encode
    reformat = msgspec.json.format

    def each(fn: Callable[[Any], object], items: list[Any]) -> Callable[[], object]:
        return lambda: [fn(item) for item in items]

    sha256 = hashlib.sha256

    def pure(fn: Callable[[], object]) -> Callable[[], object]:
        """``fn`` on the pure path (imageinspect.codec.accel.pure_path)."""

        def run() -> object:
            with pure_path():
                return fn()

        return run

    def loads_and_digest(raw: bytes) -> object:
        # parse also computes the document's digest; this row shows what that alone costs on top of orjson
        return loads(raw), sha256(raw).hexdigest()

    ops = [
        # parse also computes the document's digest: its floor is orjson + sha256
        Op("loads", "orjson.loads + hashlib.sha256 digest", each(loads_and_digest, docs), floor=True),
        Op("loads", "orjson.loads", each(loads, docs)),
        Op("loads", "imageinspect.parse", each(parse, docs), target=TARGET_PARSE),
        Op("loads", "imageinspect.parse (pure path)", pure(each(parse, docs)), target=TARGET_PURE_PARSE),
    ]
    if group.parse_kind is not None:
        name, fn = group.parse_kind
        ops.append(Op("loads", f"imageinspect.{name}", each(fn, docs), target=TARGET_PARSE))
    if group.kind in MODELS:
        model, struct = MODELS[group.kind]
        decoder = msgspec.json.Decoder(struct)
        ops.append(Op("loads", f"pydantic {model.__name__}.model_validate_json", each(model.model_validate_json, docs)))
        ops.append(Op("loads", f"msgspec.json.decode ({struct.__name__})", each(decoder.decode, docs)))
    ops += [
        Op("loads", "msgspec.json.decode (plain)", each(decode, docs)),
        Op("loads", "json.loads (plain dicts)", each(json.loads, docs)),
        Op(
            "dumps",
            "orjson.dumps" + (" OPT_INDENT_2" if group.indented else ""),
            each(lambda value: dumps(value, option=opt), plain),
            floor=True,
        ),
        Op("dumps", "doc.value.to_json()", each(lambda value: value.to_json(), values), target=TARGET_RENDER_DOCUMENT),
        Op(
            "dumps",
            "msgspec.json.encode (plain)" + (" + format indent=3" if group.indented else ""),
            each((lambda value: reformat(encode(value), indent=3)) if group.indented else encode, plain),
        ),
        Op(
            "dumps",
            "json.dumps" + (" indent=3" if group.indented else " compact separators"),
            each(lambda value: json.dumps(value, indent=indent, separators=separators).encode(), plain),
        ),
    ]
    return ops


def run(
    repeats: int = 200,
    min_time: float = 0.002,
    keep_gc: bool = False,
    machine: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Check and time every group; one row per (group, operation)."""
    started = time.time()
    groups = _groups()
    for group in groups:
        _check(group)
    results: list[dict[str, Any]] = []
    for group in groups:
        ops = _ops(group)
        gc.collect()
        gc.freeze()
        try:
            _measure(ops, repeats, min_time, keep_gc)
        finally:
            gc.unfreeze()
        floors = {op.kind: op.best for op in ops if op.floor}
        for op in ops:
            ratio = op.best / floors[op.kind]
            results.append(
                {
                    "input": group.name,
                    "bytes": sum(len(raw) for raw in group.docs),
                    "documents": len(group.docs),
                    "op": op.kind,
                    "name": op.name,
                    "best_s": op.best,
                    "median_s": sorted(op.times)[len(op.times) // 2],
                    "per_doc_s": op.best / len(group.docs),
                    "repeats": len(op.times),
                    "calls_per_repeat": op.number,
                    "ratio": ratio,
                    "target": op.target,
                    "passed": None if op.target is None else ratio <= op.target,
                }
            )
    if machine is not None:
        machine["wall_s_documents"] = round(time.time() - started, 1)
    return results


def markdown(results: list[dict[str, Any]]) -> str:
    lines = [
        "| Group | Op | Implementation | Best / document | ×orjson | Target | Result |",
        "|---|---|---|---:|---:|---:|---|",
    ]
    label_of = ""
    for row in results:
        label = ""
        if row["input"] != label_of:
            label_of = row["input"]
            label = f"{row['input']} ({row['documents']} docs, {row['bytes']:,} B)"
        target = "—" if row["target"] is None else f"≤{row['target']:g}"
        result = "—" if row["passed"] is None else ("PASS" if row["passed"] else "FAIL")
        lines.append(
            f"| {label} | {row['op']} | {row['name']} | {_fmt_time(row['per_doc_s'])} "
            f"| {row['ratio']:.2f} | {target} | {result} |"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--repeats", type=int, default=200, help="repeats per operation (best is kept)")
    parser.add_argument("--min-time", type=float, default=0.002, help="seconds one repeat lasts at least")
    parser.add_argument("--keep-gc", action="store_true", help="leave the garbage collector on while timing")
    args = parser.parse_args(argv)
    machine = _machine()
    results = run(args.repeats, args.min_time, args.keep_gc, machine)
    print("# imageinspect document benchmark\n")
    print(f"Machine: {machine['nproc']} CPUs (nproc), {machine['cpu']}; {machine['python']}.")
    print(f"Best of {args.repeats} repeats; {machine['wall_s_documents']} s in all.\n")
    print(markdown(results))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
