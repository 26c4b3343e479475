"""``docker save`` archives with a ``manifest.json`` (Docker 1.10 and later):
one entry per image the manifest lists."""

from __future__ import annotations

import posixpath
from typing import Any

from imageinspect.codec.gokeys import check_go_keys
from imageinspect.codec.jsonread import read_json
from imageinspect.errors import ArchiveError, InvalidDigest, InvalidJSON, LimitExceeded, SchemaError
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.digest import Digest

__all__ = ["digest_from_name", "docker_entries"]

#: The fields of moby's ``manifestItem`` (what ``docker load`` reads).
_MANIFEST_KEYS = frozenset({"Config", "RepoTags", "Layers", "Parent", "LayerSources"})


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


def docker_entries(tree: Tree) -> list[Entry]:
    where = tree.where("manifest.json")
    data = _load_json(tree, "manifest.json")
    if not isinstance(data, list):
        raise SchemaError("expected an array of images", where + "$")
    entries = []
    for index, item in enumerate(data):
        at = f"{where}$[{index}]"
        if not isinstance(item, dict):
            raise SchemaError("expected an object", at)
        if not _MANIFEST_KEYS.issuperset(item):
            check_go_keys(item, _MANIFEST_KEYS, at)
        config = item.get("Config")
        if not isinstance(config, str) or not config:
            raise SchemaError("expected the config's file name", at + ".Config")
        layers = _str_list(item.get("Layers"), at + ".Layers")
        refs = _str_list(item.get("RepoTags"), at + ".RepoTags")
        parent = item.get("Parent", "")
        if not isinstance(parent, str):
            raise SchemaError("expected a string", at + ".Parent")
        entries.append(Entry("docker-archive", refs, config, digest_from_name(config), layers, parent))
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
