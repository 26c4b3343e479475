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
- ``template``: a ``-f`` template (the CLI oracle's, spliced with
  keywords, functions, odd strings and numbers) parsed and run as ``docker
  inspect -f`` runs it, as Go 1.19's and Go 1.27's ``text/template``, and
  its output written as the command writes it;
- ``archive``: ``list_images``, ``open_image``, ``inspect``, ``history``,
  ``compat``, the containerd store's ``docker images`` summaries, ``verify``; its mutations also reach tar headers (chains of extended
  headers, hostile PAX records, global headers, sparse and other type flags,
  size fields) in the archive and in a layer, and list one blob or manifest
  many times; JSON mutations add keys Go reads as the same field.

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
import contextlib
import functools
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
from typing import Any, Final

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from imageinspect import ImageInspectError, Limits, dumps, list_images, loads, open_image, parse  # noqa: E402
from imageinspect.codec.formats import Format  # noqa: E402
from imageinspect.sources.views.containerd import containerd_target  # noqa: E402
from imageinspect.sources.views.containerd import listed as containerd_listed  # noqa: E402

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
    if kind == "template":
        oracle = DATA / "golden" / "cli" / "templates.txt"
        return [line.encode() for line in oracle.read_text().splitlines()][: limit + 100] if oracle.exists() else []
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
    choice = rng.randrange(10)
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
    elif choice == 9 and isinstance(target, dict) and target:
        # a key Go's encoding/json reads as the same field (case, ſ, K)
        key = rng.choice(list(target))
        twin = _case_variant(key, rng)
        items = list(target.items())
        items.insert(rng.randrange(len(items) + 1), (twin, rng.choice([*_ODD_VALUES, target[key]])))
        value = _set(value, path, dict(items))
    text = json.dumps(value, ensure_ascii=rng.random() < 0.5, indent=rng.choice([None, 3, 4]))
    out = text.encode("utf-8", "surrogatepass")
    if choice == 6:
        out = out.replace(b":", b": ", rng.randrange(5))
    elif choice == 7:
        out = rng.choice([b"\xef\xbb\xbf" + out, text.encode("utf-16"), out + b"\n" + out, out[:-1]])
    elif choice == 8:
        out = mutate_bytes(out, rng)
    return out


def _case_variant(key: str, rng: random.Random) -> str:
    """``key`` spelt another way that Go's case-insensitive match still
    takes for it."""
    variants = [key.lower(), key.upper(), key.swapcase(), key.replace("s", "\u017f").replace("S", "\u017f"),
                key.replace("k", "\u212a").replace("K", "\u212a")]  # fmt: skip
    return rng.choice([v for v in variants if v != key] or [key + "\u017f"])


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


# -- template mutations -----------------------------------------------------

_TEMPLATE_PIECES: Final = [
    "{{", "}}", "{{-", "-}}", "(", ")", "|", " ", ".", "$", "$x", "$x := ", "$x = ", "$i, $e := ", "range ",
    "with ", "if ", "else ", "else if ", "else with ", "end", "break", "continue", "{{end}}", "{{else}}",
    ".Config", ".Config.Env", ".RootFS.Layers", ".Size", ".Os", ".Nope", "$.Config.Labels", "nil", "true",
    '"é"', '"\\xff"', '"\\u2028"', "`raw`", "0", "-1", "3", "1000", "99999999", "2147483648", "1e3", "0x10",
    "slice ", "index ", "len ", "json ", "printf ", '"%q %x %v %d %s %5.2f %-9s %099999999d %.99999999s"',
    "print ", "println ", "html ", "urlquery ", "eq ", "ne ", "lt ", "le ", "gt ", "ge ", "and ", "or ", "not ",
    "join ", "split ", "upper ", "title ", "truncate ", "pad ", "/*", "*/", "{{/* c */}}",
]  # fmt: skip


def mutate_template(raw: bytes, rng: random.Random) -> bytes:
    """Splice pieces of template syntax into a template (or its bytes)."""
    if rng.random() < 0.2:
        return mutate_bytes(raw, rng)
    text = raw.decode("utf-8", "replace")
    for _ in range(rng.randrange(1, 6)):
        at = rng.randrange(len(text) + 1)
        if rng.random() < 0.7:
            text = text[:at] + rng.choice(_TEMPLATE_PIECES) + text[at:]
        else:
            text = text[:at] + text[at + rng.randrange(1, 8) :]
    return text.encode()


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


def _octal(value: int, width: int) -> bytes:
    return b"%0*o\0" % (width - 1, value)


