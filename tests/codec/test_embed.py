"""cattrs for embedders: a tool's attrs classes holding imageinspect values
structure and unstructure exactly, both ways, through the tool's converter."""

from __future__ import annotations

import attrs
import cattrs
import orjson
import pytest

from imageinspect import (
    Descriptor,
    Digest,
    Document,
    FrozenMap,
    ImageConfig,
    ImageInspect,
    ImageManifest,
    LayerChain,
    MediaType,
    Platform,
    PodmanImageInspect,
    RootFS,
    SchemaError,
    Timestamp,
    configure_converter,
    loads,
    make_converter,
    parse_config,
    parse_manifest,
)
from imageinspect.model.document import AnyDocumentValue
from imageinspect.model.frozen import JSONValue
from imageinspect.model.inspect import InspectRootFS
from imageinspect.values.mediatype import OCI_CONFIG, OCI_LAYER_GZIP, OCI_MANIFEST
from tests import observed
from tests.conftest import DATA


@attrs.frozen
class Scan:
    image: ImageInspect
    config: ImageConfig
    manifest: ImageManifest
    layer: Descriptor
    platform: Platform
    digest: Digest
    when: Timestamp
    podman: PodmanImageInspect | None = None
    tags: tuple[str, ...] = ()


def _data() -> dict[str, object]:
    inspect_view = next(
        v for v in observed.views() if v.daemon == "docker-28.5-containerd" and v.name == "api-v1.51.json"
    )
    podman_view = next(v for v in observed.views() if v.kind == "podman")
    layout = DATA / "golden/layouts/arm64/skopeo-oci/blobs/sha256"
    manifest = orjson.loads((layout / "2cec85bf5acbd456905ca73e62dcb42fbbf68c1b28440084fe026d0f4048e48c").read_bytes())
    config = orjson.loads((layout / manifest["config"]["digest"].split(":")[1]).read_bytes())
    return {
        "image": orjson.loads(inspect_view.data),
        "config": config,
        "manifest": manifest,
        "layer": manifest["layers"][0],
        "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"},
        "digest": "sha256:" + "a" * 64,
        "when": "2020-07-12T14:30:51.292488962-05:00",
        "podman": orjson.loads(podman_view.data)[0],
        "tags": ["x:1"],
    }


@pytest.mark.parametrize("factory", [make_converter, lambda: configure_converter(cattrs.Converter())])
def test_round_trip_through_a_users_converter(factory: object) -> None:
    conv = factory()  # type: ignore[operator]
    data = _data()
    scan = conv.structure(data, Scan)
    assert isinstance(scan.image, ImageInspect)
    assert scan.image == loads(orjson.dumps(data["image"])).images[0]
    assert str(scan.when) == data["when"]
    assert conv.unstructure(scan) == data


def test_errors_keep_their_json_path() -> None:
    data = _data()
    data["image"] = {"Id": 5}
    with pytest.raises(cattrs.errors.ClassValidationError) as err:
        make_converter().structure(data, Scan)
    found = [e for e in err.value.exceptions if "Id" in str(e)]
    assert found, err.value.exceptions
    assert "$.Id" in str(found[0])


def test_built_values_unstructure_canonically() -> None:
    conv = make_converter()
    built = ImageInspect(id="sha256:" + "b" * 64, os="linux", architecture="amd64")
    value = conv.unstructure(built)
    assert value["Id"] == built.id
    assert conv.unstructure(conv.structure(value, ImageInspect)) == value  # a fixed point


def _assert_plain(value: object, path: str = "$") -> None:
    if type(value) is dict:
        for key, item in value.items():
            assert type(key) is str, path
            _assert_plain(item, f"{path}.{key}")
    elif type(value) is list:
        for index, item in enumerate(value):
            _assert_plain(item, f"{path}[{index}]")
    else:
        assert type(value) in (str, int, float, bool, type(None)), f"{path}: {type(value).__name__}"


