"""Every class of hostile or broken archive gets an ImageInspectError that
says where, from every entry point, in bounded time; never a raw exception
or a hang."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from imageinspect import Format, ImageInspectError, Limits, list_images, open_image
from tests.sources import hostile_cases

#: Cases an entry point may accept: what it reads is intact.
ACCEPTED = {
    # list_images reads metadata only; the damage is in a layer
    ("list", "layer-"),
    ("list", "sparse-outer-member"),
    # a non-UTF-8 symlink target is a valid layer (its bytes are counted)
    ("*", "symlink-non-utf8-in-layer"),
    # one blob or manifest listed many times: a valid image, read once
    ("*", "relisted-"),
    # a config Go reads otherwise: listed (its platform unknown), refused when opened
    ("list", "json-config-"),
    # a zstd bomb of zeros is an empty tar to a reader that stops at its end
    # blocks (sizes, history); verify, which hashes it all, hits the ratio bound
    ("inspect", "layer-zstd-frame-bomb"),
    ("history", "layer-zstd-frame-bomb"),
}
LIMITS = Limits(max_layer_entries=1000)


def _accepted(operation: str, case: str) -> bool:
    return any(op in (operation, "*") and case.startswith(prefix) for op, prefix in ACCEPTED)


def _run(operation: str, path: Path) -> None:
    if operation == "list":
        list_images(path, limits=LIMITS)
        return
    with open_image(path, limits=LIMITS) as image:
        if operation == "inspect":
            image.inspect(Format.docker("28.5"))
        elif operation == "history":
            image.history()
        else:
            report = image.verify()
            if not report.ok:
                raise ImageInspectError(report.mismatches[0].message, report.mismatches[0].location)


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    pytest.importorskip("zstandard")
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, build in hostile_cases.CASES.items():
        paths[name] = folder / f"{name}.tar"
        paths[name].write_bytes(build())
    return paths


@pytest.mark.parametrize("operation", ["list", "inspect", "history", "verify"])
@pytest.mark.parametrize("case", sorted(hostile_cases.CASES))
def test_hostile_archive(hostile: dict[str, Path], case: str, operation: str) -> None:
    started = time.monotonic()
    try:
        _run(operation, hostile[case])
    except ImageInspectError as err:
        assert err.location, f"{case}: no location in {err}"
        assert err.location.startswith(f"{case}.tar"), err.location
    else:
        assert _accepted(operation, case), f"{case} was accepted by {operation}"
    assert time.monotonic() - started < 20


def test_fifo_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.tar"
    os.mkfifo(fifo)
    with pytest.raises(ImageInspectError, match="not a regular file"):
        open_image(fifo)


def test_cli_one_line_exit_2(hostile: dict[str, Path]) -> None:
    for case in ("gzip-truncated", "layer-gzip-claims-2^40", "corrupt-header-mid-archive"):
        done = subprocess.run(
            [sys.executable, "-m", "imageinspect", "history", str(hostile[case])],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert done.returncode == 2, (case, done.stderr)
        assert done.stdout == ""
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr


def test_missing_zstandard_is_a_clear_error(hostile: dict[str, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with pytest.raises(ImageInspectError, match="optional 'zstandard' package"):
        open_image(hostile["zstd-corrupt-tail"])


def test_plain_and_gzip_duplicates_refused_alike(hostile: dict[str, Path]) -> None:
    messages = []
    for case in ("duplicate-with-dir-between", "duplicate-with-dir-between-gzip"):
        with pytest.raises(ImageInspectError) as err:
            open_image(hostile[case])
        messages.append(err.value.message)
    assert messages[0] == messages[1] == "duplicate member"


def test_corrupt_header_is_not_a_missing_member(hostile: dict[str, Path]) -> None:
    with pytest.raises(ImageInspectError, match="corrupt tar header"):
        list_images(hostile["corrupt-header-mid-archive"])


def test_one_decompression_for_many_layers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A gzip archive of N layers is decompressed once, not once per layer."""
    import gzip as gzip_module

    from imageinspect.sources.storage import compression

    calls = []
    real = compression.decompressor

    def counting(kind: str, raw: object) -> object:
        calls.append(kind)
        return real(kind, raw)  # type: ignore[arg-type]

    monkeypatch.setattr(compression, "decompressor", counting)
    path = tmp_path / "multi.tar.gz"
    path.write_bytes(gzip_module.compress((hostile_cases.DATA / "golden/inspect/multi/parent-chain.tar").read_bytes()))
    with open_image(path, ref="case/legacy-derived:latest") as image:
        image.inspect()
        image.history()
        assert len(image.layer_names) >= 3
    assert calls == ["gzip"]


