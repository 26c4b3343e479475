"""Benchmark ``imageinspect.loads`` / ``imageinspect.dumps`` on inspect output.

Run by hand, never from the test suite::

    pip install '.[bench]'
    python benchmarks/bench_inspect.py [--json FILE]

(``benchmarks/run.py`` runs this together with the other benchmarks.)

Every number in one run is measured in one process on the same bytes, and each
row is reported as a ratio to orjson on those bytes (``orjson.loads`` for
reading, ``orjson.dumps`` of the same plain data for writing). Only the ratios
mean anything: see ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib.metadata
import json
import os
import platform
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import attrs
import msgspec
import orjson
from pydantic import TypeAdapter

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Benchmark the imageinspect of this checkout (installed or not), and find the
# comparison models next to this script.
sys.path[:0] = [str(ROOT), str(HERE)]

from msgspec_models import DockerImageStruct, PodmanImageStruct  # noqa: E402
from pydantic_models import DockerImageModel, PodmanImageModel  # noqa: E402

import imageinspect  # noqa: E402
from imageinspect import Format, ImageInspect, PodmanImageInspect, Timestamp  # noqa: E402
from imageinspect.codec.accel import pure_path  # noqa: E402

try:  # the model's home moved between python-on-whales releases
    from python_on_whales.components.image.models import ImageInspectResult
except ImportError:  # pragma: no cover - older releases
    from python_on_whales.components.image.cli_wrapper import ImageInspectResult  # type: ignore[no-redef]

CORPUS = ROOT / "tests" / "data" / "golden" / "inspect"
N_DOCS = 1000
#: The document used for the single-document inputs (the richest case).
SINGLE_CASE = "buildkit-full"
#: Base of the varied ``Created`` values: 2024-01-01T00:00:00Z.
BASE_NANOS = 1_704_067_200_000_000_000
#: Step between documents: ~20 minutes plus an odd number of nanoseconds, so
#: every document gets a distinct, full-precision fraction.
STEP_NANOS = 1_234_567_891_013

DOCKER_CLI = Format.docker("20.10")
DOCKER_JSON = Format.docker("20.10", printer="json")
DOCKER_API = Format.docker("20.10", printer="api")
PODMAN = Format.podman("4.3")

# DESIGN.md section 5 (issue 11): ratios to orjson on the same bytes / data.
TARGET_LOADS_MANY = 2.0  # loads, 1000 documents (and below pydantic v2 on every input)
TARGET_LOADS_ONE = 3.0  # loads, one document
TARGET_DUMPS_AS_READ = 1.5  # dumps of loaded, unchanged output
TARGET_DUMPS_EDITED = 3.0  # dumps after editing one label on every image
TARGET_DUMPS_RULES = 4.0  # dumps rendered by the version rules
TARGET_PARSE = 2.5  # parse, to orjson.loads + sha256 of the same bytes (DESIGN.md section 5)
TARGET_RENDER_DOCUMENT = 4.0  # to_json() of a parsed document (rendered by its dialect)
# The pure path (issue 19): the compiled readers and writer set aside.
TARGET_PURE_LOADS_MANY = 2.6
TARGET_PURE_LOADS_ONE = 4.5
TARGET_PURE_DUMPS_EDITED = 15.0
TARGET_PURE_PARSE = 7.0


# --------------------------------------------------------------------------- data


def _vary(image: Any, case: str, index: int) -> Any:
    """A copy of ``image`` with its own Id, Created (distinct nanoseconds) and tags."""
    digest = hashlib.sha256(f"{case}/{index}".encode()).hexdigest()
    new_id = "sha256:" + digest if image.id.startswith("sha256:") else digest
    tags = tuple(f"{tag.rsplit(':', 1)[0]}:b{index}-{j}" for j, tag in enumerate(image.repo_tags or ()))
    created = Timestamp(BASE_NANOS + index * STEP_NANOS)
    return attrs.evolve(image, id=new_id, created=created, repo_tags=tags if image.repo_tags is not None else None)


def _corpus(name: str) -> list[tuple[str, Any]]:
    """(case, image) for every image in ``tests/data/golden/inspect/*/name``."""
    found = []
    for path in sorted(CORPUS.glob(f"*/{name}")):
        found.extend((path.parent.name, image) for image in imageinspect.loads(path.read_bytes()))
    if not found:
        raise SystemExit(f"no {name} files under {CORPUS}")
    return found


