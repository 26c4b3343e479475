"""Image manifests and indexes (OCI v1.1, Docker schema2 and manifest lists)."""

from __future__ import annotations

import attrs

from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap, string_map
from imageinspect.values.mediatype import MediaType

__all__ = ["ImageIndex", "ImageManifest"]


@attrs.frozen(kw_only=True)
class ImageManifest(JSONObject, DocumentValue):
    """An OCI image manifest or a Docker schema2 manifest (same shape; Docker's
    descriptors just put ``size`` before ``digest``).

    >>> from imageinspect.values import Digest
    >>> from imageinspect.values.mediatype import OCI_CONFIG
    >>> m = ImageManifest(config=Descriptor(OCI_CONFIG, Digest.of(b"{}"), 2))
    >>> m.to_json()[:44]
    b'{"schemaVersion":2,"config":{"mediaType":"ap'
    """

    schema_version: int = 2
    media_type: MediaType | None = None
    artifact_type: MediaType | None = None
    config: Descriptor
    layers: tuple[Descriptor, ...] | None = ()
    subject: Descriptor | None = None
    annotations: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)


@attrs.frozen(kw_only=True)
class ImageIndex(JSONObject, DocumentValue):
    """An OCI image index or a Docker manifest list.

    >>> from imageinspect.values.mediatype import DOCKER_MANIFEST_LIST
    >>> print(ImageIndex(media_type=DOCKER_MANIFEST_LIST).to_json().decode())
    {
       "schemaVersion": 2,
       "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
       "manifests": []
    }
    """

    schema_version: int = 2
    media_type: MediaType | None = None
    artifact_type: MediaType | None = None
    manifests: tuple[Descriptor, ...] | None = ()
    subject: Descriptor | None = None
    annotations: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)
