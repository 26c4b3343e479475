"""Every kind of bad input raises an ImageInspectError that says where and what."""

from __future__ import annotations

import base64
import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

import imageinspect
from imageinspect.errors import (
    DocumentKindError,
    ImageInspectError,
    InvalidDigest,
    InvalidJSON,
    InvalidMediaType,
    InvalidPlatform,
    InvalidTimestamp,
    LimitExceeded,
    SchemaError,
)

A64 = "a" * 64
CONFIG_DESC = '{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:' + A64 + '","size":2}'


def manifest(config: str = CONFIG_DESC, layers: str = "[]") -> bytes:
    return f'{{"schemaVersion":2,"config":{config},"layers":{layers}}}'.encode()


def _protected(header: bytes) -> str:
    return base64.urlsafe_b64encode(header).rstrip(b"=").decode()


CASES = [
    # invalid JSON
    ("empty", b"", InvalidJSON, "$", "empty document"),
    (
        "truncated",
        b'{"schemaVersion":2,"manifests":[',
        InvalidJSON,
        "$",
        "line 1, column 33 (byte 32): unexpected end of data",
    ),
    ("trailing data", b'{"schemaVersion":2,"manifests":[]} {}', InvalidJSON, "$", "unexpected content after document"),
    ("trailing comma", b'{"schemaVersion":2,"manifests":[],}', InvalidJSON, "$", "line 1"),
    ("single quotes", b"{'a': 1}", InvalidJSON, "$", "line 1, column 2"),
    ("lone surrogate", b'{"os":"\\ud800"}', InvalidJSON, "$", "surrogate"),
    # encodings
    ("non-UTF-8", b'{"os":"\xff"}', InvalidJSON, "$", "not valid UTF-8 at byte 7"),
    ("UTF-8 BOM", b'\xef\xbb\xbf{"os":"linux"}', InvalidJSON, "$", "UTF-8 byte order mark"),
    ("UTF-16 BOM", b"\xff\xfe{\x00}\x00", InvalidJSON, "$", "UTF-16"),
    # not an object / unknown kind
    ("array", b"[]", DocumentKindError, "$", "expected a JSON object"),
    ("scalar", b"42", DocumentKindError, "$", "expected a JSON object"),
    ("unknown kind", b'{"name":"x"}', DocumentKindError, "$", "cannot tell"),
    # wrong types
    (
        "string for int",
        manifest(CONFIG_DESC.replace('"size":2', '"size":"2"')),
        SchemaError,
        "$.config.size",
        "expected an integer, got string",
    ),
    (
        "bool for int",
        manifest(CONFIG_DESC.replace('"size":2', '"size":true')),
        SchemaError,
        "$.config.size",
        "expected an integer, got boolean",
    ),
    (
        "fraction for int",
        manifest(CONFIG_DESC.replace('"size":2', '"size":2.5')),
        SchemaError,
        "$.config.size",
        "expected an integer",
    ),
    ("object for array", manifest(layers="{}"), SchemaError, "$.layers", "expected an array, got object"),
    (
        "number in Env",
        b'{"os":"linux","config":{"Env":["A=1",3]}}',
        SchemaError,
        "$.config.Env[1]",
        "expected a string, got number",
    ),
    (
        "number label",
        b'{"os":"linux","config":{"Labels":{"a.b":1}}}',
        SchemaError,
        '$.config.Labels["a.b"]',
        "expected a string",
    ),
    (
        "string for bool",
        b'{"os":"linux","history":[{},{"empty_layer":"true"}]}',
        SchemaError,
        "$.history[1].empty_layer",
        "expected true or false",
    ),
    ("null element", manifest(layers="[null]"), SchemaError, "$.layers[0]", "expected an object, got null"),
    ("dotted key", b'{"os":"linux","os.version":7}', SchemaError, '$["os.version"]', "expected a string"),
    # missing required fields
    ("missing digest", manifest('{"size":2}'), SchemaError, "$.config", "missing required field 'digest'"),
    ("missing config", b'{"schemaVersion":2,"layers":[]}', SchemaError, "$", "missing required field 'config'"),
    (
        "missing blobSum",
        b'{"schemaVersion":1,"fsLayers":[{}],"history":[]}',
        SchemaError,
        "$.fsLayers[0]",
        "missing required field 'blobSum'",
    ),
    # invalid values
    (
        "bad digest",
        manifest(CONFIG_DESC.replace("sha256:" + A64, "sha256:" + A64[:-1])),
        InvalidDigest,
        "$.config.digest",
        "64 lower-case hex",
    ),
    (
        "bad diff_id",
        b'{"os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:x"]}}',
        InvalidDigest,
        "$.rootfs.diff_ids[0]",
        "invalid digest",
    ),
    (
        "bad timestamp",
        b'{"os":"linux","created":"2024-02-30T00:00:00Z"}',
        InvalidTimestamp,
        "$.created",
        "day out of range",
    ),
    (
        "bad history time",
        b'{"os":"linux","history":[{"created":"now"}]}',
        InvalidTimestamp,
        "$.history[0].created",
        "expected RFC 3339",
    ),
    (
        "bad media type",
        manifest(CONFIG_DESC.replace("application/vnd.oci.image.config.v1+json", "nope")),
        InvalidMediaType,
        "$.config.mediaType",
        "expected 'type/subtype'",
    ),
    (
        "bad platform",
        b'{"schemaVersion":2,"manifests":[{"digest":"sha256:'
        + A64.encode()
        + b'","size":1,"platform":{"os":"linux","architecture":"arm64","os.features":[1]}}]}',
        SchemaError,
        '$.manifests[0].platform["os.features"][0]',
        "expected a string",
    ),
    (
        "bad base64",
        manifest(CONFIG_DESC.replace('"size":2', '"size":2,"data":"%%%"')),
        SchemaError,
        "$.config.data",
        "invalid base64",
    ),
    (
        "bad v1Compatibility",
        b'{"schemaVersion":1,"fsLayers":[],"history":[{"v1Compatibility":"{"}]}',
        SchemaError,
        "$.history[0].v1Compatibility",
        "not JSON",
    ),
    (
        "bad v1 field",
        b'{"schemaVersion":1,"fsLayers":[],"history":[{"v1Compatibility":"{\\"Size\\":\\"x\\"}"}]}',
        SchemaError,
        "$.history[0].v1Compatibility.Size",
        "expected an integer",
    ),
    (
        "bad JWS header",
        b'{"schemaVersion":1,"fsLayers":[],"history":[],"signatures":[{"header":{},"signature":"x",'
        b'"protected":"' + _protected(b'{"formatLength":"x"}').encode() + b'"}]}',
        SchemaError,
        "$.signatures[0].protected",
        "formatLength",
    ),
    # numbers out of range
    (
        "int64 overflow",
        manifest(CONFIG_DESC.replace('"size":2', '"size":9223372036854775808')),
        SchemaError,
        "$.config.size",
        "out of range",
    ),
    (
        "huge int",
        manifest(CONFIG_DESC.replace('"size":2', '"size":1' + "0" * 30)),
        SchemaError,
        "$.config.size",
        "out of range",
    ),
    ("huge float", manifest(CONFIG_DESC.replace('"size":2', '"size":1e400')), InvalidJSON, "$", "line 1"),
    # absurd nesting
    ("deep unknown value", b'{"os":"linux","x":' + b"[" * 300 + b"]" * 300 + b"}", LimitExceeded, "$.x", "deeper"),
    ("deeper than the decoder", b"[" * 2000 + b"]" * 2000, LimitExceeded, "$", "1024"),
]


