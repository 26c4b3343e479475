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
    ImageConfig,
    ImageInspect,
    ImageManifest,
    Platform,
    PodmanImageInspect,
    Timestamp,
    configure_converter,
    loads,
    make_converter,
)
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
