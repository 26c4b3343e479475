"""Hostile input, round two (issue 20): amplification, lies and leftovers
that reach below the layers the first round covered -- each refused with a
located error or read exactly, in bounded work."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from imageinspect import ImageInspectError, Limits, loads, open_image
from imageinspect.codec.documents import parse
from imageinspect.errors import ArchiveError, LimitExceeded
from imageinspect.model.config import ContainerConfig
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.schema1 import Schema1Manifest
from imageinspect.sources.storage import compression
from imageinspect.values.digest import Digest
from tests.conftest import DATA
from tests.sources.hostile_cases import plain_tar


def _config(diff_ids: list[str]) -> bytes:
    return json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": diff_ids}}
    ).encode()


# -- zstd: bounded per step, linear, truncation is an error ---------------------


def _zstd_bomb() -> bytes:
    zstandard = pytest.importorskip("zstandard")
    packer = zstandard.ZstdCompressor(level=19).compressobj()
    zeros = b"\0" * (1 << 24)
    return b"".join([packer.compress(zeros) for _ in range(64)] + [packer.flush()])  # 1 GiB in ~33 KB


def test_zstd_bomb_is_refused_before_it_expands() -> None:
    bomb = _zstd_bomb()
    assert len(bomb) < 64 * 1024
    stream = compression.bounded_decompressor("zstd", io.BytesIO(bomb), Limits(), "x.tar!layer")

    def drain() -> None:
        while stream.read(1 << 20):
            pass

    with pytest.raises(LimitExceeded) as caught:
        drain()
    assert caught.value.location == "x.tar!layer"


def test_zstd_decoder_makes_at_most_one_block_per_step(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each step feeds the decoder one block: its output is bounded by the
    format's block size, whatever the compression ratio."""
    bomb = _zstd_bomb()
    reader = compression._Zstd(io.BytesIO(bomb))
    largest = 0
    for _ in range(2000):
        step = reader._next_step()
        if step is None:
            break
        largest = max(largest, len(reader._decode(step)))
    assert 0 < largest <= 128 * 1024


def test_zstd_truncated_frame_is_an_error() -> None:
    zstandard = pytest.importorskip("zstandard")
    data = zstandard.ZstdCompressor().compress(bytes(range(256)) * 4096)
    with pytest.raises(ArchiveError, match=r"truncated|ended"):
        compression.bounded_decompressor("zstd", io.BytesIO(data[:-5]), Limits(), "x").read()


def test_zstd_frames_and_skippable_frames_in_a_row() -> None:
    zstandard = pytest.importorskip("zstandard")
    skippable = (0x184D2A5A).to_bytes(4, "little") + (3).to_bytes(4, "little") + b"abc"
    packer = zstandard.ZstdCompressor().compressobj()  # no content size in the header
    streamed = packer.compress(b"two") + packer.flush()
    data = zstandard.ZstdCompressor(write_checksum=True).compress(b"one") + skippable + streamed
    assert compression.decompressor("zstd", io.BytesIO(data)).read() == b"onetwo"


# -- one blob listed many times: read once ----------------------------------------


def test_a_blob_listed_many_times_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    layer = plain_tar({"a.txt": b"one layer\n"})
    diff_id = str(Digest.of(layer))
    times = 300
    config = _config([diff_id] * times)
    manifest = [{"Config": "c.json", "RepoTags": ["x/many:1"], "Layers": ["l/layer.tar"] * times}]
    path = tmp_path / "many.tar"
    path.write_bytes(
        plain_tar({"c.json": config, "l/layer.tar": layer, "manifest.json": json.dumps(manifest).encode()})
    )
    opened: list[str] = []
    with open_image(path) as image:
        real_open = image.tree.open

        def counting(name: str) -> Any:
            opened.append(name)
            return real_open(name)

        monkeypatch.setattr(image.tree, "open", counting)
        image.inspect()
        image.history()
        assert image.verify().ok
    # once per job (sizes, digests), not once per listing (900 before)
    assert opened.count("l/layer.tar") <= 5


