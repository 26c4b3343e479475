"""Format rules (contract C4): rendering as a given daemon release, API
version, image store and printer."""

from __future__ import annotations

import warnings

import attrs
import orjson
import pytest

from imageinspect import (
    ContainerConfig,
    Descriptor,
    Digest,
    Format,
    FrozenMap,
    GraphDriver,
    HealthConfig,
    ImageInspect,
    ImageInspectError,
    InspectRootFS,
    Metadata,
    PodmanImageInspect,
    Timestamp,
    UnknownVersionWarning,
    dumps,
    loads,
)
from imageinspect.codec.formats import resolve
from imageinspect.codec.gojson import indent
from imageinspect.values import mediatype as mt
from tests.conftest import public

OBSERVED = [
    ("inspec/docker-inspect-image", Format.docker("20.10")),
    ("rabbitmq-stream-go-client/g", Format.docker("20.10")),
    ("voidlinux-containers/inspect.json", Format.docker("19.03")),
    ("fbc-utils/inspect.json", Format.podman("4.3")),
    ("python-on-whales/images/0.json", Format.docker("20.10", printer="api")),
    ("python-on-whales/images/9.json", Format.docker("20.10", printer="api")),
    ("watchtower/image_default.json", Format.docker("18.09", printer="api")),
    ("watchtower/image_net_producer.json", Format.docker("23.0", printer="api")),
]


@pytest.mark.parametrize(("relative", "fmt"), OBSERVED, ids=[o[0] for o in OBSERVED])
def test_rules_reproduce_real_output(relative: str, fmt: Format) -> None:
    """Render from the version rules alone (the source key order is not used)."""
    raw = public(relative).read_bytes()
    out = loads(raw)
    rendered = dumps(list(out), fmt)
    layout = out.style
    if fmt.printer == "api" and isinstance(layout.indent, int):  # those projects re-indented the API body
        rendered = indent(rendered.rstrip(b"\n"), layout.indent) + b"\n"
    assert rendered == raw


def _image(**changes: object) -> ImageInspect:
    base = ImageInspect(
        id="sha256:" + "a" * 64,
        repo_tags=("app:1",),
        repo_digests=None,
        created=Timestamp.parse("2024-05-01T12:00:00.5+02:00"),
        config=ContainerConfig(
            env=("PATH=/bin",),
            labels=FrozenMap({"b": "<&>", "a": "\u2028"}),
            healthcheck=HealthConfig(test=("CMD", "true"), interval=1, start_period=2, start_interval=3),
        ),
        container_config=None,
        architecture="amd64",
        os="linux",
        size=87,
        graph_driver=GraphDriver(name="overlay2", data=FrozenMap({"UpperDir": "/u", "LowerDir": "/l"})),
        root_fs=InspectRootFS(type="layers", layers=("sha256:" + "b" * 64,)),
        metadata=Metadata(last_tag_time=Timestamp.zero()),
    )
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]


def _keys(fmt: Format, image: ImageInspect | None = None) -> list[str]:
    data = dumps([image or _image()], attrs.evolve(fmt, printer="json"))
    return list(orjson.loads(data)[0])


def test_1_12_shape() -> None:
    raw = dumps([_image()], Format.docker("1.12"))
    doc = orjson.loads(raw)[0]
    assert list(doc) == [
        "Id", "RepoTags", "RepoDigests", "Parent", "Comment", "Created", "Container", "ContainerConfig",
        "DockerVersion", "Author", "Config", "Architecture", "Os", "Size", "VirtualSize", "GraphDriver", "RootFS",
    ]  # fmt: skip
    assert list(doc["GraphDriver"]) == ["Name", "Data"]
    assert b"\\u003c\\u0026\\u003e" in raw  # 1.12 escaped HTML
    assert "StartPeriod" not in doc["Config"]["Healthcheck"]
    assert doc["VirtualSize"] == 87


def test_20_10_shape() -> None:
    raw = dumps([_image()], Format.docker("20.10"))
    doc = orjson.loads(raw)[0]
    assert _keys(Format.docker("20.10"))[-3:] == ["GraphDriver", "RootFS", "Metadata"]
    assert list(doc["GraphDriver"]) == ["Data", "Name"]
    assert doc["ContainerConfig"]["Hostname"] == ""  # zero struct, not null
    assert doc["RepoDigests"] == []
    assert doc["Created"] == "2024-05-01T12:00:00.5+02:00"
    assert b"<&>" in raw
    assert b"\\u2028" in raw
    assert list(doc["Config"]["Healthcheck"]) == ["Test", "Interval", "StartPeriod", "Retries"] or list(
        doc["Config"]["Healthcheck"]
    ) == ["Test", "Interval", "StartPeriod"]
    assert raw.startswith(b"[\n    {\n        ")
    assert raw.endswith(b"\n    }\n]\n")