def _documents(corpus: list[tuple[str, Any]], count: int) -> list[Any]:
    return [_vary(image, case, i) for i, (case, image) in enumerate(corpus[i % len(corpus)] for i in range(count))]


@dataclass
class Input:
    name: str
    data: bytes
    format: Format
    images: list[Any]
    indented: bool
    single: bool
    pydantic: Callable[[bytes], Any]
    pydantic_dump: Callable[[Any, int | None], bytes]
    whales: Callable[[bytes], Any]
    struct: Callable[[bytes], Any]  # msgspec decode into the Structs of msgspec_models.py


def _inputs() -> list[Input]:
    docker = _corpus("engine-v1.41.json")
    podman = _corpus("podman.json")
    docs = _documents(docker, N_DOCS)
    pdocs = _documents(podman, N_DOCS)
    single = next(image for case, image in docker if case == SINGLE_CASE)
    single = _vary(single, SINGLE_CASE, N_DOCS)

    docker_list = TypeAdapter(list[DockerImageModel])
    podman_list = TypeAdapter(list[PodmanImageModel])
    whales_list = TypeAdapter(list[ImageInspectResult])
    ImageInspectResult.model_rebuild()  # python-on-whales defers building its schema
    docker_structs = msgspec.json.Decoder(list[DockerImageStruct]).decode
    podman_structs = msgspec.json.Decoder(list[PodmanImageStruct]).decode
    docker_struct = msgspec.json.Decoder(DockerImageStruct).decode

    def list_dump(adapter: TypeAdapter[Any]) -> Callable[[Any, int | None], bytes]:
        return lambda value, indent: adapter.dump_json(value, by_alias=True, indent=indent)

    def model_dump(value: Any, indent: int | None) -> bytes:
        return value.model_dump_json(by_alias=True, indent=indent).encode()

    def make(name: str, images: list[Any], fmt: Format, indented: bool, podman: bool = False) -> Input:
        if fmt.printer == "api":  # one object, not an array
            data = imageinspect.dumps(images[0], fmt)
            return Input(
                name,
                data,
                fmt,
                images,
                indented,
                True,
                DockerImageModel.model_validate_json,
                model_dump,
                ImageInspectResult.model_validate_json,
                docker_struct,
            )
        data = imageinspect.dumps(images, fmt)
        adapter = podman_list if podman else docker_list
        return Input(
            name,
            data,
            fmt,
            images,
            indented,
            len(images) == 1,
            adapter.validate_json,
            list_dump(adapter),
            whales_list.validate_json,
            podman_structs if podman else docker_structs,
        )

    return [
        make(f"{N_DOCS} docs, docker CLI (4-space)", docs, DOCKER_CLI, True),
        make(f"{N_DOCS} docs, compact (--format json)", docs, DOCKER_JSON, False),
        make(f"{N_DOCS} docs, podman 4.3 (5-space)", pdocs, PODMAN, True, podman=True),
        make("1 doc, docker CLI (4-space)", [single], DOCKER_CLI, True),
        make("1 doc, compact (engine body)", [single], DOCKER_API, False),
    ]


def _edit_label(image: Any) -> Any:
    """The image with one label added to its ``Config`` (every other object
    unchanged, as after a typical edit)."""
    config = image.config
    labels = dict(config.labels or {})
    labels["org.example.edited"] = "yes"
    return attrs.evolve(image, config=attrs.evolve(config, labels=labels))


