"""What real tools made of the archives our writers wrote
(tests/data/golden/writers, recorded by scripts/golden/make-golden.sh)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageinspect import Format, dumps, loads, open_image
from tests.conftest import DATA

WRITERS = DATA / "golden" / "writers"
ARCHIVES = WRITERS / "archives"


def _slug(tag: str) -> str:
    return tag.replace("/", "_").replace(":", "_")


def _cases() -> list[tuple[str, str]]:
    index = ARCHIVES / "images.json"
    if not index.exists():
        return []
    images = json.loads(index.read_text())["images"]
    return [(archive, image["tags"][0]) for archive in ("legacy", "docker25") for image in images]


@pytest.mark.parametrize(("archive", "tag"), _cases())
def test_docker_load_of_our_archive_shows_what_we_compute(archive: str, tag: str) -> None:
    """dockerd 20.10 accepted the archive; its engine body for each image after
    `docker load` equals our inspect() of the same archive."""
    body = WRITERS / archive / f"{_slug(tag)}.engine.json"
    if not body.exists():
        pytest.skip(f"{tag} not loaded in {archive} (zstd layers are OCI-only)")
    assert (WRITERS / archive / "docker-load.rc").read_text().strip() == "0", "docker load must accept it"
    with open_image(ARCHIVES / f"{archive}.tar", ref=tag) as image:
        ours = image.inspect(Format.docker("20.10"), storage_driver="vfs")
    assert dumps([ours], Format.docker("20.10", printer="api")) == body.read_bytes()


@pytest.mark.parametrize(("archive", "tag"), _cases())
def test_podman_load_of_our_archive(archive: str, tag: str) -> None:
    recorded = WRITERS / archive / f"{_slug(tag)}.podman.json"
    if not recorded.exists():
        pytest.skip("not recorded")
    podman = loads(recorded.read_bytes())[0]
    with open_image(ARCHIVES / f"{archive}.tar", ref=tag) as image:
        assert podman.id == image.id.encoded
        assert podman.root_fs is not None
        assert podman.root_fs.layers == tuple(image.image_config.diff_ids)


@pytest.mark.parametrize("layout", ["oci", "oci.tar"])
def test_skopeo_reads_our_oci_layouts(layout: str) -> None:
    folder = WRITERS / ("oci" if layout == "oci" else "oci-tar")
    raws = sorted(folder.glob("*.skopeo-raw.json"))
    if not raws:
        pytest.skip("no skopeo output recorded")
    manifests = {raw.read_bytes() for raw in raws}
    # skopeo inspect --raw prints the manifest bytes we wrote, unchanged
    from imageinspect import list_images

    ours = set()
    for summary in list_images(ARCHIVES / layout):
        with open_image(ARCHIVES / layout, ref=summary.config_digest, platform=summary.platform) as image:
            assert image.manifest is not None
            ours.add(image.manifest.raw)
    assert manifests <= ours


def test_the_writers_are_deterministic(tmp_path: Path) -> None:
    """scripts/golden/make_writer_images.py rebuilds the very bytes the tools loaded."""
    import subprocess
    import sys

    script = Path(__file__).resolve().parents[2] / "scripts" / "golden" / "make_writer_images.py"
    if not script.exists() or not (ARCHIVES / "legacy.tar").exists():
        pytest.skip("no writer corpus")
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in ("legacy.tar", "docker25.tar", "oci.tar"):
        assert (tmp_path / name).read_bytes() == (ARCHIVES / name).read_bytes(), name
