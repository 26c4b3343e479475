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

import attrs

from imageinspect.codec.formats import Format, profile_of
from imageinspect.codec.gojson import encode
from imageinspect.codec.write import writer
from imageinspect.errors import InvalidReference
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.manifest import ImageManifest
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME, REF_NAME
from imageinspect.values.digest import Digest
from imageinspect.values.reference import Reference

if TYPE_CHECKING:
    from imageinspect.sources.stored import StoredImage

__all__ = [
    "DANGLING",
    "Listed",
    "Record",
    "containerd_manifest",
    "containerd_target",
    "descriptor_for",
    "listed",
    "names",
    "records",
]

#: Annotations the Docker 28 containerd store adds to ``Descriptor``.

_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"


def _layer_media_type(image: StoredImage, index: int) -> mt.MediaType:
    with image.open_layer(index) as stream:
        head = stream.read(4)
    if head.startswith(_GZIP_MAGIC):
        return mt.DOCKER_LAYER_GZIP
    if head.startswith(_ZSTD_MAGIC):  # derived from containerd's importer, not observed
        return mt.OCI_LAYER_ZSTD
    return mt.DOCKER_LAYER


def containerd_manifest(image: StoredImage) -> bytes:
    """The manifest containerd's importer writes for an archive without one
    (a legacy ``docker save``): its digest is the image ``Id``.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> from imageinspect.values.digest import Digest
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     raw = containerd_manifest(image)
    >>> len(raw), str(Digest.of(raw))[:19]
    (576, 'sha256:608584b7a481')
    """
    layers = []
    described: dict[tuple[str, Digest | None], Descriptor] = {}  # a blob listed again is not hashed again
    diff_ids = image.image_config.diff_ids
    for index, name in enumerate(image.layer_names):
        key = (name, diff_ids[index] if index < len(diff_ids) else None)
        if key not in described:
            media_type = _layer_media_type(image, index)
            described[key] = Descriptor(media_type, _blob_digest(image, index, media_type), image.layer_size(index))
        layers.append(described[key])
    manifest = ImageManifest(
        media_type=mt.DOCKER_MANIFEST,
        config=Descriptor(mt.DOCKER_CONFIG, image.config_document.digest, image.config_document.size),
        layers=tuple(layers),
    )
    return encode(writer("oci").write_shared(manifest), escape_html=True)


def _blob_digest(image: StoredImage, index: int, media_type: mt.MediaType) -> Digest:
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


def containerd_target(image: StoredImage) -> tuple[Descriptor, int]:
    """The descriptor the containerd store's image record points at, and the
    bytes its blobs take as stored (``Size``: the target manifest, the config
    and the layer blobs; for an index target, the index as well).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     target, size = containerd_target(image)
    >>> str(target.digest)[:19], target.size, size
    ('sha256:608584b7a481', 576, 12735)
    """
    absent = image.entry.absent_target
    if absent is not None and _oci_path(image):
        # the record of a manifest the archive lacks: only its descriptor
        return Descriptor(absent.media_type, absent.digest, absent.size), absent.size
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


#: The name Docker gives the extra record of an image whose archive name is
#: missing or not a reference (``moby-dangling@<digest>``).
DANGLING = "moby-dangling@"


@attrs.frozen
class Record:
    """One image record a containerd store keeps for a loaded image: its
    name as stored and its target, with the annotations of the index entry
    that made it (a store keeps no platform)."""

    name: str
    target: Descriptor

    @property
    def dangling(self) -> bool:
        """The extra record of an image without a usable name."""
        return self.name.startswith(DANGLING)


def _oci_path(image: StoredImage) -> bool:
    """containerd's importer reads an archive with an ``oci-layout`` file
    through its ``index.json`` (and ignores ``manifest.json``)."""
    entry = image.entry
    has_target = entry.target is not None or entry.absent_target is not None
    return image.entry.holding.oci_layout and has_target


def _normalized(name: str) -> Reference | None:
    try:
        return Reference.parse(name)
    except InvalidReference:
        return None


def _canonical(name: str) -> Reference | None:
    """The reference a record's name is when it is written in full
    (``docker.io/library/app:v1``, not ``app:v1``): moby's ``ParseNamed``."""
    ref = _normalized(name)
    return ref if ref is not None and str(ref) == name else None


def records(image: StoredImage, target: Descriptor) -> tuple[Record, ...]:
    """The records the containerd store makes for ``image`` (whose target
    is ``target``), sorted by name as the store lists them.

    From an OCI layout: one per top-level ``index.json`` entry that leads to
    the image, named by its ``io.containerd.image.name``, else by its
    ``org.opencontainers.image.ref.name`` as written. From a ``docker save``
    without one: one per ``RepoTags`` entry, normalized and annotated with
    that name and its tag. A name that is missing or not a reference adds a
    dangling record (containerd's ``WithDigestRef``; from moby's sources).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     [r.name for r in records(image, containerd_target(image)[0])]
    ['docker.io/case/legacy-full:latest']
    """
    found: list[Record] = []
    top = image.entry.holding.top_index
    if _oci_path(image) and top is not None:
        for entry in top.value.manifests or ():
            if entry.digest != target.digest:
                continue
            kept = Descriptor(entry.media_type, entry.digest, entry.size, annotations=entry.annotations)
            name = entry.annotation(CONTAINERD_IMAGE_NAME) or entry.annotation(REF_NAME) or ""
            if name:
                found.append(Record(name, kept))
            if not name or _normalized(name) is None:
                found.append(Record(DANGLING + str(entry.digest), kept))
    else:
        for tag in image.repo_tags:
            ref = _normalized(tag)
            if ref is None:
                continue  # refused at load (see synthesize._check_names)
            ref = ref.with_default_tag() if ref.digest is None else ref
            found.append(Record(str(ref), _annotated(target, str(ref), ref.tag or "")))
        if not found:
            found.append(Record(DANGLING + str(target.digest), target))
    return tuple(sorted(dict.fromkeys(found), key=lambda r: r.name))


