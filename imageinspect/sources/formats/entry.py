"""What finding an image in a tree yields: an :class:`Entry` says where an
image's config and layers are and what around it a loader reads
(:class:`Holding`); reading and checking them is the catalog's job
(:mod:`imageinspect.sources.formats`). The views read these facts, never a
format's name: a new format is a module that makes entries and a row in
:data:`~imageinspect.sources.formats.FORMATS`."""

from __future__ import annotations

import attrs

from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform

__all__ = ["Entry", "Holding", "blob_name"]


def blob_name(digest: Digest) -> str:
    """The OCI layout path of a blob.

    >>> blob_name(Digest.of(b""))
    'blobs/sha256/e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return f"blobs/{digest.algorithm}/{digest.encoded}"


@attrs.frozen
class Holding:
    """What a tree holds that the daemons' loaders look for, whatever format
    found the image in it: Docker's loader reads ``manifest.json`` (and a
    pre-1.10 save's ``repositories``), containerd's importer and podman an
    OCI layout (an ``oci-layout`` file and ``index.json``) first.

    >>> Holding(manifest_json=True).oci_layout
    False
    """

    #: A ``manifest.json`` file (a ``docker save``'s, or a ``dir:`` layout's manifest).
    manifest_json: bool = False
    #: An ``oci-layout`` file and an ``index.json``.
    oci_layout: bool = False
    #: A pre-1.10 ``docker save``: ``repositories`` and no ``manifest.json``.
    legacy: bool = False
    #: The top-level ``index.json``, parsed once (``None`` when the tree has none).
    top_index: Document[ImageIndex] | None = None
    #: How the archive file is compressed (``"gzip"``, ``"xz"``, ...), if it is.
    compression: str | None = None


@attrs.frozen
class Entry:
    """One image found in a tree."""

    #: The name of the format that found it (:data:`~imageinspect.sources.formats.FORMATS`),
    #: for people (``imageinspect images`` shows it): nothing branches on it.
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
    #: Listed by a ``docker save``'s ``manifest.json`` or ``repositories``:
    #: an image daemons read as a docker-archive (podman then makes up its
    #: manifest; Docker's loader checks its layer count).
    docker_save: bool = False
    #: What the tree holds around the image (set by the catalog).
    holding: Holding = Holding()
    #: The same image as Docker 23.0/24.0 load it, when that differs (a
    #: pre-1.10 image: their history type makes another config and ID).
    before_25: Entry | None = None

    @property
    def listed_in(self) -> str:
        """The member that names the image.

        >>> Entry("docker-archive", (), "c.json", None, (), docker_save=True).listed_in
        'manifest.json'
        """
        return "manifest.json" if self.docker_save else "index.json"
