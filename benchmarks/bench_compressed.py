"""Compressed archives: one decompression pass (issue: bad input never
escapes or hangs, point 2).

A ``docker save`` archive with N layers, compressed whole with gzip or xz:
``open_image`` + ``inspect()`` + ``history()`` must cost about one
decompression of the file, not one per layer. Measured against ``gzip -dc``
/ ``xz -dc`` of the same file in the same run (each in a fresh subprocess).

Run: ``python benchmarks/bench_compressed.py [--layers 20 --layer-kb 1024] [--tiny 10000]``
Targets: for 20 layers the library's time / the tool's time stays below 4
(it was 5x one layer's cost before: one decompression per layer); 10,000 tiny
layers (which did not finish) take under 0.2 ms per layer beyond the tool's
time -- what is left there is per-layer work, not decompression.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import lzma
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 4.0
PER_LAYER = 0.2e-3


def _archive(layers: int, layer_bytes: int) -> bytes:
    """A legacy ``docker save`` of one image with ``layers`` layers."""
    import hashlib

    out = io.BytesIO()
    members: list[tuple[str, bytes]] = []
    diff_ids, names = [], []
    for index in range(layers):
        layer = io.BytesIO()
        with tarfile.open(fileobj=layer, mode="w") as tar:
            data = os.urandom(layer_bytes // 2) * 2 if layer_bytes else b""
            info = tarfile.TarInfo(f"file{index}")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        raw = layer.getvalue()
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        names.append(f"{index:064x}/layer.tar")
        members.append((names[-1], raw))
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "config": {},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": [{"created_by": f"layer {i}"} for i in range(layers)],
        }
    ).encode()
    config_name = hashlib.sha256(config).hexdigest() + ".json"
    manifest = json.dumps([{"Config": config_name, "RepoTags": ["bench:1"], "Layers": names}]).encode()
    members += [(config_name, config), ("manifest.json", manifest)]
    with tarfile.open(fileobj=out, mode="w") as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def _library(path: Path) -> list[str]:
    code = (
        f"import sys; sys.path.insert(0, {str(HERE.parent)!r})\n"
        "from imageinspect import open_image\n"
        f"with open_image({str(path)!r}) as image:\n"
        "    image.inspect(); image.history()\n"
    )
    return [sys.executable, "-c", code]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--layers", type=int, default=20)
    parser.add_argument("--layer-kb", type=int, default=1024)
    parser.add_argument("--tiny", type=int, default=10_000)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(dir=args.dir, prefix="imageinspect-bench-"))
    failures = 0
    try:
        startup = _time(
            [sys.executable, "-c", f"import sys; sys.path.insert(0, {str(HERE.parent)!r}); import imageinspect"]
        )
        print(f"interpreter + import: {startup:.2f} s (subtracted from the library's times)")
        print("| archive | compression | tool | tool s | library s | ratio |")
        print("|---|---|---|---|---|---|")
        for label, layers, size in (
            (f"{args.layers} x {args.layer_kb} KiB", args.layers, args.layer_kb * 1024),
            (f"{args.tiny} tiny", args.tiny, 0),
        ):
            plain = _archive(layers, size)
            for kind, compress, tool in (
                ("gzip", gzip.compress, ["gzip", "-dc"]),
                ("xz", lambda data: lzma.compress(data, preset=1), ["xz", "-dc"]),
            ):
                if shutil.which(tool[0]) is None:
                    continue
                path = folder / f"bench-{layers}.tar.{kind}"
                path.write_bytes(compress(plain))
                tool_s = min(_time([*tool, str(path)]) for _ in range(3))
                lib_s = min(_time(_library(path)) for _ in range(3)) - startup
                ratio = lib_s / max(tool_s, 1e-3)
                failures += ratio > TARGET if layers == args.layers else (lib_s - tool_s) / layers > PER_LAYER
                print(f"| {label} | {kind} | `{' '.join(tool)}` | {tool_s:.3f} | {lib_s:.3f} | {ratio:.1f}x |")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    verdict = "PASS" if not failures else "FAIL"
    print(f"\ntargets: ratio <= {TARGET} ({args.layers} layers), <= {PER_LAYER * 1e3} ms/layer (tiny): {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
