"""The index of a ``docker save`` archive: ``manifest.json`` lists each image
saved, by the archive members holding its config and layers.

>>> entry = ArchiveManifestEntry(config="blobs/sha256/ab", repo_tags=("app:1",), layers=("blobs/sha256/cd",))
>>> entry.repo_tags, entry.parent
(('app:1',), '')
"""

from __future__ import annotations

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap, strings

__all__ = ["ArchiveManifestEntry"]


@attrs.frozen(kw_only=True)
class ArchiveManifestEntry(JSONObject):
    """One image of a ``docker save`` archive's ``manifest.json`` (moby's
    ``manifestItem``)."""

    #: The member holding the image config (``<hex>.json``, ``blobs/sha256/<hex>``).
    config: str = ""
    #: The names saved with it (``None``: JSON ``null``, an image saved by ID).
    repo_tags: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    #: The members holding the layers, bottom first.
    layers: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    #: The parent's image ID, when both were saved (Docker before 25).
    parent: str = ""
    #: Foreign layers' descriptors, by diff ID (Windows base layers).
    layer_sources: FrozenMap[str, Descriptor] | None = None
