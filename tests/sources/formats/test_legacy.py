"""Pre-1.10 archives whose v1 JSON says ``docker_version`` below 1.8.3: Docker
decodes the JSON into its ``V1Image`` type and writes it back with
``json.Marshal`` before hashing (moby image/v1/imagev1.go,
``MakeConfigFromV1Config``)."""

from __future__ import annotations

import hashlib
import io
import tarfile
from pathlib import Path

import pytest

from imageinspect import ImageInspectError, open_image
from imageinspect.codec.formats import Format
from imageinspect.codec.v1image import docker_version_below, reencode_v1_image
from imageinspect.errors import ArchiveError
from imageinspect.sources.formats.legacy import legacy_entries
from imageinspect.sources.storage.tree import open_tree
from tests.conftest import DATA

PRE_1_0 = DATA / "golden/edge/pre-1.0.tar"
V1_ID = "a" * 64

# A small v1 JSON: "Author" after "author" (the last one wins, matched
# case-insensitively), "cmd" for Cmd given as a string, a null label value,
# an unknown key, a time with trailing fraction zeros.
SMALL = (
    b'{"os": "linux", "id": "ID", "Size": 3, "docker_version": "DV", "author": "x", "Author": "a<b",\n'
    b' "created": "2015-01-02T03:04:05.100Z", "extra": [1, 2],\n'
    b' "container_config": {"cmd": "echo hi", "Volumes": {"/v": {}}, "Labels": {"k": null}}}'
)
# Derived by hand from the Go rules (V1Image / container.Config field order
# and omitempty tags in moby v28.5.2, json.Marshal escaping, RFC3339Nano),
# not observed from a daemon.
SMALL_CONTAINER_CONFIG = (
    b'{"Hostname":"","Domainname":"","User":"","AttachStdin":false,"AttachStdout":false,"AttachStderr":false,'
    b'"Tty":false,"OpenStdin":false,"StdinOnce":false,"Env":null,"Cmd":["echo hi"],"Image":"",'
    b'"Volumes":{"/v":{}},"WorkingDir":"","Entrypoint":null,"OnBuild":null,"Labels":{"k":""}}'
)
SMALL_REENCODED = (
    b'{"id":"ID","created":"2015-01-02T03:04:05.1Z","container_config":'
    + SMALL_CONTAINER_CONFIG
    + b',"docker_version":"1.6.2","author":"a\\u003cb","os":"linux","Size":3}'
)
LAYER_FILES = {"f.txt": b"f\n"}


