"""containers/image's ``dir:`` transport: ``manifest.json`` is the image
manifest itself, blobs are files named by their hex digest."""

from __future__ import annotations

from imageinspect.codec.documents import parse
from imageinspect.errors import ArchiveError, ImageInspectError
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageManifest
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.tree import Tree

__all__ = ["is_skopeo_dir", "skopeo_dir_entry"]


def skopeo_dir_entry(tree: Tree) -> Entry:
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


def is_skopeo_dir(tree: Tree) -> bool:
    if not tree.present("version") or not tree.present("manifest.json"):
        return False
    try:
        return tree.read("version", follow_links=False).startswith(b"Directory Transport Version:")
    except ImageInspectError:
        return False