def test_a_manifest_listed_many_times_is_parsed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from imageinspect.sources.formats import oci_layout

    layer = plain_tar({"a.txt": b"x\n"})
    config = _config([str(Digest.of(layer))])
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": str(Digest.of(config)),
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": str(Digest.of(layer)),
                        "size": len(layer)}],
        }
    ).encode()  # fmt: skip
    entry = {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": str(Digest.of(manifest)),
             "size": len(manifest), "annotations": {"org.opencontainers.image.ref.name": "x/one:1"}}  # fmt: skip
    index = json.dumps({"schemaVersion": 2, "manifests": [entry] * 2000}).encode()
    blobs = {f"blobs/sha256/{Digest.of(b).encoded}": b for b in (layer, config, manifest)}
    path = tmp_path / "fan.tar"
    path.write_bytes(plain_tar({"oci-layout": b'{"imageLayoutVersion":"1.0.0"}', "index.json": index, **blobs}))
    parsed: list[str] = []
    real = oci_layout._read_document

    def counting(tree: Any, descriptor: Any, where: str) -> Any:
        parsed.append(str(descriptor.digest))
        return real(tree, descriptor, where)

    monkeypatch.setattr(oci_layout, "_read_document", counting)
    with open_image(path) as image:
        assert image.repo_tags == ("x/one:1",)
    assert parsed.count(str(Digest.of(manifest))) == 1


# -- descriptors: a size is checked with or without a mediaType -------------------


def test_descriptor_without_media_type_may_not_lie_about_its_size(tmp_path: Path) -> None:
    layer = plain_tar({"a.txt": b"x\n"})
    config = _config([str(Digest.of(layer))])
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": str(Digest.of(config)),
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": str(Digest.of(layer)),
                        "size": len(layer)}],
        }
    ).encode()  # fmt: skip
    entry = {"digest": str(Digest.of(manifest)), "size": len(manifest) + 7}  # no mediaType, a wrong size
    index = json.dumps({"schemaVersion": 2, "manifests": [entry]}).encode()
    blobs = {f"blobs/sha256/{Digest.of(b).encoded}": b for b in (layer, config, manifest)}
    path = tmp_path / "lies.tar"
    path.write_bytes(plain_tar({"oci-layout": b'{"imageLayoutVersion":"1.0.0"}', "index.json": index, **blobs}))
    with pytest.raises(ArchiveError, match="size") as caught:
        open_image(path).close()
    assert "lies.tar!" in caught.value.location


# -- frozen all the way down ---------------------------------------------------------


def test_nested_containers_are_frozen_on_evolve() -> None:
    inner = [1]
    config = ContainerConfig(extra=FrozenMap({"x": cast(Any, inner)}))
    before = hash(config), config
    inner.append(2)
    assert hash(config) == before[0]
    labels = {"a": "b"}
    edited = attrs.evolve(config, labels=cast(Any, labels), env=("A=1",))
    labels["a"] = "changed"
    assert edited.labels == {"a": "b"}
    nested = attrs.evolve(config, extra=FrozenMap({"deep": cast(Any, ({"k": [1]},))}))
    assert nested.extra["deep"] == (FrozenMap({"k": (1,)}),)
    hash(nested)


def test_frozen_map_state_cannot_be_changed() -> None:
    labels = FrozenMap({"a": "1"})
    hashed = hash(labels)
    with pytest.raises(TypeError):
        labels._data["a"] = "2"  # type: ignore[index]
    with pytest.raises(AttributeError):
        labels._data = cast(Any, {})
    state = labels.__reduce__()[1][0]
    state["a"] = "3"
    assert labels["a"] == "1"
    assert hash(labels) == hashed


def test_unknown_values_nested_too_deep_are_refused_when_built() -> None:
    deep: list[Any] = []
    tip = deep
    for _ in range(300):
        tip.append([])
        tip = tip[0]
    with pytest.raises(LimitExceeded):
        ContainerConfig(extra=cast(Any, {"deep": deep}))


# -- numbers of any width, schema1 signatures ------------------------------------------


