"""Whether a daemon would load an archive at all: one rule for every view
(``inspect``, ``history``, ``images``, ``layers``), so none of them shows a
plausible table for an archive the daemon refuses.

The refusals, with the daemon's own words (observed on Docker 26.1, 28.0,
28.5, 29.0 and 29.7 with each store, and podman 5.4-6.1, unless said):

- the graphdriver store reads ``manifest.json`` only: an OCI archive without
  one fails before Docker 29 with ``open <tmp>/blobs/json: no such file or
  directory``, and from 29.0 with ``invalid archive: does not contain a
  manifest.json`` (also said of a pre-1.10 archive, which 28.x loads);
- the graphdriver store refuses a ``manifest.json`` entry whose layer count
  differs from its config's diff IDs (``invalid manifest, layers length
  mismatch``); the containerd store of 26.x fails to unpack it
  (``mismatched image rootfs and manifest layers``), 28.0 and later keep it;
- the containerd store reads an archive with an ``oci-layout`` file through
  its ``index.json``, else through ``manifest.json``: with neither it says
  ``unrecognized image format``, and an index that lists nothing leaves
  ``image might be filtered out``;
- podman cannot read a pre-1.10 archive nor a layer-count mismatch, nor an
  OCI archive without ``manifest.json`` whose ``ref.name`` is no valid
  name (``UpperCase``: ``payload does not match any of the supported image
  formats``, then one line per transport it tried);
- the containerd store of 24.x reads the archive as a plain tar (a
  compressed one: ``archive/tar: invalid tar header``), needs every
  manifest the index tree names (``content digest ...: not found``: the
  first absent one, depth first), and on 24.0.0 unpacks attestation
  manifests too (``failed to extract layer ...: failed to get stream
  processor for application/vnd.in-toto+json: ...``; observed on 24.0.0
  and 24.0.9);
- an ``oci-layout`` archive whose ``index.json`` names a manifest the
  archive lacks (its image in ``manifest.json``): the containerd store of
  24.x refuses the load (``content digest ...: not found``), 25.0-26.x keep
  nothing, 27.x and 28.0 keep a record that ``inspect`` cannot show, and
  from 28.2 ``inspect`` shows an image without a config while ``history``
  finds no content (observed on 24.0-29.7).

A refusal *after* a load (the daemon loads the archive but does not show the
image) is said as such: :attr:`Refusal.loaded`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, Literal, NamedTuple

from imageinspect.codec.documents import parse
from imageinspect.codec.formats import Format, Profile, profile_of
from imageinspect.errors import ImageInspectError, InvalidReference, LoadRefused
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.formats.entry import blob_name
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import ATTESTATION_MANIFEST, DOCKER_REFERENCE_TYPE, REF_NAME
from imageinspect.values.digest import Digest
from imageinspect.values.reference import Reference

if TYPE_CHECKING:
    from imageinspect.sources.stored import StoredImage

__all__ = ["LoadRefused", "Refusal", "check_loadable", "load_refusal"]


class Refusal(NamedTuple):
    """What a daemon says when it will not load or show an image."""

    #: The daemon's own words.
    message: str
    #: The archive member they are about.
    member: str
    #: Whether the load itself succeeds (the image is then not shown).
    loaded: bool = False


#: Where the image is to be shown: ``docker image inspect``, ``docker
#: history`` or ``docker images``.
View = Literal["inspect", "history", "images"]


def load_refusal(image: StoredImage, format: Format, view: View = "inspect", name: str | None = None) -> Refusal | None:
    """What the daemon ``format`` names says when it refuses to load the
    archive ``image`` came from, or to show the image in ``view`` once
    loaded (asked for by ``name``: default its ID), and the member it is
    about; ``None`` when it shows it.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/edge/pre-1.10.tar"), ref="edge/pre-1.10") as image:
    ...     load_refusal(image, Format.docker("28.5")), load_refusal(image, Format.docker("29.7", store="graphdriver"))[:2]
    (None, ('invalid archive: does not contain a manifest.json', 'manifest.json'))
    >>> with open_image(Path("tests/data/golden/edge/pre-1.10.tar"), ref="edge/pre-1.10") as image:
    ...     load_refusal(image, Format.docker("29.7", store="containerd"))
    Refusal(message='unrecognized image format', member='manifest.json', loaded=False)
    """
    from imageinspect.sources.storage.memory import MemoryTree

    tree = image.tree
    if isinstance(tree, MemoryTree):
        return None  # an image built in memory (imageinspect.testing): no archive to refuse
    holding = image.entry.holding
    legacy = holding.legacy
    manifest_json = holding.manifest_json
    archive_layers = image.entry.archive_layers or image.layer_names
    mismatch = image.entry.docker_save and not legacy and len(archive_layers) != len(image.image_config.diff_ids)
    oci_path = holding.oci_layout
    if format.kind == "podman":
        if legacy or (mismatch and not (oci_path and image.entry.target is not None)):
            return Refusal("payload does not match any of the supported image formats", "manifest.json")
        if not manifest_json and _invalid_ref_name(image):
            return Refusal("payload does not match any of the supported image formats", "index.json")
        return None
    profile = profile_of(format)  # the caller's resolve() gives the warnings
    if format.store == "containerd":
        if holding.compression is not None and profile.has("containerd-plain-tar-only"):
            return Refusal("archive/tar: invalid tar header", "")
        if not oci_path and not manifest_json:
            return Refusal("unrecognized image format", "manifest.json")
        if oci_path and profile.has("absent-manifest-load-refused"):
            absent = _first_absent_manifest(image)
            if absent is not None:
                return Refusal(f"content digest {absent}: not found", f"index.json ({absent})")
        if oci_path and profile.has("containerd-unpacks-attestations"):
            found = _attestation_layer(image)
            if found is not None:
                digest, media_type = found
                return Refusal(
                    f"failed to extract layer {digest}: failed to get stream processor for {media_type}: "
                    "no processor for media-type: unknown",
                    blob_name(digest),
                )
        if oci_path and image.entry.absent_target is not None:
            return _absent_manifest(image, profile, view, name)
        if oci_path and image.entry.target is None:
            return Refusal("image might be filtered out", "index.json")
        # the layers it reads (the index manifest's on the OCI path) against the config's
        unpacks = len(image.layer_names) == len(image.image_config.diff_ids) or legacy
        if not unpacks and not profile.has("containerd-keeps-unpack-failures"):
            prefix = "" if profile.has("containerd-unpack-error-bare") else "failed to unpack loaded image: "
            return Refusal(
                f"{prefix}mismatched image rootfs and manifest layers", "index.json" if oci_path else "manifest.json"
            )
        return None
    if not manifest_json and not (legacy and profile.has("legacy-load")):
        if profile.has("manifest-json-required"):
            return Refusal("invalid archive: does not contain a manifest.json", "manifest.json")
        return Refusal("open <tmp>/blobs/json: no such file or directory", "blobs/json")
    missing = next((member for member in archive_layers if not tree.exists(member)), None)
    if missing is not None:
        return Refusal(f"open <tmp>/{missing}: no such file or directory", missing)
    if mismatch:
        return Refusal(
            f"invalid manifest, layers length mismatch: expected {len(archive_layers)}, "
            f"got {len(image.image_config.diff_ids)}",
            "manifest.json",
        )
    return None


def _absent_manifest(image: StoredImage, profile: Profile, view: View, name: str | None) -> Refusal | None:
    """The containerd store and an index entry whose manifest the archive
    lacks (see the module's notes; the words observed per release)."""
    target = image.entry.absent_target
    assert target is not None
    member = f"index.json ({target.digest})"
    asked = name or str(target.digest)
    if profile.has("absent-manifest-load-refused"):
        return Refusal(f"content digest {target.digest}: not found", member)
    if view == "images":  # listed from 27.0 on, whatever inspect says
        if profile.has("absent-manifest-kept-nothing"):
            return Refusal("the load keeps no image", member, loaded=True)
        return None
    if profile.has("absent-manifest-no-such-image"):
        return Refusal(f"No such image: {asked}", member, loaded=True)
    if view == "history":
        return Refusal(f"NotFound: content digest {target.digest}: not found", member, loaded=True)
    if profile.has("absent-manifest-no-platform"):
        return Refusal(
            f"image with reference {asked} was found but does not provide the specified platform (linux/amd64)",
            member,
            loaded=True,
        )
    return None


def check_loadable(image: StoredImage, format: Format, view: View = "inspect", name: str | None = None) -> None:
    """Raise :class:`LoadRefused` when the daemon ``format`` names would
    refuse to load the archive, or not show the image in ``view`` after
    loading it.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/edge/layer-count.tar")) as image:
    ...     check_loadable(image, Format.docker("28.5"))
    Traceback (most recent call last):
      ...
    imageinspect.errors.LoadRefused: layer-count.tar!manifest.json: Docker 28.5 would refuse to load it: invalid manifest, layers length mismatch: expected 3, got 1
    """
    found = load_refusal(image, format, view, name)
    if found is None:
        return
    message, member, loaded = found
    who = "podman" if format.kind == "podman" else "Docker"
    daemon = f"{who} {format.version}" if format.version else f"the newest {who}"
    if loaded:
        raise LoadRefused(f"{daemon} would load it but not show it in {view}: {message}", image.tree.where(member))
    raise LoadRefused(f"{daemon} would refuse to load it: {message}", image.tree.where(member))


def _invalid_ref_name(image: StoredImage) -> bool:
    """podman names an image of an OCI archive by its index entry's
    ``ref.name``: one that is no valid reference (``UpperCase``) fails
    podman's oci-archive transport (observed on 5.4, 5.8, 6.1)."""
    target = image.entry.target
    name = None if target is None else target.annotation(REF_NAME)
    if not name:
        return False
    try:
        Reference.parse(name)
    except InvalidReference:
        return True
    return False


def _walk(image: StoredImage) -> Iterator[tuple[Descriptor, Document[Any] | None]]:
    """Every descriptor the index tree names, depth first in index order,
    with its document when the archive holds it (indexes are walked into)."""
    top = image.entry.holding.top_index
    if top is None:
        return
    tree = image.tree
    stack = [iter(top.value.manifests or ())]
    seen: set[Digest] = set()
    while stack:
        descriptor = next(stack[-1], None)
        if descriptor is None:
            stack.pop()
            continue
        name = blob_name(descriptor.digest)
        if not tree.present(name):
            yield descriptor, None
            continue
        try:
            doc = parse(tree.read(name), descriptor.media_type)
        except ImageInspectError:
            yield descriptor, None
            continue
        yield descriptor, doc
        if isinstance(doc.value, ImageIndex) and descriptor.digest not in seen and len(stack) < 8:
            seen.add(descriptor.digest)
            stack.append(iter(doc.value.manifests or ()))


def _first_absent_manifest(image: StoredImage) -> Digest | None:
    """The first manifest (or index) the index tree names that the archive
    lacks."""
    return next((d.digest for d, doc in _walk(image) if doc is None), None)


def _attestation_layer(image: StoredImage) -> tuple[Digest, str] | None:
    """The first layer of an attestation manifest the archive holds whose
    media type is no layer a containerd unpacker knows (in-toto statements)."""
    for descriptor, doc in _walk(image):
        attestation = descriptor.annotation(DOCKER_REFERENCE_TYPE) == ATTESTATION_MANIFEST
        if not attestation or doc is None or not isinstance(doc.value, ImageManifest):
            continue
        for layer in doc.value.layers or ():
            if not mt.is_layer(layer.media_type or ""):
                return layer.digest, str(layer.media_type)
    return None
