"""``docker image inspect``: every field any Docker release printed.

A key that is absent, ``null`` or empty is representable: ``None`` stands for
Go's ``nil`` (or an absent key), ``()`` and ``""`` for empty values, and
``key_order`` records which keys a source document had.
"""

from __future__ import annotations

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.config import ContainerConfig, RuntimeViews
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap, JSONValue, string_map, strings
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

__all__ = [
    "AttestationData",
    "BuildIdentity",
    "GraphDriver",
    "Identity",
    "ImageData",
    "ImageInspect",
    "InspectRootFS",
    "ManifestSize",
    "ManifestSummary",
    "Metadata",
    "PullIdentity",
    "human_size",
]

_UNITS = ("B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB")


def human_size(size: int) -> str:
    """A size as ``docker images`` prints it: base 1000, 3 significant digits
    (go-units ``HumanSizeWithPrecision(size, 3)``).

    >>> human_size(0), human_size(999), human_size(1263), human_size(87_654_321), human_size(5_000_000_000)
    ('0B', '999B', '1.26kB', '87.7MB', '5GB')
    """
    value = float(size)
    unit = 0
    while value >= 1000 and unit < len(_UNITS) - 1:
        value /= 1000
        unit += 1
    text = f"{value:.3g}"
    if "e" in text:  # pragma: no cover - only for absurd sizes
        text = f"{value:.0f}"
    return f"{text}{_UNITS[unit]}"


@attrs.frozen(kw_only=True)
class GraphDriver(JSONObject):
    """The storage driver and its data (``LowerDir``, ``UpperDir`` … for overlay2).

    >>> GraphDriver(name="vfs").data is None
    True
    """

    name: str = ""
    data: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)


@attrs.frozen(kw_only=True)
class InspectRootFS(JSONObject):
    """``RootFS`` as inspect shows it: ``Layers`` are the config's diff IDs.

    >>> InspectRootFS(type="layers", layers=()).layers
    ()
    """

    type: str = ""
    layers: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    base_layer: str = ""


@attrs.frozen(kw_only=True)
class Metadata(JSONObject):
    """Local metadata; ``last_tag_time`` is ``None`` only when absent.

    >>> Metadata(last_tag_time=Timestamp.zero()).last_tag_time.is_zero
    True
    """

    last_tag_time: Timestamp | None = None


@attrs.frozen(kw_only=True)
class ManifestSize(JSONObject):
    """Sizes of a manifest in the containerd image store.

    >>> ManifestSize(content=10, total=30).total
    30
    """

    content: int = 0
    total: int = 0
    unpacked: int = 0


@attrs.frozen(kw_only=True)
class ImageData(JSONObject):
    """The image-specific part of a :class:`ManifestSummary`.

    >>> ImageData(platform=Platform("linux", "amd64")).containers is None
    True
    """

    platform: Platform | None = None
    identity: Identity | None = None
    size: ManifestSize | None = None
    containers: tuple[str, ...] | None = attrs.field(default=None, converter=strings)


@attrs.frozen(kw_only=True)
class AttestationData(JSONObject):
    """The attestation-specific part of a :class:`ManifestSummary`.

    >>> AttestationData(for_="sha256:" + "a" * 64).for_[:10]
    'sha256:aaa'
    """

    for_: str = ""


@attrs.frozen(kw_only=True)
class ManifestSummary(JSONObject):
    """One entry of ``Manifests`` (``docker image inspect --manifests``,
    containerd image store, API >= 1.48).

    >>> ManifestSummary(kind="attestation").available
    False
    """

    id: str = ""
    descriptor: Descriptor | None = None
    available: bool = False
    size: ManifestSize | None = None
    kind: str = ""
    image_data: ImageData | None = None
    attestation_data: AttestationData | None = None


@attrs.frozen(kw_only=True)
class PullIdentity(JSONObject):
    """Where an image was pulled from.

    >>> PullIdentity(repository="docker.io/library/nginx").repository
    'docker.io/library/nginx'
    """

    repository: str = ""


@attrs.frozen(kw_only=True)
class BuildIdentity(JSONObject):
    """The build that made an image.

    >>> BuildIdentity(ref="abc").created_at is None
    True
    """

    ref: str = ""
    created_at: Timestamp | None = None


@attrs.frozen(kw_only=True)
class Identity(JSONObject):
    """Trusted origin of an image (API >= 1.53, containerd store). Signature
    entries are kept as JSON objects (their certificate fields evolve quickly).

    >>> Identity(pull=(PullIdentity(repository="r"),)).signature is None
    True
    """

    signature: tuple[JSONValue, ...] | None = None
    pull: tuple[PullIdentity, ...] | None = None
    build: tuple[BuildIdentity, ...] | None = None


@attrs.frozen(kw_only=True)
class ImageInspect(RuntimeViews, JSONObject):
    """One element of ``docker image inspect`` (Engine API ``/images/{name}/json``).

    >>> img = ImageInspect(id="sha256:" + "ab" * 32, architecture="arm64", os="linux", variant="v8", size=1263)
    >>> img.short_id, str(img.platform), img.human_size
    ('abababababab', 'linux/arm64/v8', '1.26kB')
    """

    id: str = ""
    repo_tags: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    repo_digests: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    parent: str = ""
    comment: str = ""
    created: Timestamp | None = None
    container: str = ""
    container_config: ContainerConfig | None = None
    docker_version: str = ""
    author: str = ""
    config: ContainerConfig | None = None
    architecture: str = ""
    variant: str = ""
    os: str = ""
    os_version: str = ""
    size: int = 0
    virtual_size: int | None = None
    graph_driver: GraphDriver | None = None
    root_fs: InspectRootFS | None = None
    metadata: Metadata | None = None
    descriptor: Descriptor | None = None
    manifests: tuple[ManifestSummary, ...] | None = None
    identity: Identity | None = None

    @property
    def short_id(self) -> str:
        """The 12-character ID ``docker images`` shows.

        >>> ImageInspect(id="sha256:" + "0123456789ab" * 5 + "cdef").short_id
        '0123456789ab'
        """
        return self.id.partition(":")[2][:12] if ":" in self.id else self.id[:12]

    @property
    def platform(self) -> Platform:
        """``Os``/``Architecture``/``Variant``/``OsVersion`` as a platform.

        >>> str(ImageInspect(os="linux", architecture="amd64").platform)
        'linux/amd64'
        """
        return Platform(os=self.os, architecture=self.architecture, variant=self.variant, os_version=self.os_version)

    @property
    def labels(self) -> FrozenMap[str, str]:
        """``Config.Labels`` (empty when there are none).

        >>> dict(ImageInspect().labels)
        {}
        """
        if self.config is None or self.config.labels is None:
            return FrozenMap()
        return self.config.labels

    @property
    def human_size(self) -> str:
        """``Size`` as ``docker images`` prints it.

        >>> ImageInspect(size=87_654_321).human_size
        '87.7MB'
        """
        return human_size(self.size)
