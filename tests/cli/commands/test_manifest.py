"""``imageinspect manifest``: the manifest's stored bytes, exactly, from
skopeo's ``oci:``, ``oci-archive:`` and ``dir:`` copies of one image;
``--index`` the index; ``--platform`` picks; an archive that stores none says so."""

from __future__ import annotations

import hashlib

import pytest

from imageinspect.cli import main
from tests.conftest import DATA

LAYOUTS = DATA / "golden/layouts"
CASES = ["arm64", "legacy-full", "buildkit-full"]


def _out(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    assert main(list(args)) == 0
    return capsysbinary.readouterr().out


@pytest.mark.parametrize("case", CASES)
def test_every_copy_prints_the_bytes_skopeo_wrote(case: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    """skopeo's ``dir:`` copy keeps Docker's schema2 manifest, its ``oci:``
    copies hold the OCI one it converted to (the same in a directory and in a
    tar): each prints what it stores, named by the index or the dir: layout."""
    in_dir = _out(capsysbinary, "manifest", str(LAYOUTS / case / "skopeo-dir"))
    assert in_dir == (LAYOUTS / case / "skopeo-dir/manifest.json").read_bytes()
    oci = _out(capsysbinary, "manifest", str(LAYOUTS / case / "skopeo-oci"))
    assert _out(capsysbinary, "manifest", str(LAYOUTS / case / "skopeo-oci-archive.tar")) == oci
    digest = hashlib.sha256(oci).hexdigest()
    assert (LAYOUTS / case / "skopeo-oci/blobs/sha256" / digest).read_bytes() == oci
    assert f"sha256:{digest}".encode() in (LAYOUTS / case / "skopeo-oci/index.json").read_bytes()
    assert b"vnd.oci.image.manifest" in oci
    assert b"vnd.docker.distribution.manifest.v2" in in_dir


def test_index(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    layout = LAYOUTS / "arm64/skopeo-oci"
    assert _out(capsysbinary, "manifest", "--index", str(layout)) == (layout / "index.json").read_bytes()


def test_platform_picks_the_manifest(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    archive = str(DATA / "golden/edge/multi-platform.tar")
    amd64 = _out(capsysbinary, "manifest", archive, "--platform", "linux/amd64")
    arm64 = _out(capsysbinary, "manifest", archive, "--platform", "linux/arm64")
    assert amd64 != arm64
    index = _out(capsysbinary, "manifest", "--index", archive, "--platform", "linux/arm64")
    for manifest in (amd64, arm64):
        assert hashlib.sha256(manifest).hexdigest().encode() in index


def test_an_archive_without_a_manifest(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["manifest", str(DATA / "golden/inspect/legacy-full/docker-save.tar")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "docker-save.tar!manifest.json: the archive stores no manifest" in err
    assert main(["manifest", "--index", str(DATA / "golden/inspect/legacy-full/docker-save.tar")]) == 2
    assert "no index holds this image's manifest" in capsys.readouterr().err