def test_created_by_release() -> None:
    missing = _image(created=None)

    def created(fmt: Format) -> object:
        return orjson.loads(dumps([missing], attrs.evolve(fmt, printer="json")))[0].get("Created", "<absent>")

    assert created(Format.docker("20.10")) == "0001-01-01T00:00:00Z"
    assert created(Format.docker("25.0.2")) == ""
    assert created(Format.docker("25.0.5", api="1.43")) == "0001-01-01T00:00:00Z"
    assert created(Format.docker("25.0.5", api="1.44")) == "<absent>"
    assert created(Format.docker("29.1")) == "<absent>"


def test_virtual_size_and_container_gates() -> None:
    assert "VirtualSize" in _keys(Format.docker("24.0"))
    assert "VirtualSize" not in _keys(Format.docker("24.0"), _image(size=0))  # omitempty since 24
    assert "VirtualSize" in _keys(Format.docker("25.0", api="1.43"))
    assert "VirtualSize" not in _keys(Format.docker("25.0", api="1.44"))
    assert "ContainerConfig" in _keys(Format.docker("26.1", api="1.44"))
    assert "Container" not in _keys(Format.docker("26.1", api="1.44"))  # "" with omitempty
    assert "ContainerConfig" not in _keys(Format.docker("26.1", api="1.45"))


def test_repo_tags_null_on_24_0_0_only() -> None:
    untagged = _image(repo_tags=None)
    assert orjson.loads(dumps([untagged], Format.docker("24.0.0", printer="json")))[0]["RepoTags"] is None
    assert orjson.loads(dumps([untagged], Format.docker("24.0.1", printer="json")))[0]["RepoTags"] == []


def test_28_2_moves_legacy_config_last() -> None:
    assert _keys(Format.docker("28.2", api="1.49"))[-1] == "Config"
    keys_150 = _keys(Format.docker("28.2", api="1.50"))
    assert keys_150[keys_150.index("Author") + 1] == "Config"
    doc = orjson.loads(dumps([_image()], Format.docker("28.2", api="1.50", printer="json")))[0]
    assert "Hostname" not in doc["Config"]  # image-config type
    assert "Cmd" not in doc["Config"]  # omitempty leak (moby#50134)


def test_28_3_config_is_a_sorted_escaped_map_with_backfill() -> None:
    raw = dumps([_image()], Format.docker("28.4", api="1.51", printer="json"))
    doc = orjson.loads(raw)[0]
    assert list(doc)[-1] == "Config"
    assert list(doc["Config"]) == sorted(doc["Config"])
    assert doc["Config"]["Cmd"] is None
    assert doc["Config"]["WorkingDir"] == ""
    assert list(doc["Config"]["Healthcheck"]) == sorted(doc["Config"]["Healthcheck"])
    assert b"\\u003c\\u0026\\u003e" in raw
    legacy = orjson.loads(dumps([_image()], Format.docker("28.4", api="1.49", printer="json")))[0]
    assert legacy["Config"]["Hostname"] == ""


def test_29_struct_path_and_compat_wrapper() -> None:
    modern = _keys(Format.docker("29.1", api="1.52", store="containerd"), _image(descriptor=_descriptor()))
    assert modern == [
        "Id", "RepoTags", "RepoDigests", "Created", "Config", "Architecture", "Os", "Size", "RootFS", "Metadata",
        "Descriptor",
    ]  # fmt: skip
    wrapped = orjson.loads(dumps([_image(parent="sha256:p")], Format.docker("29.1", api="1.52", printer="json")))[0]
    assert list(wrapped) == sorted(wrapped)
    assert wrapped["Parent"] == "sha256:p"
    assert "DockerVersion" not in wrapped
    old_api = orjson.loads(
        dumps(
            [_image(container_config=ContainerConfig(user="u"))],
            Format.docker("29.1", api="1.44", store="graphdriver", printer="json"),
        )
    )[0]
    assert list(old_api) == sorted(old_api)
    assert list(old_api["ContainerConfig"])[:3] == ["Hostname", "Domainname", "User"]  # a Go struct: not sorted
    assert old_api["DockerVersion"] == ""
    assert old_api["Parent"] == ""
    # the containerd store keeps none of the legacy fields: empty, and a nil
    # ContainerConfig pointer (observed on 29.0.0 and 29.7.2)
    store = orjson.loads(
        dumps(
            [_image(container="c", container_config=ContainerConfig(user="u"))],
            Format.docker("29.1", api="1.44", printer="json"),
        )
    )[0]
    assert store["Container"] == ""
    assert store["ContainerConfig"] is None


