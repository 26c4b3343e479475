"""Archive benchmarks (issue: images on disk).

1. ``open_image`` + ``inspect()`` on a small and a multi-GB ``docker save`` tar:
   time must not grow with layer size (only headers and JSON are read), and
   peak memory must stay under 100 MB.
2. ``verify()`` throughput against the machine's ``hashlib.sha256`` on
   uncompressed layers, and against ``zlib`` inflate on gzip layers (target:
   >= 80 % of each), measured in the same run on the same bytes.

Run: ``python benchmarks/bench_archive.py [--size-gb 2] [--dir /tmp]``.
The archives are generated (not kept); each measurement runs in a fresh
subprocess so peak RSS is its own.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
import time
import zlib
from pathlib import Path

CHUNK = 1 << 20


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-gb", type=float, default=2.0)
    parser.add_argument("--dir", default=tempfile.gettempdir())
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(dir=args.dir, prefix="imageinspect-bench-"))
    big_size = int(args.size_gb * (1 << 30))
    try:
        small = make_archive(work / "small", 20 << 20, 4, compress=False)
        big = make_archive(work / "big", big_size, 4, compress=False)
        gz = make_archive(work / "gz", 512 << 20, 4, compress=True)
        rows = []
        small_inspect = min((run_child(small, "inspect") for _ in range(3)), key=lambda r: r["seconds"])
        big_inspect = min((run_child(big, "inspect") for _ in range(3)), key=lambda r: r["seconds"])
        rows.append(("open_image + inspect, 20 MiB tar", small_inspect["seconds"], small_inspect["peak_bytes"], ""))
        rows.append(
            (
                f"open_image + inspect, {big.stat().st_size / (1 << 30):.1f} GiB tar",
                big_inspect["seconds"],
                big_inspect["peak_bytes"],
                f"{big_inspect['seconds'] / small_inspect['seconds']:.2f}x the small tar; "
                f"{'PASS' if big_inspect['peak_bytes'] < 100 << 20 else 'FAIL'} (< 100 MB)",
            )
        )
        verify_big = run_child(big, "verify")
        base = sha256_throughput(big)
        ours = big.stat().st_size / verify_big["seconds"]
        rows.append(
            (
                "verify, uncompressed layers",
                verify_big["seconds"],
                verify_big["peak_bytes"],
                f"{ours / 1e6:.0f} MB/s = {ours / base:.0%} of hashlib.sha256 ({base / 1e6:.0f} MB/s): "
                f"{'PASS' if ours >= 0.8 * base else 'FAIL'} (>= 80 %)",
            )
        )
        verify_gz = run_child(gz, "verify")
        gz_base = inflate_throughput(gz)
        gz_ours = gz.stat().st_size / verify_gz["seconds"]
        rows.append(
            (
                "verify, gzip layers",
                verify_gz["seconds"],
                verify_gz["peak_bytes"],
                f"{gz_ours / 1e6:.0f} MB/s = {gz_ours / gz_base:.0%} of zlib inflate+sha256 "
                f"({gz_base / 1e6:.0f} MB/s): {'PASS' if gz_ours >= 0.8 * gz_base else 'FAIL'} (>= 80 %)",
            )
        )
        print("| measurement | seconds | peak RSS | ratio / verdict |")
        print("|---|---|---|---|")
        for name, seconds, peak, verdict in rows:
            print(f"| {name} | {seconds:.3f} | {peak / (1 << 20):.0f} MiB | {verdict} |")
    finally:
        import shutil

        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
