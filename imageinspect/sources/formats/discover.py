"""Finding the images in a tree, whatever its format: a pre-1.10
``docker save`` (:mod:`~imageinspect.sources.formats.legacy`), a ``docker save`` with
``manifest.json`` (:mod:`~imageinspect.sources.formats.docker_archive`), an OCI image
layout (:mod:`~imageinspect.sources.formats.oci_layout`), both at once, or a skopeo
``dir:`` (:mod:`~imageinspect.sources.formats.skopeo_dir`).
"""

from __future__ import annotations

import attrs

from imageinspect.errors import ArchiveError
from imageinspect.model.descriptor import Descriptor
from imageinspect.sources.formats.docker_archive import digest_from_name, docker_entries
from imageinspect.sources.formats.entry import Entry, blob_name
from imageinspect.sources.formats.legacy import is_legacy, legacy_entries
from imageinspect.sources.formats.oci_layout import oci_entries
from imageinspect.sources.formats.skopeo_dir import is_skopeo_dir, skopeo_dir_entry
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.reference import normalized_reference

__all__ = ["Entry", "blob_name", "digest_from_name", "discover"]


def discover(tree: Tree) -> list[Entry]:
    """Every image in ``tree``. When a tree has both a ``manifest.json`` and an
    OCI layout (Docker 25+, containerd exports), each manifest.json entry is
    paired with the layout's manifest for the same config, so both the
    archive's tags and the real manifest are kept.
    """
    if is_skopeo_dir(tree):
        return [skopeo_dir_entry(tree)]
    if is_legacy(tree):
        return legacy_entries(tree)
    docker = docker_entries(tree) if tree.present("manifest.json") else []
    absent: list[Descriptor] = []
    oci = oci_entries(tree, absent) if tree.present("index.json") else []
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
    for key in ("io.containerd.image.name", "org.opencontainers.image.ref.name"):
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
