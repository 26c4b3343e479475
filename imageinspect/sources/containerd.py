"""What Docker's containerd image store makes of a loaded archive.

The containerd store names an image by its *target*: the descriptor of the
manifest (or index) the image record points at. An OCI layout, or a Docker
25+ ``docker save`` that carries one, brings its own target (the top-level
``index.json`` entry). A legacy ``docker save`` has no manifest, so
containerd's archive importer writes one: a compact Docker schema2 manifest
with the OCI field order (``mediaType``, ``digest``, ``size``), the config
by its digest and size, and each layer blob as stored, labelled
``...rootfs.diff.tar.gzip`` when the blob is gzip and ``...rootfs.diff.tar``
otherwise. Observed byte for byte on Docker 26.1.5 and 28.5.2
(containerd 1.7 / 2.1): the manifest digest is the ``Id`` both print.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING

from imageinspect.codec.gojson import encode
from imageinspect.codec.write import writer
from imageinspect.errors import InvalidReference
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.manifest import ImageManifest
from imageinspect.values import mediatype as mt
from imageinspect.values.digest import Digest
from imageinspect.values.reference import Reference

from .tags import sort_repo_tags

if TYPE_CHECKING:
    from .image import Image

__all__ = [
    "IMAGE_NAME",
    "REF_NAME",
    "containerd_manifest",
    "containerd_target",
    "descriptor_for",
    "names",
    "repo_digests",
]

#: Annotations the Docker 28 containerd store adds to ``Descriptor``.
IMAGE_NAME = "io.containerd.image.name"
REF_NAME = "org.opencontainers.image.ref.name"

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _layer_media_type(image: Image, index: int) -> mt.MediaType:
    with image.open_layer(index) as stream:
        head = stream.read(4)
    if head.startswith(_GZIP_MAGIC):
        return mt.DOCKER_LAYER_GZIP
    if head.startswith(_ZSTD_MAGIC):  # derived from containerd's importer, not observed
        return mt.OCI_LAYER_ZSTD
    return mt.DOCKER_LAYER


def containerd_manifest(image: Image) -> bytes:
    """The manifest containerd's importer writes for an archive without one
    (a legacy ``docker save``): its digest is the image ``Id``.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> from imageinspect.values.digest import Digest
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     raw = containerd_manifest(image)
    >>> len(raw), str(Digest.of(raw))[:19]
    (576, 'sha256:608584b7a481')
    """
    layers = []
    for index in range(len(image.layer_names)):
        media_type = _layer_media_type(image, index)
        layers.append(Descriptor(media_type, _blob_digest(image, index, media_type), image.layer_size(index)))
    manifest = ImageManifest(
        media_type=mt.DOCKER_MANIFEST,
        config=Descriptor(mt.DOCKER_CONFIG, image.config_document.digest, image.config_document.size),
        layers=tuple(layers),
    )
    return encode(writer("oci").write_shared(manifest), escape_html=True)


def _blob_digest(image: Image, index: int, media_type: mt.MediaType) -> Digest:
    """A layer blob's digest: its diff ID when stored uncompressed (``verify``
    checks that they agree), else the hash of the bytes as stored."""
    diff_ids = image.image_config.diff_ids
    if media_type == mt.DOCKER_LAYER and index < len(diff_ids):
        return diff_ids[index]
    digest = hashlib.sha256()
    with image.open_layer(index) as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return Digest.from_hex(digest.hexdigest())


def containerd_target(image: Image) -> tuple[Descriptor, int]:
    """The descriptor the containerd store's image record points at, and the
    bytes its blobs take as stored (``Size``: the target manifest, the config
    and the layer blobs; for an index target, the index as well).

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     target, size = containerd_target(image)
    >>> str(target.digest)[:19], target.size, size
    ('sha256:608584b7a481', 576, 12735)
    """
    blobs = image.config_document.size + sum(image.layer_size(index) for index in range(len(image.layer_names)))
    target = image.entry.target
    if target is not None and image.manifest is not None:
        size = blobs + image.manifest.size
        if target.digest != image.manifest.digest:
            size += target.size
        return Descriptor(target.media_type, target.digest, target.size), size
    if image.manifest is not None:
        manifest = image.manifest
        return Descriptor(manifest.value.media_type, manifest.digest, manifest.size), blobs + manifest.size
    raw = containerd_manifest(image)
    return Descriptor(mt.DOCKER_MANIFEST, Digest.of(raw), len(raw)), blobs + len(raw)


def descriptor_for(image: Image, target: Descriptor, name: str | None, tags: tuple[str, ...]) -> Descriptor:
    """``Descriptor`` as Docker 28's containerd store prints it when the
    image is looked up by ``name`` (``None``: by ID, as the engine API views
    here were asked).

    The store keeps one image record per name, each pointing at the target.
    A target that came from an OCI ``index.json`` keeps that entry's
    annotations. A manifest the importer wrote for a legacy archive is
    annotated per record with the record's full name and tag; looked up by
    ID, the first record (by name) answers; an untagged image's record has
    none (observed on 28.5.2).

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     target, _ = containerd_target(image)
    ...     dict(descriptor_for(image, target, None, image.repo_tags).annotations or {})
    {'io.containerd.image.name': 'docker.io/case/legacy-full:latest', 'org.opencontainers.image.ref.name': 'latest'}
    """
    if image.entry.target is not None:
        return Descriptor(target.media_type, target.digest, target.size, annotations=image.entry.target.annotations)
    chosen = name if name is not None and not _is_id(name) else (tags[0] if tags else None)
    if chosen is None:
        return target
    try:
        ref = Reference.parse(chosen).with_default_tag()
    except InvalidReference:
        return target
    return _annotated(target, str(ref), ref.tag or "")


def _is_id(name: str) -> bool:
    return name.startswith("sha256:") and len(name) == 71


def names(image: Image, *, ref_name_tags: bool) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``RepoTags`` and the tags that get a ``RepoDigests`` entry in the
    containerd store. From an OCI index: its ``io.containerd.image.name``
    values, and (Docker 28, ``ref_name_tags``) full references written as
    ``org.opencontainers.image.ref.name``, which get no digest; Docker 26
    leaves those untagged. Otherwise ``manifest.json``'s ``RepoTags``.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     names(image, ref_name_tags=True)
    (('case/legacy-full:latest',), ('case/legacy-full:latest',))
    """
    entry = image.entry
    if entry.target is None:
        return image.repo_tags, image.repo_tags
    digested = sort_repo_tags(entry.index_names)
    tags = sort_repo_tags(entry.index_names + (entry.index_ref_names if ref_name_tags else ()))
    return tags, digested


def _annotated(target: Descriptor, full_name: str, tag: str) -> Descriptor:
    annotations = FrozenMap({IMAGE_NAME: full_name, REF_NAME: tag})
    return Descriptor(target.media_type, target.digest, target.size, annotations=annotations)


def repo_digests(tags: tuple[str, ...], image_id: Digest, *, per_tag: bool = False) -> tuple[str, ...]:
    """The containerd store's ``RepoDigests`` of a loaded image: each tagged
    repository at the target digest, in ``RepoTags`` order, once each (Docker
    28) or once per tag (``per_tag``: Docker 26).

    >>> [d[:5] for d in repo_digests(("b/c:3", "app:1", "app:2"), Digest.of(b""))]
    ['b/c@s', 'app@s']
    >>> len(repo_digests(("b/c:3", "app:1", "app:2"), Digest.of(b""), per_tag=True))
    3
    """
    found = []
    for tag in tags:
        try:
            found.append(f"{Reference.parse(tag).familiar_name}@{image_id}")
        except InvalidReference:
            continue
    return tuple(found if per_tag else dict.fromkeys(found))
