"""Archive benchmarks (issue: images on disk).

1. ``open_image`` + ``inspect()`` on a small and a multi-GB ``docker save`` tar:
   time must not grow with layer size (only headers and JSON are read), and
   peak memory must stay under 100 MB.
2. ``verify()`` throughput against the machine's ``hashlib.sha256`` on
   uncompressed layers, and against ``zlib`` inflate on gzip layers (target:
   >= 80 % of each), measured in the same run on the same bytes.

Run: ``python benchmarks/bench_archive.py [--size-gb 2] [--gz-mb 512] [--dir /tmp]``
(``benchmarks/run.py`` runs this together with the other benchmarks).
The archives are generated (not kept); each measurement runs in a fresh
subprocess so peak RSS is its own.

Targets: ``open_image`` + ``inspect()`` on the big tar takes at most
``FLAT_FACTOR`` times as long as on the 20 MiB tar ("flat in size") with a
peak RSS under 100 MB (the child's whole RSS, interpreter included);
``verify()`` reaches at least 80 % of the baseline's throughput.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path
from typing import Any

CHUNK = 1 << 20
SMALL_SIZE = 20 << 20
#: "flat in size": the big tar's open_image + inspect may take at most this
#: many times the small tar's (best of the repeats, each in a fresh process).
FLAT_FACTOR = 2.0
PEAK_LIMIT = 100 * 1000 * 1000  # 100 MB
VERIFY_TARGET = 0.8


def _pattern() -> bytes:
    # Incompressible-ish but cheap to make: a seeded pseudo-random MiB.
    seed = hashlib.sha256(b"imageinspect").digest()
    out = bytearray()
    while len(out) < CHUNK:
        seed = hashlib.sha256(seed).digest()
        out += seed * 64
    return bytes(out[:CHUNK])


def _layer_tar(path: Path, size: int, compress: bool) -> tuple[str, int]:
    """One layer tar holding a single file of ``size`` bytes; returns its
    diff ID (digest of the uncompressed tar) and stored size."""
    block = _pattern()
    diff = hashlib.sha256()

    class Hashing(io.RawIOBase):
        def __init__(self, sink: io.BufferedWriter) -> None:
            self.sink = sink

        def writable(self) -> bool:
            return True

        def write(self, data: bytes) -> int:  # type: ignore[override]
            diff.update(data)
            return self.sink.write(data)

    with open(path, "wb") as raw:
        target: io.IOBase = gzip.GzipFile(fileobj=raw, mode="wb", compresslevel=1) if compress else raw  # type: ignore[assignment]
        sink = Hashing(target)  # type: ignore[arg-type]
        with tarfile.open(fileobj=sink, mode="w|") as tar:  # type: ignore[call-overload]
            info = tarfile.TarInfo("payload.bin")
            info.size = size

            class Source(io.RawIOBase):
                left = size

                def readable(self) -> bool:
                    return True

                def readinto(self, b: memoryview) -> int:  # type: ignore[override]
                    n = min(len(b), self.left, CHUNK)
                    b[:n] = block[:n]
                    self.left -= n
                    return n

            tar.addfile(info, io.BufferedReader(Source(), CHUNK))
        if compress:
            target.close()
    return "sha256:" + diff.hexdigest(), path.stat().st_size


def make_archive(folder: Path, total: int, layers: int, compress: bool) -> Path:
    """A legacy ``docker save`` tar with ``layers`` layers of ``total`` bytes."""
    folder.mkdir(parents=True, exist_ok=True)
    diff_ids = []
    names = []
    for i in range(layers):
        layer = folder / f"layer{i}.tar"
        diff_id, _ = _layer_tar(layer, total // layers, compress)
        diff_ids.append(diff_id)
        names.append(layer)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {"Env": ["A=1"]},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created_by": f"COPY payload {i}"} for i in range(layers)],
        },
        separators=(",", ":"),
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps(
        [{"Config": config_name, "RepoTags": ["bench:1"], "Layers": [f"l{i}/layer.tar" for i in range(layers)]}]
    ).encode()
    archive = folder / f"image-{total >> 20}MiB{'-gz' if compress else ''}.tar"
    with tarfile.open(archive, "w") as tar:
        for name, data in (("manifest.json", manifest), (config_name, config)):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        for i, layer in enumerate(names):
            tar.add(layer, f"l{i}/layer.tar")
            layer.unlink()
    return archive


_CHILD = r"""
import json, resource, sys, time
from imageinspect import open_image
path, what = sys.argv[1], sys.argv[2]
start = time.perf_counter()
with open_image(path) as image:
    if what == "inspect":
        result = image.inspect().size
    else:
        report = image.verify()
        assert report.ok, report.mismatches
        result = report.bytes_read
elapsed = time.perf_counter() - start
# VmHWM is this process image's own peak; ru_maxrss survives exec on Linux, so
# it would report the parent's RSS when the parent is bigger (benchmarks/run.py).
try:
    with open("/proc/self/status") as status:
        peak = next(int(line.split()[1]) * 1024 for line in status if line.startswith("VmHWM:"))
except (OSError, StopIteration):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"seconds": elapsed, "peak_bytes": peak, "result": result}))
"""


def run_child(path: Path, what: str) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", _CHILD, str(path), what], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)  # type: ignore[no-any-return]


def sha256_throughput(path: Path) -> float:
    h = hashlib.sha256()
    start = time.perf_counter()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
    return path.stat().st_size / (time.perf_counter() - start)


def inflate_throughput(path: Path) -> float:
    """zlib inflate (plus sha256 of the output, as verify must do) of every
    gzip member stored in the archive's layers, compressed bytes per second."""
    compressed = 0
    start = time.perf_counter()
    with tarfile.open(path) as tar:
        for info in tar:
            if not info.name.endswith("layer.tar"):
                continue
            stream = tar.extractfile(info)
            assert stream is not None
            d = zlib.decompressobj(16 + zlib.MAX_WBITS)
            h = hashlib.sha256()
            while chunk := stream.read(CHUNK):
                compressed += len(chunk)
                h.update(d.decompress(chunk))
    return compressed / (time.perf_counter() - start)


