"""Long-running coverage-guided fuzzing of loads, parse and open_image.

Run (not part of the test suite; needs ``pip install atheris``)::

    python fuzz/atheris_harness.py loads  fuzz/corpus-loads  -max_total_time=3600
    python fuzz/atheris_harness.py parse  fuzz/corpus-parse
    python fuzz/atheris_harness.py archive fuzz/corpus-archive

Seed the corpus directories from the repository's real inputs first with
``python fuzz/atheris_harness.py seed``. The contract is the same as the test
suite's bounded fuzzing (tests/fuzz): only ImageInspectError may escape. Keep
every crasher as a regression test in tests/fuzz/test_fuzz.py.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import imageinspect  # noqa: E402
from imageinspect import ImageInspectError, Limits  # noqa: E402

LIMITS = Limits(max_metadata_size=1 << 20, max_members=10_000, max_decompressed_size=64 << 20, max_ratio=200)


def fuzz_loads(data: bytes) -> None:
    try:
        out = imageinspect.loads(data, max_size=1 << 20)
    except ImageInspectError:
        return
    imageinspect.loads(imageinspect.dumps(list(out), out.format, out.style))


def fuzz_parse(data: bytes) -> None:
    try:
        doc = imageinspect.parse(data, max_size=1 << 20)
    except ImageInspectError:
        return
    imageinspect.parse(doc.value.to_json())


_TMP = Path(tempfile.mkdtemp(prefix="imageinspect-fuzz-"))


def fuzz_archive(data: bytes) -> None:
    path = _TMP / "input.tar"
    path.write_bytes(data)
    try:
        for summary in imageinspect.list_images(path, limits=LIMITS):
            with imageinspect.open_image(
                path, ref=summary.config_digest, platform=summary.platform, limits=LIMITS
            ) as image:
                image.inspect()
                image.verify()
    except ImageInspectError:
        pass


def seed() -> None:
    """Copy the repository's real inputs into fuzz/corpus-*."""
    golden = REPO / "tests" / "data" / "golden"
    plan = {
        "corpus-loads": list(golden.glob("inspect/*/*.json")) + list(golden.glob("observed/blobs/*"))[:200],
        "corpus-parse": [p for p in (REPO / "tests" / "data" / "documents").glob("*/*") if len(p.name) == 64],
        "corpus-archive": list(golden.glob("inspect/*/*.tar")) + list(golden.glob("layouts/*/*.tar")),
    }
    for folder, files in plan.items():
        target = REPO / "fuzz" / folder
        target.mkdir(exist_ok=True)
        for index, file in enumerate(files):
            shutil.copy(file, target / f"seed-{index:04d}")


TARGETS = {"loads": fuzz_loads, "parse": fuzz_parse, "archive": fuzz_archive}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "seed":
        seed()
        return
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: {sys.argv[0]} seed | {{{','.join(TARGETS)}}} [libFuzzer options]")
    import atheris  # type: ignore[import-not-found]

    target = TARGETS[sys.argv.pop(1)]
    atheris.instrument_all()
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(_TMP, ignore_errors=True)
        os.environ.pop("IMAGEINSPECT_FUZZ", None)
