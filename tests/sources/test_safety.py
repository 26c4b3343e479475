"""Hostile and broken archives: every problem is an ImageInspectError naming
the archive member; nothing is extracted; every file handle is closed."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path

import pytest

from imageinspect import ArchiveError, DigestMismatch, ImageInspectError, LimitExceeded, Limits, SchemaError, open_image
from imageinspect.sources.image import list_images

CONFIG = json.dumps(
    {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}, "config": {}}
).encode()
CONFIG_HEX = hashlib.sha256(CONFIG).hexdigest()


def _tar(path: Path, members: list[tuple[str, bytes | None, dict[str, object]]]) -> Path:
    with tarfile.open(path, "w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data, extra in members:
            info = tarfile.TarInfo(name)
            for key, value in extra.items():
                setattr(info, key, value)
            if data is not None:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
            else:
                tar.addfile(info)
    return path


def _manifest(config: str = f"{CONFIG_HEX}.json", layers: list[str] | None = None) -> bytes:
    return json.dumps([{"Config": config, "RepoTags": ["x:1"], "Layers": layers or []}]).encode()


def _ok_members() -> list[tuple[str, bytes | None, dict[str, object]]]:
    return [("manifest.json", _manifest(), {}), (f"{CONFIG_HEX}.json", CONFIG, {})]


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


def test_a_valid_minimal_archive_opens(tmp_path: Path) -> None:
    with open_image(_tar(tmp_path / "ok.tar", _ok_members())) as image:
        assert image.repo_tags == ("x:1",)
        assert image.verify().ok


@pytest.mark.parametrize(
    ("members", "error", "location", "fragment"),
    [
        ([("../evil", b"x", {}), *_ok_members()], ArchiveError, "t.tar!../evil", "escapes the archive"),
        ([("/etc/passwd", b"x", {}), *_ok_members()], ArchiveError, "t.tar!/etc/passwd", "absolute"),
        (
            [("manifest.json", None, {"type": tarfile.SYMTYPE, "linkname": "../../etc/passwd"})],
            ArchiveError,
            "t.tar!manifest.json",
            "metadata member is a symlink",
        ),
        (
            [
                ("real.json", _manifest(), {}),
                ("manifest.json", None, {"type": tarfile.LNKTYPE, "linkname": "real.json"}),
            ],
            ArchiveError,
            "t.tar!manifest.json",
            "metadata member is a hardlink",
        ),
        (
            [
                ("manifest.json", _manifest(layers=["l/layer.tar"]), {}),
                (f"{CONFIG_HEX}.json", CONFIG, {}),
                ("l/layer.tar", None, {"type": tarfile.SYMTYPE, "linkname": "../../../etc/passwd"}),
            ],
            ArchiveError,
            "t.tar!l/layer.tar",
            "outside the archive",
        ),
        (
            [
                ("manifest.json", _manifest(layers=["a"]), {}),
                (f"{CONFIG_HEX}.json", CONFIG, {}),
                ("a", None, {"type": tarfile.SYMTYPE, "linkname": "b"}),
                ("b", None, {"type": tarfile.SYMTYPE, "linkname": "a"}),
            ],
            ArchiveError,
            "t.tar!a",
            "too many link hops",
        ),
        ([*_ok_members(), ("manifest.json", _manifest(), {})], ArchiveError, "t.tar!manifest.json", "duplicate member"),
        ([("manifest.json", _manifest(), {})], ArchiveError, f"t.tar!{CONFIG_HEX}.json", "missing member"),
        (
            [("manifest.json", _manifest(layers=["layer.tar"]), {}), (f"{CONFIG_HEX}.json", CONFIG, {})],
            ArchiveError,
            "t.tar!layer.tar",
            "missing member",
        ),
        (
            [("manifest.json", json.dumps([{"Config": 5}]).encode(), {})],
            SchemaError,
            "t.tar!manifest.json$[0].Config",
            "expected a string, got number",
        ),
        (
            [("manifest.json", json.dumps([{"Config": ""}]).encode(), {})],
            SchemaError,
            "t.tar!manifest.json$[0].Config",
            "expected the config's file name",
        ),
        (
            [("manifest.json", json.dumps([{"Layers": []}]).encode(), {})],
            SchemaError,
            "t.tar!manifest.json$[0].Config",
            "expected the config's file name",
        ),
        (
            [("manifest.json", json.dumps([{"Config": "c.json", "LAYERS": []}]).encode(), {})],
            SchemaError,
            "t.tar!manifest.json$[0].LAYERS",
            "case-insensitively",
        ),
        (
            [("manifest.json", json.dumps({"Config": "c.json"}).encode(), {})],
            SchemaError,
            "t.tar!manifest.json$",
            "expected an array of images",
        ),
        (
            [("manifest.json", b"{not json", {})],
            ArchiveError,
            "t.tar!manifest.json",
            "invalid JSON",
        ),
        (
            [("manifest.json", _manifest(), {}), (f"{CONFIG_HEX}.json", CONFIG.replace(b"amd64", b"arm64"), {})],
            DigestMismatch,
            f"t.tar!{CONFIG_HEX}.json",
            "hash to",
        ),
        (
            [("manifest.json", _manifest(), {}), (f"{CONFIG_HEX}.json", b'{"os": 5}', {})],
            ImageInspectError,
            f"t.tar!{CONFIG_HEX}.json$.os",
            "expected a string",
        ),
        ([("hello.txt", b"hi", {})], ArchiveError, "t.tar", "neither a docker-archive"),
    ],
)
def test_hostile_members(
    tmp_path: Path,
    members: list[tuple[str, bytes | None, dict[str, object]]],
    error: type[Exception],
    location: str,
    fragment: str,
) -> None:
    before = _open_fds()
    path = _tar(tmp_path / "t.tar", members)
    with pytest.raises(error) as info:
        open_image(path)
    assert isinstance(info.value, ImageInspectError)
    assert info.value.location == location
    assert fragment in info.value.message
    assert _open_fds() == before, "every handle is closed on errors too"
    assert sorted(os.listdir(tmp_path)) == ["t.tar"], "nothing is extracted"


def test_truncated_archive(tmp_path: Path) -> None:
    path = _tar(tmp_path / "t.tar", [*_ok_members(), ("big", b"x" * 20000, {})])
    data = path.read_bytes()
    path.write_bytes(data[:5000])
    with pytest.raises(ArchiveError, match="truncated") as info:
        open_image(path)
    assert info.value.location.startswith("t.tar")


@pytest.mark.parametrize("content", [b"", b"not a tar at all" * 100, b'{"a": 1}', gzip.compress(b"plain text")])
def test_not_a_tar(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "t.tar"
    path.write_bytes(content)
    with pytest.raises(ArchiveError) as info:
        open_image(path)
    assert info.value.location == "t.tar"


def test_oci_descriptor_size_lies(tmp_path: Path) -> None:
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": f"sha256:{CONFIG_HEX}",
                "size": len(CONFIG),
            },
            "layers": [],
        }
    ).encode()
    m_hex = hashlib.sha256(manifest).hexdigest()
    index = json.dumps(
        {
            "schemaVersion": 2,
            "manifests": [
                {
                    "mediaType": "application/vnd.oci.image.manifest.v1+json",
                    "digest": f"sha256:{m_hex}",
                    "size": len(manifest) + 7,
                }
            ],
        }
    ).encode()
    path = _tar(
        tmp_path / "t.tar",
        [
            ("oci-layout", b'{"imageLayoutVersion":"1.0.0"}', {}),
            ("index.json", index, {}),
            (f"blobs/sha256/{m_hex}", manifest, {}),
            (f"blobs/sha256/{CONFIG_HEX}", CONFIG, {}),
        ],
    )
    with pytest.raises(ArchiveError, match="but the blob has") as info:
        list_images(path)
    assert info.value.location == f"t.tar!blobs/sha256/{m_hex}"


def test_layer_digest_mismatch_is_reported_by_verify(tmp_path: Path) -> None:
    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w") as tar:
        info = tarfile.TarInfo("f")
        info.size = 2
        tar.addfile(info, io.BytesIO(b"hi"))
    wrong = "sha256:" + "0" * 64
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": [wrong]}}
    ).encode()
    c_hex = hashlib.sha256(config).hexdigest()
    path = _tar(
        tmp_path / "t.tar",
        [
            ("manifest.json", _manifest(f"{c_hex}.json", ["l/layer.tar"]), {}),
            (f"{c_hex}.json", config, {}),
            ("l/layer.tar", layer.getvalue(), {}),
        ],
    )
    with open_image(path) as image:
        report = image.verify()
    assert not report.ok
    assert report.mismatches[0].location == "t.tar!l/layer.tar"
    assert "Config.RootFS.DiffIDs[0]=" + wrong in report.mismatches[0].message


def test_decompression_bomb(tmp_path: Path) -> None:
    inner = tmp_path / "inner.tar"
    _tar(inner, [*_ok_members(), ("zeros", b"\x00" * (8 << 20), {})])
    bomb = tmp_path / "bomb.tar.gz"
    bomb.write_bytes(gzip.compress(inner.read_bytes(), 9))
    with pytest.raises(LimitExceeded, match="ratio") as info:
        open_image(bomb, limits=Limits(max_ratio=100, ratio_from=1 << 20))
    assert info.value.location == "bomb.tar.gz"
    with pytest.raises(LimitExceeded, match="exceeds"):
        open_image(bomb, limits=Limits(max_decompressed_size=1 << 20))
    with open_image(bomb) as image:  # within the default limits
        assert image.repo_tags == ("x:1",)


def test_metadata_size_limit(tmp_path: Path) -> None:
    path = _tar(tmp_path / "t.tar", [("manifest.json", _manifest() + b" " * 5000, {})])
    with pytest.raises(LimitExceeded) as info:
        open_image(path, limits=Limits(max_metadata_size=1000))
    assert info.value.location == "t.tar!manifest.json"


def test_directory_layout_cannot_escape(tmp_path: Path) -> None:
    root = tmp_path / "layout"
    (root / "blobs" / "sha256").mkdir(parents=True)
    (root / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
    (tmp_path / "secret.json").write_text("{}")
    (root / "index.json").symlink_to(tmp_path / "secret.json")
    with pytest.raises(ArchiveError, match="symbolic link") as info:
        list_images(root)
    assert info.value.location == "layout/index.json"
    (root / "index.json").unlink()
    (root / "index.json").write_text(
        '{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'
        + "a" * 64
        + '","size":2}]}'
    )
    (root / "blobs" / "sha256" / ("a" * 64)).symlink_to(tmp_path / "secret.json")
    with pytest.raises(ArchiveError, match="leaves the directory") as info:
        list_images(root)
    assert info.value.location == f"layout/blobs/sha256/{'a' * 64}"
