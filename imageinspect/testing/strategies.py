"""Hypothesis strategies for image metadata, valid by construction.

Needs ``hypothesis`` (``pip install 'imageinspect[test]'``). Every strategy
draws values that the library's writers can represent exactly, so
``parse(to_json(x)) == x`` and ``loads(dumps(x, f))`` round-trip; they shrink
towards small, empty values.

Every public strategy is a function that returns a strategy (``digests()``,
``container_configs(full=True)``, ``images(max_layers=2)``).

>>> from hypothesis import given
>>> @given(digests())
... def test(digest):
...     assert digest.algorithm == "sha256"
>>> test()
"""

from __future__ import annotations

from typing import Any

__all__ = [
    "container_configs",
    "descriptors",
    "digests",
    "docker_formats",
    "docker_lists",
    "docker_manifests",
    "image_configs",
    "image_inspects",
    "images",
    "oci_indexes",
    "oci_manifests",
    "platforms",
    "podman_formats",
    "podman_inspects",
    "references",
    "timestamps",
]

import attrs
from hypothesis import strategies as st

from imageinspect.model.config import ContainerConfig, HealthConfig, History, ImageConfig, RootFS
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.values import mediatype as mt
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

# Text that exercises every escaping rule: HTML characters, controls, U+2028,
# non-ASCII, quotes and backslashes.
_texts = st.text(
    alphabet=st.characters(exclude_categories=["Cs"]) | st.sampled_from('<>&"\\\b\f\u2028\u2029é😀'),
    max_size=12,
)
_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABC._-/0123456789", min_size=1, max_size=10)
_digests = st.builds(
    Digest.from_hex,
    st.text("0123456789abcdef", min_size=64, max_size=64),
)
_timestamps = st.builds(
    Timestamp,
    st.integers(min_value=-62135596800 * 10**9 + 86_400 * 10**9, max_value=253402300799 * 10**9 - 86_400 * 10**9),
    st.integers(min_value=-14 * 60, max_value=14 * 60).map(lambda m: m * 60),
)
_int64 = st.integers(min_value=0, max_value=2**63 - 1)
# Go's omitempty cannot tell nil from empty, so a field that a format omits
# when empty is generated as "absent" (None) or non-empty: exactly the values
# that survive the format. Fields that are always written get all three.
_str_tuples = st.none() | st.lists(_texts, max_size=3).map(tuple)
_opt_tuples = st.none() | st.lists(_texts, min_size=1, max_size=3).map(tuple)
_label_maps = st.none() | st.dictionaries(_keys, _texts, max_size=3).map(FrozenMap)
_opt_maps = st.none() | st.dictionaries(_keys, _texts, min_size=1, max_size=3).map(FrozenMap)
_ports = st.sampled_from(["80/tcp", "53/udp", "443/tcp", "8080"])
_port_sets = st.none() | st.lists(_ports, unique=True, max_size=3).map(tuple)
_opt_port_sets = st.none() | st.lists(_ports, unique=True, min_size=1, max_size=3).map(tuple)
_platforms = st.builds(
    Platform,
    os=st.sampled_from(["linux", "windows", "unknown"]),
    architecture=st.sampled_from(["amd64", "arm64", "arm", "s390x", "unknown"]),
    variant=st.sampled_from(["", "v7", "v8"]),
    os_version=st.sampled_from(["", "10.0.17763.1234"]),
    os_features=st.none() | st.just(("win32k",)),
    features=st.none() | st.just(("sse4",)),
)

_health_configs = st.builds(
    HealthConfig,
    test=_opt_tuples,
    interval=_int64,
    timeout=_int64,
    start_period=_int64,
    start_interval=_int64,
    retries=st.integers(0, 10),
)


def container_configs(full: bool) -> st.SearchStrategy[ContainerConfig]:
    """``full``: Docker's container.Config; else the OCI subset."""
    lists = _str_tuples if full else _opt_tuples
    volume_sets = (_port_sets if full else _opt_port_sets).map(
        lambda p: None if p is None else tuple("/" + x for x in p)
    )
    common: dict[str, Any] = {
        "user": _texts,
        "exposed_ports": _opt_port_sets,
        "env": lists,
        "entrypoint": lists,
        "cmd": lists,
        "volumes": volume_sets,
        "working_dir": _texts,
        "labels": _label_maps if full else _opt_maps,
        "stop_signal": st.sampled_from(["", "SIGTERM"]),
        "args_escaped": st.booleans(),
        "healthcheck": st.none() | _health_configs,
        "on_build": lists,
        "shell": _opt_tuples,
    }
    if full:
        common.update(
            hostname=_texts,
            domainname=_texts,
            attach_stdin=st.booleans(),
            tty=st.booleans(),
            image=_texts,
            network_disabled=st.booleans(),
            mac_address=st.sampled_from(["", "02:42:ac:11:00:02"]),
            stop_timeout=st.none() | st.integers(0, 100),
        )
    return st.builds(ContainerConfig, **common)


