"""What every daemon does to an image it loads, whatever it then shows."""

from __future__ import annotations

from typing import Any

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import FrozenMap
from imageinspect.sources.stored import StoredImage

__all__ = ["check_names", "plain"]


def plain(obj: Any) -> Any:
    """A model as the daemon re-encodes it: unknown keys dropped, the source
    key order forgotten (recursively), so the format's rules decide the shape.

    >>> from imageinspect.model.config import ContainerConfig
    >>> plain(ContainerConfig(user="u", extra=FrozenMap(x=1))).extra
    FrozenMap({})
    """
    if not isinstance(obj, JSONObject):
        return obj
    changes: dict[str, Any] = {"extra": FrozenMap(), "key_order": None}
    for field in attrs.fields(type(obj)):
        if not field.init or field.name in ("extra", "key_order"):
            continue
        value = getattr(obj, field.name)
        if isinstance(value, JSONObject):
            changes[field.name] = plain(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], JSONObject):
            changes[field.name] = tuple(plain(item) for item in value)
    return attrs.evolve(obj, **changes)


def check_names(image: StoredImage) -> None:
    """Docker and podman refuse to load an archive that names an image with
    an invalid reference (moby's loader parses every ``RepoTags`` entry)."""
    from imageinspect.errors import InvalidReference
    from imageinspect.values.reference import Reference

    for position, ref in enumerate(image.entry.refs):
        try:
            Reference.parse(ref)
        except InvalidReference as err:
            where = image.tree.where(image.entry.listed_in)
            raise InvalidReference(f"image name {position}: {err.message}", where) from None