def run(size_gb: float = 2.0, gz_mb: int = 512, repeats: int = 5, folder: str | None = None) -> list[dict[str, Any]]:
    """Generate the archives, measure, delete them; one row per measurement."""
    work = Path(tempfile.mkdtemp(dir=folder or tempfile.gettempdir(), prefix="imageinspect-bench-"))
    big_size = int(size_gb * (1 << 30))
    try:
        small = make_archive(work / "small", SMALL_SIZE, 4, compress=False)
        big = make_archive(work / "big", big_size, 4, compress=False)
        gz = make_archive(work / "gz", gz_mb << 20, 4, compress=True)
        small_inspect = min((run_child(small, "inspect") for _ in range(repeats)), key=lambda r: r["seconds"])
        big_inspect = min((run_child(big, "inspect") for _ in range(repeats)), key=lambda r: r["seconds"])
        growth = big_inspect["seconds"] / small_inspect["seconds"]
        peak = max(small_inspect["peak_bytes"], big_inspect["peak_bytes"])
        rows: list[dict[str, Any]] = [
            {
                "name": f"open_image + inspect, {_size(small)} tar",
                "measured": f"{small_inspect['seconds'] * 1e3:.1f} ms",
                "target": "",
                "seconds": small_inspect["seconds"],
                "peak_bytes": small_inspect["peak_bytes"],
                "verdict": f"reference; best of {repeats}",
                "passed": None,
            },
            {
                "name": f"open_image + inspect, {_size(big)} tar",
                "seconds": big_inspect["seconds"],
                "peak_bytes": big_inspect["peak_bytes"],
                "ratio": growth,
                "measured": f"{growth:.2f}× the small tar's time, peak {peak / 1e6:.0f} MB",
                "target": f"≤ {FLAT_FACTOR:g}×, < {PEAK_LIMIT / 1e6:.0f} MB",
                "verdict": f"{growth:.2f}x the {_size(small)} tar's time (target <= {FLAT_FACTOR:g}x); "
                f"peak {peak / 1e6:.0f} MB (target < {PEAK_LIMIT / 1e6:.0f} MB)",
                "passed": growth <= FLAT_FACTOR and peak < PEAK_LIMIT,
            },
        ]
        verify_big = run_child(big, "verify")
        base = sha256_throughput(big)
        ours = big.stat().st_size / verify_big["seconds"]
        rows.append(
            {
                "name": f"verify, uncompressed layers, {_size(big)} tar",
                "seconds": verify_big["seconds"],
                "peak_bytes": verify_big["peak_bytes"],
                "ratio": ours / base,
                "measured": f"{ours / base:.0%} of hashlib.sha256",
                "target": f"≥ {VERIFY_TARGET:.0%}",
                "verdict": f"{ours / 1e6:.0f} MB/s = {ours / base:.0%} of hashlib.sha256 over the same file "
                f"({base / 1e6:.0f} MB/s; target >= {VERIFY_TARGET:.0%})",
                "passed": ours >= VERIFY_TARGET * base,
            }
        )
        verify_gz = run_child(gz, "verify")
        gz_base = inflate_throughput(gz)
        gz_ours = gz.stat().st_size / verify_gz["seconds"]
        rows.append(
            {
                "name": f"verify, gzip layers, {_size(gz)} tar ({gz_mb} MiB uncompressed)",
                "seconds": verify_gz["seconds"],
                "peak_bytes": verify_gz["peak_bytes"],
                "ratio": gz_ours / gz_base,
                "measured": f"{gz_ours / gz_base:.0%} of zlib inflate + sha256",
                "target": f"≥ {VERIFY_TARGET:.0%}",
                "verdict": f"{gz_ours / 1e6:.1f} MB/s stored ({(gz_mb << 20) / verify_gz['seconds'] / 1e6:.0f} MB/s "
                f"uncompressed) = {gz_ours / gz_base:.0%} of zlib inflate + sha256 of the same layers "
                f"({gz_base / 1e6:.1f} MB/s stored; target >= {VERIFY_TARGET:.0%})",
                "passed": gz_ours >= VERIFY_TARGET * gz_base,
            }
        )
        return rows
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _size(path: Path) -> str:
    size = path.stat().st_size
    return f"{size / (1 << 30):.1f} GiB" if size >= 1 << 30 else f"{size / (1 << 20):.0f} MiB"


def markdown(rows: list[dict[str, Any]]) -> str:
    lines = ["| Measurement | Seconds | Peak RSS | Ratio / verdict | Result |", "|---|---:|---:|---|---|"]
    for row in rows:
        result = "—" if row["passed"] is None else ("PASS" if row["passed"] else "FAIL")
        lines.append(
            f"| {row['name']} | {row['seconds']:.3f} | {row['peak_bytes'] / 1e6:.0f} MB | {row['verdict']} | {result} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-gb", type=float, default=2.0, help="size of the big uncompressed archive")
    parser.add_argument("--gz-mb", type=int, default=512, help="uncompressed size of the gzip-layer archive")
    parser.add_argument("--repeats", type=int, default=5, help="fresh processes per open_image + inspect")
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args(argv)
    print(markdown(run(args.size_gb, args.gz_mb, args.repeats, args.dir)))


if __name__ == "__main__":
    main()
