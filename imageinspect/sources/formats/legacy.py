"""``docker save`` archives from before Docker 1.10: no ``manifest.json``,
one directory per v1 image (``<id>/json``, ``<id>/layer.tar``) and a
``repositories`` file naming the tagged ones.

Docker still loads them. For each v1 image, parents first, it decodes the v1
JSON into its ``V1Image`` type with Go's ``json.Unmarshal`` (a key matches a
field exactly, else case-insensitively, and the last one wins; nested objects
and maps merge into what an earlier duplicate left; unknown keys are dropped;
a value of the wrong type refuses the load, here an :class:`ArchiveError`
at that member). From that it takes the parent link and a history entry
(``created``, ``author``, ``container_config.Cmd`` joined by spaces as
``created_by``, ``comment``; in the OCI type's key order, the time in Go's
RFC3339Nano); it appends the layer's diff ID to the parent's ``rootfs``, and
writes the v1 JSON -- less ``id``, ``parent``, ``Size``, ``parent_id``,
``layer_id`` and ``throwaway``, plus ``rootfs`` and ``history`` -- as a
config with ``json.Marshal`` of a map: keys sorted, compact, HTML-escaped,
every other value's bytes kept. That config's digest is the image ID, and each
loaded image's ``Parent`` is its parent's new ID (observed on Docker 26.1.5
and 28.5.2; the IDs match byte for byte).

When ``docker_version`` is below 1.8.3 by Docker's ``versions.LessThan`` --
true for a missing or empty one too, since a part that is not a number counts
as 0 -- Docker first writes the decoded ``V1Image`` back with
``json.Marshal`` and takes the members from that instead: struct field order,
``omitempty``, ``null`` for a missing ``created``/``Env``/``Cmd``/..., times
in RFC3339Nano, a ``Cmd`` given as a string turned into an array, unknown
keys gone (:func:`reencode_v1_image`). The types are Docker 26-28's (moby
v28.5.2 ``image.V1Image``, ``container.Config``, ``HealthcheckConfig``),
written as Go 1.22+ does (``\\b``, ``\\f``; Docker 28 is built with Go
1.24). This path is derived from that source and not yet checked against a
daemon. (Docker before 25 had a non-pointer ``created``, so it wrote a
missing one as year 1, not ``null``.)
A v1 JSON that is just ``null`` decodes to the zero ``V1Image``, as in Go.
"""

from __future__ import annotations

import hashlib
import json
import posixpath

import attrs

from imageinspect.codec.shapes import Dialect
from imageinspect.codec.v1image import decode_v1_image, reencode_v1_image, v1_config
from imageinspect.errors import ArchiveError, SchemaError
from imageinspect.model.config import History, RootFS
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.compression import bounded_decompressor, stream_compression
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.digest import Digest

__all__ = ["is_legacy", "legacy_entries", "reencode_v1_image"]

_MAX_CHAIN = 1000


def is_legacy(tree: Tree) -> bool:
    """A pre-1.10 ``docker save``: ``repositories`` and no ``manifest.json``."""
    return tree.present("repositories") and not tree.present("manifest.json")


def _diff_id(tree: Tree, name: str) -> Digest:
    where = tree.where(name)
    digest = hashlib.sha256()
    with tree.open(name) as raw:
        kind = stream_compression(raw)
        stream = raw if kind is None else bounded_decompressor(kind, raw, tree.limits, where)
        try:
            while chunk := stream.read(1 << 20):
                digest.update(chunk)
        finally:
            if stream is not raw:
                stream.close()
    return Digest.from_hex(digest.hexdigest())


def legacy_entries(tree: Tree) -> list[Entry]:
    """One entry per v1 image of a pre-1.10 archive, as Docker loads them
    (configs made from the v1 JSON; tagged images carry their tags), with
    the history entries of Docker 25.0+; each entry's ``before_25`` is the
    same image as 23.0/24.0 load it (moby's own history type: another
    config, another ID, and the parents' IDs theirs).

    >>> from pathlib import Path
    >>> from imageinspect.sources.storage.tree import open_tree
    >>> with open_tree(Path("tests/data/golden/edge/pre-1.10.tar")) as tree:
    ...     entries = legacy_entries(tree)
    >>> [(str(e.config_digest)[7:19], e.refs) for e in entries]
    [('1c81a289bcf5', ()), ('b5fc4c9fc3d2', ('edge/pre-1.10:latest',))]
    >>> [str(e.before_25.config_digest)[7:19] for e in entries if e.before_25]  # as Docker 24.0.9 loads it
    ['1c81a289bcf5', '72b4c5857519']
    """
    where = tree.where("repositories")
    try:
        repositories = json.loads(tree.read("repositories", follow_links=False))
    except ValueError as err:
        raise ArchiveError(f"invalid JSON ({err})", where) from None
    if not isinstance(repositories, dict):
        raise SchemaError("expected an object of repositories", where + "$")
    tags: dict[str, list[str]] = {}
    for repo, found in repositories.items():
        if not isinstance(found, dict):
            raise SchemaError("expected an object of tags", f"{where}$.{repo}")
        for tag, v1_id in found.items():
            if not isinstance(v1_id, str):
                raise SchemaError("expected a v1 image ID", f"{where}$.{repo}.{tag}")
            tags.setdefault(v1_id, []).append(f"{repo}:{tag}")
    # v1 ID -> (entry, its rootfs, its history): each layer is hashed once
    loaded: dict[str, tuple[Entry, RootFS, list[History]]] = {}

    def load(v1_id: str, depth: int) -> tuple[Entry, RootFS, list[History]]:
        if v1_id in loaded:
            return loaded[v1_id]
        if depth > _MAX_CHAIN:
            raise ArchiveError(f"v1 image parents nest deeper than {_MAX_CHAIN} (a cycle?)", tree.where(v1_id))
        name = posixpath.join(v1_id, "json")
        decoded = decode_v1_image(tree.read(name, follow_links=False), tree.where(name))
        parent_id = decoded.parent
        layers: tuple[str, ...] = ()
        rootfs = RootFS(diff_ids=())
        parent: Entry | None = None
        history: list[History] = []
        if parent_id:
            parent, rootfs, history = load(parent_id, depth + 1)
            layers = parent.layer_names
        layer = posixpath.join(v1_id, "layer.tar")
        rootfs = RootFS(diff_ids=(*(rootfs.diff_ids or ()), _diff_id(tree, layer)))
        history = [*history, decoded.history]

        def entry(dialect: Dialect, parent_id: str) -> Entry:
            config = v1_config(decoded.members, rootfs, history, dialect)
            refs = tuple(tags.get(v1_id, ()))
            made = Digest.of(config)
            return Entry("docker-archive", refs, name, made, (*layers, layer), parent_id, config_bytes=config)

        before_25 = entry(
            "docker", "" if parent is None or parent.before_25 is None else str(parent.before_25.config_digest)
        )
        now = attrs.evolve(entry("oci", "" if parent is None else str(parent.config_digest)), docker_save=True)
        loaded[v1_id] = (attrs.evolve(now, before_25=attrs.evolve(before_25, docker_save=True)), rootfs, history)
        return loaded[v1_id]

    for v1_id in sorted(_v1_ids(tree)):
        load(v1_id, 0)
    return sorted((entry for entry, _, _ in loaded.values()), key=lambda e: len(e.layer_names))


def _v1_ids(tree: Tree) -> set[str]:
    return {name.split("/", 1)[0] for name in tree.names() if name.endswith("/json") and name.count("/") == 1}
