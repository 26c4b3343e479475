"""``docker save`` archives from before Docker 1.10: no ``manifest.json``,
one directory per v1 image (``<id>/json``, ``<id>/layer.tar``) and a
``repositories`` file naming the tagged ones.

Docker still loads them: for each v1 image, parents first, it appends the
layer's diff ID to the parent's ``rootfs``, adds a history entry made from the
v1 JSON (``created``, ``author``, ``container_config.Cmd`` joined by spaces
as ``created_by``, ``comment``; in the OCI type's key order), and writes the v1 JSON -- less ``id``,
``parent``, ``Size``, ``parent_id``, ``layer_id`` and ``throwaway``, plus
``rootfs`` and ``history`` -- as a config with ``json.Marshal`` of a map: keys
sorted, compact, HTML-escaped, every other value's bytes kept. That config's
digest is the image ID, and each loaded image's ``Parent`` is its parent's new
ID (observed on Docker 26.1.5 and 28.5.2; the IDs match byte for byte).

Docker re-encodes the v1 JSON through its own type first when it says
``docker_version`` below 1.8.3; that is not done here (such archives are
refused rather than given a wrong ID).
"""

from __future__ import annotations

import hashlib
import json
import posixpath
from typing import Any

from imageinspect.codec.gojson import compact, encode
from imageinspect.codec.write import writer
from imageinspect.errors import ArchiveError, ImageInspectError, SchemaError
from imageinspect.model.config import History, RootFS
from imageinspect.values.digest import Digest
from imageinspect.values.timestamp import Timestamp

from .entry import Entry
from .tarsafe import bounded_decompressor, stream_compression
from .tree import Tree

__all__ = ["is_legacy", "legacy_entries"]

_DROPPED = frozenset({"id", "parent", "Size", "parent_id", "layer_id", "throwaway"})
_HTML = {
    b"<": b"\\u003c",
    b">": b"\\u003e",
    b"&": b"\\u0026",
    "\u2028".encode(): b"\\u2028",
    "\u2029".encode(): b"\\u2029",
}
_MAX_CHAIN = 1000


def is_legacy(tree: Tree) -> bool:
    """A pre-1.10 ``docker save``: ``repositories`` and no ``manifest.json``."""
    return tree.present("repositories") and not tree.present("manifest.json")


def _escape_html(raw: bytes) -> bytes:
    """``json.Marshal``'s HTML escaping of a raw value (the characters only
    occur inside strings in valid JSON)."""
    for char, escaped in _HTML.items():
        raw = raw.replace(char, escaped)
    return raw


def _members(raw: bytes, where: str) -> dict[str, bytes]:
    """A JSON object's members, each value as its source bytes."""
    try:
        text = raw.decode("utf-8")
        decoder = json.JSONDecoder()
        parsed = decoder.decode(text)
    except ValueError as err:  # UnicodeDecodeError and JSONDecodeError too
        raise ArchiveError(f"invalid v1 image JSON ({err})", where) from None
    if not isinstance(parsed, dict):
        raise SchemaError("expected an object", where + "$")
    out: dict[str, bytes] = {}
    at = text.index("{") + 1
    while True:
        at = _skip(text, at)
        if text[at] == "}":
            return out
        key, at = decoder.raw_decode(text, at)
        at = _skip(text, at) + 1  # the colon
        at = _skip(text, at)
        _, end = decoder.raw_decode(text, at)
        out[key] = text[at:end].encode()
        at = _skip(text, end)
        if text[at] == ",":
            at += 1


def _skip(text: str, at: int) -> int:
    while text[at] in " \t\r\n":
        at += 1
    return at


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


def _go_text(value: Any) -> str:
    """A decoded JSON string as Go's decoder leaves it: a lone surrogate
    escape (``\\ud800``) becomes U+FFFD."""
    if not isinstance(value, str):
        return ""
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _history(v1: dict[str, Any], where: str) -> History:
    created = v1.get("created")
    container_config = v1.get("container_config") or {}
    cmd = container_config.get("Cmd") if isinstance(container_config, dict) else None
    try:
        return History(
            created=None if created is None else Timestamp.parse(created),
            author=_go_text(v1.get("author")),
            created_by=_go_text(" ".join(map(str, cmd))) if isinstance(cmd, list) else "",
            comment=_go_text(v1.get("comment")),
        )
    except (ImageInspectError, TypeError) as err:
        raise ArchiveError(f"unusable v1 image JSON ({err})", where) from None


