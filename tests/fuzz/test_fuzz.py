"""Fuzzing with a bounded budget (the long runs use fuzz/atheris_harness.py).

Seeds are real inputs: the golden corpus, our documents and the public
fixtures. Each example mutates one seed (byte flips, insertions, deletions,
splices, truncation) and feeds it to loads, parse or open_image. The contract:
only ImageInspectError escapes, nothing hangs (per-example deadline), and
memory stays bounded (the limits are small).
"""

from __future__ import annotations

import contextlib
import io
import os
import tarfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imageinspect
from imageinspect import ImageInspectError, Limits
from tests.conftest import DATA, PUBLIC

BUDGET = settings(
    max_examples=int(os.environ.get("IMAGEINSPECT_FUZZ_EXAMPLES", "150")),
    deadline=2000,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _seeds(patterns: list[tuple[Path, str]], limit: int = 60) -> list[bytes]:
    found: list[bytes] = []
    for root, pattern in patterns:
        for path in sorted(root.glob(pattern)):
            if path.is_file() and path.stat().st_size < 64 * 1024:
                found.append(path.read_bytes())
    return found[:limit] or [b"[]\n"]


INSPECT_SEEDS = _seeds(
    [
        (DATA / "golden" / "inspect", "*/cli-default.json"),
        (DATA / "golden" / "inspect", "*/podman.json"),
        (DATA / "golden" / "inspect", "*/template.json"),
        (DATA / "golden" / "derived", "*/29.1-*.json"),
    ]
)
DOCUMENT_SEEDS = _seeds([(DATA / "documents", "*/*"), (PUBLIC / "containers-image", "*.json")])
ARCHIVE_SEEDS = _seeds(
    [(DATA / "golden" / "inspect", "*/docker-save.tar"), (DATA / "golden" / "layouts", "*/*.tar")], 8
)


@st.composite
def mutated(draw: st.DrawFn, seeds: list[bytes]) -> bytes:
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        position = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(["flip", "insert", "delete", "splice", "truncate", "dup"]))
        if action == "flip":
            data[position] = draw(st.integers(0, 255))
        elif action == "insert":
            data[position:position] = draw(st.binary(min_size=1, max_size=8))
        elif action == "delete":
            del data[position : position + draw(st.integers(1, 16))]
        elif action == "splice":
            other = draw(st.sampled_from(seeds))
            start = draw(st.integers(0, max(len(other) - 1, 0)))
            data[position : position + 8] = other[start : start + draw(st.integers(1, 64))]
        elif action == "truncate":
            del data[position:]
        else:
            data[position:position] = data[position : position + draw(st.integers(1, 32))]
    return bytes(data)


@BUDGET
@given(mutated(INSPECT_SEEDS))
def test_loads_only_raises_ours(data: bytes) -> None:
    try:
        out = imageinspect.loads(data, max_size=1 << 20)
    except ImageInspectError:
        return
    rendered = imageinspect.dumps(list(out), out.format, out.style)  # whatever loads accepts, the writer writes
    assert imageinspect.loads(rendered) is not None


@BUDGET
@given(
    mutated(DOCUMENT_SEEDS),
    st.sampled_from(
        [None, "application/vnd.oci.image.manifest.v1+json", "application/vnd.docker.container.image.v1+json"]
    ),
)
def test_parse_only_raises_ours(data: bytes, media_type: str | None) -> None:
    try:
        doc = imageinspect.parse(data, media_type, max_size=1 << 20)
    except ImageInspectError:
        return
    assert doc.raw == data
    # written back, it parses the way it was accepted: with the media type it
    # was declared as (a body with no sniffable field needs it both times)
    imageinspect.parse(doc.value.to_json(), media_type)


@settings(BUDGET, max_examples=max(20, BUDGET.max_examples // 3))
@given(mutated(ARCHIVE_SEEDS))
def test_open_image_only_raises_ours(data: bytes) -> None:
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-{os.getpid()}.tar"
    path.write_bytes(data)
    limits = Limits(max_metadata_size=1 << 20, max_members=10_000, max_decompressed_size=64 << 20, max_ratio=200)
    try:
        for summary in imageinspect.list_images(path, limits=limits):
            with imageinspect.open_image(
                path, ref=summary.config_digest, platform=summary.platform, limits=limits
            ) as image:
                image.inspect()
                image.verify()
                image.history()
    except ImageInspectError:
        pass
    finally:
        path.unlink()


def test_regressions() -> None:
    """Inputs fuzzing found; each must fail cleanly."""
    cases = [
        b'[{"Id": "x", "Created": "2024-02-30T00:00:00Z"}]',  # impossible date
        b'{"Id":"a"}\n[1]',  # a non-object line after a template object
        b"\n",  # template output with nothing found: accepted, empty
        b'[{"Config": {"ExposedPorts": ["80/tcp"]}}]',  # a set that is a list
    ]
    for data in cases:
        with contextlib.suppress(ImageInspectError):  # anything else fails the test
            imageinspect.loads(data)
    broken = io.BytesIO()
    with tarfile.open(fileobj=broken, mode="w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = 3
        tar.addfile(info, io.BytesIO(b"[{]"))
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"fuzz-regression-{os.getpid()}.tar"
    path.write_bytes(broken.getvalue())
    try:
        with pytest.raises(ImageInspectError):
            imageinspect.open_image(path)
    finally:
        path.unlink()
