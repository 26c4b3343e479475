"""``docker history`` of a stored image: its rows, newest first.

>>> from imageinspect import examples
>>> from imageinspect.sources.image import open_image
>>> with open_image(examples.path("hello.tar")) as image:
...     [row.size for row in image_history(image) if not row.empty_layer]
[12, 7]
"""

from __future__ import annotations

import attrs

from imageinspect.errors import ImageInspectError
from imageinspect.sources.stored import StoredImage
from imageinspect.sources.views.layersize import remembered_content_size
from imageinspect.values.timestamp import Timestamp

__all__ = ["HistoryEntry", "image_history"]


@attrs.frozen
class HistoryEntry:
    """One row of ``docker history``: newest first, like the CLI.

    >>> HistoryEntry("<missing>", Timestamp.parse("2024-01-02T03:04:05Z"), "COPY x /", 3, "", False).created
    <Timestamp('2024-01-02T03:04:05Z')>
    """

    id: str
    #: When the step ran (``None`` when the history does not say).
    created: Timestamp | None
    created_by: str
    size: int
    comment: str
    empty_layer: bool


def image_history(image: StoredImage, storage_driver: str = "overlay2") -> list[HistoryEntry]:
    """``docker history`` rows, newest first: the top row carries the image
    ID, older ones ``<missing>``; empty layers have size 0; a layer's size
    is its content size by ``storage_driver``'s rule (see ``inspect``).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     rows = image_history(image)
    >>> rows[0].id == image.id, rows[-1].id
    (True, '<missing>')
    """
    rows = []
    sizes = _layer_content_sizes(image, symlinks=storage_driver != "vfs")
    for row in image.layers.history:
        entry = row.history
        size = 0 if row.layer is None else sizes.get(row.layer.index, 0)
        rows.append(
            HistoryEntry(
                "<missing>",
                entry.created,
                entry.created_by,
                size,
                entry.comment,
                row.layer is None,
            )
        )
    for position, image_id in _ancestor_rows(image).items():
        if position < len(rows):
            rows[position] = attrs.evolve(rows[position], id=image_id)
    rows.reverse()
    if rows:
        rows[0] = attrs.evolve(rows[0], id=str(image.id))
    return rows


def _ancestor_rows(image: StoredImage) -> dict[int, str]:
    """History positions (bottom first) that are an ancestor's top entry,
    with that ancestor's ID, for the ancestors the archive holds
    (``manifest.json``'s ``Parent``, or a pre-1.10 chain): ``docker
    history`` shows their IDs there instead of ``<missing>``."""
    parent = image.entry.parent
    if not parent:
        return {}
    entries = {str(e.config_digest): e for e in image.catalog.entries}
    out: dict[int, str] = {}
    seen: set[str] = set()
    while parent and parent in entries and parent not in seen:
        seen.add(parent)
        entry = entries[parent]
        try:
            history = image.catalog.config(entry).value.history or ()
        except ImageInspectError:
            break
        if history:
            out[len(history) - 1] = parent
        parent = entry.parent
    return out


def _layer_content_sizes(image: StoredImage, symlinks: bool) -> dict[int, int]:
    """Every layer's content size; 0 for a foreign (non-distributable)
    layer the archive does not hold. A layer that is there but cannot be
    read is an error, not a size of 0."""
    descriptors = () if image.manifest is None else (image.manifest.value.layers or ())
    out = {}
    for index, name in enumerate(image.layer_names):
        foreign = index < len(descriptors) and descriptors[index].is_non_distributable
        if foreign and not image.tree.exists(name):
            out[index] = 0
            continue
        out[index] = remembered_content_size(image, index, symlinks=symlinks)
    return out