def _config(members: dict[str, bytes], rootfs: RootFS, history: list[History]) -> bytes:
    values = {key: _escape_html(compact(raw)) for key, raw in members.items() if key not in _DROPPED}
    # Docker's history type is now the OCI one: created, created_by, author,
    # comment (observed: the IDs only match in that order).
    write = writer("oci").write_shared
    values["rootfs"] = encode(write(rootfs), escape_html=True)
    values["history"] = encode([write(entry) for entry in history], escape_html=True)
    body = b",".join(encode(key, escape_html=True) + b":" + values[key] for key in sorted(values))
    return b"{" + body + b"}"


def legacy_entries(tree: Tree) -> list[Entry]:
    """One entry per v1 image of a pre-1.10 archive, as Docker loads them
    (configs made from the v1 JSON; tagged images carry their tags).

    >>> from pathlib import Path
    >>> from imageinspect.sources.tree import open_tree
    >>> with open_tree(Path("tests/data/golden/edge/pre-1.10.tar")) as tree:
    ...     [(str(e.config_digest)[7:19], e.refs) for e in legacy_entries(tree)]
    [('1c81a289bcf5', ()), ('b5fc4c9fc3d2', ('edge/pre-1.10:latest',))]
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
    loaded: dict[str, tuple[Entry, RootFS, list[History]]] = {}

    def load(v1_id: str, depth: int) -> tuple[Entry, RootFS, list[History]]:
        if v1_id in loaded:
            return loaded[v1_id]
        if depth > _MAX_CHAIN:
            raise ArchiveError(f"v1 image parents nest deeper than {_MAX_CHAIN} (a cycle?)", tree.where(v1_id))
        name = posixpath.join(v1_id, "json")
        raw = tree.read(name, follow_links=False)
        members = _members(raw, tree.where(name))
        v1 = json.loads(raw)
        version = v1.get("docker_version") or ""
        if isinstance(version, str) and _older_than(version, (1, 8, 3)):
            raise ArchiveError(
                f"v1 image JSON from Docker {version}: Docker re-encodes those before hashing, not supported",
                tree.where(name),
            )
        parent_id = v1.get("parent") or ""
        layers: tuple[str, ...] = ()
        rootfs, parent = RootFS(diff_ids=()), ""
        history: list[History] = []
        if parent_id:
            parent_entry, rootfs, history = load(parent_id, depth + 1)
            layers, parent = parent_entry.layer_names, str(parent_entry.config_digest)
        layer = posixpath.join(v1_id, "layer.tar")
        rootfs = RootFS(diff_ids=(*(rootfs.diff_ids or ()), _diff_id(tree, layer)))
        history = [*history, _history(v1, tree.where(name))]
        config = _config(members, rootfs, history)
        entry = Entry(
            "docker-archive",
            tuple(tags.get(v1_id, ())),
            name,
            Digest.of(config),
            (*layers, layer),
            parent,
            config_bytes=config,
        )
        loaded[v1_id] = (entry, rootfs, history)
        return loaded[v1_id]

    for v1_id in sorted(_v1_ids(tree)):
        load(v1_id, 0)
    return sorted((entry for entry, _, _ in loaded.values()), key=lambda e: len(e.layer_names))


def _older_than(version: str, bound: tuple[int, ...]) -> bool:
    parts = []
    for part in version.split("-")[0].split("."):
        if not (part.isascii() and part.isdigit()):
            return False
        parts.append(int(part))
    return tuple(parts) < bound


def _v1_ids(tree: Tree) -> set[str]:
    return {name.split("/", 1)[0] for name in tree.names() if name.endswith("/json") and name.count("/") == 1}
