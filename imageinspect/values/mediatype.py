"""Media types of OCI and Docker image documents and layers.

A :class:`MediaType` is a validated ``str``; the module holds the registered
constants and the questions tools ask about them.

>>> is_index(OCI_INDEX), is_manifest(DOCKER_MANIFEST), compression(OCI_LAYER_ZSTD)
(True, True, 'zstd')
>>> MediaType("application/vnd.oci.image.manifest.v1+json").suffix
'json'
"""

from __future__ import annotations

import functools
import re
from typing import Final, Literal

from imageinspect.errors import InvalidMediaType

__all__ = [
    "DOCKER_CONFIG",
    "DOCKER_FOREIGN_LAYER_GZIP",
    "DOCKER_LAYER",
    "DOCKER_LAYER_GZIP",
    "DOCKER_LAYER_ZSTD",
    "DOCKER_MANIFEST",
    "DOCKER_MANIFEST_LIST",
    "DOCKER_PLUGIN_CONFIG",
    "DOCKER_SCHEMA1_MANIFEST",
    "DOCKER_SCHEMA1_SIGNED_MANIFEST",
    "OCI_CONFIG",
    "OCI_EMPTY",
    "OCI_INDEX",
    "OCI_LAYER",
    "OCI_LAYER_GZIP",
    "OCI_LAYER_NONDISTRIBUTABLE",
    "OCI_LAYER_NONDISTRIBUTABLE_GZIP",
    "OCI_LAYER_NONDISTRIBUTABLE_ZSTD",
    "OCI_LAYER_ZSTD",
    "OCI_LAYOUT_HEADER",
    "OCI_MANIFEST",
    "Compression",
    "MediaType",
    "compression",
    "is_config",
    "is_docker",
    "is_index",
    "is_layer",
    "is_manifest",
    "is_non_distributable",
    "is_schema1",
]

Compression = Literal["gzip", "zstd"]

# RFC 6838 restricted names, plus parameters (`; charset=utf-8`).
_GRAMMAR = re.compile(
    r"[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}"
    r"(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|\"[^\"]*\"))*\Z"
)


class MediaType(str):
    """A validated media type such as ``application/vnd.oci.image.index.v1+json``.

    Unknown media types are valid (the OCI spec says an implementation must not
    fail on them); only malformed text is rejected.

    >>> MediaType("text/plain; charset=utf-8").essence
    'text/plain'
    >>> MediaType("not a media type")
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidMediaType: $: invalid media type 'not a media type': expected 'type/subtype'
    """

    __slots__ = ()

    def __new__(cls, value: str) -> MediaType:
        if type(value) is cls:
            return value
        if not isinstance(value, str):
            raise InvalidMediaType(f"expected a media type string, got {type(value).__name__}")
        if _GRAMMAR.match(value) is None:
            shown = value if len(value) <= 80 else value[:77] + "…"
            raise InvalidMediaType(f"invalid media type {shown!r}: expected 'type/subtype'")
        return super().__new__(cls, value)

    @property
    def essence(self) -> str:
        """The type and subtype without parameters, lower-cased.

        >>> MediaType("Application/JSON; q=1").essence
        'application/json'
        """
        return _essence(self)

    @property
    def suffix(self) -> str | None:
        """The structured-syntax suffix (``json`` of ``…+json``), if any.

        >>> MediaType(OCI_LAYER_GZIP).suffix, MediaType(OCI_LAYER).suffix
        ('gzip', None)
        """
        subtype = self.essence.partition("/")[2]
        return subtype.rpartition("+")[2] if "+" in subtype else None

    def __repr__(self) -> str:
        return f"<MediaType({str.__repr__(self)})>"

    def __reduce__(self) -> tuple[type[MediaType], tuple[str]]:
        return (MediaType, (str(self),))


OCI_LAYOUT_HEADER: Final = MediaType("application/vnd.oci.layout.header.v1+json")
OCI_INDEX: Final = MediaType("application/vnd.oci.image.index.v1+json")
OCI_MANIFEST: Final = MediaType("application/vnd.oci.image.manifest.v1+json")
OCI_CONFIG: Final = MediaType("application/vnd.oci.image.config.v1+json")
OCI_EMPTY: Final = MediaType("application/vnd.oci.empty.v1+json")
OCI_LAYER: Final = MediaType("application/vnd.oci.image.layer.v1.tar")
OCI_LAYER_GZIP: Final = MediaType("application/vnd.oci.image.layer.v1.tar+gzip")
OCI_LAYER_ZSTD: Final = MediaType("application/vnd.oci.image.layer.v1.tar+zstd")
OCI_LAYER_NONDISTRIBUTABLE: Final = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar")
OCI_LAYER_NONDISTRIBUTABLE_GZIP: Final = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+gzip")
OCI_LAYER_NONDISTRIBUTABLE_ZSTD: Final = MediaType("application/vnd.oci.image.layer.nondistributable.v1.tar+zstd")

