"""What every JSON-object model shares: unknown keys and the source key order.

``extra`` keeps the keys a model does not know, with their values, so nothing is
lost on the way through. ``key_order`` remembers the order (and presence) of the
keys in the document the object was read from; it takes no part in equality and
lets the codec write the object back in its original layout. Objects built in
Python have ``key_order=None`` and are written in their format's canonical
layout.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from imageinspect.model.frozen import FrozenMap, JSONValue, freeze

__all__ = ["DocumentValue", "JSONObject", "register_encoder"]

_EMPTY: FrozenMap[str, JSONValue] = FrozenMap()
#: Containers that are frozen on the way in, and the ones refused.
_MUTABLE = frozenset({dict, list, tuple})
_NOT_JSON = frozenset({set, frozenset, bytearray})
#: How deep a value built in Python may nest (the readers' limit:
#: ``imageinspect.codec.typeinfo.MAX_DEPTH``).
MAX_NESTING = 200


def _empty_extra() -> FrozenMap[str, JSONValue]:
    return _EMPTY


@attrs.frozen
class JSONObject:
    """Base of the models that stand for a JSON object."""

    #: Keys the model does not know, with their (frozen) JSON values.
    extra: FrozenMap[str, JSONValue] = attrs.field(factory=_empty_extra, kw_only=True)
    #: The keys of the source object in their original order (codec-owned).
    key_order: tuple[str, ...] | None = attrs.field(default=None, kw_only=True, eq=False, repr=False)
    #: The decoded JSON object this model was read from (codec-owned, never
    #: exposed or mutated). Not an ``__init__`` argument, so ``attrs.evolve``
    #: drops it: an edited object is written from its fields again.
    _source: object = attrs.field(default=None, init=False, eq=False, repr=False, hash=False)

    def __attrs_post_init__(self) -> None:
        """Plain dicts and lists passed in (``attrs.evolve(config,
        labels={...})``) are frozen here, so a frozen model never holds a
        mutable container and always writes back.

        >>> from imageinspect.model.config import ContainerConfig
        >>> ContainerConfig(labels={"a": "b"}, env=["X=1"]).labels
        FrozenMap({'a': 'b'})
        >>> ContainerConfig(env={"X"})
        Traceback (most recent call last):
          ...
        TypeError: ContainerConfig.env: a set is not a JSON value
        """
        for name in _field_names(type(self)):
            value = getattr(self, name)
            kind = type(value)
            if kind is dict or kind is list or (kind is tuple and any(type(v) in _MUTABLE for v in value)):
                # nested lists and dicts too (a tuple holding a list), within
                # the depth the readers allow; a FrozenMap froze its values
                # when it was made
                object.__setattr__(self, name, freeze(value, MAX_NESTING))
            elif kind in _NOT_JSON:
                raise TypeError(f"{type(self).__name__}.{name}: a {kind.__name__} is not a JSON value")


_FIELD_NAMES: dict[type[Any], tuple[str, ...]] = {}


def _field_names(cls: type[Any]) -> tuple[str, ...]:
    found = _FIELD_NAMES.get(cls)
    if found is None:
        found = _FIELD_NAMES[cls] = tuple(field.name for field in attrs.fields(cls) if field.init)
    return found


_ENCODER: list[Callable[[Any], bytes]] = []


def register_encoder(encoder: Callable[[Any], bytes]) -> None:
    """Install the function that encodes document values (called once by the
    codec package; keeps the model free of any dependency on the codec)."""
    _ENCODER[:] = [encoder]


class DocumentValue:
    """Mixin of the top-level document models (configs, manifests, indexes)."""

    __slots__ = ()

    def to_json(self) -> bytes:
        """The canonical bytes of this document: for an unmodified document,
        the same JSON value as its source, and the same bytes when the source
        was written by the Go producer that defines the kind's canonical form
        (dockerd for configs, docker/distribution for Docker manifests,
        ``json.Marshal`` for OCI documents)."""
        # imageinspect/__init__ (always imported before any model module)
        # installs the codec's encoder: the model never imports the codec
        return _ENCODER[0](self)
