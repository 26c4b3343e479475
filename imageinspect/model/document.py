"""A parsed document together with the exact bytes it came from."""

from __future__ import annotations

from typing import Generic, TypeVar, Union

import attrs

from imageinspect.model.config import ImageConfig
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import Schema1Manifest
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.style import Style, detect_style

__all__ = ["AnyDocumentValue", "Document", "Style"]

AnyDocumentValue = Union[ImageConfig, ImageManifest, ImageIndex, Schema1Manifest]
T = TypeVar("T", bound=AnyDocumentValue, covariant=True)


@attrs.frozen
class Document(Generic[T]):
    """A typed document plus its source bytes.

    ``digest`` is computed from ``raw`` -- never from a re-encoding -- so it is
    the digest a registry, a manifest or an image ID refers to. For a signed
    schema1 manifest it is the digest of the payload without the signatures,
    as registries compute it.

    >>> from imageinspect import parse
    >>> doc = parse(b'{"schemaVersion":2,"manifests":[]}')
    >>> doc.digest == Digest.of(doc.raw), doc.media_type
    (True, <MediaType('application/vnd.oci.image.index.v1+json')>)
    """

    value: T
    raw: bytes = attrs.field(repr=False)
    digest: Digest
    media_type: MediaType
    #: The layout of ``raw`` when given; told from ``raw`` when first asked.
    _style: Style | None = attrs.field(default=None, eq=False, repr=False, kw_only=True, alias="style")

    @property
    def style(self) -> Style:
        """The layout of ``raw``, used to write an edited value in the same
        style (told from the bytes when not given).

        >>> from imageinspect import parse
        >>> parse(b'{\\n   "schemaVersion": 2,\\n   "manifests": []\\n}\\n').style.indent
        3
        """
        return self._style if self._style is not None else detect_style(self.raw)

    @property
    def size(self) -> int:
        """The size of ``raw`` in bytes (what a descriptor's ``size`` says).

        >>> from imageinspect import parse
        >>> parse(b'{"schemaVersion":2,"manifests":[]}').size
        34
        """
        return len(self.raw)