def descriptor_for(image: StoredImage, target: Descriptor, name: str | None) -> Descriptor:
    """``Descriptor`` as Docker 28+'s containerd store prints it when the
    image is looked up by ``name`` (``None`` or an ID: the first record by
    name answers): the target of the record of that name, with the
    annotations of the index entry that made it (observed on 28.5.2 and
    29.7.2).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     target, _ = containerd_target(image)
    ...     dict(descriptor_for(image, target, None).annotations or {})
    {'io.containerd.image.name': 'docker.io/case/legacy-full:latest', 'org.opencontainers.image.ref.name': 'latest'}
    """
    found = records(image, target)
    if name is not None and not _is_id(name):
        ref = _normalized(name)
        wanted = {name} if ref is None else {name, str(ref), str(ref.with_default_tag())}
        for record in found:
            if record.name in wanted:
                return record.target
    return found[0].target if found else target


def _is_id(name: str) -> bool:
    return name.startswith("sha256:") and len(name) == 71


def names(
    image: StoredImage, target: Descriptor, *, malformed_tags: bool, per_tag: bool = False
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``RepoTags`` and ``RepoDigests`` of a loaded image in the containerd
    store, from its records (moby's ``collectRepoTagsAndDigests``): a name in
    canonical form is shown familiar, with a digest of its repository; one
    that is not (a bare or short ``ref.name``, an invalid one) is shown as
    written and without a digest from Docker 28 on (``malformed_tags``),
    and not at all before; each once, or (Docker 26, ``per_tag``) digests
    once per tag.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     tags, digests = names(image, containerd_target(image)[0], malformed_tags=True)
    >>> tags, [d[:36] for d in digests]
    (('case/legacy-full:latest',), ['case/legacy-full@sha256:608584b7a481'])
    """
    tags: list[str] = []
    digests: list[str] = []
    for record in records(image, target):
        if record.dangling:
            continue
        ref = _canonical(record.name)
        if ref is None:
            if malformed_tags:
                tags.append(record.name)
            continue
        tags.append(ref.familiar())
        if ref.digest is not None:
            digests.append(ref.familiar())
        else:
            digests.append(f"{ref.name_only().familiar()}@{target.digest}")
    if per_tag:
        return tuple(dict.fromkeys(tags)), tuple(digests)
    return tuple(dict.fromkeys(tags)), tuple(dict.fromkeys(digests))


def _annotated(target: Descriptor, full_name: str, tag: str) -> Descriptor:
    annotations = FrozenMap({CONTAINERD_IMAGE_NAME: full_name, REF_NAME: tag})
    return Descriptor(target.media_type, target.digest, target.size, annotations=annotations)


@attrs.frozen
class Listed:
    """One image summary ``docker images`` gets from the containerd store
    (moby's ``image_list.go``): its ``RepoTags`` as the daemon sends them
    (names that do not parse, untagged ones and repeats included: the CLI
    sorts them out) and whether it has ``RepoDigests``."""

    repo_tags: tuple[str, ...]
    has_digests: bool


def listed(image: StoredImage, target: Descriptor, fmt: Format, *, first: bool) -> tuple[Listed, ...]:
    """The summaries ``docker images`` gets for one platform image of an
    archive the daemon ``fmt`` names loaded into its containerd store
    (``target``: its :func:`containerd_target`; ``first``: the first
    platform image of that target; the release rules
    are ``containerd-list-*`` in :mod:`imageinspect.codec.rules`). 24.x and
    25.x list each platform image, later releases each target once; 24.0.0
    none without layers. 24.x: one summary per record, tagged by its name
    (canonical, else as written; none for a dangling record). Later: one,
    tagged by every name that normalizes, plus the name of the record the
    store keeps for the target as written when that is not canonical: the
    last record by name, or (28.1 on) the last named one.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     listed(image, containerd_target(image)[0], Format.docker("29.7", store="containerd"), first=True)
    (Listed(repo_tags=('case/legacy-full:latest',), has_digests=True),)
    """
    profile = profile_of(fmt)
    if not first and not profile.has("containerd-list-per-manifest"):
        return ()
    if profile.has("containerd-list-skips-layerless") and not image.layer_names:
        return ()
    found = records(image, target)
    if profile.has("containerd-list-per-record"):
        summaries = []
        for record in found:
            ref = _canonical(record.name)
            if record.dangling:
                summaries.append(Listed((), False))
            elif ref is not None:
                tagged = ref.with_default_tag() if ref.digest is None else ref
                summaries.append(Listed((tagged.familiar(),), True))
            else:
                summaries.append(Listed((record.name,), False))
        return tuple(summaries)
    tags: list[str] = []
    digests = False
    for record in found:
        ref = None if record.dangling else _normalized(record.name)
        if ref is not None:
            tags.append(ref.familiar())
            digests = digests or str(ref) == record.name
    named = [record for record in found if not record.dangling]
    choices = (named or list(found)) if profile.has("containerd-list-named-first") else list(found)
    kept = choices[-1] if choices else None
    if kept is not None and not kept.dangling and _canonical(kept.name) is None:
        tags.append(kept.name)
    return (Listed(tuple(tags), digests),)
