"""OCI image layouts (``index.json``, nested indexes), as directories or
tars: one entry per image manifest, with the names an index gives it."""

from __future__ import annotations

from typing import Any, cast

import attrs

from imageinspect.codec.documents import parse
from imageinspect.errors import ArchiveError, ImageInspectError, LimitExceeded
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.formats.entry import Entry, blob_name
from imageinspect.sources.storage.tree import Tree
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import ATTESTATION_MANIFEST, CONTAINERD_IMAGE_NAME, DOCKER_REFERENCE_TYPE, REF_NAME

__all__ = ["oci_entries"]


def _is_name(ref: str) -> bool:
    """``org.opencontainers.image.ref.name`` may be a bare tag (``latest``),
    which names no repository."""
    return any(char in ref for char in ":/@")


def _index_names(descriptor: Descriptor, top: Descriptor | None) -> tuple[str, ...]:
    """The names an index entry gives: its ``io.containerd.image.name``, else
    a ``ref.name`` with a ``/`` (``host/path:tag``; a bare tag or ``name:tag``
    names no repository for podman)."""
    for source in (descriptor, top):
        if source is None:
            continue
        name = source.annotation(CONTAINERD_IMAGE_NAME)
        if name:
            return (name,)
        ref_name = source.annotation(REF_NAME)
        if ref_name and _is_name(ref_name):
            return (ref_name,) if "/" in ref_name else ()
    return ()


def _is_attestation(descriptor: Descriptor) -> bool:
    if descriptor.annotation(DOCKER_REFERENCE_TYPE) == ATTESTATION_MANIFEST:
        return True
    return descriptor.platform is not None and descriptor.platform.is_attestation


def _read_document(tree: Tree, descriptor: Descriptor, where: str) -> Document[Any] | None:
    name = blob_name(descriptor.digest)
    if not tree.present(name):
        return None  # sparse layout: the blob is not in this tree
    raw = tree.read(name)
    try:
        doc = parse(raw, descriptor.media_type)
    except ImageInspectError as err:
        raise type(err)(
            err.message, f"{tree.where(name)}{err.location[1:] if err.location.startswith('$') else ''}"
        ) from None
    if doc.digest != descriptor.digest or doc.size != descriptor.size:
        raise ArchiveError(
            f"{where}.digest={descriptor.digest} size={descriptor.size} but the blob has "
            f"{doc.digest} and {doc.size} bytes",
            tree.where(name),
        )
    return doc


def oci_entries(
    tree: Tree, absent: list[Descriptor] | None = None, top: list[Document[ImageIndex]] | None = None
) -> list[Entry]:
    """One entry per image manifest the layout's indexes lead to; the
    top-level entries naming a manifest the tree lacks are added to
    ``absent`` when given (what a containerd store still records), and the
    parsed ``index.json`` to ``top``."""
    where = tree.where("index.json")
    try:
        root = parse(tree.read("index.json", follow_links=False), mt.OCI_INDEX)
    except ImageInspectError as err:
        location = where + err.location if err.location.startswith("$") else err.location
        raise type(err)(err.message, location) from None
    if top is not None and isinstance(root.value, ImageIndex):
        top.append(cast("Document[ImageIndex]", root))
    entries: list[Entry] = []
    walked: set[str] = set()
    # each manifest is read and parsed once, however many descriptors name it
    parsed: dict[tuple[str, str], tuple[Document[Any] | None, tuple[str, ...]]] = {}

    def manifest_of(descriptor: Descriptor, at: str) -> tuple[Document[Any] | None, tuple[str, ...]]:
        key = (str(descriptor.digest), descriptor.media_type or "")
        if key not in parsed:
            doc = _read_document(tree, descriptor, at)
            layers: tuple[str, ...] = ()
            if doc is not None and isinstance(doc.value, ImageManifest):
                layers = tuple(blob_name(layer.digest) for layer in doc.value.layers or ())
            parsed[key] = (doc, layers)
        return parsed[key]

    budget = [tree.limits.max_descriptors]

    def walk(index_doc: Any, refs: tuple[str, ...], path: str, depth: int, top: Descriptor | None) -> None:
        if depth > 8:
            raise ArchiveError("indexes nested deeper than 8 levels", where)
        for position, descriptor in enumerate(index_doc.value.manifests or ()):
            at = f"{path}.manifests[{position}]"
            budget[0] -= 1
            if budget[0] < 0:
                raise LimitExceeded(f"the index tree lists more than {tree.limits.max_descriptors} descriptors", at)
            own = tuple(
                ref for ref in (
                    descriptor.annotation(CONTAINERD_IMAGE_NAME),
                    descriptor.annotation(REF_NAME),
                ) if ref and _is_name(ref)
            ) or refs  # fmt: skip
            media_type = descriptor.media_type or ""
            if _is_attestation(descriptor):
                continue
            if mt.is_index(media_type):
                if str(descriptor.digest) in walked:
                    continue  # each index is walked once, however often it is listed
                walked.add(str(descriptor.digest))
                child = _read_document(tree, descriptor, at)
                if child is not None:
                    walk(child, own, at, depth + 1, top or descriptor)
                continue
            if media_type and not mt.is_manifest(media_type):
                continue
            doc, layer_names = manifest_of(descriptor, at)
            if doc is None and depth == 0 and absent is not None and descriptor.media_type:
                absent.append(descriptor)
            if doc is None or not isinstance(doc.value, ImageManifest):
                continue
            manifest: ImageManifest = doc.value
            index_names = _index_names(descriptor, top)
            entries.append(
                Entry(
                    "oci-layout",
                    own,
                    blob_name(manifest.config.digest),
                    manifest.config.digest,
                    layer_names,
                    manifest=doc,
                    index=index_doc,
                    platform=descriptor.platform,
                    target=top or descriptor,
                    index_names=index_names,
                )
            )

    walk(root, (), where + "$", 0, None)
    # One manifest listed under several names (one index entry per tag) is
    # one image with several tags.
    merged: dict[Any, Entry] = {}
    for entry in entries:
        key = (entry.manifest.digest if entry.manifest is not None else entry.config_digest, entry.platform)
        if key in merged:
            known = merged[key]
            merged[key] = attrs.evolve(
                known,
                refs=known.refs + tuple(r for r in entry.refs if r not in known.refs),
                index_names=known.index_names + tuple(r for r in entry.index_names if r not in known.index_names),
            )
        else:
            merged[key] = entry
    return list(merged.values())
