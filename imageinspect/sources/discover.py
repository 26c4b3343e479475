"""Finding the images in a tree: ``docker save``'s ``manifest.json`` (every
era) and OCI image layouts (``index.json``, nested indexes), or both.

An :class:`Entry` says where an image's config and layers are; reading and
checking them is :mod:`imageinspect.sources.image`'s job.
"""

from __future__ import annotations

import posixpath
from typing import Any

import attrs

from imageinspect.codec.documents import parse
from imageinspect.codec.jsonread import read_json
from imageinspect.errors import ArchiveError, ImageInspectError, InvalidDigest, InvalidJSON, LimitExceeded, SchemaError
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.values import mediatype as mt
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform

from .tree import Tree

__all__ = ["Entry", "blob_name", "discover"]

_ATTESTATION = "attestation-manifest"


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
    #: Names the layout's index gives (``io.containerd.image.name``), and
    #: full references written as ``org.opencontainers.image.ref.name``:
    #: what a containerd store names the image (a graphdriver store reads
    #: ``manifest.json``'s ``RepoTags`` instead).
    index_names: tuple[str, ...] = ()
    index_ref_names: tuple[str, ...] = ()
    #: A config the loader makes rather than reads (pre-1.10 archives).
    config_bytes: bytes | None = None


def _load_json(tree: Tree, name: str) -> Any:
    """A metadata file's JSON (``tree.read`` already bounds its size), with
    :func:`~imageinspect.codec.jsonread.read_json`'s diagnostics located at
    the archive member."""
    try:
        return read_json(tree.read(name, follow_links=False), max_size=tree.limits.max_metadata_size)
    except InvalidJSON as err:
        raise ArchiveError(err.message, tree.where(name)) from None
    except LimitExceeded as err:
        raise LimitExceeded(err.message, tree.where(name)) from None


