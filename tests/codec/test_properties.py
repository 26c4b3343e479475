"""Round trips of generated documents: parse(to_json(x)) == x, and the bytes
are a fixed point of parse/to_json."""

from __future__ import annotations

from typing import Any

import orjson
from hypothesis import given

from imageinspect import parse
from imageinspect.codec.documents import encode_in_style
from imageinspect.testing import strategies as s
from imageinspect.values.style import Style


def _round_trip(value: Any) -> None:
    raw = value.to_json()
    doc = parse(raw)
    assert doc.value == value
    assert doc.value.to_json() == raw
    for style in (Style(indent=4, escape_html=False, trailing=b"\n"), Style()):
        styled = encode_in_style(doc.value, style)
        assert orjson.loads(styled) == orjson.loads(raw)
        assert parse(styled).value == value


@given(s.image_configs(docker=True))
def test_docker_config_round_trip(value: Any) -> None:
    raw = value.to_json()
    keys = list(orjson.loads(raw))
    assert keys == sorted(keys), "dockerd sorts the top level"
    _round_trip(value)


@given(s.image_configs(docker=False))
def test_oci_config_round_trip(value: Any) -> None:
    _round_trip(value)


@given(s.oci_manifests())
def test_oci_manifest_round_trip(value: Any) -> None:
    _round_trip(value)


@given(s.docker_manifests())
def test_docker_manifest_round_trip(value: Any) -> None:
    assert value.to_json().startswith(b'{\n   "schemaVersion": 2')
    _round_trip(value)


@given(s.oci_indexes())
def test_oci_index_round_trip(value: Any) -> None:
    _round_trip(value)


@given(s.docker_lists())
def test_docker_list_round_trip(value: Any) -> None:
    _round_trip(value)
