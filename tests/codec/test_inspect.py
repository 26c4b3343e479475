"""loads/dumps: exact round trips of real inspect output (contract C1)."""

from __future__ import annotations

import codecs

import attrs
import orjson
import pytest

import imageinspect
from imageinspect import (
    Format,
    ImageInspect,
    ImageInspectError,
    InvalidJSON,
    LimitExceeded,
    PodmanImageInspect,
    SchemaError,
    dumps,
    loads,
)
from tests.conftest import public

# Real docker / podman output (CLI stdout, API bodies re-indented by their
# projects, docker/cli typed goldens).
REAL = [
    ("inspec/docker-inspect-image", "docker", "cli"),
    ("voidlinux-containers/inspect.json", "docker", "cli"),
    ("rabbitmq-stream-go-client/g", "docker", "cli"),
    ("fbc-utils/inspect.json", "podman", "cli"),
    ("watchtower/image_default.json", "docker", "api"),
    ("watchtower/image_net_producer.json", "docker", "api"),
    ("python-on-whales/images/0.json", "docker", "api"),
    ("python-on-whales/images/9.json", "docker", "api"),
    ("docker-cli/f81816ef88/inspect-command-success.simple.golden", "docker", "cli"),
    ("docker-cli/f81816ef88/inspect-command-success.simple-many.golden", "docker", "cli"),
    ("docker-cli/5e80232398/inspect-command-success.simple.golden", "docker", "cli"),
    ("docker-cli/dc9e069ff2/inspect-command-success.simple.golden", "docker", "cli"),
]


@pytest.mark.parametrize(("relative", "kind", "printer"), REAL, ids=[r[0] for r in REAL])
def test_exact_round_trip_of_real_output(relative: str, kind: str, printer: str) -> None:
    raw = public(relative).read_bytes()
    out = loads(raw)
    assert out.format.kind == kind
    assert out.format.printer == printer
    assert dumps(out) == raw
    assert dumps(list(out), out.format, out.style) == raw  # the writer, not the stored bytes
    expected = PodmanImageInspect if kind == "podman" else ImageInspect
    assert all(isinstance(image, expected) for image in out)
    # the model survives its own round trip too
    again = loads(dumps(out))
    assert list(again) == list(out)


def test_api_docs_example_round_trips_as_a_value() -> None:
    """python-on-whales' 8.json is transcribed from the Engine API docs (not
    daemon output: unsorted labels, 2-space indent): equal as JSON."""
    raw = public("python-on-whales/images/8.json").read_bytes()
    assert orjson.loads(dumps(loads(raw))) == orjson.loads(raw)


def test_fields_of_a_real_image() -> None:
    image = loads(public("voidlinux-containers/inspect.json").read_bytes())[0]
    assert isinstance(image, ImageInspect)
    assert image.parent.startswith("sha256:")
    assert image.docker_version == "19.03.6"
    assert image.config is not None
    assert image.config.on_build == ()
    assert image.metadata is not None
    assert image.metadata.last_tag_time is not None
    assert str(image.metadata.last_tag_time) == "2020-07-12T14:30:51.292488962-05:00"
    assert image.virtual_size == image.size
    arm = loads(public("inspec/docker-inspect-image").read_bytes())[0]
    assert isinstance(arm, ImageInspect)
    assert str(arm.platform) == "linux/arm64/v8"
    assert arm.short_id == arm.id[7:19]


def test_podman_fields() -> None:
    image = loads(public("fbc-utils/inspect.json").read_bytes())[0]
    assert isinstance(image, PodmanImageInspect)
    assert ":" not in image.id
    assert image.digest.startswith("sha256:")
    assert image.annotations == {}
    assert image.history
    assert image.graph_driver is not None


@pytest.mark.parametrize(
    "raw",
    [
        b"[]\n",
        b'[{"Id":"sha256:a","RepoTags":[]}]\n',
        b'{"Id":"sha256:a","RepoTags":[]}\n',
        b'{"Id":"sha256:a"}\n{"Id":"sha256:b"}\n',
        b'[\n    {\n        "Id": "x",\n        "Config": {\n            "Labels": {\n                "a": "<&>"\n            }\n        }\n    }\n]\n',
        b'[\n    {\n        "Id": "x",\n        "Comment": "\\u003c\\u0026\\u003e"\n    }\n]\n',
        b'[\n    {\n        "Id": "x",\n        "Comment": "\\u0008\\u000c\\u2028\\ufffd"\n    }\n]\n',
        b'[\n    {\n        "Id": "x",\n        "Comment": "\\b\\f\xc3\xa9"\n    }\n]\n',
        b'[\n     {\n          "Id": "aa",\n          "Digest": "sha256:b",\n          "ManifestType": "x"\n     }\n]\n',
        b'{"Id":"x","Unknown":{"nested":[1,{"z":null}]},"Created":""}',
    ],
)
def test_layouts_round_trip(raw: bytes) -> None:
    out = loads(raw)
    assert dumps(out) == raw
    assert dumps(list(out), out.format, out.style) == raw