def _str_list(value: Any, where: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise SchemaError("expected an array of strings", where)
    return tuple(value)


def _skopeo_dir_entry(tree: Tree) -> Entry:
    """containers/image's ``dir:`` transport: ``manifest.json`` is the image
    manifest itself, blobs are files named by their hex digest, and a
    ``version`` file says ``Directory Transport Version: 1.x``."""
    raw = tree.read("manifest.json", follow_links=False)
    where = tree.where("manifest.json")
    try:
        doc = parse(raw)
    except ImageInspectError as err:
        raise type(err)(err.message, where + err.location) from None
    if not isinstance(doc.value, ImageManifest):
        raise ArchiveError("a dir: layout's manifest.json must be an image manifest", where)
    manifest: ImageManifest = doc.value
    typed: Document[ImageManifest] = doc  # type: ignore[assignment]
    return Entry(
        "dir",
        (),
        manifest.config.digest.encoded,
        manifest.config.digest,
        tuple(layer.digest.encoded for layer in manifest.layers or ()),
        manifest=typed,
    )


def _is_skopeo_dir(tree: Tree) -> bool:
    if not tree.present("version") or not tree.present("manifest.json"):
        return False
    try:
        return tree.read("version", follow_links=False).startswith(b"Directory Transport Version:")
    except ImageInspectError:
        return False


def _docker_entries(tree: Tree) -> list[Entry]:
    where = tree.where("manifest.json")
    data = _load_json(tree, "manifest.json")
    if not isinstance(data, list):
        raise SchemaError("expected an array of images", where + "$")
    entries = []
    for index, item in enumerate(data):
        at = f"{where}$[{index}]"
        if not isinstance(item, dict):
            raise SchemaError("expected an object", at)
        config = item.get("Config")
        if not isinstance(config, str) or not config:
            raise SchemaError("expected the config's file name", at + ".Config")
        layers = _str_list(item.get("Layers"), at + ".Layers")
        refs = _str_list(item.get("RepoTags"), at + ".RepoTags")
        parent = item.get("Parent", "")
        if not isinstance(parent, str):
            raise SchemaError("expected a string", at + ".Parent")
        entries.append(Entry("docker-archive", refs, config, _digest_from_name(config), layers, parent))
    return entries


def _digest_from_name(name: str) -> Digest | None:
    """``blobs/sha256/<hex>``, ``<hex>.json``, ``sha256:<hex>`` (ggcr) name
    their content's digest."""
    base = posixpath.basename(name)
    parent = posixpath.basename(posixpath.dirname(name))
    candidates = [f"{parent}:{base}", base, "sha256:" + base.removesuffix(".json")]
    for text in candidates:
        try:
            return Digest(text)
        except InvalidDigest:
            continue
    return None


def _is_name(ref: str) -> bool:
    """``org.opencontainers.image.ref.name`` may be a bare tag (``latest``),
    which names no repository."""
    return any(char in ref for char in ":/@")


def _containerd_names(descriptor: Descriptor, top: Descriptor | None) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The name containerd's importer gives an index entry: its
    ``io.containerd.image.name``, else a ``ref.name`` that containerd's
    reference parser takes (it needs a ``/``: ``host/path:tag``); and,
    apart, a ``ref.name`` that is a full Docker reference without one
    (``name:tag``), which only Docker 28 turns into a tag."""
    for source in (descriptor, top):
        if source is None:
            continue
        name = source.annotation("io.containerd.image.name")
        if name:
            return (name,), ()
        ref_name = source.annotation("org.opencontainers.image.ref.name")
        if ref_name and _is_name(ref_name):
            return ((ref_name,), ()) if "/" in ref_name else ((), (ref_name,))
    return (), ()


def _is_attestation(descriptor: Descriptor) -> bool:
    if descriptor.annotation("vnd.docker.reference.type") == _ATTESTATION:
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
    if doc.digest != descriptor.digest or (descriptor.media_type and doc.size != descriptor.size):
        raise ArchiveError(
            f"{where}.digest={descriptor.digest} size={descriptor.size} but the blob has "
            f"{doc.digest} and {doc.size} bytes",
            tree.where(name),
        )
    return doc


def _oci_entries(tree: Tree) -> list[Entry]:
    where = tree.where("index.json")
    try:
        root = parse(tree.read("index.json", follow_links=False), mt.OCI_INDEX)
    except ImageInspectError as err:
        location = where + err.location if err.location.startswith("$") else err.location
        raise type(err)(err.message, location) from None
    entries: list[Entry] = []

    def walk(index_doc: Any, refs: tuple[str, ...], path: str, depth: int, top: Descriptor | None) -> None:
        if depth > 8:
            raise ArchiveError("indexes nested deeper than 8 levels", where)
        for position, descriptor in enumerate(index_doc.value.manifests or ()):
            at = f"{path}.manifests[{position}]"
            own = tuple(
                ref for ref in (
                    descriptor.annotation("io.containerd.image.name"),
                    descriptor.annotation("org.opencontainers.image.ref.name"),
                ) if ref and _is_name(ref)
            ) or refs  # fmt: skip
            media_type = descriptor.media_type or ""
            if _is_attestation(descriptor):
                continue
            if mt.is_index(media_type):
                child = _read_document(tree, descriptor, at)
                if child is not None:
                    walk(child, own, at, depth + 1, top or descriptor)
                continue
            if media_type and not mt.is_manifest(media_type):
                continue
            doc = _read_document(tree, descriptor, at)
            if doc is None or not isinstance(doc.value, ImageManifest):
                continue
            manifest: ImageManifest = doc.value
            index_names, index_ref_names = _containerd_names(descriptor, top)
            entries.append(
                Entry(
                    "oci-layout",
                    own,
                    blob_name(manifest.config.digest),
                    manifest.config.digest,
                    tuple(blob_name(layer.digest) for layer in manifest.layers or ()),
                    manifest=doc,
                    index=index_doc,
                    platform=descriptor.platform,
                    target=top or descriptor,
                    index_names=index_names,
                    index_ref_names=index_ref_names,
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
                index_ref_names=known.index_ref_names
                + tuple(r for r in entry.index_ref_names if r not in known.index_ref_names),
            )
        else:
            merged[key] = entry
    return list(merged.values())


def discover(tree: Tree) -> list[Entry]:
    """Every image in ``tree``. When a tree has both a ``manifest.json`` and an
    OCI layout (Docker 25+, containerd exports), each manifest.json entry is
    paired with the layout's manifest for the same config, so both the
    archive's tags and the real manifest are kept.
    """
    if _is_skopeo_dir(tree):
        return [_skopeo_dir_entry(tree)]
    from .legacy import is_legacy, legacy_entries

    if is_legacy(tree):
        return legacy_entries(tree)
    docker = _docker_entries(tree) if tree.present("manifest.json") else []
    oci = _oci_entries(tree) if tree.present("index.json") else []
    if not docker:
        if not oci and not tree.present("index.json"):
            raise ArchiveError(
                "neither a docker-archive (manifest.json) nor an OCI image layout (index.json)", tree.where()
            )
        return oci
    by_config = {entry.config_digest: entry for entry in oci}
    paired = []
    for entry in docker:
        match = by_config.get(entry.config_digest)
        if match is not None:
            entry = attrs.evolve(
                entry,
                manifest=match.manifest,
                index=match.index,
                platform=match.platform,
                target=match.target,
                index_names=match.index_names,
                index_ref_names=match.index_ref_names,
            )
        paired.append(entry)
    return paired
