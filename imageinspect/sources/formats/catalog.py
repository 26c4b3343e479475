"""A tree's images, found once, and each image's config read and checked
once, however many of them are listed, chosen and opened.

>>> from imageinspect import examples
>>> from imageinspect.sources.storage.tree import open_tree
>>> with open_tree(examples.path("hello.tar")) as tree:
...     catalog = Catalog(tree)
...     entry = catalog.entries[0]
...     catalog.config(entry) is catalog.config(entry), catalog.platform(entry)
(True, <Platform('linux/amd64')>)
"""

from __future__ import annotations

from imageinspect.codec.documents import parse_config
from imageinspect.errors import DigestMismatch, ImageInspectError
from imageinspect.model.config import ImageConfig
from imageinspect.model.document import Document
from imageinspect.sources.formats import discover
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.platform import Platform

__all__ = ["Catalog"]


class Catalog:
    """The images of one tree (:func:`~imageinspect.sources.formats.discover`
    runs on first use) and their configs, each parsed and checked once."""

    def __init__(self, tree: Tree, entries: list[Entry] | None = None) -> None:
        self.tree = tree
        self._entries = entries
        self._configs: dict[tuple[str, bytes | None], Document[ImageConfig]] = {}

    @property
    def entries(self) -> list[Entry]:
        """Every image the tree holds, in the order ``list_images`` shows."""
        if self._entries is None:
            self._entries = discover(self.tree)
        return self._entries

    def config(self, entry: Entry) -> Document[ImageConfig]:
        """``entry``'s config, read, parsed and checked against the digest and
        size its names and descriptors promise; errors are located at the
        config's member."""
        key = (entry.config_name, entry.config_bytes)
        found = self._configs.get(key)
        if found is None:
            found = self._configs[key] = self._read(entry)
        if entry.config_digest is not None and found.digest != entry.config_digest:
            raise DigestMismatch(
                f"config is named {entry.config_digest} but its bytes hash to {found.digest}",
                self.tree.where(entry.config_name),
            )
        if entry.manifest is not None and entry.manifest.value.config.size != found.size:
            raise DigestMismatch(
                f"manifest says the config has {entry.manifest.value.config.size} bytes, it has {found.size}",
                self.tree.where(entry.config_name),
            )
        return found

    def _read(self, entry: Entry) -> Document[ImageConfig]:
        raw = entry.config_bytes if entry.config_bytes is not None else self.tree.read(entry.config_name)
        try:
            return parse_config(raw)
        except ImageInspectError as err:
            raise type(err)(err.message, f"{self.tree.where(entry.config_name)}{err.location}") from None

    def platform(self, entry: Entry) -> Platform | None:
        """The platform a descriptor gives ``entry``, else its config's; ``None``
        when neither names one or the config cannot be read (listed all the
        same: opening the image reports the problem)."""
        if entry.platform is not None:
            return entry.platform
        try:
            platform = self.config(entry).value.platform
        except ImageInspectError:
            return None
        return platform if platform.os or platform.architecture else None
