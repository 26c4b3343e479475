"""Memory of ``loads`` and ``parse`` per input byte, for the inputs that
cost the most (bad input never escapes or hangs: issues 10 and 20). Each
shape runs in a fresh subprocess; the figure is the growth of its peak RSS
over the input's size. The default ``max_size`` is set from the worst of
these (``imageinspect.codec.jsonread.DEFAULT_MAX_SIZE``).

Run: ``python benchmarks/bench_memory.py [--mib 16]``
Target: the worst shape stays under 64 bytes per input byte, so the default
limit keeps one ``loads`` call under 1 GiB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
TARGET = 64.0

CHILD = r"""
import resource, sys
sys.path.insert(0, %(root)r)
from imageinspect import loads
from imageinspect.codec.documents import parse
N = %(size)d
CONFIG = b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},"history":['
DIGEST = b'"sha256:' + b"a" * 64 + b'"'
LAYER = b'{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":' + DIGEST + b',"size":1}'
ENTRY = b'{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":' + DIGEST + b',"size":1}'

shapes = {
    "many tiny objects": lambda: b"[" + b",".join([b'{"Id":"a"}'] * (N // 11)) + b"]",
    "unknown empty objects": lambda: b'[{"Id":"a","X":[' + b",".join([b"{}"] * (N // 3)) + b"]}]",
    "unknown tiny objects": lambda: b'[{"Id":"a","X":[' + b",".join([b'{"a":1}'] * (N // 8)) + b"]}]",
    "exposed ports": lambda: b'[{"Id":"a","Config":{"ExposedPorts":{' + b",".join(b'"%%d":{}' %% i for i in range(N // 10)) + b"}}}]",
    "labels": lambda: b'[{"Id":"a","Config":{"Labels":{' + b",".join(b'"%%d":""' %% i for i in range(N // 10)) + b"}}}]",
    "env strings": lambda: b'[{"Id":"a","Config":{"Env":[' + b",".join([b'"a"'] * (N // 4)) + b"]}}]",
    "config: empty history rows": lambda: CONFIG + b",".join([b"{}"] * (N // 3)) + b"]}",
    "config: tiny history rows": lambda: CONFIG + b",".join([b'{"comment":"a"}'] * (N // 16)) + b"]}",
    "config: dated history rows": lambda: CONFIG + b",".join([b'{"created":"2020-01-01T00:00:00Z"}'] * (N // 35)) + b"]}",
    "config: empty-layer rows": lambda: CONFIG + b",".join([b'{"empty_layer":true}'] * (N // 21)) + b"]}",
    "dated tiny images": lambda: b"[" + b",".join([b'{"Id":"a","Created":"2020-01-01T00:00:00Z"}'] * (N // 44)) + b"]",
    "manifest: many layers": lambda: (
        b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":'
        + LAYER + b',"layers":[' + b",".join([LAYER] * (N // (len(LAYER) + 1))) + b"]}"
    ),
    "index: many manifests": lambda: (
        b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":['
        + b",".join([ENTRY] * (N // (len(ENTRY) + 1))) + b"]}"
    ),
}
data = shapes[%(shape)r]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if %(shape)r.startswith(("config", "manifest", "index")):
    parse(data, max_size=len(data) + 1)
else:
    loads(data, max_size=len(data) + 1)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) * 1024 / len(data))
"""

SHAPES = (
    "many tiny objects",
    "unknown empty objects",
    "unknown tiny objects",
    "exposed ports",
    "labels",
    "env strings",
    "config: empty history rows",
    "config: tiny history rows",
    "config: dated history rows",
    "config: empty-layer rows",
    "dated tiny images",
    "manifest: many layers",
    "index: many manifests",
)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mib", type=int, default=16)
    args = parser.parse_args()
    print("| input shape | bytes of memory per input byte |")
    print("|---|---|")
    worst = 0.0
    for shape in SHAPES:
        code = CHILD % {"root": str(HERE.parent), "size": args.mib << 20, "shape": shape}
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
        value = float(done.stdout.strip())
        worst = max(worst, value)
        print(f"| {shape} | {value:.1f} |")
    print(f"\nworst {worst:.1f} B/B; target <= {TARGET}: {'PASS' if worst <= TARGET else 'FAIL'}")
    return 0 if worst <= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