def test_wide_integers_survive_to_json() -> None:
    raw = (
        b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]},'
        b'"x":123456789012345678901234567890,"y":[18446744073709551616,-9223372036854775809,1.5]}'
    )
    doc = parse(raw)
    assert doc.value.extra["x"] == 123456789012345678901234567890
    assert doc.value.to_json() == raw
    assert parse(doc.value.to_json()).value == doc.value


def test_wide_integers_survive_loads_and_dumps() -> None:
    from imageinspect import dumps

    raw = b'[{"Id":"sha256:aa","Zz":{"n":-123456789012345678901234567890}}]'
    out = loads(raw)
    assert cast(Any, out[0].extra["Zz"])["n"] == -123456789012345678901234567890
    assert dumps(list(out), out.format, out.style) == raw


@pytest.mark.parametrize("path", sorted((DATA / "documents" / "schema1").iterdir()), ids=lambda p: p.name[:12])
def test_signed_schema1_keeps_its_signatures(path: Path) -> None:
    doc = parse(path.read_bytes())
    value = doc.value
    assert isinstance(value, Schema1Manifest)
    assert value.signatures
    again = parse(value.to_json()).value
    assert again == value
    assert isinstance(again, Schema1Manifest)
    assert again.signatures == value.signatures


# -- the command line: bounded reads, no spool left behind --------------------------------


def test_cli_json_readers_are_bounded() -> None:
    from imageinspect.cli.commands import read_bounded

    with pytest.raises(LimitExceeded, match="more than 8 bytes"), open("/dev/zero", "rb") as zero:
        read_bounded(zero, 8, "/dev/zero")


def test_stdin_spool_has_no_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import tempfile

    from imageinspect.cli.targets import stdin_archive

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    archive = (DATA / "golden/inspect/legacy-full/docker-save.tar").read_bytes()

    class Pipe(io.BytesIO):
        def fileno(self) -> int:
            raise OSError("a pipe")

    with stdin_archive(Pipe(archive)) as path:
        with open_image(path) as image:
            assert image.repo_tags
        spooled = [name for _, _, files in os.walk(tmp_path) for name in files]
        assert spooled in ([], ["stdin"])  # only the link to the unnamed copy
        assert os.path.islink(path)
    assert not any(files for _, _, files in os.walk(tmp_path))


def test_case_variant_keys_refused_in_an_archive(tmp_path: Path) -> None:
    layer = plain_tar({"a.txt": b"x\n"})
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "config": {"User": "nobody", "Uſer": "root"},
         "rootfs": {"type": "layers", "diff_ids": [str(Digest.of(layer))]}}
    ).encode()  # fmt: skip
    manifest = [{"Config": "c.json", "RepoTags": ["x/y:1"], "Layers": ["l.tar"]}]
    path = tmp_path / "fold.tar"
    path.write_bytes(plain_tar({"c.json": config, "l.tar": layer, "manifest.json": json.dumps(manifest).encode()}))
    with pytest.raises(ImageInspectError, match="Go's encoding/json") as caught:
        open_image(path).close()
    assert caught.value.location.startswith("fold.tar!c.json")


def test_unknown_platform_keys_nested_too_deep_are_refused() -> None:
    """A platform's unknown keys are dropped from the model but written back
    as read: bounded in depth like every kept value."""
    deep = '{"a":' * 300 + "1" + "}" * 300
    entry = (
        '{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:' + "a" * 64 + '","size":1,'
        '"platform":{"os":"linux","architecture":"amd64","x":' + deep + "}}"
    )
    raw = ('{"schemaVersion":2,"manifests":[' + entry + "]}").encode()
    with pytest.raises(LimitExceeded) as caught:
        parse(raw)
    assert caught.value.location == "$.manifests[0].platform.x"


def test_metadata_read_is_bounded_by_what_was_read(tmp_path: Path) -> None:
    from imageinspect.sources.storage.tree import DirTree

    (tmp_path / "index.json").write_bytes(b"{" + b" " * 100 + b"}")
    with DirTree(tmp_path, Limits(max_metadata_size=50)) as tree, pytest.raises(LimitExceeded):
        tree.read("index.json")