def _check(item: Input) -> None:
    """Before timing: the bytes round-trip, and rendering from the rules
    reproduces them too."""
    out = imageinspect.loads(item.data)
    assert len(out) == len(item.images), item.name
    assert all(isinstance(image, (ImageInspect, PodmanImageInspect)) for image in out), item.name
    assert imageinspect.dumps(out) == item.data, f"{item.name}: dumps(loads(b)) != b"
    assert imageinspect.dumps(list(out), item.format) == item.data, f"{item.name}: re-rendered bytes differ"
    assert imageinspect.dumps(list(out), out.format, out.style) == item.data, f"{item.name}: the writer's bytes differ"
    edited = imageinspect.dumps([_edit_label(image) for image in out], out.format, out.style)
    again = imageinspect.loads(edited)
    assert all(image.config.labels["org.example.edited"] == "yes" for image in again), item.name
    assert len(edited) > len(item.data), item.name
    ids = {image.id for image in out}
    created = {image.created for image in out}
    assert len(ids) == len(out), f"{item.name}: Ids are not distinct"
    assert len(created) == len(out), f"{item.name}: Created values are not distinct"
    assert orjson.loads(item.data) == json.loads(item.data) == msgspec.json.decode(item.data), item.name


# --------------------------------------------------------------------------- timing


@dataclass
class Op:
    kind: str  # "loads" | "dumps"
    name: str
    fn: Callable[[], object]
    floor: bool = False  # the orjson row every ratio is taken to
    target: float | None = None
    number: int = 1
    best: float = float("inf")
    times: list[float] = field(default_factory=list)