def tar_header(name: bytes, size: int, typeflag: bytes = b"0", *, size_field: bytes | None = None) -> bytes:
    """One ustar header block (checksum filled in), for hand-made headers."""
    block = bytearray(512)
    block[0 : min(len(name), 100)] = name[:100]
    block[100:108] = _octal(0o644, 8)
    block[108:116] = _octal(0, 8)
    block[116:124] = _octal(0, 8)
    block[124:136] = size_field if size_field is not None else _octal(size, 12)
    block[136:148] = _octal(0, 12)
    block[148:156] = b" " * 8
    block[156:157] = typeflag
    block[257:265] = b"ustar\x0000"
    block[148:156] = b"%06o\0 " % sum(block)
    return bytes(block)


def pax_records(records: dict[str, str]) -> bytes:
    """PAX extended-header data: ``"%d key=value\\n"`` records."""
    out = b""
    for key, value in records.items():
        body = f" {key}={value}\n".encode()
        length = len(body) + 1
        while len(str(length).encode()) + len(body) != length:
            length += 1
        out += str(length).encode() + body
    return out


def _padded(data: bytes) -> bytes:
    return data + b"\0" * (-len(data) % 512)


def extended(records: dict[str, str], typeflag: bytes = b"x") -> bytes:
    """A PAX header (``x`` local, ``g`` global) with its data."""
    data = pax_records(records)
    return tar_header(b"././@PaxHeader", len(data), typeflag) + _padded(data)


_HOSTILE_PAX: Final = (
    {"size": "-5"},
    {"size": "99999999999999999999999"},
    {"path": "a" * 5000},
    {"path": "../../etc/passwd"},
    {"linkpath": "/" * 3000},
    {"GNU.sparse.major": "1", "GNU.sparse.minor": "0", "GNU.sparse.name": "x", "GNU.sparse.realsize": "1000000000"},
    {"GNU.sparse.map": ",".join(["0", "1"] * 3000), "GNU.sparse.size": "99999"},
    {"GNU.sparse.numblocks": "99999999", "GNU.sparse.offset": "0", "GNU.sparse.numbytes": "1"},
    {"mtime": "1e400", "uid": "-1"},
    {"comment": "x" * 70000},
)
_SIZE_FIELDS: Final = (
    b"-0000000001\0",
    b"\x80" + b"\x7f" * 11,
    b"\xff" * 12,
    b"77777777777\0",
    b"  12  \0\0\0\0\0\0",
    b"9999999999\0\0",
    b"\0" * 12,
)


def _member_offsets(raw: bytes) -> list[int]:
    try:
        with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
            return [member.offset for member in tar.getmembers()]
    except (tarfile.TarError, EOFError, OSError, ValueError):
        return []


def mutate_tar_headers(raw: bytes, rng: random.Random) -> bytes:
    """Header-level damage where tar readers break: chains of extended
    headers, hostile PAX records (negative or huge sizes, sparse maps,
    long names), global headers, odd size fields and type flags."""
    offsets = _member_offsets(raw) or [0]
    at = rng.choice(offsets)
    choice = rng.randrange(5)
    if choice == 0:  # a chain of extended headers before a member
        count = rng.choice([2, 9, 60, 400])
        kind = rng.choice([b"x", b"L", b"K"])
        if kind == b"x":
            chain = extended({"path": "chained"}) * count
        else:
            chain = (tar_header(b"././@LongLink", 8, kind) + _padded(b"chained\0")) * count
        return raw[:at] + chain + raw[at:]
    if choice == 1:  # one hostile PAX record set, local or global
        records = rng.choice(_HOSTILE_PAX)
        return raw[:at] + extended(records, rng.choice([b"x", b"x", b"g"])) + raw[at:]
    if choice == 2:  # a size field no reader should trust
        data = bytearray(raw)
        field = rng.choice(_SIZE_FIELDS)
        data[at + 124 : at + 136] = field
        data[at + 148 : at + 156] = b" " * 8
        data[at + 148 : at + 156] = b"%06o\0 " % sum(data[at : at + 512])
        return bytes(data)
    if choice == 3:  # another type flag (sparse, long name, extended, fifo ...)
        data = bytearray(raw)
        data[at + 156 : at + 157] = rng.choice([b"S", b"L", b"K", b"x", b"g", b"6", b"7", b"V", b"M", b"\xff"])
        data[at + 148 : at + 156] = b" " * 8
        data[at + 148 : at + 156] = b"%06o\0 " % sum(data[at : at + 512])
        return bytes(data)
    # a "./" directory member claiming a negative size, then the archive
    return tar_header(b"./", 0, b"5", size_field=b"-0000000777\0") + raw


