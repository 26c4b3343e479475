"""What finding an image in a tree yields: an :class:`Entry` says where an
image's config and layers are; reading and checking them is
:mod:`imageinspect.sources.image`'s job."""

from __future__ import annotations

import attrs

from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform

__all__ = ["Entry", "blob_name"]


def blob_name(digest: Digest) -> str:
    """The OCI layout path of a blob.

    >>> blob_name(Digest.of(b""))
    'blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return f"blobs/{digest.algorithm}/{digest.encoded}"


@attrs.frozen
class Entry:
    """One image found in a tree."""

    #: ``"docker-archive"`` (from manifest.json), ``"oci-layout"`` or ``"dir"``
    #: (containers/image's ``dir:`` transport).
    source: str
    #: Tags as the archive names them (manifest.json RepoTags, or index
    #: annotations), in archive order.
    refs: tuple[str, ...]
    config_name: str
    #: The config digest a descriptor or file name promises (checked on read).
    config_digest: Digest | None
    layer_names: tuple[str, ...]
    parent: str = ""
    manifest: Document[ImageManifest] | None = None
    index: Document[ImageIndex] | None = None
    platform: Platform | None = None
    #: The descriptor in the layout's top-level ``index.json`` that leads to
    #: this image (its manifest, or a nested index): what a containerd image
    #: store makes the image's target when it loads the layout.
    target: Descriptor | None = None
    #: Names the layout's index gives (``io.containerd.image.name``, else a
    #: ``ref.name`` with a ``/``): what podman names the image (the
    #: containerd store's names are its records: ``containerd.records``).
    index_names: tuple[str, ...] = ()
    #: A config the loader makes rather than reads (pre-1.10 archives).
    config_bytes: bytes | None = None
    #: ``manifest.json``'s layers when they are not the image's: an archive
    #: with an ``oci-layout`` file is read through its index by the
    #: containerd store and podman (``layer_names`` are the index manifest's),
    #: while the graphdriver store reads these (and fails on a missing one).
    archive_layers: tuple[str, ...] | None = None
    #: The top-level ``index.json`` entry that names this image when the
    #: tree lacks the manifest it points at (the image itself comes from
    #: ``manifest.json``): a containerd store reads the index and records
    #: that entry, an image without a config (see ``loadable``).
    absent_target: Descriptor | None = None