_histories = st.builds(
    History,
    created=st.none() | _timestamps,
    created_by=_texts,
    author=_texts,
    comment=_texts,
    empty_layer=st.booleans(),
)


def image_configs(docker: bool) -> st.SearchStrategy[ImageConfig]:
    fields: dict[str, Any] = {
        "created": st.none() | _timestamps,
        "author": _texts,
        "architecture": st.sampled_from(["amd64", "arm64"]),
        "os": st.just("linux"),
        "variant": st.sampled_from(["", "v8"]),
        "config": st.none() | container_configs(docker),
        "rootfs": st.builds(RootFS, diff_ids=st.lists(_digests, max_size=3).map(tuple)),
        "history": st.none() | st.lists(_histories, min_size=1, max_size=3).map(tuple),
    }
    if docker:
        fields.update(
            container=st.sampled_from(["", "a" * 64]),
            container_config=container_configs(True),
            docker_version=st.sampled_from(["20.10.24+dfsg1", "1.12.1"]),
            comment=_texts,
        )
    return st.builds(ImageConfig, **fields)


def descriptors(media_types: list[str], with_platform: bool = False) -> st.SearchStrategy[Descriptor]:
    return st.builds(
        Descriptor,
        st.sampled_from(media_types).map(mt.MediaType),
        _digests,
        _int64,
        urls=st.none() | st.just(("https://example.com/blob",)),
        annotations=_opt_maps,
        platform=_platforms if with_platform else st.none(),
    )


_oci_manifests = st.builds(
    ImageManifest,
    media_type=st.just(mt.OCI_MANIFEST),
    artifact_type=st.none() | st.just(mt.MediaType("application/vnd.example+json")),
    config=descriptors([mt.OCI_CONFIG, mt.OCI_EMPTY]),
    layers=st.lists(descriptors([mt.OCI_LAYER_GZIP, mt.OCI_LAYER_ZSTD]), max_size=3).map(tuple),
    subject=st.none() | descriptors([mt.OCI_MANIFEST]),
    annotations=_opt_maps,
)
_docker_manifests = st.builds(
    ImageManifest,
    media_type=st.just(mt.DOCKER_MANIFEST),
    config=descriptors([mt.DOCKER_CONFIG]),
    layers=st.lists(descriptors([mt.DOCKER_LAYER_GZIP, mt.DOCKER_FOREIGN_LAYER_GZIP]), max_size=3).map(tuple),
)
_oci_indexes = st.builds(
    ImageIndex,
    media_type=st.just(mt.OCI_INDEX),
    manifests=st.lists(descriptors([mt.OCI_MANIFEST, mt.OCI_INDEX], with_platform=True), max_size=3).map(tuple),
    annotations=_opt_maps,
)
_docker_lists = st.builds(
    ImageIndex,
    media_type=st.just(mt.DOCKER_MANIFEST_LIST),
    manifests=st.lists(descriptors([mt.DOCKER_MANIFEST], with_platform=True), max_size=3).map(tuple),
)


# --- inspect documents ------------------------------------------------------

from imageinspect.model.inspect import (  # noqa: E402
    GraphDriver,
    ImageInspect,
    InspectRootFS,
    ManifestSummary,
    Metadata,
)
from imageinspect.model.podman import PodmanImageInspect  # noqa: E402

