"""Memory of ``loads`` per input byte, for the inputs that cost the most
(issue: bad input never escapes or hangs, point 3). Each shape runs in a
fresh subprocess; the figure is the growth of its peak RSS over the input's
size. The default ``max_size`` (16 MiB) is set from the worst of these.

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
N = %(size)d
shapes = {
    "many tiny objects": lambda: b"[" + b",".join([b'{"Id":"a"}'] * (N // 11)) + b"]",
    "unknown empty objects": lambda: b'[{"Id":"a","X":[' + b",".join([b"{}"] * (N // 3)) + b"]}]",
    "unknown tiny objects": lambda: b'[{"Id":"a","X":[' + b",".join([b'{"a":1}'] * (N // 8)) + b"]}]",
    "exposed ports": lambda: b'[{"Id":"a","Config":{"ExposedPorts":{' + b",".join(b'"%%d":{}' %% i for i in range(N // 10)) + b"}}}]",
    "labels": lambda: b'[{"Id":"a","Config":{"Labels":{' + b",".join(b'"%%d":""' %% i for i in range(N // 10)) + b"}}}]",
    "env strings": lambda: b'[{"Id":"a","Config":{"Env":[' + b",".join([b'"a"'] * (N // 4)) + b"]}}]",
}
data = shapes[%(shape)r]()
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
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
