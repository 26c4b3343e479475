"""The content descriptor: what a manifest or index says about another blob."""

from __future__ import annotations

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import FrozenMap, string_map, strings
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType, is_non_distributable
from imageinspect.values.platform import Platform

__all__ = ["Descriptor"]


@attrs.frozen
class Descriptor(JSONObject):
    """An OCI v1.1 content descriptor (also Docker distribution's descriptor).

    >>> from imageinspect.values import Digest
    >>> d = Descriptor(MediaType("application/vnd.oci.empty.v1+json"), Digest.of(b"{}"), 2, data=b"{}")
    >>> d.size, d.is_non_distributable
    (2, False)
    """

    media_type: MediaType | None
    digest: Digest
    size: int
    urls: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, converter=strings)
    annotations: FrozenMap[str, str] | None = attrs.field(default=None, kw_only=True, converter=string_map)
    data: bytes | None = attrs.field(default=None, kw_only=True)
    platform: Platform | None = attrs.field(default=None, kw_only=True)
    artifact_type: MediaType | None = attrs.field(default=None, kw_only=True)

    @property
    def is_non_distributable(self) -> bool:
        """True for a foreign / non-distributable layer, whose blob is usually
        not in a registry or archive (it may be fetched from ``urls``).

        >>> from imageinspect.values import Digest
        >>> foreign = MediaType("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip")
        >>> Descriptor(foreign, Digest.of(b""), 0, urls=("https://example.com/l",)).is_non_distributable
        True
        """
        return self.media_type is not None and is_non_distributable(self.media_type)

    def annotation(self, key: str, default: str | None = None) -> str | None:
        """One annotation value, or ``default``.

        >>> from imageinspect.values import Digest
        >>> Descriptor(None, Digest.of(b""), 0, annotations=FrozenMap(a="1")).annotation("a")
        '1'
        """
        if self.annotations is None:
            return default
        return self.annotations.get(key, default)