_short_texts = st.text(alphabet="abc<>&é\u2028\b/:._-", max_size=8)
_ids = _digests.map(str)
_graph_drivers = st.builds(
    GraphDriver,
    name=st.sampled_from(["overlay2", "vfs", "overlayfs"]),
    data=st.none()
    | st.dictionaries(st.sampled_from(["LowerDir", "UpperDir", "WorkDir", "MergedDir"]), _short_texts, min_size=1).map(
        FrozenMap
    ),
)
_image_inspects_raw = st.builds(
    ImageInspect,
    id=_ids,
    repo_tags=st.none() | st.lists(st.sampled_from(["app:1", "localhost:5000/x:y", "a/b:c"]), max_size=2).map(tuple),
    repo_digests=st.none() | st.lists(_digests.map(lambda d: "app@" + d), max_size=1).map(tuple),
    parent=st.sampled_from(["", "sha256:" + "c" * 64]),
    comment=_short_texts,
    created=st.none() | _timestamps,
    container=st.sampled_from(["", "d" * 64]),
    container_config=st.none() | container_configs(True),
    docker_version=st.sampled_from(["", "20.10.24+dfsg1"]),
    author=_short_texts,
    config=st.none() | container_configs(True) | container_configs(False),
    architecture=st.sampled_from(["amd64", "arm64"]),
    variant=st.sampled_from(["", "v8"]),
    os=st.just("linux"),
    os_version=st.sampled_from(["", "10.0"]),
    size=st.integers(0, 2**53),
    virtual_size=st.none() | st.integers(0, 2**53),
    graph_driver=st.none() | _graph_drivers,
    root_fs=st.none()
    | st.builds(InspectRootFS, type=st.just("layers"), layers=st.none() | st.lists(_ids, max_size=2).map(tuple)),
    metadata=st.none() | st.builds(Metadata, last_tag_time=st.none() | _timestamps),
    descriptor=st.none() | descriptors([mt.OCI_INDEX, mt.OCI_MANIFEST]),
    manifests=st.none()
    | st.lists(
        st.builds(ManifestSummary, id=_ids, kind=st.sampled_from(["image", "attestation"])), min_size=1, max_size=1
    ).map(tuple),
)
# Daemons since 1.10 set VirtualSize = Size (or leave it out): other pairs are
# not states a daemon can print, and omitempty would rightly lose them.
_image_inspects = st.tuples(_image_inspects_raw, st.booleans()).map(
    lambda pair: attrs.evolve(pair[0], virtual_size=pair[0].size if pair[1] else None)
)
_podman_inspects = st.builds(
    PodmanImageInspect,
    id=_digests.map(lambda d: d.encoded),
    digest=_ids,
    repo_tags=st.none() | st.lists(st.just("localhost/app:1"), max_size=1).map(tuple),
    created=st.none() | _timestamps,
    config=st.none() | container_configs(False),
    version=st.sampled_from(["", "20.10.24"]),
    architecture=st.just("amd64"),
    os=st.just("linux"),
    size=st.integers(0, 2**40),
    virtual_size=st.integers(0, 2**40),
    graph_driver=st.none() | _graph_drivers,
    labels=_opt_maps,
    annotations=_label_maps,
    manifest_type=st.just(str(mt.DOCKER_MANIFEST)),
    history=st.none() | st.lists(_histories, max_size=2).map(tuple),
    names_history=st.none() | st.lists(st.just("localhost/app:1"), max_size=1).map(tuple),
    healthcheck=st.none() | _health_configs,
)


# --- _references, formats, whole images ------------------------------------

from imageinspect.codec import Format  # noqa: E402
from imageinspect.values.reference import Reference  # noqa: E402

_components = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=8)
_references = st.builds(
    lambda domain, path, tag: Reference.parse(f"{domain}{'/'.join(path)}:{tag}"),
    st.sampled_from(["", "docker.io/", "localhost:5000/", "registry.example.com/", "127.0.0.1:5000/"]),
    st.lists(_components, min_size=1, max_size=3),
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789._-", min_size=1, max_size=10).filter(
        lambda t: t[0] not in ".-"
    ),
)

_RELEASES: tuple[str, ...] = ("1.12", "17.03", "18.09", "20.10", "23.0", "24.0.0", "25.0.3", "25.0.5", "26.1")
_RELEASES += ("27.5", "28.0", "28.2", "28.4", "28.5", "29.0", "29.1", "29.2", "29.7")
_APIS = ("1.24", "1.41", "1.43", "1.44", "1.45", "1.49", "1.50", "1.51", "1.52", "1.53")


def _docker_format(release: str, api: str | None, store: str, printer: str) -> Format:
    """A format whose API the release accepts (an impossible pair warns)."""
    from imageinspect.codec import compare, parse_version, release_api
    from imageinspect.codec import release as release_row

    def minimum_api(version: str) -> tuple[int, ...]:
        return parse_version(release_row(version).min_api, "API")

    if api is not None and compare(parse_version(api, "API"), release_api(release)) > 0:
        api = None
    if api is not None and compare(parse_version(api, "API"), minimum_api(release)) < 0:
        api = None
    if store == "containerd" and compare(parse_version(release, "daemon"), "24.0") < 0:
        store = "graphdriver"  # no containerd store before 24.0
    return Format.docker(release, api=api, store=store, printer=printer)  # type: ignore[arg-type]


_docker_formats = st.builds(
    _docker_format,
    st.sampled_from(_RELEASES),
    st.none() | st.sampled_from(_APIS),
    st.sampled_from(["graphdriver", "containerd"]),
    st.sampled_from(["cli", "json", "template"]),
)