def _relist(raw: bytes, rng: random.Random) -> bytes:
    """One blob listed many times: manifest.json's layers, or an index's
    manifests, repeated (each must be read once)."""
    out = io.BytesIO()
    times = rng.choice([2, 50, 1000])
    with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            content = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if content is not None and member.name in ("manifest.json", "index.json"):
                try:
                    value = json.loads(content)
                    if isinstance(value, list) and value and isinstance(value[0], dict):
                        value[0]["Layers"] = list(value[0].get("Layers") or []) * times
                    elif isinstance(value, dict) and value.get("manifests"):
                        value["manifests"] = value["manifests"] * times
                    content = json.dumps(value).encode()
                    member.size = len(content)
                except (ValueError, TypeError, AttributeError):
                    pass
            dst.addfile(member, None if content is None else io.BytesIO(content))
    return out.getvalue()


def _damage_a_layer(raw: bytes, rng: random.Random) -> bytes:
    """Header-level damage inside one layer tar of the archive."""
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(raw)) as src, tarfile.open(fileobj=out, mode="w") as dst:
        members = src.getmembers()
        layers = [m for m in members if m.isfile() and m.size >= 1024 and m.name.endswith((".tar", "layer.tar"))]
        layers += [m for m in members if m.isfile() and m.name.startswith("blobs/") and m.size >= 1024]
        victim = rng.choice(layers) if layers else None
        for member in members:
            content = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member is victim and content is not None and content[257:262] == b"ustar":
                content = mutate_tar_headers(content, rng)
                member.size = len(content)
            dst.addfile(member, None if content is None else io.BytesIO(content))
    return out.getvalue()


def mutate_archive(raw: bytes, rng: random.Random) -> bytes:
    choice = rng.randrange(10)
    if choice == 9:
        return _damage_a_layer(raw, rng)
    if choice in (6, 7):
        return mutate_tar_headers(raw, rng)
    if choice == 8:
        return _relist(raw, rng)
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
            image.compat()  # every daemon's load rules and views
            for release in ("24.0.0", "25.0", "29.7"):  # what docker images lists from the containerd store
                target = containerd_target(image)[0]
                containerd_listed(image, target, Format.docker(release, store="containerd"), first=False)
            image.verify()
    with open_image(io.BytesIO(data), limits=LIMITS) as image:  # the same bytes as a file object
        image.inspect()
    return None


@functools.cache
def _template_values() -> tuple[Any, Any, Any]:
    """What ``imageinspect inspect -f`` runs templates on for the shipped
    example with Docker 29.7's CLI: the typed value, the daemon's JSON and
    the CLI's functions (made once)."""
    from imageinspect import Format, examples
    from imageinspect.cli.govalues import docker_functions, docker_values

    fmt = Format.docker("29.7")
    with open_image(examples.path("hello.tar")) as image:
        typed, raw = docker_values(image.inspect(fmt), fmt)
    return typed, raw, docker_functions(fmt)


def run_template(data: bytes) -> str | None:
    """As ``imageinspect inspect -f`` runs it on the shipped example, as Go
    1.19's and Go 1.27's ``text/template``. The engine's iteration bound is
    lowered to 10,000 here, so that a run that reaches it stays quick."""
    from imageinspect.gotemplate import Template
    from imageinspect.gotemplate import exec as template_exec

    typed, raw, functions = _template_values()
    source = data.decode("utf-8", "replace")
    bound, template_exec.MAX_ITERATIONS = template_exec.MAX_ITERATIONS, 10_000
    try:
        for go in ("1.19", "1.27"):
            try:
                template = Template.parse(source, go=go, functions=functions)
                template.inspect(typed, raw, functions=functions).encode("utf-8", "surrogateescape")
            except ImageInspectError:
                if go == "1.27":
                    raise
    finally:
        template_exec.MAX_ITERATIONS = bound
    return None


TARGETS: dict[str, tuple[Callable[[bytes], str | None], Callable[[bytes, random.Random], bytes]]] = {
    "loads": (run_loads, mutate_json),
    "parse": (run_parse, mutate_json),
    "template": (run_template, mutate_template),
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
    # Readers and writers are built on first use (generated code, compiled
    # plans): every seed once before measuring, so the peak memory measured
    # below is what an input costs, not what the first call builds once.
    for name, pool in pools.items():
        for data in pool:
            with contextlib.suppress(Exception):
                TARGETS[name][0](data)
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
            measure = name in ("loads", "parse") and count % 20 == 0 and len(data) > 1000
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