def test_index_fan_out_walked_once(tmp_path: Path) -> None:
    """An index listing an index a thousand times, itself listed a thousand
    times: each index is read once, and the descriptor budget holds."""
    import hashlib
    import json
    import shutil

    layout = tmp_path / "layout"
    shutil.copytree(hostile_cases.DATA / "golden/layouts/arm64/skopeo-oci", layout)
    top = json.loads((layout / "index.json").read_text())
    manifest = top["manifests"][0]

    def blob(document: dict[str, object]) -> dict[str, object]:
        raw = json.dumps(document).encode()
        digest = hashlib.sha256(raw).hexdigest()
        (layout / "blobs/sha256" / digest).write_bytes(raw)
        return {"mediaType": "application/vnd.oci.image.index.v1+json", "digest": f"sha256:{digest}", "size": len(raw)}

    inner = blob({"schemaVersion": 2, "manifests": [manifest]})
    outer = blob({"schemaVersion": 2, "manifests": [inner] * 1000})
    (layout / "index.json").write_text(json.dumps({"schemaVersion": 2, "manifests": [outer] * 1000}))
    started = time.monotonic()
    assert len(list_images(layout)) == 1
    assert time.monotonic() - started < 10
    with pytest.raises(ImageInspectError, match="more than 500 descriptors"):
        list_images(layout, limits=Limits(max_descriptors=500))


def test_non_utf8_v1_json_in_a_pre_1_10_archive(tmp_path: Path) -> None:
    """Found by fuzz/campaign.py: a v1 image JSON that is not UTF-8."""
    import io
    import tarfile

    source = hostile_cases.DATA / "golden/edge/pre-1.10.tar"
    out = tmp_path / "bad-v1.tar"
    with tarfile.open(source) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if data is not None and member.name.endswith("/json"):
                data = data.replace(b'"Size"', b'"Size\xeb"')
            dst.addfile(member, None if data is None else io.BytesIO(data))
    with pytest.raises(ImageInspectError, match="invalid v1 image JSON") as err:
        list_images(out)
    assert err.value.location.endswith("/json")


def test_lone_surrogate_in_v1_json(tmp_path: Path) -> None:
    """Found by fuzz/campaign.py: a v1 image JSON whose author is a lone
    surrogate escape (Go decodes it as U+FFFD)."""
    import io
    import tarfile

    source = hostile_cases.DATA / "golden/edge/pre-1.10.tar"
    out = tmp_path / "surrogate.tar"
    with tarfile.open(source) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if data is not None and member.name.endswith("/json"):
                data = data.replace(b'"architecture"', b'"author":"\\ud800x","architecture"', 1)
                member.size = len(data)
            dst.addfile(member, None if data is None else io.BytesIO(data))
    with open_image(out, ref="edge/pre-1.10:latest") as image:
        assert image.image_config.history is not None
        assert image.image_config.history[0].author == "\ufffdx"


def test_missing_zstandard_fails_verify_instead_of_reporting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A zstd layer without the zstandard package: an error, not a failed check."""
    from imageinspect import MissingDependency

    path = tmp_path / "zstd-layer.tar"
    path.write_bytes(hostile_cases.rebuilt({hostile_cases.LAYER: hostile_cases.compress("zstd", b"\0" * 1024)}))
    monkeypatch.setitem(sys.modules, "zstandard", None)
    with open_image(path) as image, pytest.raises(MissingDependency, match="zstandard") as err:
        image.verify()
    assert err.value.location.endswith("layer.tar")