def _descriptor() -> Descriptor:
    return Descriptor(mt.OCI_INDEX, Digest.of(b"index"), 5)


def test_descriptor_and_identity_gates() -> None:
    image = _image(descriptor=_descriptor())
    assert "Descriptor" in _keys(Format.docker("28.0", store="containerd"), image)
    assert "Descriptor" not in _keys(Format.docker("28.0", api="1.47", store="containerd"), image)
    assert "Descriptor" not in _keys(Format.docker("28.0", store="graphdriver"), image)
    assert "GraphDriver" not in _keys(Format.docker("29.1", api="1.52", store="containerd"), image)


def test_go_version_decides_b_and_f() -> None:
    image = _image(comment="\b\f")
    assert b"\\u0008\\u000c" in dumps([image], Format.docker("20.10"))
    assert b"\\b\\f" in dumps([image], Format.docker("27.2.1"))
    assert b"\\b\\f" in dumps([image], Format.docker("25.0.7"))
    assert b"\\u0008" in dumps([image], Format.docker("26.1"))


def test_printers() -> None:
    image = _image()
    cli = dumps([image, image], Format.docker("20.10"))
    assert cli.count(b"\n    },\n    {\n") == 1
    compact = dumps([image, image], Format.docker("20.10", printer="json"))
    assert compact.count(b"\n") == 1
    assert compact.startswith(b"[{")
    body = dumps([image], Format.docker("20.10", printer="api"))
    assert body.startswith(b"{")
    assert body.endswith(b"}\n")
    lines = dumps([image, image], Format.docker("20.10", printer="template"))
    assert lines.count(b"\n") == 2
    assert lines.startswith(b"{")
    assert dumps([], Format.docker("20.10")) == b"[]\n"


def test_cli_28_template_uses_the_cli_types() -> None:
    doc = orjson.loads(
        dumps(
            [_image(container="", virtual_size=0, size=0, container_config=ContainerConfig())],
            Format.docker("20.10", printer="template", cli="28.2"),
        )
    )
    assert "Container" not in doc
    assert "VirtualSize" not in doc
    assert doc["ContainerConfig"]["Hostname"] == ""  # the full container.Config type
    # the 20.10 daemon sends a ContainerConfig for every image: the CLI holds a
    # zero one (observed: tests/data/golden/cli/buildkit-full/docker28/)
    sent = orjson.loads(dumps([_image()], Format.docker("20.10", printer="template", cli="28.2")))
    assert sent["ContainerConfig"]["Hostname"] == ""
    # 28.5 at API 1.51 sends none: a nil pointer with omitempty
    nil = orjson.loads(dumps([_image()], Format.docker("28.5", printer="template", cli="28.2")))
    assert "ContainerConfig" not in nil
    assert "Hostname" not in doc["Config"]


def test_podman_versions() -> None:
    image = PodmanImageInspect(
        id="a" * 64,
        labels=FrozenMap({"x": "<"}),
        graph_driver=GraphDriver(name="vfs"),
        healthcheck=HealthConfig(test=("CMD",), interval=5, start_period=1),
    )
    new = dumps([image], Format.podman("4.3"))
    old = dumps([image], Format.podman("3.4"))
    assert new.startswith(b"[\n     {")
    assert b'"x": "<"' in new
    assert old.startswith(b"[\n    {")
    assert b"\\u003c" in old
    doc = orjson.loads(new)[0]
    assert list(doc["Healthcheck"]) == ["Test", "StartPeriod", "Interval"]
    assert list(doc["GraphDriver"]) == ["Name", "Data"]
    assert doc["Created"] is None
    assert doc["Config"] is None
    assert doc["RootFS"] is None
    assert doc["RepoTags"] == []
    assert doc["Annotations"] == {}


def test_unknown_newer_version_warns_and_uses_newest_rules() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        profile = resolve(Format.docker("31.0"))
    assert any(issubclass(w.category, UnknownVersionWarning) for w in caught)
    assert profile.shapes == resolve(Format.docker("29.7")).shapes


@pytest.mark.parametrize(
    "call",
    [
        lambda: Format.docker("twenty"),
        lambda: Format.docker("20.10", api="x"),
        lambda: Format.docker(store="zfs"),  # type: ignore[arg-type]
        lambda: Format.docker(printer="yaml"),  # type: ignore[arg-type]
        lambda: Format.podman("four"),
    ],
)
def test_bad_format_arguments(call: object) -> None:
    with pytest.raises(ImageInspectError):
        call()  # type: ignore[operator]