@pytest.mark.parametrize(("name", "data", "error", "location", "fragment"), CASES, ids=[c[0] for c in CASES])
def test_bad_input(name: str, data: bytes, error: type[ImageInspectError], location: str, fragment: str) -> None:
    with pytest.raises(error) as info:
        imageinspect.parse(data)
    assert info.value.location == location
    assert fragment in info.value.message
    assert "\n" not in str(info.value), "one line"
    assert isinstance(info.value, ValueError)


def test_strict_requires_size_and_media_type() -> None:
    lenient = imageinspect.parse_manifest(manifest('{"digest":"sha256:' + A64 + '"}')).value
    assert lenient.config.size == 0
    assert lenient.config.media_type is None
    with pytest.raises(SchemaError) as info:
        imageinspect.parse(manifest('{"digest":"sha256:' + A64 + '"}'), strict=True)
    assert info.value.location == "$.config"
    assert "missing required field 'size'" in info.value.message


def test_size_limit() -> None:
    with pytest.raises(LimitExceeded, match="over the limit of 10"):
        imageinspect.parse(b'{"schemaVersion":2,"manifests":[]}', max_size=10)


def test_not_bytes() -> None:
    with pytest.raises(InvalidJSON, match="expected bytes or str, got int"):
        imageinspect.parse(5)  # type: ignore[arg-type]