DOCKER_MANIFEST: Final = MediaType("application/vnd.docker.distribution.manifest.v2+json")
DOCKER_MANIFEST_LIST: Final = MediaType("application/vnd.docker.distribution.manifest.list.v2+json")
DOCKER_SCHEMA1_MANIFEST: Final = MediaType("application/vnd.docker.distribution.manifest.v1+json")
DOCKER_SCHEMA1_SIGNED_MANIFEST: Final = MediaType("application/vnd.docker.distribution.manifest.v1+prettyjws")
DOCKER_CONFIG: Final = MediaType("application/vnd.docker.container.image.v1+json")
DOCKER_PLUGIN_CONFIG: Final = MediaType("application/vnd.docker.plugin.v1+json")
DOCKER_LAYER: Final = MediaType("application/vnd.docker.image.rootfs.diff.tar")
DOCKER_LAYER_GZIP: Final = MediaType("application/vnd.docker.image.rootfs.diff.tar.gzip")
DOCKER_LAYER_ZSTD: Final = MediaType("application/vnd.docker.image.rootfs.diff.tar.zstd")
DOCKER_FOREIGN_LAYER_GZIP: Final = MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")
_DOCKER_FOREIGN_LAYER: Final = "application/vnd.docker.image.rootfs.foreign.diff.tar"

_INDEXES: Final = frozenset({OCI_INDEX, DOCKER_MANIFEST_LIST})
_MANIFESTS: Final = frozenset({OCI_MANIFEST, DOCKER_MANIFEST})
_SCHEMA1: Final = frozenset({DOCKER_SCHEMA1_MANIFEST, DOCKER_SCHEMA1_SIGNED_MANIFEST})
_CONFIGS: Final = frozenset({OCI_CONFIG, DOCKER_CONFIG, DOCKER_PLUGIN_CONFIG})
_LAYERS: Final[dict[str, Compression | None]] = {
    OCI_LAYER: None,
    OCI_LAYER_GZIP: "gzip",
    OCI_LAYER_ZSTD: "zstd",
    OCI_LAYER_NONDISTRIBUTABLE: None,
    OCI_LAYER_NONDISTRIBUTABLE_GZIP: "gzip",
    OCI_LAYER_NONDISTRIBUTABLE_ZSTD: "zstd",
    DOCKER_LAYER: None,
    DOCKER_LAYER_GZIP: "gzip",
    DOCKER_LAYER_ZSTD: "zstd",
    DOCKER_FOREIGN_LAYER_GZIP: "gzip",
    _DOCKER_FOREIGN_LAYER: None,
}
_NON_DISTRIBUTABLE: Final = frozenset(
    {
        OCI_LAYER_NONDISTRIBUTABLE,
        OCI_LAYER_NONDISTRIBUTABLE_GZIP,
        OCI_LAYER_NONDISTRIBUTABLE_ZSTD,
        DOCKER_FOREIGN_LAYER_GZIP,
        _DOCKER_FOREIGN_LAYER,
    }
)


@functools.lru_cache(maxsize=512)  # the same few media types, over and over
def _essence(media_type: str) -> str:
    return media_type.split(";", 1)[0].strip().lower()


def is_index(media_type: str) -> bool:
    """True for an OCI image index or a Docker manifest list.

    >>> is_index(DOCKER_MANIFEST_LIST), is_index(OCI_MANIFEST)
    (True, False)
    """
    return _essence(media_type) in _INDEXES


def is_manifest(media_type: str) -> bool:
    """True for an OCI image manifest or a Docker schema2 manifest (not schema1,
    see :func:`is_schema1`).

    >>> is_manifest(OCI_MANIFEST), is_manifest(DOCKER_SCHEMA1_SIGNED_MANIFEST)
    (True, False)
    """
    return _essence(media_type) in _MANIFESTS


def is_schema1(media_type: str) -> bool:
    """True for the legacy Docker schema1 manifest media types.

    >>> is_schema1(DOCKER_SCHEMA1_SIGNED_MANIFEST)
    True
    """
    return _essence(media_type) in _SCHEMA1


def is_config(media_type: str) -> bool:
    """True for an image configuration media type.

    >>> is_config(DOCKER_CONFIG), is_config(OCI_EMPTY)
    (True, False)
    """
    return _essence(media_type) in _CONFIGS


def is_layer(media_type: str) -> bool:
    """True for a filesystem layer media type (any compression, incl.
    non-distributable and foreign layers, and the ``tar.zstd`` Docker spelling
    that some builders write).

    >>> is_layer(DOCKER_LAYER_GZIP), is_layer(OCI_CONFIG)
    (True, False)
    """
    return _essence(media_type) in _LAYERS


def is_non_distributable(media_type: str) -> bool:
    """True for OCI non-distributable and Docker foreign layers, whose blobs a
    registry (and often an archive) does not hold.

    >>> is_non_distributable(DOCKER_FOREIGN_LAYER_GZIP), is_non_distributable(OCI_LAYER)
    (True, False)
    """
    return _essence(media_type) in _NON_DISTRIBUTABLE


def is_docker(media_type: str) -> bool:
    """True for Docker's own (``application/vnd.docker.…``) media types.

    >>> is_docker(DOCKER_CONFIG), is_docker(OCI_CONFIG)
    (True, False)
    """
    return _essence(media_type).startswith("application/vnd.docker.")


def compression(media_type: str) -> Compression | None:
    """The compression of a layer media type: ``"gzip"``, ``"zstd"`` or ``None``
    (uncompressed, or not a layer).

    >>> compression(DOCKER_LAYER_GZIP), compression(OCI_LAYER_ZSTD), compression(OCI_LAYER)
    ('gzip', 'zstd', None)
    """
    return _LAYERS.get(_essence(media_type))