def test_bom_and_utf16_are_decoded_and_written_as_utf8() -> None:
    text = '[\r\n    {\r\n        "Id": "sha256:a",\r\n        "Comment": "é"\r\n    }\r\n]\r\n'
    utf16 = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    expected = text.replace("\r\n", "\n").encode()
    assert dumps(loads(utf16)) == expected
    assert dumps(loads(codecs.BOM_UTF16_BE + text.encode("utf-16-be"))) == expected
    assert dumps(loads(codecs.BOM_UTF8 + expected)) == expected
    out = loads(utf16)
    assert dumps(list(out), out.format, out.style) == expected


def test_str_input() -> None:
    assert loads('[{"Id": "x"}]')[0].id == "x"


def test_unknown_keys_kept_in_place() -> None:
    raw = b'[{"Id":"x","Zeta":1,"RepoTags":[],"Alpha":{"b":1,"a":2}}]'
    out = loads(raw)
    assert out[0].extra == {"Zeta": 1, "Alpha": {"b": 1, "a": 2}}
    assert dumps(out) == raw
    assert dumps(list(out), out.format, out.style) == raw


@pytest.mark.parametrize(
    ("raw", "error", "location", "fragment"),
    [
        (b"", InvalidJSON, "$", "empty input"),
        (b"nope", InvalidJSON, "$", "expected a JSON array or object"),
        (b'[{"Id": "x"}', InvalidJSON, "$", "line 1"),
        (b'[{"Id": "x"},]', InvalidJSON, "$", "trailing comma"),
        (b"[1]", SchemaError, "$[0]", "expected an inspect object, got a number"),
        (b"[null]", SchemaError, "$[0]", "got null"),
        (b'[{"Id": 1}]', SchemaError, "$[0].Id", "expected a string"),
        (b'[{"Id": "x", "Size": "big"}]', SchemaError, "$[0].Size", "expected an integer"),
        (b'[{"Id": "x", "Created": "yesterday"}]', ImageInspectError, "$[0].Created", "invalid timestamp"),
        (b'[{"Id": "x", "Config": {"Env": [1]}}]', SchemaError, "$[0].Config.Env[0]", "expected a string"),
        (b'[{"Id": "x", "RepoTags": "a"}]', SchemaError, "$[0].RepoTags", "expected an array"),
        (
            b'[{"Id": "x", "Metadata": {"LastTagTime": "2024-13-01T00:00:00Z"}}]',
            ImageInspectError,
            "$[0].Metadata.LastTagTime",
            "month out of range",
        ),
        (
            b'[{"Id": "x"}, {"Id": "y", "Digest": "sha256:a", "ManifestType": "m"}]',
            SchemaError,
            "$[1]",
            "a mix of docker and podman objects",
        ),
        (b'{"Id":"a"}\n{"Id":', InvalidJSON, "$[1]", "line 1"),
        (b'{"Id":"a"}\n[1]', SchemaError, "$[1]", "expected an inspect object, got an array"),
        (b"[" * 2000 + b"]" * 2000, LimitExceeded, "$", "1024"),
        (b"\xff\xfe\x00\xd8", InvalidJSON, "$", "UTF-16"),
    ],
)
def test_bad_input(raw: bytes, error: type[Exception], location: str, fragment: str) -> None:
    with pytest.raises(error) as info:
        loads(raw)
    assert isinstance(info.value, ImageInspectError)
    assert info.value.location == location
    assert fragment in info.value.message


def test_nothing_found() -> None:
    assert dumps([], Format.docker("20.10", printer="template")) == b"\n"
    assert len(loads(b"\n")) == 0
    assert dumps(loads(b"\n")) == b"\n"
    with pytest.raises(ImageInspectError, match="exactly one image"):
        dumps([], Format.docker("20.10", printer="api"))


def test_size_limit() -> None:
    with pytest.raises(LimitExceeded):
        loads(b"[]", max_size=1)


def test_dumps_refuses_the_wrong_kind() -> None:
    with pytest.raises(ImageInspectError, match="cannot write a PodmanImageInspect with a docker format"):
        dumps([PodmanImageInspect(id="a")], Format.docker())


def test_dumps_accepts_one_image_or_an_iterable() -> None:
    image = ImageInspect(id="sha256:" + "a" * 64)
    assert dumps(image) == dumps([image]) == dumps(iter([image]))
    assert dumps(image).startswith(b"[\n    {\n")
    assert imageinspect.dumps([]) == b"[]\n"
    assert dumps(PodmanImageInspect(id="a")).startswith(b"[\n     {\n")


def test_unchanged_output_writes_back_its_source_bytes() -> None:
    raw = b'[\n    {\n        "Id": "sha256:aa",\n        "RepoTags": []\n    }\n]\n'
    out = loads(raw)
    assert dumps(out) is dumps(out, out.format)
    assert dumps(out) == dumps(list(out), out.format, out.style) == raw
    # another format renders by the rules; an edited output is written anew
    rendered = dumps(out, Format.docker("20.10", printer="json"))
    assert rendered.startswith(b'[{"Id":"sha256:aa","RepoTags":[],"RepoDigests":[],"Parent":"",')
    edited = attrs.evolve(out, images=(attrs.evolve(out[0], repo_tags=("x:1",)),))
    assert b'"x:1"' in dumps(edited)
