"""Immutable, hashable containers the models use for JSON objects and arrays.

>>> labels = FrozenMap({"b": "2", "a": "1"})
>>> labels["a"], list(labels), hash(labels) == hash(FrozenMap({"a": "1", "b": "2"}))
('1', ['b', 'a'], True)
>>> freeze({"k": [1, {"x": None}]})
FrozenMap({'k': (1, FrozenMap({'x': None}))})
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar, Union, cast

from imageinspect.errors import LimitExceeded

__all__ = ["READER_READY", "FrozenMap", "JSONValue", "freeze", "string_map", "strings", "thaw"]

K = TypeVar("K")
V = TypeVar("V")

#: A decoded JSON value as the models keep it: objects are :class:`FrozenMap`,
#: arrays are tuples.
JSONValue = Union[None, bool, int, float, str, tuple["JSONValue", ...], "FrozenMap[str, JSONValue]"]


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only, hashable mapping that keeps insertion order (like ``dict``).

    Equality ignores order, as JSON object equality does.

    >>> FrozenMap(a=1) == {"a": 1}
    True
    >>> FrozenMap(a=1)["b"]
    Traceback (most recent call last):
      ...
    KeyError: 'b'
    """

    __slots__ = ("_data", "_hash")

    #: A read-only view of the dict (the dict itself is reachable from nowhere
    #: else, so the cached hash always holds).
    _data: MappingProxyType[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | None = None, /, **kwargs: V) -> None:
        merged: dict[Any, V] = dict(data) if data is not None else {}
        if kwargs:
            merged.update(kwargs)
        for key, value in merged.items():
            if not isinstance(value, _SCALARS):
                merged[key] = _freeze(value, 0, _MAX_DEPTH)  # type: ignore[assignment]
        object.__setattr__(self, "_data", MappingProxyType(merged))
        object.__setattr__(self, "_hash", None)

    @classmethod
    def _wrap(cls, data: dict[K, V]) -> FrozenMap[K, V]:
        """Adopt ``data`` without copying (the caller gives up the dict,
        whose values are frozen already)."""
        new = cls.__new__(cls)
        object.__setattr__(new, "_data", MappingProxyType(data))
        object.__setattr__(new, "_hash", None)
        return new

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __hash__(self) -> int:
        if self._hash is None:
            object.__setattr__(self, "_hash", hash(frozenset(self._data.items())))
        return self._hash  # type: ignore[return-value]

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("FrozenMap is immutable")

    def __repr__(self) -> str:
        return f"FrozenMap({dict(self._data)!r})"

    def __reduce__(self) -> tuple[Any, tuple[dict[K, V]]]:
        return (FrozenMap, (dict(self._data),))  # a copy: the state stays unreachable

    def set(self, key: K, value: V) -> FrozenMap[K, V]:
        """A copy with ``key`` set to ``value`` (kept in place if present).

        >>> FrozenMap(a="1").set("b", "2")
        FrozenMap({'a': '1', 'b': '2'})
        """
        data = dict(self._data)
        data[key] = value
        return FrozenMap._wrap(data)

    def delete(self, key: K) -> FrozenMap[K, V]:
        """A copy without ``key`` (no error if absent).

        >>> FrozenMap(a="1", b="2").delete("a")
        FrozenMap({'b': '2'})
        """
        data = dict(self._data)
        data.pop(key, None)
        return FrozenMap._wrap(data)


def freeze(value: Any, max_depth: int | None = None) -> JSONValue:
    """Turn a decoded JSON value (dicts, lists) into its immutable form,
    refusing nesting deeper than ``max_depth`` levels when it is given.

    >>> freeze([1, [2]])
    (1, (2,))
    >>> freeze([[[]]], max_depth=1)
    Traceback (most recent call last):
      ...
    imageinspect.errors.LimitExceeded: $: nesting deeper than 1 levels
    """
    return _freeze(value, 0, max_depth)


#: How deep the values of a map built in Python may nest (the readers'
#: limit, ``imageinspect.codec.typeinfo.MAX_DEPTH``).
_MAX_DEPTH: Final = 200
#: Values that are frozen as they are.
_SCALARS: Final = (str, int, float, bool, type(None))


def _freeze(value: Any, depth: int, max_depth: int | None) -> JSONValue:
    if max_depth is not None and depth > max_depth:
        raise LimitExceeded(f"nesting deeper than {max_depth} levels")
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, dict):
        return FrozenMap._wrap({k: _freeze(v, depth + 1, max_depth) for k, v in value.items()})
    if type(value) is tuple and all(isinstance(v, _SCALARS) for v in value):
        return value
    if isinstance(value, (list, tuple)):
        items = tuple(_freeze(v, depth + 1, max_depth) for v in value)
        # a tuple whose items were frozen already is kept as it is
        if type(value) is tuple and all(a is b for a, b in zip(items, value, strict=True)):
            return value
        return items
    if isinstance(value, FrozenMap) and max_depth is not None:
        for item in value.values():
            _freeze(item, depth + 1, max_depth)  # a depth check: its values are frozen
    return value  # type: ignore[no-any-return]


def thaw(value: Any) -> Any:
    """The inverse of :func:`freeze`: plain dicts and lists for encoding.

    >>> thaw(FrozenMap({"a": (1, 2)}))
    {'a': [1, 2]}
    """
    if isinstance(value, FrozenMap):
        return {k: thaw(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [thaw(v) for v in value]
    return value


def strings(value: Sequence[str] | None) -> tuple[str, ...] | None:
    """A field converter for lists of strings: a list (``attrs.evolve(config,
    env=[...])``) becomes the tuple the model holds; anything else is kept as
    given (a tuple, ``None``; what is not a list of strings is refused when
    written). Its parameter type is what type checkers accept for the field.

    >>> strings(["A=1"]), strings(("A=1",)), strings(None)
    (('A=1',), ('A=1',), None)
    """
    if type(value) is list:
        return tuple(value)
    return cast("tuple[str, ...] | None", value)


def string_map(value: Mapping[str, str] | None) -> FrozenMap[str, str] | None:
    """A field converter for maps of strings (labels, annotations): a dict
    becomes a :class:`FrozenMap`; anything else is kept as given.

    >>> string_map({"a": "b"}), string_map(None)
    (FrozenMap({'a': 'b'}), None)
    """
    if type(value) is dict:
        return FrozenMap(value)
    return cast("FrozenMap[str, str] | None", value)


#: Converters whose output is what a reader already makes (a reader skips them).
READER_READY: frozenset[Callable[[Any], Any]] = frozenset({strings, string_map})
