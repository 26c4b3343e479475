"""The formats images are stored in, and finding the images in a tree:
each format is a module that makes :class:`~imageinspect.sources.formats.entry.Entry`
records and a row of :data:`FORMATS` (its name, whether it claims a tree,
its entries) -- a pre-1.10 ``docker save``
(:mod:`~imageinspect.sources.formats.legacy`), a ``docker save`` with
``manifest.json`` (:mod:`~imageinspect.sources.formats.docker_archive`), an
OCI image layout (:mod:`~imageinspect.sources.formats.oci_layout`), both at
once, or a skopeo ``dir:`` (:mod:`~imageinspect.sources.formats.skopeo_dir`).
:class:`~imageinspect.sources.formats.catalog.Catalog` reads each config once.
"""

from __future__ import annotations

from collections.abc import Callable

import attrs

from imageinspect.errors import ArchiveError
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex
from imageinspect.sources.formats.docker_archive import digest_from_name, docker_entries
from imageinspect.sources.formats.entry import Entry, Holding, blob_name
from imageinspect.sources.formats.legacy import is_legacy, legacy_entries
from imageinspect.sources.formats.oci_layout import oci_entries
from imageinspect.sources.formats.skopeo_dir import is_skopeo_dir, skopeo_dir_entry
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME, REF_NAME
from imageinspect.values.reference import normalized_reference

__all__ = ["FORMATS", "Entry", "Holding", "StorageFormat", "blob_name", "digest_from_name", "discover"]


@attrs.frozen
class StorageFormat:
    """One way images are stored in a tree.

    >>> [row.name for row in FORMATS]
    ['dir', 'docker-archive (pre-1.10)', 'docker-archive or oci-layout']
    """

    name: str
    #: Whether a tree is stored this way (the first row that claims it reads it).
    claims: Callable[[Tree], bool]
    #: The images it holds; the second argument receives the parsed
    #: top-level ``index.json`` when the format reads one.
    entries: Callable[[Tree, list[Document[ImageIndex]]], list[Entry]]


#: The formats, tried in this order.
FORMATS: tuple[StorageFormat, ...] = (
    StorageFormat("dir", is_skopeo_dir, lambda tree, _: [skopeo_dir_entry(tree)]),
    StorageFormat("docker-archive (pre-1.10)", is_legacy, lambda tree, _: legacy_entries(tree)),
    StorageFormat("docker-archive or oci-layout", lambda tree: True, lambda tree, top: _saved_or_layout(tree, top)),
)


def discover(tree: Tree) -> list[Entry]:
    """Every image in ``tree``, found by the first format of :data:`FORMATS`
    that claims it, each entry told what the tree holds (:class:`Holding`).

    >>> from pathlib import Path
    >>> from imageinspect.sources.storage.tree import open_tree
    >>> with open_tree(Path("tests/data/golden/edge/pre-1.10.tar")) as tree:
    ...     entries = discover(tree)
    >>> entries[-1].refs, entries[-1].holding.legacy, entries[-1].docker_save
    (('edge/pre-1.10:latest',), True, True)
    """
    top: list[Document[ImageIndex]] = []
    for row in FORMATS:
        if row.claims(tree):
            entries = row.entries(tree, top)
            break
    else:  # pragma: no cover - the last row claims every tree
        entries = []
    holding = Holding(
        manifest_json=tree.present("manifest.json"),
        oci_layout=tree.present("oci-layout") and tree.present("index.json"),
        legacy=is_legacy(tree),
        top_index=top[0] if top else None,
        compression=getattr(tree, "compression", None),
    )
    return [_held(entry, holding) for entry in entries]


def _held(entry: Entry, holding: Holding) -> Entry:
    before = None if entry.before_25 is None else attrs.evolve(entry.before_25, holding=holding)
    return attrs.evolve(entry, holding=holding, before_25=before)


def _saved_or_layout(tree: Tree, top: list[Document[ImageIndex]]) -> list[Entry]:
    """A ``docker save`` (``manifest.json``), an OCI layout, or both (Docker
    25+, containerd exports): then each manifest.json entry is paired with
    the layout's manifest for the same config, so both the archive's tags
    and the real manifest are kept."""
    docker = docker_entries(tree) if tree.present("manifest.json") else []
    absent: list[Descriptor] = []
    oci = oci_entries(tree, absent, top) if tree.present("index.json") else []
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
            # with an oci-layout file, containerd and podman read the index:
            # its manifest's layers are the image's; manifest.json's are kept
            # for the graphdriver store (see loadable)
            by_index = tree.present("oci-layout") and match.layer_names != entry.layer_names
            entry = attrs.evolve(
                entry,
                layer_names=match.layer_names if by_index else entry.layer_names,
                archive_layers=entry.layer_names if by_index else None,
                manifest=match.manifest,
                index=match.index,
                platform=match.platform,
                target=match.target,
                index_names=match.index_names,
            )
        paired.append(entry)
    if absent and tree.present("oci-layout"):
        paired = _pair_absent(paired, absent)
    return paired


def _names_of(descriptor: Descriptor) -> set[str]:
    found = set()
    for key in (CONTAINERD_IMAGE_NAME, REF_NAME):
        name = descriptor.annotation(key)
        if name:
            found.add(normalized_reference(name))
    return found


def _pair_absent(entries: list[Entry], absent: list[Descriptor]) -> list[Entry]:
    """A ``manifest.json`` image the index names by an entry whose manifest
    the tree lacks: the containerd store records that entry instead (by a
    shared name; or the only such image with the only such entry)."""
    unpaired = [i for i, e in enumerate(entries) if e.target is None]
    out = list(entries)
    left = list(absent)
    for i in unpaired:
        refs = {normalized_reference(ref) for ref in entries[i].refs}
        match = next((d for d in left if _names_of(d) & refs), None)
        if match is None and len(unpaired) == 1 and len(left) == 1:
            match = left[0]
        if match is not None:
            left.remove(match)
            out[i] = attrs.evolve(entries[i], absent_target=match)
    return out