def test_declared_media_type_must_be_valid() -> None:
    with pytest.raises(InvalidMediaType):
        imageinspect.parse(b'{"schemaVersion":2,"manifests":[]}', "manifest")


def test_platform_value_errors_are_platform_errors() -> None:
    with pytest.raises(InvalidPlatform):
        imageinspect.Platform.parse("linux//v7")


def test_errors_pickle() -> None:
    import pickle

    err = SchemaError("expected a string, got number", "$.a")
    again = pickle.loads(pickle.dumps(err))
    assert type(again) is SchemaError
    assert str(again) == str(err)


DOCUMENT_SKELETONS = [
    b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":'
    + CONFIG_DESC.encode()
    + b',"layers":['
    + CONFIG_DESC.encode()
    + b'],"annotations":{"a":"b"}}',
    b'{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:'
    + A64.encode()
    + b'","size":3,"platform":{"architecture":"arm64","os":"linux","variant":"v8"}}]}',
    b'{"architecture":"amd64","os":"linux","created":"2024-01-01T00:00:00Z","config":{"Env":["A=1"],'
    b'"Healthcheck":{"Test":["CMD","x"],"Interval":1},"Labels":{"a":"b"}},"rootfs":{"type":"layers",'
    b'"diff_ids":["sha256:' + A64.encode() + b'"]},"history":[{"created_by":"x","empty_layer":true}]}',
]


@given(st.sampled_from(DOCUMENT_SKELETONS), st.data())
def test_mutated_documents_only_raise_imageinspect_errors(skeleton: bytes, data: st.DataObject) -> None:
    """Flip, delete or insert bytes anywhere: the only exception is ours."""
    raw = bytearray(skeleton)
    for _ in range(data.draw(st.integers(1, 4))):
        position = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert"]))
        if action == "flip":
            raw[position] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[position]
        else:
            raw.insert(position, data.draw(st.sampled_from(b'{}[]",:0-1a\\ ')))
    try:
        doc = imageinspect.parse(bytes(raw))
    except ImageInspectError as err:
        assert err.location.startswith("$")
    else:
        assert doc.raw == bytes(raw)


json_scalars = st.none() | st.booleans() | st.integers() | st.text(max_size=5) | st.floats(allow_nan=False)


@given(
    st.sampled_from(["config", "manifest", "index"]),
    st.dictionaries(
        st.sampled_from(
            [
                "architecture",
                "os",
                "config",
                "rootfs",
                "history",
                "created",
                "schemaVersion",
                "mediaType",
                "layers",
                "manifests",
                "subject",
                "annotations",
                "variant",
                "os.features",
            ]
        ),
        st.recursive(
            json_scalars,
            lambda c: st.lists(c, max_size=3) | st.dictionaries(st.text(max_size=4), c, max_size=3),
            max_leaves=8,
        ),
        max_size=6,
    ),
)
def test_wrong_shapes_only_raise_imageinspect_errors(kind: str, body: dict[str, object]) -> None:
    import json

    media_type = {
        "config": "application/vnd.oci.image.config.v1+json",
        "manifest": "application/vnd.oci.image.manifest.v1+json",
        "index": "application/vnd.oci.image.index.v1+json",
    }[kind]
    for declared in (None, media_type):
        with contextlib.suppress(ImageInspectError):
            imageinspect.parse(json.dumps(body).encode(), declared)
