"""Reference counting of the compiled path: a million ``loads`` (with as
many ``dumps`` -- as read, edited (the compiled writer's source layouts),
by the rules (its canonical layouts) and with an object it hands to the
Python writer --, ``parse`` and refused inputs) must leave the process's
memory flat. Prints the RSS every tenth of the run; fails when it grew by
more than 4 MiB after the first tenth (caches and interned values fill
during it).

Run: ``python benchmarks/bench_refcount.py [--calls 1000000]``
(``IMAGEINSPECT_PURE=1`` measures the pure path.)
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import sys
from pathlib import Path
from typing import Any

import attrs

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import imageinspect  # noqa: E402

INSPECT = (REPO / "tests/data/golden/inspect/legacy-full/cli-default.json").read_bytes()
CONFIG = (REPO / "examples/config.json").read_bytes()
#: refused: the compiled reader hands it to the pure one, which raises
BAD = b'[{"Id":"sha256:aa","Config":{"User":5}}]'


RULES = imageinspect.Format.docker("26.1")


def edit(image: Any) -> Any:
    """The image and its config as new objects (written from their fields)."""
    config = image.config
    return attrs.evolve(image, config=attrs.evolve(config, labels={**(config.labels or {}), "edited": "yes"}))


def rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * resource.getpagesize() / 2**20


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=1_000_000)
    args = parser.parse_args()
    print(f"path: {'compiled' if imageinspect.accelerated() else 'pure'}")
    step = max(args.calls // 10, 1)
    marks = []
    for done in range(0, args.calls, step):
        for _ in range(step):
            out = imageinspect.loads(INSPECT)
            imageinspect.dumps(list(out), out.format, out.style)
            edited = [edit(image) for image in out]
            imageinspect.dumps(edited, out.format, out.style)
            imageinspect.dumps(edited, RULES)
            imageinspect.dumps([attrs.evolve(edited[0], comment="added")], out.format, out.style)
            imageinspect.parse(CONFIG)
            with contextlib.suppress(imageinspect.ImageInspectError):
                imageinspect.loads(BAD)
        marks.append(rss_mib())
        print(f"{done + step:>9} calls: {marks[-1]:.1f} MiB")
    growth = marks[-1] - marks[0]
    print(f"growth after the first tenth: {growth:.1f} MiB ({'PASS' if growth < 4 else 'FAIL'})")
    return 0 if growth < 4 else 1


if __name__ == "__main__":
    sys.exit(main())
