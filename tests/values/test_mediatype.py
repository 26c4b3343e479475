from __future__ import annotations

import pytest

from imageinspect.errors import InvalidMediaType
from imageinspect.values import mediatype as mt


@pytest.mark.parametrize(
    ("media_type", "index", "manifest", "schema1", "config", "layer", "compression"),
    [
        (mt.OCI_INDEX, True, False, False, False, False, None),
        (mt.DOCKER_MANIFEST_LIST, True, False, False, False, False, None),
        (mt.OCI_MANIFEST, False, True, False, False, False, None),
        (mt.DOCKER_MANIFEST, False, True, False, False, False, None),
        (mt.DOCKER_SCHEMA1_MANIFEST, False, False, True, False, False, None),
        (mt.DOCKER_SCHEMA1_SIGNED_MANIFEST, False, False, True, False, False, None),
        (mt.OCI_CONFIG, False, False, False, True, False, None),
        (mt.DOCKER_CONFIG, False, False, False, True, False, None),
        (mt.OCI_LAYER, False, False, False, False, True, None),
        (mt.OCI_LAYER_GZIP, False, False, False, False, True, "gzip"),
        (mt.OCI_LAYER_ZSTD, False, False, False, False, True, "zstd"),
        (mt.DOCKER_LAYER, False, False, False, False, True, None),
        (mt.DOCKER_LAYER_GZIP, False, False, False, False, True, "gzip"),
        (mt.DOCKER_LAYER_ZSTD, False, False, False, False, True, "zstd"),
        (mt.DOCKER_FOREIGN_LAYER_GZIP, False, False, False, False, True, "gzip"),
        (mt.OCI_LAYER_NONDISTRIBUTABLE_ZSTD, False, False, False, False, True, "zstd"),
        (mt.OCI_EMPTY, False, False, False, False, False, None),
        ("application/vnd.example.thing+json", False, False, False, False, False, None),
    ],
)
def test_classification(
    media_type: str, index: bool, manifest: bool, schema1: bool, config: bool, layer: bool, compression: str | None
) -> None:
    assert mt.is_index(media_type) is index
    assert mt.is_manifest(media_type) is manifest
    assert mt.is_schema1(media_type) is schema1
    assert mt.is_config(media_type) is config
    assert mt.is_layer(media_type) is layer
    assert mt.compression(media_type) == compression


def test_parameters_and_case_are_ignored_for_classification() -> None:
    assert mt.is_manifest("Application/vnd.oci.image.manifest.v1+json; charset=utf-8")
    assert mt.MediaType("application/json; charset=utf-8").essence == "application/json"


def test_non_distributable() -> None:
    assert mt.is_non_distributable(mt.OCI_LAYER_NONDISTRIBUTABLE)
    assert mt.is_non_distributable(mt.DOCKER_FOREIGN_LAYER_GZIP)
    assert not mt.is_non_distributable(mt.DOCKER_LAYER_GZIP)
    assert mt.is_docker(mt.DOCKER_LAYER)
    assert not mt.is_docker(mt.OCI_LAYER)


@pytest.mark.parametrize("text", ["", "application", "/json", "application/", "a b/c", "application/json;", 5])
def test_invalid(text: object) -> None:
    with pytest.raises(InvalidMediaType) as info:
        mt.MediaType(text)  # type: ignore[arg-type]
    assert info.value.location == "$"