def _tar(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size, info.mtime = len(data), 1704067200
            tar.addfile(info, io.BytesIO(data))
    return buf.getvalue()


def _legacy(path: Path, v1_json: bytes, v1_id: str = V1_ID) -> Path:
    """A one-image pre-1.10 archive tagged case/v1:latest."""
    repositories = b'{"case/v1":{"latest":"' + v1_id.encode() + b'"}}'
    path.write_bytes(
        _tar(
            {
                f"{v1_id}/VERSION": b"1.0",
                f"{v1_id}/json": v1_json,
                f"{v1_id}/layer.tar": _tar(LAYER_FILES),
                "repositories": repositories,
            }
        )
    )
    return path


def _config(path: Path) -> bytes:
    with open_tree(path) as tree:
        (entry,) = legacy_entries(tree)
    assert entry.config_bytes is not None
    assert str(entry.config_digest) == "sha256:" + hashlib.sha256(entry.config_bytes).hexdigest()
    return entry.config_bytes


def _diff_id() -> bytes:
    return b"sha256:" + hashlib.sha256(_tar(LAYER_FILES)).hexdigest().encode()


def test_small_v1_json_reencodes_as_go_would() -> None:
    assert reencode_v1_image(SMALL.replace(b"DV", b"1.6.2")) == SMALL_REENCODED


def test_small_v1_json_config_bytes(tmp_path: Path) -> None:
    config = _config(_legacy(tmp_path / "small.tar", SMALL.replace(b"DV", b"1.6.2")))
    # derived by hand, not observed: the re-encoded members less id and Size,
    # plus rootfs and history, keys sorted
    assert config == (
        b'{"author":"a\\u003cb","container_config":'
        + SMALL_CONTAINER_CONFIG
        + b',"created":"2015-01-02T03:04:05.1Z","docker_version":"1.6.2",'
        b'"history":[{"created":"2015-01-02T03:04:05.1Z","created_by":"echo hi","author":"a\\u003cb"}],'
        b'"os":"linux","rootfs":{"type":"layers","diff_ids":["' + _diff_id() + b'"]}}'
    )


def test_docker_1_8_3_and_later_keep_the_members(tmp_path: Path) -> None:
    """The old path: members as written (compacted, escaped, sorted); the
    history still comes from the V1Image decode (last "Author" wins, string
    Cmd, time as Go writes it)."""
    config = _config(_legacy(tmp_path / "kept.tar", SMALL.replace(b"DV", b"1.8.3")))
    assert config == (
        b'{"Author":"a\\u003cb","author":"x",'
        b'"container_config":{"cmd":"echo hi","Volumes":{"/v":{}},"Labels":{"k":null}},'
        b'"created":"2015-01-02T03:04:05.100Z","docker_version":"1.8.3","extra":[1,2],'
        b'"history":[{"created":"2015-01-02T03:04:05.1Z","created_by":"echo hi","author":"a\\u003cb"}],'
        b'"os":"linux","rootfs":{"type":"layers","diff_ids":["' + _diff_id() + b'"]}}'
    )


def test_missing_docker_version_is_below_1_8_3(tmp_path: Path) -> None:
    """versions.LessThan("", "1.8.3") is true: an empty part counts as 0."""
    config = _config(_legacy(tmp_path / "none.tar", SMALL.replace(b'"docker_version": "DV", ', b"")))
    assert b"docker_version" not in config
    assert b'"extra"' not in config
    assert b'"container_config":' + SMALL_CONTAINER_CONFIG in config


@pytest.mark.parametrize(
    ("version", "older"),
    [
        ("1.6.2", True),
        ("", True),
        ("1.8.2", True),
        ("1.8.3-rc1", True),  # "3-rc1" is not a number: 0
        ("v1.9", True),  # "v1" likewise
        ("1.8.3", False),
        ("1.8.3.0", False),
        ("1.10.0", False),
        ("1.9.1", False),
        ("+2", False),
        ("99999999999999999999999", False),
    ],
)
def test_docker_version_compare(version: str, older: bool) -> None:
    assert docker_version_below(version, "1.8.3") is older


def test_case_insensitive_keys_last_one_wins() -> None:
    def author(raw: bytes) -> bytes:
        return reencode_v1_image(raw).split(b'"author":', 1)[1].split(b",", 1)[0].rstrip(b"}")

    assert author(b'{"author": "exact", "AUTHOR": "folded"}') == b'"folded"'
    assert author(b'{"AUTHOR": "folded", "author": "exact"}') == b'"exact"'
    assert author(b'{"author": "kept", "author": null}') == b'"kept"'  # null leaves a string alone
    # KELVIN SIGN folds to k, as Go's case folding has it
    assert b'"WorkingDir":"/w"' in reencode_v1_image('{"config": {"Wor\u212aingDir": "/w"}}'.encode())
    assert b'"x_unknown"' not in reencode_v1_image(b'{"x_unknown": 1}')


def test_duplicates_merge_as_go_decodes_into_the_same_value() -> None:
    out = reencode_v1_image(
        b'{"config": {"Env": ["A", "B"], "ExposedPorts": {"80/tcp": {}}, "Labels": {"a": "1"}},'
        b' "Config": {"Env": [null, "C", null], "ExposedPorts": {"22/tcp": null}, "Labels": {"b": "2"}}}'
    )
    assert b'"ExposedPorts":{"22/tcp":{},"80/tcp":{}}' in out
    assert b'"Env":["A","C",""]' in out  # a null element keeps the string already there
    assert b'"Labels":{"a":"1","b":"2"}' in out
    assert b'"config":null' not in reencode_v1_image(b'{"config": {}, "config": {"User": "u"}}')
    assert b'"config"' not in reencode_v1_image(b'{"config": {}, "config": null}')
    cleared = reencode_v1_image(b'{"created": "2015-01-01T00:00:00Z", "created": null}')
    assert cleared.startswith(b'{"created":null,')


@pytest.mark.parametrize(
    ("v1_json", "path"),
    [
        (b'{"container_config": {"Cmd": 5}}', "$.container_config.Cmd"),
        (b'{"Size": "3"}', "$.Size"),
        (b'{"Size": 1.5}', "$.Size"),
        (b'{"config": {"Env": ["A", 1]}}', "$.config.Env[1]"),
        (b'{"config": {"ExposedPorts": {"80/tcp": "yes"}}}', "$.config.ExposedPorts.80/tcp"),
        (b'{"config": {"Healthcheck": {"Interval": "1s"}}}', "$.config.Healthcheck.Interval"),
        (b'{"config": {"Tty": 1}}', "$.config.Tty"),
        (b'{"created": "\\u0032015-01-01T00:00:00Z"}', "$.created"),
        (b'{"created": "2015-01-01 00:00:00Z"}', "$.created"),
        (b'{"docker_version": 1.7}', "$.docker_version"),
    ],
)
def test_type_errors_refuse_the_load(tmp_path: Path, v1_json: bytes, path: str) -> None:
    archive = _legacy(tmp_path / "bad.tar", v1_json)
    with pytest.raises(ArchiveError) as err:
        _config(archive)
    assert err.value.location == f"bad.tar!{V1_ID}/json{path}"
    # whatever docker_version says: Docker's history step decodes every v1 JSON
    with pytest.raises(ImageInspectError):
        _config(_legacy(tmp_path / "new.tar", v1_json[:-1] + b', "docker_version": "1.9.1"}'))


def test_null_v1_json_is_the_zero_v1_image(tmp_path: Path) -> None:
    """json.Unmarshal of null into a struct changes nothing; no docker_version
    means the re-encoding, so Docker loads it."""
    config = _config(_legacy(tmp_path / "null.tar", b"null"))
    assert config.startswith(b'{"container_config":' + SMALL_CONTAINER_CONFIG.split(b'"Env"')[0])
    assert b'"created":null,"history":[{}],' in config


def test_null_over_a_longer_duplicate_is_not_guessed() -> None:
    with pytest.raises(ArchiveError, match="not supported"):
        reencode_v1_image(b'{"config": {"Env": ["A", "B"], "Env": ["x"], "Env": [null, null]}}')


def test_pre_1_0_archive() -> None:
    with open_tree(PRE_1_0) as tree:
        base, top = legacy_entries(tree)
    assert top.refs == ("edge/pre-1.0:latest",)
    assert top.parent == str(base.config_digest)
    assert base.config_bytes is not None
    assert top.config_bytes is not None
    # what the re-encoding gives; a real daemon's load is the oracle for these
    assert str(base.config_digest) == "sha256:2e024d20f0237423bece7f850cd5b89b8905caddcd58a9e33340844eba4597f7"
    assert str(top.config_digest) == "sha256:c1fced438fcce7baab2d403cf5b4efcaaa17429960cb560540d2a93129ec0132"
    assert b'"created":"2015-05-01T10:20:30.12Z"' in base.config_bytes
    assert b'"Hostname":"b10"' in base.config_bytes
    assert b'"Size"' not in base.config_bytes
    for needed in (
        b'"author":"edge \\u003cedge@example.invalid\\u003e"',
        b'"created":"2015-05-02T03:04:05.5+02:00"',
        b'"Cmd":["/bin/sh -c #(nop) EXPOSE 80/tcp"]',
        b'"ExposedPorts":{"443/tcp":{},"80/tcp":{}}',
        b'"Volumes":{"/data":{}}',
    ):
        assert needed in top.config_bytes
    assert b"x_unknown" not in top.config_bytes
    with open_image(PRE_1_0, ref="edge/pre-1.0:latest") as image:
        assert image.verify().ok
        inspected = image.inspect(Format.docker("20.10"))
        assert inspected.author == "edge <edge@example.invalid>"
        assert [row.created_by for row in image.history()] == [
            "/bin/sh -c #(nop) EXPOSE 80/tcp",
            "/bin/sh -c #(nop) ADD file:base10 in /",
        ]