def _calibrate(fn: Callable[[], object], min_time: float) -> int:
    """Calls per repeat so that one repeat lasts at least ``min_time``."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            fn()
        if time.perf_counter() - start >= min_time or number >= 1 << 20:
            return number
        number *= 2


def _measure(ops: Sequence[Op], repeats: int, min_time: float, keep_gc: bool) -> None:
    """Best of ``repeats``; the ops of one input are interleaved, repeat by
    repeat, so slow phases of a noisy machine hit all of them alike."""
    for op in ops:  # warm-up (also builds lazily compiled schemas and caches)
        for _ in range(3):
            op.fn()
        op.number = _calibrate(op.fn, min_time)
    for r in range(repeats):
        shift = r % len(ops)
        order = [*ops[shift:], *ops[:shift]]
        for op in order:
            gc.collect()
            if not keep_gc:
                gc.disable()
            try:
                start = time.perf_counter()
                for _ in range(op.number):
                    op.fn()
                elapsed = (time.perf_counter() - start) / op.number
            finally:
                gc.enable()
            op.times.append(elapsed)
            op.best = min(op.best, elapsed)


def _pure(fn: Callable[[bytes], Any], data: bytes) -> Any:
    """``fn(data)`` on the pure path (the same process, the compiled readers
    set aside: imageinspect.codec.accel.pure_path)."""
    with pure_path():
        return fn(data)


def _ops(item: Input) -> list[Op]:
    b = item.data
    plain = orjson.loads(b)
    out = imageinspect.loads(b)
    images = list(out)
    validated = item.pydantic(b)
    structs = item.struct(b)
    indent = 4 if item.indented else None
    loads_target = TARGET_LOADS_ONE if item.single else TARGET_LOADS_MANY
    edited = [_edit_label(image) for image in out]
    orjson_opt = orjson.OPT_INDENT_2 if item.indented else 0
    fmt = item.format
    decode_plain = msgspec.json.decode
    encode = msgspec.json.encode
    reformat = msgspec.json.format

    def msgspec_dump(value: Any) -> bytes:
        # msgspec encodes compact only; indenting is a second pass over the bytes.
        return reformat(encode(value), indent=4) if item.indented else encode(value)

    return [
        Op("loads", "orjson.loads", lambda: orjson.loads(b), floor=True),
        Op("loads", "imageinspect.loads", lambda: imageinspect.loads(b), target=loads_target),
        Op(
            "loads",
            "imageinspect.loads (pure path)",
            lambda: _pure(imageinspect.loads, b),
            target=TARGET_PURE_LOADS_ONE if item.single else TARGET_PURE_LOADS_MANY,
        ),
        Op("loads", "pydantic validate_json", lambda: item.pydantic(b)),
        Op("loads", "python-on-whales validate_json", lambda: item.whales(b)),
        Op("loads", "msgspec.json.decode (plain)", lambda: decode_plain(b)),
        Op("loads", "msgspec.json.decode (Structs)", lambda: item.struct(b)),
        Op("loads", "json.loads (docker-py dicts)", lambda: json.loads(b)),
        Op(
            "dumps",
            "orjson.dumps" + (" OPT_INDENT_2" if item.indented else ""),
            lambda: orjson.dumps(plain, option=orjson_opt),
            floor=True,
        ),
        Op("dumps", "imageinspect.dumps(out) (as read)", lambda: imageinspect.dumps(out), target=TARGET_DUMPS_AS_READ),
        Op(
            "dumps",
            "imageinspect.dumps(edited, out.format, out.style) (one label edited per image)",
            lambda: imageinspect.dumps(edited, out.format, out.style),
            target=TARGET_DUMPS_EDITED,
        ),
        Op(
            "dumps",
            "imageinspect.dumps(edited, out.format, out.style) (pure path)",
            lambda: _pure(lambda _: imageinspect.dumps(edited, out.format, out.style), b),
            target=TARGET_PURE_DUMPS_EDITED,
        ),
        Op(
            "dumps",
            "imageinspect.dumps(images, Format) (rules)",
            lambda: imageinspect.dumps(images, fmt),
            target=TARGET_DUMPS_RULES,
        ),
        Op(
            "dumps",
            "pydantic dump_json" + (" indent=4" if item.indented else ""),
            lambda: item.pydantic_dump(validated, indent),
        ),
        Op(
            "dumps",
            "msgspec.json.encode (plain)" + (" + format indent=4" if item.indented else ""),
            lambda: msgspec_dump(plain),
        ),
        Op(
            "dumps",
            "msgspec.json.encode (Structs)" + (" + format indent=4" if item.indented else ""),
            lambda: msgspec_dump(structs),
        ),
        Op(
            "dumps",
            "json.dumps" + (" indent=4" if item.indented else ""),
            lambda: json.dumps(plain, indent=indent).encode(),
        ),
    ]


# --------------------------------------------------------------------------- report


def _fmt_time(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    return f"{seconds * 1e6:.1f} µs"


def _machine() -> dict[str, Any]:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "cpu model", "hardware")):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    versions = {"imageinspect": f"{imageinspect.__version__} (this checkout)"}
    for dist in ("orjson", "attrs", "cattrs", "pydantic", "pydantic-core", "msgspec", "python-on-whales"):
        try:
            versions[dist] = importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            versions[dist] = "not installed"
    try:
        affinity = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        affinity = os.cpu_count()
    return {
        "nproc": affinity,
        "cpu_count": os.cpu_count(),
        "cpu": cpu,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "platform": platform.platform(),
        "loadavg": list(os.getloadavg()) if hasattr(os, "getloadavg") else None,
        "packages": versions,
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--json", metavar="FILE", help="also save the results as JSON")
    parser.add_argument("--repeats", type=int, default=11, help="repeats for the 1000-document inputs (>= 7)")
    parser.add_argument("--single-repeats", type=int, default=300, help="repeats for one document (>= 200)")
    parser.add_argument(
        "--min-time", type=float, default=0.002, help="seconds one repeat lasts at least (calls are looped)"
    )
    parser.add_argument("--keep-gc", action="store_true", help="leave the garbage collector on while timing")
    args = parser.parse_args(argv)
    if args.repeats < 7 or args.single_repeats < 200:
        print("warning: fewer repeats than the project asks for (7 / 200)", file=sys.stderr)

    machine = _machine()
    results = run(args.repeats, args.single_repeats, args.min_time, args.keep_gc, machine)
    print(_markdown(results, machine, args))
    if args.json:
        Path(args.json).write_text(json.dumps({"machine": machine, "results": results}, indent=2) + "\n")
    return 0


def run(
    repeats: int = 11,
    single_repeats: int = 300,
    min_time: float = 0.002,
    keep_gc: bool = False,
    machine: dict[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """Check and time every input; one row per (input, operation). ``machine``,
    when given, gets the end load average and the wall time added."""
    started = time.time()
    inputs = _inputs()
    for item in inputs:
        _check(item)

    results: list[dict[str, Any]] = []
    for item in inputs:
        ops = _ops(item)
        # Everything alive now (the inputs, the loaded values) is kept out of
        # the collections run between repeats: those then cost next to nothing.
        gc.collect()
        gc.freeze()
        try:
            _measure(ops, single_repeats if item.single else repeats, min_time, keep_gc)
        finally:
            gc.unfreeze()
        floors = {op.kind: op.best for op in ops if op.floor}
        pydantic = next(op.best for op in ops if op.name == "pydantic validate_json")
        for op in ops:
            ratio = op.best / floors[op.kind]
            results.append(
                {
                    "input": item.name,
                    "bytes": len(item.data),
                    "documents": len(item.images),
                    "op": op.kind,
                    "name": op.name,
                    "best_s": op.best,
                    "median_s": sorted(op.times)[len(op.times) // 2],
                    "repeats": len(op.times),
                    "calls_per_repeat": op.number,
                    "ratio": ratio,
                    "target": op.target,
                    "passed": None if op.target is None else ratio <= op.target,
                }
            )
            if op.name == "imageinspect.loads":
                results.append(
                    {
                        **results[-1],
                        "name": "imageinspect.loads below pydantic validate_json",
                        "ratio": op.best / pydantic,
                        "target": 1.0,
                        "passed": op.best < pydantic,
                        "versus": "pydantic validate_json",
                    }
                )
    if machine is not None:
        machine["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else None
        machine["wall_s"] = round(time.time() - started, 1)
    return results


def _markdown(results: list[dict[str, Any]], machine: dict[str, Any], args: argparse.Namespace) -> str:
    lines = ["# imageinspect inspect benchmark", ""]
    lines.append(
        f"Machine: {machine['nproc']} CPUs available (nproc; {machine['cpu_count']} online), {machine['cpu']}; "
        f"{machine['python']} on {machine['platform']}; load average {machine['loadavg']} -> {machine['loadavg_end']}."
    )
    lines.append("Packages: " + ", ".join(f"{k} {v}" for k, v in machine["packages"].items()) + ".")
    lines.append(
        f"Best of {args.repeats} repeats (1000 documents) / {args.single_repeats} (1 document), "
        f"each repeat >= {args.min_time * 1e3:g} ms of looped calls, ops of one input interleaved, "
        f"gc {'on' if args.keep_gc else 'off (like timeit)'} while timing; {machine['wall_s']} s in all. "
        "Ratios are to orjson on the same bytes / same plain data in this run."
    )
    lines.append("")
    lines.append("## Summary: imageinspect against its targets")
    lines.append("")
    lines.append("| Input | Check | ×orjson | Target | Result |")
    lines.append("|---|---|---:|---:|---|")
    by_input: dict[str, list[dict[str, Any]]] = {}
    for row in results:
        by_input.setdefault(row["input"], []).append(row)
    for name, rows in by_input.items():
        for row in rows:
            if row["target"] is not None:
                versus = row.get("versus", "orjson")
                lines.append(
                    f"| {name} | {row['name']} | {row['ratio']:.2f} (×{versus}) | ≤{row['target']:g} "
                    f"| {'PASS' if row['passed'] else 'FAIL'} |"
                )
    lines.append("")
    lines.append("## All rows")
    lines.append("")
    lines.append("| Input | Op | Implementation | Best | Median | ×orjson | Target | Result |")
    lines.append("|---|---|---|---:|---:|---:|---:|---|")
    for name, rows in by_input.items():
        label = f"{name} ({rows[0]['bytes']:,} B)"
        for row in rows:
            target = "—" if row["target"] is None else f"≤{row['target']:g}"
            result = "—" if row["passed"] is None else ("PASS" if row["passed"] else "FAIL")
            lines.append(
                f"| {label} | {row['op']} | {row['name']} | {_fmt_time(row['best_s'])} "
                f"| {_fmt_time(row['median_s'])} | {row['ratio']:.2f} | {target} | {result} |"
            )
            label = ""
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
