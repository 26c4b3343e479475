"""Images on disk: real archives and layouts (contracts C3, verify)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

from imageinspect import Format, dumps, human_size, list_images, loads, open_image
from imageinspect.codec.formats import Printer
from tests.conftest import DATA, PUBLIC

GOLDEN = DATA / "golden" / "inspect"
SAVES = sorted(GOLDEN.glob("*/docker-save.tar"))

PUBLIC_ARCHIVES = [
    "container-libs/buildkit-docker.tar",
    "container-libs/buildkit-oci.tar",
    "container-libs/docker-two-images.tar.xz",
    "container-libs/oci-name-only.tar.gz",
    "dive/test-oci-estargz-image.tar",
    "dive/test-oci-zstd-image.tar",
    "go-containerregistry/hello-world-v25.tar",
    "oras-go/hello-world.tar",
    "snyk-docker-plugin/containerd-archives/busybox-single-arch-with-attestation-manifest.tar",
    "snyk-docker-plugin/containerd-archives/busybox.amd64.tar",
    "snyk-docker-plugin/docker-save/hello-world.tar",
    "snyk-docker-plugin/kaniko-archives/kaniko-busybox.tar",
    "snyk-docker-plugin/skopeo-copy/nodes-fake-multi.tar",
    "stereoscope/multiplatform_oci_dir",
]


@pytest.mark.parametrize("relative", PUBLIC_ARCHIVES)
def test_public_archive_lists_opens_inspects_and_verifies(relative: str) -> None:
    path = PUBLIC / "archives" / relative
    if not path.exists():
        pytest.skip(f"public archive {relative} not available (no ../shared)")
    summaries = list_images(path)
    assert summaries
    for summary in summaries:
        with open_image(path, ref=summary.config_digest, platform=summary.platform) as image:
            report = image.verify()
            assert report.ok, report.mismatches
            # the graphdriver store loads manifest.json only; the containerd store the rest
            graphdriver = image.tree.present("manifest.json")
            inspected = image.inspect(
                Format.docker("20.10") if graphdriver else Format.docker("28.5", store="containerd")
            )
            assert inspected.id == image.id if graphdriver else inspected.id.startswith("sha256:")
            assert inspected.root_fs is not None
            assert loads(dumps([inspected])) is not None
            assert len(image.history()) == len(image.image_config.history or ())


def test_public_multi_image_and_platform_choice() -> None:
    xz = PUBLIC / "archives" / "container-libs" / "docker-two-images.tar.xz"
    layout = PUBLIC / "archives" / "stereoscope" / "multiplatform_oci_dir"
    if not xz.exists():
        pytest.skip("public archives not available")
    with open_image(xz, ref="example.com/empty/but:different") as image:
        assert image.entry.parent.startswith("sha256:")  # the parent is in the same archive
    with pytest.raises(Exception, match="2 images: choose one"):
        open_image(xz)
    with open_image(layout, platform="linux/arm64") as arm, open_image(layout) as default:
        assert arm.image_config.architecture == "arm64"
        assert default.image_config.architecture == "amd64"


@pytest.mark.parametrize("driver", ["vfs", "overlay2"])
@pytest.mark.parametrize("save", SAVES, ids=[s.parent.name for s in SAVES])
def test_inspect_equals_docker_load(save: Path, driver: str) -> None:
    """C3 exactly: the engine body a fresh dockerd 20.10 returned after
    `docker load` of this very tar (vfs and overlay2 daemons). Only the
    overlay2 GraphDriver paths (random cache IDs) are passed in."""
    after = save.parent / f"engine-after-load-{driver}.json"
    if not after.exists():
        pytest.skip(f"no {after.name} in this corpus")
    loaded = loads(after.read_bytes())[0]
    with open_image(save) as image:
        ours = image.inspect(
            Format.docker("20.10"),
            storage_driver=driver,
            graph_driver=loaded.graph_driver if driver == "overlay2" else None,
        )
    assert dumps([ours], Format.docker("20.10", printer="api")) == after.read_bytes()


@pytest.mark.parametrize("name", ["legacy-full", "legacy-derived"])
def test_parent_restored_from_the_same_archive(name: str) -> None:
    multi = GOLDEN / "multi"
    after = multi / f"parent-chain-after-load-{name}.json"
    if not after.exists():
        pytest.skip("no parent-chain case in this corpus")
    with open_image(multi / "parent-chain.tar", ref=f"case/{name}:latest") as image:
        ours = image.inspect(Format.docker("20.10"), storage_driver="vfs")
    assert dumps([ours], Format.docker("20.10", printer="api")) == after.read_bytes()


@pytest.mark.parametrize("save", SAVES, ids=[s.parent.name for s in SAVES])
def test_inspect_matches_the_building_daemon(save: Path) -> None:
    """C3: what dockerd 20.10 (vfs) showed for the image, with the fields a
    `docker load` changes: Parent is "" (the parent is not in a single-image
    save), RepoDigests [] (a load restores none); host-only GraphDriver and
    LastTagTime are passed in."""
    case = save.parent
    daemon = loads((case / "engine-v1.41.json").read_bytes())[0]
    expected = attrs.evolve(daemon, parent="", repo_digests=())
    with open_image(save) as image:
        ours = image.inspect(
            Format.docker("20.10"),
            storage_driver="vfs",
            graph_driver=daemon.graph_driver,
            last_tag_time=daemon.metadata.last_tag_time,  # type: ignore[union-attr]
        )
    printer: Printer
    for printer in ("api", "cli"):
        fmt = Format.docker("20.10", printer=printer)
        assert dumps([ours], fmt) == dumps([expected], fmt)


@pytest.mark.parametrize("save", SAVES, ids=[s.parent.name for s in SAVES])
def test_history_matches_docker_history(save: Path) -> None:
    history = save.parent / "history-after-load.jsonl"
    if not history.exists():
        history = save.parent / "history.jsonl"
    rows = [json.loads(line) for line in history.read_text().splitlines()]
    with open_image(save) as image:
        ours = image.history(storage_driver="vfs")
    assert [r.created_by for r in ours] == [r["CreatedBy"] for r in rows]
    assert [human_size(r.size) for r in ours] == [r["Size"] for r in rows]
    assert [r.comment for r in ours] == [r["Comment"] for r in rows]
    assert ours[0].id == rows[0]["ID"]


def test_repo_tags_sorted_like_docker() -> None:
    case = GOLDEN / "legacy-multi-tag"
    with open_image(case / "docker-save.tar") as image:
        assert list(image.repo_tags) == list(loads((case / "engine-v1.41.json").read_bytes())[0].repo_tags or ())


def test_zero_layer_size_and_oci_archive_from_podman() -> None:
    with (
        open_image(GOLDEN / "podman-oci" / "podman-save.oci-archive.tar") as oci,
        open_image(GOLDEN / "podman-oci" / "podman-save.tar") as docker,
    ):
        assert oci.id == docker.id
        assert oci.manifest is not None
        assert docker.manifest is None
        containerd = Format.docker("28.5", store="containerd")
        assert oci.inspect(containerd).root_fs == docker.inspect(containerd).root_fs


LOADED_BY_PODMAN = [
    s
    for s in SAVES
    if (s.parent / "podman.json").exists() and s.parent.name != "pulled"  # pulled: podman pulled it
]


@pytest.mark.parametrize("save", LOADED_BY_PODMAN, ids=[s.parent.name for s in LOADED_BY_PODMAN])
def test_podman_inspect_after_load_equals_podman(save: Path) -> None:
    """podman 4.3 after `podman load` of the same tar; host-only fields (its
    storage's GraphDriver, and Parent, which podman computes from the other
    images it stores) are passed in."""
    podman = loads((save.parent / "podman.json").read_bytes())[0]
    with open_image(save) as image:
        ours = image.inspect(Format.podman("4.3"), graph_driver=podman.graph_driver, parent=podman.parent)
        with pytest.deprecated_call():  # the old name says the same, and warns
            assert image.podman_inspect(graph_driver=podman.graph_driver, parent=podman.parent) == ours
    assert dumps([ours], Format.podman("4.3")) == dumps([podman], Format.podman("4.3"))


def test_skopeo_dir_layout(tmp_path: Path) -> None:
    """containers/image's dir: transport: manifest.json is the manifest,
    blobs are named by bare hex digest, a `version` file marks it."""
    import hashlib
    import io
    import tarfile

    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        info = tarfile.TarInfo("hello.txt")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"hello"))
    layer_bytes = layer.getvalue()
    diff_id = "sha256:" + hashlib.sha256(layer_bytes).hexdigest()
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [diff_id]}}
    ).encode()
    c_hex, l_hex = hashlib.sha256(config).hexdigest(), diff_id[7:]
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "config": {
                "mediaType": "application/vnd.docker.container.image.v1+json",
                "size": len(config),
                "digest": f"sha256:{c_hex}",
            },
            "layers": [
                {
                    "mediaType": "application/vnd.docker.image.rootfs.diff.tar",
                    "size": len(layer_bytes),
                    "digest": diff_id,
                }
            ],
        }
    ).encode()
    (tmp_path / "version").write_text("Directory Transport Version: 1.1\n")
    (tmp_path / "manifest.json").write_bytes(manifest)
    (tmp_path / c_hex).write_bytes(config)
    (tmp_path / l_hex).write_bytes(layer_bytes)
    with open_image(tmp_path) as image:
        assert image.entry.source == "dir"
        assert image.verify().ok
        assert image.inspect(Format.docker("20.10")).size == 5
        assert image.manifest is not None
        assert image.manifest.digest == "sha256:" + hashlib.sha256(manifest).hexdigest()


LAYOUTS = GOLDEN.parent / "layouts"
SKOPEO = sorted(p for p in LAYOUTS.glob("*/skopeo-*") if p.parent.name != "umoci")


@pytest.mark.parametrize("layout", SKOPEO, ids=[f"{p.parent.name}/{p.name}" for p in SKOPEO])
def test_skopeo_layouts(layout: Path) -> None:
    """skopeo copy to oci:, oci-archive: and dir: of a golden docker-save:
    same layers (diff IDs) and history; skopeo rewrites the config as OCI."""
    source = GOLDEN / layout.parent.name / "docker-save.tar"
    with open_image(layout) as image, open_image(source) as original:
        assert image.verify().ok
        assert image.image_config.diff_ids == original.image_config.diff_ids
        assert [h.created_by for h in image.image_config.history or ()] == [
            h.created_by for h in original.image_config.history or ()
        ]
        containerd = Format.docker("28.5", store="containerd")
        assert image.inspect(containerd).root_fs == original.inspect(containerd).root_fs
        assert image.image_config.platform == original.image_config.platform


def test_umoci_layout_agrees_with_umoci_stat() -> None:
    layout = LAYOUTS / "umoci" / "layout"
    if not layout.exists():
        pytest.skip("no umoci layout in this corpus")
    stat = json.loads((LAYOUTS / "umoci" / "stat.json").read_text())["history"]
    assert len(list_images(layout)) == 1
    with open_image(layout) as image:
        assert image.verify().ok
        rows = image.layers.history
        assert [r.history.created_by for r in rows] == [h["created_by"] for h in stat]
        assert [r.layer.diff_id if r.layer else "" for r in rows] == [h["diff_id"] for h in stat]
        assert [str(r.history.created) for r in rows] == [h["created"] for h in stat]


@pytest.mark.parametrize("compression", ["gzip", "xz", "bzip2", "zstd"])
def test_compressed_archives(tmp_path: Path, compression: str) -> None:
    """A whole `docker save` compressed (docker load accepts these too)."""
    import bz2
    import gzip
    import lzma

    import zstandard

    from imageinspect.testing import ImageBuilder, write_docker_archive

    image = ImageBuilder().add_layer({"/hello": b"hi", "/link": b"x"}).tag("packed:1").build()
    plain = tmp_path / "plain.tar"
    write_docker_archive([image], plain)
    packers: dict[str, Callable[[bytes], bytes]] = {
        "gzip": gzip.compress,
        "xz": lzma.compress,
        "bzip2": bz2.compress,
        "zstd": zstandard.ZstdCompressor().compress,
    }
    pack = packers[compression]
    packed = tmp_path / f"packed.tar.{compression}"
    packed.write_bytes(pack(plain.read_bytes()))
    with open_image(packed) as again, open_image(plain) as original:
        assert again.tree.compression == compression  # type: ignore[attr-defined]
        assert again.id == image.id
        assert again.verify().ok
        assert dumps([again.inspect(Format.docker("20.10"))]) == dumps([original.inspect(Format.docker("20.10"))])
