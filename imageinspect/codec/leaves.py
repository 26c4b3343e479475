"""Leaf encodings, reading and writing side by side: JSON strings, numbers
and booleans checked as Go checks them, digests and media types (interned),
timestamps, base64, Go ``map[string]struct{}`` key sets, platforms, and the
per-field encodings that a field's Python type alone does not say
(:data:`imageinspect.codec.classes.CLASS_SHAPES` says which field uses which).

Readers take ``(value, type)`` and raise errors located at ``$``; writers take
the model value and return plain JSON.

>>> read_key_set({"80/tcp": {}, "53/udp": {}}, None), write_key_set(("80/tcp", "53/udp"))
(('53/udp', '80/tcp'), {'53/udp': {}, '80/tcp': {}})
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from imageinspect.errors import ImageInspectError, InvalidPlatform, SchemaError
from imageinspect.model.frozen import FrozenMap, JSONValue, freeze, thaw
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .gokeys import check_go_keys
from .jsonread import EXACT, Inexact
from .shapes import Shape
from .typeinfo import INT64_MAX, INT64_MIN, MAX_DEPTH, StructureHook, WriteHook, expected, key_path

__all__ = [
    "LEAVES",
    "freeze_json",
    "interned",
    "make_platform_reader",
    "make_platform_writer",
    "read_base64",
    "read_bool",
    "read_digest",
    "read_int",
    "read_json",
    "read_json_object",
    "read_key_set",
    "read_media_type",
    "read_str",
    "read_str_tuple",
    "read_time_string",
    "read_timestamp",
    "write_as_is",
    "write_base64",
    "write_key_set",
    "write_sorted_map",
    "write_timestamp",
]

# --- reading: (value, type) -> value ----------------------------------------


def read_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise expected("a string", value)


def read_int(value: Any, _: Any) -> int:
    if type(value) is int:
        if INT64_MIN <= value <= INT64_MAX:
            return value
        raise SchemaError(f"number {value} is out of range for a 64-bit integer")
    if type(value) is float:
        if value.is_integer():
            raise SchemaError(f"number {value!r} is out of range for a 64-bit integer")
        raise SchemaError(f"expected an integer, got {value!r}")
    raise expected("an integer", value)


def read_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise expected("true or false", value)


#: Validated digests and media types by their text: they repeat across
#: documents (the same layers, the same few media types), so each is checked
#: once. Bounded: emptied when full.
_INTERNED: dict[str, Any] = {}
_INTERNED_MAX: Final = 1 << 16


def interned(value: str, cls: type[Any]) -> Any:
    found = _INTERNED.get(value)
    if type(found) is cls:
        return found
    made = cls(value)
    if len(_INTERNED) >= _INTERNED_MAX:
        _INTERNED.clear()
    _INTERNED[value] = made
    return made


def read_digest(value: Any, _: Any) -> Digest:
    if type(value) is not str:
        raise expected("a digest string", value)
    return interned(value, Digest)  # type: ignore[no-any-return]


def read_media_type(value: Any, _: Any) -> MediaType:
    if type(value) is not str:
        raise expected("a media type string", value)
    return interned(value, MediaType)  # type: ignore[no-any-return]


def read_timestamp(value: Any, _: Any) -> Timestamp:
    if type(value) is not str:
        raise expected("an RFC 3339 timestamp string", value)
    return Timestamp.parse(value)


def freeze_json(value: Any) -> JSONValue:
    """Freeze a decoded JSON value, refusing nesting deeper than :data:`MAX_DEPTH`.

    >>> freeze_json({"a": [1]})
    FrozenMap({'a': (1,)})
    """
    frozen = freeze(value, MAX_DEPTH)
    if not EXACT.get() and _holds_float(frozen):
        raise Inexact  # read the document again, numbers exactly (jsonread.exactly)
    return frozen


def _holds_float(value: Any) -> bool:
    if type(value) is float:
        return True
    if type(value) is tuple:
        return any(_holds_float(item) for item in value)
    if type(value) is FrozenMap:
        return any(_holds_float(item) for item in value.values())
    return False


def read_json(value: Any, _: Any) -> JSONValue:
    return freeze_json(value)


def read_json_object(value: Any, _: Any) -> JSONValue:
    if type(value) is not dict:
        raise expected("an object", value)
    return freeze_json(value)


def read_key_set(value: Any, _: Any) -> tuple[str, ...]:
    """A Go ``map[string]struct{}`` (ExposedPorts, Volumes): only the keys
    count, sorted (as Go writes map keys and as the model keeps them), but a
    value other than ``{}`` is still bounded in depth (it is written back as
    read)."""
    if type(value) is not dict:
        raise expected("an object", value)
    values = value.values()
    if not any(values) and set(map(type, values)) <= _DICT_ONLY:
        return tuple(sorted(value))  # every value is {} (as Go writes struct{})
    for key, item in value.items():
        if item != {}:
            try:
                freeze_json(item)
            except ImageInspectError as err:
                raise err.at(f"$.{key}") from None
    return tuple(sorted(value))


_DICT_ONLY: Final = frozenset({dict})


def read_base64(value: Any, _: Any) -> bytes:
    if type(value) is not str:
        raise expected("a base64 string", value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SchemaError("invalid base64 data") from None


def make_platform_reader(strict: bool, keys: dict[str, str]) -> StructureHook:
    """The reader of a platform object whose JSON keys are ``keys`` (key ->
    attribute); unknown keys are refused when ``strict``, else dropped."""

    known = frozenset(keys)
    # Platforms repeat (linux/amd64 in every index entry): one read per
    # distinct object of strings. Bounded: emptied when full.
    made: dict[tuple[tuple[str, str], ...], Platform] = {}

    def structure_platform(value: Any, _: Any) -> Platform:
        if type(value) is not dict:
            raise expected("an object", value)
        key = tuple(value.items()) if all(type(item) is str for item in value.values()) else None
        if key is not None:
            found = made.get(key)
            if found is not None:
                return found
        platform = _read_platform(value)
        if key is not None:
            if len(made) >= 4096:
                made.clear()
            made[key] = platform
        return platform

    def _read_platform(value: dict[str, Any]) -> Platform:
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            attr = keys.get(key)
            if attr is None:
                check_go_keys(value, known)
                if strict:
                    raise SchemaError(f"unknown field {key!r}", key_path(key))
                try:  # dropped, but written back as read: bounded in depth like any kept value
                    freeze_json(item)
                except ImageInspectError as err:
                    raise err.at(key_path(key)) from None
                continue
            try:
                if attr in ("os_features", "features"):
                    kwargs[attr] = None if item is None else read_str_tuple(item, None)
                else:
                    kwargs[attr] = read_str(item, None)
            except ImageInspectError as err:
                raise err.at(key_path(key)) from None
        for attr in ("os", "architecture"):
            kwargs.setdefault(attr, "")
        try:
            return Platform(**kwargs)
        except InvalidPlatform:
            raise
        except (TypeError, ValueError) as err:  # pragma: no cover - validators raise InvalidPlatform
            raise SchemaError(f"invalid platform: {err}") from None

    return structure_platform


def read_str_tuple(value: Any, _: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise expected("an array", value)
    for index, item in enumerate(value):
        if type(item) is not str:
            raise expected("a string", item).at(f"$[{index}]")
    return tuple(value)


def read_time_string(value: Any, _: Any) -> Timestamp | None:
    """A Go *string* holding a time (inspect's ``Created``): ``""`` means none
    (Docker 25.0.0-25.0.3 and the CLI's typed output print it)."""
    if value == "":
        return None
    return read_timestamp(value, None)


# --- writing: value -> JSON --------------------------------------------------


def write_timestamp(value: Timestamp) -> str:
    return value.text


def write_sorted_map(value: FrozenMap[str, Any]) -> dict[str, Any]:
    return dict(sorted(value._data.items()))


def write_key_set(value: tuple[str, ...]) -> dict[str, Any]:
    return {key: {} for key in sorted(value)}


def write_base64(value: bytes) -> str:
    return base64.b64encode(value).decode()


def make_platform_writer(platform_shape: Shape) -> WriteHook:
    fields = [(f.key, f.attr, f.omit) for f in platform_shape.fields]
    sort = platform_shape.sort

    def write_platform(platform: Platform) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, attr, omit in fields:
            value = getattr(platform, attr)
            if omit == "empty" and not value:
                continue
            out[key] = value
        return dict(sorted(out.items())) if sort else out

    return write_platform


def write_as_is(value: Any) -> Any:
    """The writer of values that are their own JSON (strings, numbers,
    booleans, digests, media types)."""
    return value


# --- the leaf types, each as a read/write pair --------------------------------

#: Every leaf type with its reader and its writer (for output read from JSON;
#: a :class:`Timestamp` made in Python is written by its ``str``). Platforms
#: are leaves too, but their readers and writers depend on the reading mode
#: and the shape set: :func:`make_platform_reader`, :func:`make_platform_writer`.
LEAVES: Final[dict[type[Any], tuple[StructureHook, WriteHook]]] = {
    str: (read_str, write_as_is),
    int: (read_int, write_as_is),
    bool: (read_bool, write_as_is),
    Digest: (read_digest, write_as_is),
    MediaType: (read_media_type, write_as_is),
    Timestamp: (read_timestamp, write_timestamp),
    bytes: (read_base64, write_base64),
    JSONValue: (read_json, thaw),  # type: ignore[dict-item]
}