def _built_scan() -> Scan:
    digest = Digest.of(b"layer")
    config = ImageConfig(
        architecture="amd64",
        os="linux",
        rootfs=RootFS(diff_ids=(digest,)),
        created=Timestamp.parse("2024-05-06T07:08:09+02:00"),
    )
    layer = Descriptor(OCI_LAYER_GZIP, digest, 2**53 + 1, urls=(), platform=Platform("linux", "arm64", os_features=()))
    return Scan(
        image=ImageInspect(
            id="sha256:" + "b" * 64, os="linux", architecture="amd64", root_fs=InspectRootFS(layers=(digest,))
        ),
        config=config,
        manifest=ImageManifest(
            media_type=OCI_MANIFEST, config=Descriptor(OCI_CONFIG, Digest.of(b"{}"), 2), layers=(layer,)
        ),
        layer=layer,
        platform=Platform("linux", "arm64", "v8", features=("sse4",)),
        digest=digest,
        when=Timestamp.parse("2020-07-12T14:30:51.292488962-05:00"),
        podman=PodmanImageInspect(id="c" * 64),
        tags=("x:1",),
    )


def test_built_values_are_plain_json_and_come_back() -> None:
    """Values made in Python (digests, media types, timestamps, platforms,
    tuples, ``()`` next to ``None``) unstructure to plain JSON and read back
    equal, through JSON text too (this failed with "expected a digest
    string, got string")."""
    conv = make_converter()
    scan = _built_scan()
    value = conv.unstructure(scan)
    _assert_plain(value)
    assert value["layer"]["size"] == 2**53 + 1
    assert value["layer"]["urls"] == []
    assert conv.structure(value, Scan) == scan
    back = conv.structure(orjson.loads(orjson.dumps(value)), Scan)
    assert back == scan
    assert str(back.when) == "2020-07-12T14:30:51.292488962-05:00"
    assert back.config.to_json() == scan.config.to_json()


def test_str_subclasses_and_tuples_in_the_input_are_read() -> None:
    conv = make_converter()
    digest = Digest.of(b"x")
    config = conv.structure({"os": "linux", "rootfs": {"type": "layers", "diff_ids": (digest,)}}, ImageConfig)
    assert config.diff_ids == (digest,)
    assert conv.structure(digest, Digest) == digest


def test_what_was_read_is_the_callers_no_longer() -> None:
    conv = make_converter()
    data = {"architecture": "amd64", "os": "linux", "config": {"Env": ["A=1"]}}
    config = conv.structure(data, ImageConfig)
    data["config"]["Env"].append("B=2")  # type: ignore[index]
    assert conv.unstructure(config)["config"] == {"Env": ["A=1"]}


@attrs.frozen
class Kept:
    document: Document[ImageManifest]
    any_document: Document[AnyDocumentValue]
    chain: LayerChain
    labels: FrozenMap[str, str]
    value: JSONValue


def test_documents_chains_and_json_values_in_a_users_class() -> None:
    conv = make_converter()
    layout = DATA / "golden/layouts/arm64/skopeo-oci/blobs/sha256"
    manifest = parse_manifest(
        (layout / "2cec85bf5acbd456905ca73e62dcb42fbbf68c1b28440084fe026d0f4048e48c").read_bytes()
    )
    config = parse_config((layout / manifest.value.config.digest.encoded).read_bytes())
    kept = Kept(
        document=manifest,
        any_document=config,
        chain=LayerChain.build(config.value, manifest.value),
        labels=FrozenMap({"b": "2", "a": MediaType("x/y")}),
        value=FrozenMap({"n": (2**64 - 1, 1.5, None, FrozenMap(k=True))}),
    )
    value = conv.unstructure(kept)
    _assert_plain(value)
    assert set(value["document"]) == {"kind", "value", "raw", "digest", "media_type"}
    assert set(value["chain"]) == {"layers", "history", "problems"}
    back = conv.structure(orjson.loads(orjson.dumps(value)), Kept)
    assert back == kept
    assert back.document.raw == manifest.raw
    assert back.document.style == manifest.style
    assert isinstance(back.value, FrozenMap)
    assert [type(n) for n in back.value["n"]] == [int, float, type(None), FrozenMap]  # type: ignore[union-attr]


def test_a_document_of_another_kind_is_refused() -> None:
    conv = make_converter()
    doc = parse_config(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
    with pytest.raises(SchemaError, match=r"\$\.kind: expected a manifest, got a config"):
        conv.structure(conv.unstructure(doc), Document[ImageManifest])
    assert conv.structure(conv.unstructure(doc), Document) == doc
