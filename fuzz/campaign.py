"""A mutation fuzzing campaign over the library's entry points (run by hand).

Seeds are the repository's real inputs: daemon output (tests/data/golden),
documents, and ``docker save`` archives. Each execution mutates one seed --
JSON-aware (change a value's type, drop or repeat a key, nest deep, huge or
non-ASCII numbers, odd strings and escapes, BOMs, re-indent) or archive-aware
(flip header bytes, truncate, cut a member, repeat a member, compress with
gzip/xz/bzip2/zstd and damage the stream) -- and runs one target:

- ``loads``: then ``dumps`` must write it back and ``loads`` of that must
  give the same images (a round-trip break otherwise);
- ``parse``: then ``to_json()`` must parse to the same value;
- ``archive``: ``list_images``, ``open_image``, ``inspect``, ``history``,
  ``verify``.

Only :class:`imageinspect.ImageInspectError` may come out; anything else is
an escape (counted by type, the input kept under ``--out``); an execution
over ``--timeout`` seconds is a hang. Peak memory per input byte is measured
(``tracemalloc``) for the JSON targets.

Run: ``python fuzz/campaign.py --seconds 600 [--seed 1] [--out fuzz/findings]``
The test suite runs a bounded version (tests/fuzz/test_campaign.py).
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import io
import json
import lzma
import random
import signal
import sys
import tarfile
import tempfile
import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from imageinspect import ImageInspectError, Limits, dumps, list_images, loads, open_image, parse  # noqa: E402

DATA = REPO / "tests" / "data"
LIMITS = Limits(max_metadata_size=1 << 20, max_members=10_000, max_decompressed_size=64 << 20, ratio_from=1 << 20)


class Hang(Exception):
    """An execution ran over its time."""


# -- seeds ------------------------------------------------------------------


def seeds(kind: str, limit: int = 200) -> list[bytes]:
    """Real inputs for a target, small ones first."""
    if kind == "loads":
        paths = sorted((DATA / "golden").rglob("*.json"), key=lambda p: p.stat().st_size)
        found = [p.read_bytes() for p in paths if "observed" not in p.parts and p.stat().st_size < 64_000]
        observed = DATA / "golden/observed/blobs"
        if observed.is_dir():
            blobs = sorted(observed.iterdir(), key=lambda p: p.stat().st_size)[:300]
            found += [p.read_bytes() for p in blobs if p.read_bytes()[:1] in (b"[", b"{")]
        good = []
        for raw in found:
            try:
                loads(raw)
                good.append(raw)
            except ImageInspectError:
                continue
        return good[:limit]
    if kind == "parse":
        paths = sorted((DATA / "documents").rglob("*"), key=lambda p: p.stat().st_size if p.is_file() else 0)
        return [p.read_bytes() for p in paths if p.is_file()][:limit]
    paths = sorted((DATA / "golden").rglob("*.tar"), key=lambda p: p.stat().st_size)
    return [p.read_bytes() for p in paths if p.stat().st_size < 2_000_000][:limit]


# -- JSON-aware mutations ---------------------------------------------------

_ODD_VALUES: list[Any] = [
    None, True, 0, -1, 2**63, -(2**63) - 1, 2**64, 1.5, 1e308, "", "\u2028", "\ud800", "<&>", "\x00", "💥",
    "sha256:" + "a" * 64, "0001-01-01T00:00:00Z", "٢٠٢٠-01-01T00:00:00Z", [], {}, [[[]]], {"a": {"b": {}}},
]  # fmt: skip


def _paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _paths(item, (*here, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _paths(item, (*here, index))


def _set(value: Any, path: tuple[Any, ...], new: Any) -> Any:
    if not path:
        return new
    head, rest = path[0], path[1:]
    if isinstance(value, dict):
        return {**value, head: _set(value[head], rest, new)}
    copy = list(value)
    copy[head] = _set(copy[head], rest, new)
    return copy


def _get(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


def mutate_json(raw: bytes, rng: random.Random) -> bytes:
    try:
        value = json.loads(raw.decode("utf-8", "surrogatepass").splitlines()[0] if raw[:1] == b"{" else raw)
    except (ValueError, UnicodeDecodeError):
        return mutate_bytes(raw, rng)
    paths = list(_paths(value))
    path = rng.choice(paths)
    target = _get(value, path)
    choice = rng.randrange(9)
    if choice == 0:
        value = _set(value, path, rng.choice(_ODD_VALUES))
    elif choice == 1 and isinstance(target, dict) and target:
        key = rng.choice(list(target))
        value = _set(value, path, {k: v for k, v in target.items() if k != key})
    elif choice == 2 and isinstance(target, dict):
        value = _set(
            value,
            path,
            {**target, rng.choice(["X", "Digest", "Metadata", "Id", "signatures"]): rng.choice(_ODD_VALUES)},
        )
    elif choice == 3:
        deep: Any = 1
        for _ in range(rng.choice([10, 100, 600])):
            deep = [deep]
        value = _set(value, path, deep)
    elif choice == 4 and isinstance(target, list):
        value = _set(value, path, target * rng.choice([0, 2, 50]))
    elif choice == 5 and isinstance(target, str):
        value = _set(value, path, target + rng.choice(["\u2028", "\\", '"', "\ufffd", "é", target]))
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 3, 4]))
    out = text.encode("utf-8", "surrogatepass")
    if choice == 6:
        out = out.replace(b":", b": ", rng.randrange(5))
    elif choice == 7:
        out = rng.choice([b"\xef\xbb\xbf" + out, text.encode("utf-16"), out + b"\n" + out, out[:-1]])
    elif choice == 8:
        out = mutate_bytes(out, rng)
    return out


def mutate_bytes(raw: bytes, rng: random.Random) -> bytes:
    data = bytearray(raw)
    for _ in range(rng.randrange(1, 8)):
        if not data:
            break
        at = rng.randrange(len(data))
        op = rng.randrange(4)
        if op == 0:
            data[at] = rng.randrange(256)
        elif op == 1:
            del data[at : at + rng.randrange(1, 64)]
        elif op == 2:
            data[at:at] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 16)))
        else:
            data[at:at] = data[at : at + rng.randrange(1, 512)]
    return bytes(data)


# -- archive mutations ------------------------------------------------------


def _compress(kind: str, data: bytes) -> bytes:
    if kind == "gzip":
        return gzip.compress(data, 1)
    if kind == "xz":
        return lzma.compress(data, preset=0)
    if kind == "bzip2":
        return bz2.compress(data, 1)
    import zstandard

    return zstandard.ZstdCompressor(write_checksum=True).compress(data)


def mutate_archive(raw: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(6)
    if choice == 0:  # a header byte
        data = bytearray(raw)
        block = rng.randrange(max(len(data) // 512, 1)) * 512
        data[min(block + rng.randrange(512), len(data) - 1)] = rng.randrange(256)
        return bytes(data)
    if choice == 1:
        return raw[: rng.randrange(len(raw))]
    if choice in (2, 3):  # drop or repeat a member, or damage a JSON member
        out = io.BytesIO()
        with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=out, mode="w") as dst:
            members = src.getmembers()
            victim = rng.choice(members) if members else None
            for member in members:
                content = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
                if member is victim and choice == 2:
                    continue
                if member is victim and content is not None and content[:1] in (b"{", b"["):
                    content = mutate_json(content, rng)
                    member.size = len(content)
                dst.addfile(member, None if content is None else io.BytesIO(content))
                if member is victim and choice == 3 and rng.random() < 0.5:
                    dst.addfile(member, None if content is None else io.BytesIO(content))
        return out.getvalue()
    compressed = _compress(rng.choice(["gzip", "xz", "bzip2", "zstd"]), raw)
    return compressed if choice == 4 else mutate_bytes(compressed, rng)


# -- targets ----------------------------------------------------------------


def run_loads(data: bytes) -> str | None:
    out = loads(data)
    again = dumps(list(out), out.format, out.style)  # the writer, not the stored bytes
    if tuple(loads(again)) != tuple(out):
        return "loads(dumps(loads(x))) != loads(x)"
    return None


def run_parse(data: bytes) -> str | None:
    doc = parse(data)
    if parse(doc.value.to_json()).value != doc.value:
        return "parse(to_json()) != value"
    return None


def run_archive(data: bytes) -> str | None:
    with tempfile.NamedTemporaryFile(suffix=".tar") as handle:
        handle.write(data)
        handle.flush()
        list_images(handle.name, limits=LIMITS)
        with open_image(handle.name, limits=LIMITS) as image:
            image.inspect()
            image.history()
            image.verify()
    return None


TARGETS: dict[str, tuple[Callable[[bytes], str | None], Callable[[bytes, random.Random], bytes]]] = {
    "loads": (run_loads, mutate_json),
    "parse": (run_parse, mutate_json),
    "archive": (run_archive, mutate_archive),
}


def _alarm(_signum: int, _frame: object) -> None:
    raise Hang


def campaign(
    seconds: float, seed: int, timeout: float, out: Path | None, executions: int | None = None
) -> dict[str, Any]:
    """Run the campaign; returns the summary (see ``main`` for its table)."""
    rng = random.Random(seed)
    pools = {name: seeds(name) for name in TARGETS}
    report: dict[str, Any] = {
        "executions": Counter(),
        "accepted": Counter(),
        "refused": Counter(),
        "escapes": Counter(),
        "hangs": Counter(),
        "round_trip_breaks": Counter(),
        "peak_bytes_per_byte": 0.0,
        "examples": [],
    }
    previous = signal.signal(signal.SIGALRM, _alarm)
    started = time.monotonic()
    count = 0
    try:
        while time.monotonic() - started < seconds and (executions is None or count < executions):
            name = rng.choice([n for n in TARGETS if pools[n]])
            run, mutate = TARGETS[name]
            data = mutate(rng.choice(pools[name]), rng)
            count += 1
            report["executions"][name] += 1
            measure = name != "archive" and count % 20 == 0 and len(data) > 1000
            if measure:
                tracemalloc.start()
            signal.setitimer(signal.ITIMER_REAL, timeout)
            try:
                broken = run(data)
                report["accepted"][name] += 1
                if broken:
                    report["round_trip_breaks"][name] += 1
                    _keep(out, f"break-{name}", data, report, broken)
            except ImageInspectError:
                report["refused"][name] += 1
            except Hang:
                report["hangs"][name] += 1
                _keep(out, f"hang-{name}", data, report, "hang")
            except RecursionError as err:
                report["escapes"][f"{name}: RecursionError"] += 1
                _keep(out, f"escape-{name}", data, report, repr(err))
            except Exception as err:
                report["escapes"][f"{name}: {type(err).__name__}"] += 1
                _keep(out, f"escape-{name}", data, report, repr(err)[:200])
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
                if measure:
                    _, peak = tracemalloc.get_traced_memory()
                    tracemalloc.stop()
                    report["peak_bytes_per_byte"] = max(report["peak_bytes_per_byte"], peak / len(data))
    finally:
        signal.signal(signal.SIGALRM, previous)
    report["seconds"] = time.monotonic() - started
    return report


def _keep(out: Path | None, prefix: str, data: bytes, report: dict[str, Any], what: str) -> None:
    report["examples"].append((prefix, what))
    if out is not None:
        out.mkdir(parents=True, exist_ok=True)
        (out / f"{prefix}-{len(report['examples'])}.bin").write_bytes(data)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=10)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    sys.setrecursionlimit(10_000)
    report = campaign(args.seconds, args.seed, args.timeout, args.out)
    print(f"{sum(report['executions'].values())} executions in {report['seconds']:.0f} s (seed {args.seed})")
    print("| target | executions | accepted | refused | escapes | hangs | round-trip breaks |")
    print("|---|---|---|---|---|---|---|")
    for name in TARGETS:
        escapes = sum(n for key, n in report["escapes"].items() if key.startswith(name))
        print(
            f"| {name} | {report['executions'][name]} | {report['accepted'][name]} | {report['refused'][name]} "
            f"| {escapes} | {report['hangs'][name]} | {report['round_trip_breaks'][name]} |"
        )
    print(f"\nescapes by type: {dict(report['escapes']) or 'none'}")
    print(f"peak memory per input byte (JSON targets, sampled): {report['peak_bytes_per_byte']:.1f}")
    for prefix, what in report["examples"][:20]:
        print(f"  {prefix}: {what}")
    bad = sum(report["escapes"].values()) + sum(report["hangs"].values()) + sum(report["round_trip_breaks"].values())
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