_podman_formats = st.builds(Format.podman, st.sampled_from(["3.4", "4.3", "5.8"]))


@st.composite
def images(draw: st.DrawFn, max_layers: int = 3) -> Any:
    """Whole built images (:class:`~imageinspect.sources.image.Image`):
    layers of generated files, config settings, tags, compression and
    manifest kind -- every digest consistent."""
    from imageinspect.testing.builder import ImageBuilder

    builder = ImageBuilder(seed=draw(st.integers(0, 1000)))
    for index in range(draw(st.integers(0, max_layers))):
        names = draw(st.lists(_components, min_size=1, max_size=3, unique=True))
        builder.add_layer({f"/layer{index}/{name}": draw(st.binary(max_size=64)) for name in names})
    for key, value in draw(st.dictionaries(_components, _short_texts, max_size=3)).items():
        builder.env(key.upper(), value)
    for key, value in draw(st.dictionaries(_components, _short_texts, max_size=2)).items():
        builder.label(f"org.example.{key}", value)
    if draw(st.booleans()):
        builder.entrypoint(draw(st.lists(_short_texts, min_size=1, max_size=2)))
    builder.platform(draw(_platforms.filter(lambda p: not p.is_attestation and p.os == "linux")))
    builder.tag(*{r.familiar() for r in draw(st.lists(_references, max_size=2))})
    return builder.build(
        compression=draw(st.sampled_from(["none", "gzip"])), manifest=draw(st.sampled_from(["oci", "docker"]))
    )


# --- the public face: every strategy is a function ----------------------------


def digests() -> st.SearchStrategy[Digest]:
    """sha256 digests.

    >>> from hypothesis import find
    >>> find(digests(), lambda d: True).algorithm
    'sha256'
    """
    return _digests


def timestamps() -> st.SearchStrategy[Timestamp]:
    """RFC 3339 times in Go's range, with UTC offsets.

    >>> from hypothesis import find
    >>> find(timestamps(), lambda t: True).utc_offset
    0
    """
    return _timestamps


def platforms() -> st.SearchStrategy[Platform]:
    """Platforms, attestation (``unknown/unknown``) included.

    >>> from hypothesis import find
    >>> find(platforms(), lambda p: p.os == "windows").os
    'windows'
    """
    return _platforms


def references() -> st.SearchStrategy[Reference]:
    """Image references (normalised), with and without registries and ports.

    >>> from hypothesis import find
    >>> find(references(), lambda r: True).tag is not None
    True
    """
    return _references


def oci_manifests() -> st.SearchStrategy[ImageManifest]:
    """OCI image manifests (v1.1 fields included).

    >>> from hypothesis import find
    >>> find(oci_manifests(), lambda m: True).schema_version
    2
    """
    return _oci_manifests


def docker_manifests() -> st.SearchStrategy[ImageManifest]:
    """Docker schema2 manifests.

    >>> from hypothesis import find
    >>> find(docker_manifests(), lambda m: True).schema_version
    2
    """
    return _docker_manifests


def oci_indexes() -> st.SearchStrategy[ImageIndex]:
    """OCI image indexes.

    >>> from hypothesis import find
    >>> find(oci_indexes(), lambda i: True).schema_version
    2
    """
    return _oci_indexes


def docker_lists() -> st.SearchStrategy[ImageIndex]:
    """Docker manifest lists.

    >>> from hypothesis import find
    >>> find(docker_lists(), lambda i: True).schema_version
    2
    """
    return _docker_lists


def image_inspects() -> st.SearchStrategy[ImageInspect]:
    """``docker image inspect`` objects of every Engine API shape.

    >>> from hypothesis import find
    >>> find(image_inspects(), lambda i: True).id.startswith("sha256:")
    True
    """
    return _image_inspects


def podman_inspects() -> st.SearchStrategy[PodmanImageInspect]:
    """``podman image inspect`` objects.

    >>> from hypothesis import find
    >>> find(podman_inspects(), lambda i: True).id != ""
    True
    """
    return _podman_inspects


def docker_formats() -> st.SearchStrategy[Format]:
    """Docker formats (daemon release, API version, store, printer).

    >>> from hypothesis import find
    >>> find(docker_formats(), lambda f: True).kind
    'docker'
    """
    return _docker_formats


def podman_formats() -> st.SearchStrategy[Format]:
    """Podman formats.

    >>> from hypothesis import find
    >>> find(podman_formats(), lambda f: True).kind
    'podman'
    """
    return _podman_formats
