"""ImageBuilder and the writers: consistent images, archives that read back."""

from __future__ import annotations

import io
import tarfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageinspect import Format, chain_ids, dumps, list_images, loads, open_image
from imageinspect.sources.formats import discover
from imageinspect.testing import (
    Dir,
    File,
    Hardlink,
    ImageBuilder,
    OpaqueWhiteout,
    Symlink,
    Whiteout,
    build_layout,
    write_docker_archive,
    write_oci_layout,
)
from imageinspect.testing import strategies as s
from imageinspect.values import mediatype as mt


def _full() -> ImageBuilder:
    return (
        ImageBuilder(seed=7)
        .author("Tester <t@example.invalid>")
        .add_layer(
            {
                "/etc/app.conf": File(b"x=1\n", mode=0o600, uid=1000, gid=1000, mtime=1),
                "/bin/app": File(b"\x7fELF", mode=0o755),
                "/bin/alias": Symlink("app"),
                "/bin/hard": Hardlink("/bin/app"),
                "/var/cache": Dir(mode=0o700),
            }
        )
        .add_layer({"/etc/old": Whiteout(), "/var/cache": OpaqueWhiteout(), "/srv/new": b"new"}, comment="patch")
        .history("/bin/sh -c #(nop)  CMD", comment="meta")
        .env("PATH", "/bin")
        .env("MODE", "a")
        .env("MODE", "b")
        .label("org.example.a", "<&>")
        .user("1000:1000")
        .workdir("/srv")
        .expose("80", "53/udp")
        .volume("/data")
        .entrypoint(["/bin/app"])
        .cmd([])
        .shell(["/bin/sh", "-c"])
        .stop_signal("SIGTERM")
        .healthcheck(["CMD", "/bin/app", "--ok"], interval=30, timeout=5, start_period=2, retries=3)
        .onbuild("RUN echo child")
        .platform("linux/arm64/v8")
        .tag("example/full:1", "example/full:latest")
    )


def test_builder_gives_a_consistent_image() -> None:
    image = _full().build(manifest="docker")
    assert image.verify().ok
    assert image.layers.ok
    config = image.image_config
    assert config.architecture == "arm64"
    assert config.variant == "v8"
    assert config.config is not None
    assert config.config.env == ("PATH=/bin", "MODE=b")
    assert config.config.cmd == ()
    assert config.config.ports == (("53", "udp"), ("80", "tcp"))
    assert config.config.healthcheck is not None
    assert config.config.healthcheck.interval == 30_000_000_000
    assert [h.empty_layer for h in config.history or ()].count(False) == 2
    assert image.repo_tags == ("example/full:1", "example/full:latest")
    graphdriver = Format.docker("28.5")
    inspected = image.inspect(graphdriver)
    assert inspected.labels is not None
    assert inspected.labels["org.example.a"] == "<&>"
    assert inspected.size == len(b"x=1\n") + 4 + len("app") + len("new")  # hardlink once, whiteouts 0
    assert image.inspect(graphdriver, storage_driver="vfs").size == inspected.size - len("app")


def test_layer_contents() -> None:
    image = _full().build(compression="none")
    with image.open_layer(0) as stream, tarfile.open(fileobj=io.BytesIO(stream.read())) as tar:
        members = {m.name: m for m in tar.getmembers()}
    assert members["etc/app.conf"].mode == 0o600
    assert members["etc/app.conf"].uid == 1000
    assert members["bin/alias"].issym()
    assert members["bin/hard"].islnk()
    with image.open_layer(1) as stream, tarfile.open(fileobj=io.BytesIO(stream.read())) as tar:
        names = tar.getnames()
    assert "etc/.wh.old" in names
    assert "var/cache/.wh..wh..opq" in names


@pytest.mark.parametrize("compression", ["none", "gzip", "zstd"])
@pytest.mark.parametrize("manifest", ["oci", "docker"])
def test_compression_and_manifest_kinds(compression: Any, manifest: Any) -> None:
    image = _full().build(compression=compression, manifest=manifest)
    assert image.verify().ok
    assert image.manifest is not None
    expected = mt.OCI_MANIFEST if manifest == "oci" else mt.DOCKER_MANIFEST
    assert image.manifest.media_type == expected
    layers = image.manifest.value.layers or ()
    assert mt.compression(layers[0].media_type or "") == (None if compression == "none" else compression)


def test_deterministic() -> None:
    assert _full().files() == _full().files()
    assert ImageBuilder(seed=1).add_random_layer().files() != ImageBuilder(seed=2).add_random_layer().files()


def test_multi_platform_layout() -> None:
    tree = build_layout(
        [
            ImageBuilder().add_layer({"/a": b"amd"}).platform("linux/amd64").tag("multi:1"),
            ImageBuilder().add_layer({"/a": b"arm"}).platform("linux/arm64/v8").tag("multi:1"),
        ]
    )
    entries = discover(tree)
    assert sorted(str(e.platform) for e in entries) == ["linux/amd64", "linux/arm64/v8"]
    assert all(e.refs == ("multi:1",) for e in entries)


def test_from_an_existing_image() -> None:
    base = ImageBuilder().add_layer({"/base": b"b"}).env("A", "1").build()
    child = ImageBuilder(base=base).add_layer({"/child": b"c"}).env("B", "2").build()
    assert child.image_config.diff_ids[0] == base.image_config.diff_ids[0]
    assert len(child.image_config.diff_ids) == 2
    assert child.inspect().env_map == {"A": "1", "B": "2"}
    assert child.verify().ok


@pytest.mark.parametrize("layout", ["legacy", "docker25"])
def test_docker_archive_round_trip(tmp_path: Path, layout: Any) -> None:
    images = [_full().build(), ImageBuilder().add_layer({"/x": b"x"}).tag("other:2").build()]
    path = tmp_path / "images.tar"
    write_docker_archive(images, path, layout=layout)
    assert len(list_images(path)) == 2
    for image in images:
        with open_image(path, ref=image.repo_tags[0]) as again:
            assert again.id == image.id
            assert again.verify().ok
            fmt = Format.docker("20.10")
            assert dumps([again.inspect(fmt)], fmt) == dumps([image.inspect(fmt)], fmt)
    assert not list(tmp_path.glob(".imageinspect-*")), "no temporary file left"


@pytest.mark.parametrize("as_tar", [False, True])
def test_oci_layout_round_trip(tmp_path: Path, as_tar: bool) -> None:
    image = _full().build()
    path = tmp_path / ("layout.tar" if as_tar else "layout")
    write_oci_layout([image], path, tar=as_tar)
    with open_image(path) as again:
        assert again.id == image.id
        assert again.manifest is not None
        assert image.manifest is not None
        assert again.manifest.raw == image.manifest.raw
        assert again.verify().ok


@settings(max_examples=25, deadline=None)
@given(s.images())
def test_generated_images_survive_every_writer(image: Any) -> None:
    assert image.verify().ok
    assert list(chain_ids(image.image_config.diff_ids)) == [layer.chain_id for layer in image.layers]
    out = loads(dumps([image.inspect(Format.docker("28.5"))]))
    assert out[0].id == image.id


@given(s.references())
def test_reference_strategy_round_trips(reference: Any) -> None:
    from imageinspect import Reference

    assert Reference.parse(str(reference)) == reference


@given(st.lists(s.image_inspects(), max_size=2), s.docker_formats())
def test_inspect_strategy_for_any_format(images: Any, fmt: Format) -> None:
    rendered = dumps(images, fmt)
    out = loads(rendered)
    assert dumps(list(out), out.format, out.style) == rendered
