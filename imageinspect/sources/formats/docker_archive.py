"""``docker save`` archives with a ``manifest.json`` (Docker 1.10 and later):
one entry per image the manifest lists."""

from __future__ import annotations

import posixpath

from imageinspect.codec.archive import parse_archive_manifest
from imageinspect.errors import ArchiveError, ImageInspectError, InvalidDigest, InvalidJSON, SchemaError
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.digest import Digest

__all__ = ["digest_from_name", "docker_entries"]


def docker_entries(tree: Tree) -> list[Entry]:
    """One entry per image ``manifest.json`` lists (read by the codec; errors
    located at the member and the JSON path).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.storage.tree import open_tree
    >>> with open_tree(examples.path("hello.tar")) as tree:
    ...     [(e.refs, e.docker_save, len(e.layer_names)) for e in docker_entries(tree)]
    [(('case/legacy-full:latest',), True, 2)]
    """
    where = tree.where("manifest.json")
    raw = tree.read("manifest.json", follow_links=False)  # its errors name the member already
    try:
        items = parse_archive_manifest(raw, max_size=tree.limits.max_metadata_size)
    except InvalidJSON as err:
        raise ArchiveError(err.message, where) from None
    except ImageInspectError as err:
        raise type(err)(err.message, where + err.location) from None
    entries = []
    for index, item in enumerate(items):
        if not item.config:
            raise SchemaError("expected the config's file name", f"{where}$[{index}].Config")
        layers, refs = item.layers or (), item.repo_tags or ()
        entries.append(
            Entry(
                "docker-archive",
                refs,
                item.config,
                digest_from_name(item.config),
                layers,
                item.parent,
                docker_save=True,
            )
        )
    return entries


def digest_from_name(name: str) -> Digest | None:
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
