"""Type helpers of the codec: what a model field's annotation means, JSON
type names and paths for error messages, and the hook signatures.

>>> is_optional(int | None), without_none(int | None), json_type([])
(True, <class 'int'>, 'array')
"""

from __future__ import annotations

import re
import types
import typing
from collections.abc import Callable
from typing import Any, Final, Union

import attrs

from imageinspect.errors import SchemaError
from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import FrozenMap

__all__ = [
    "INT64_MAX",
    "INT64_MIN",
    "MAX_DEPTH",
    "StructureHook",
    "WriteHook",
    "expected",
    "is_frozen_map",
    "is_model",
    "is_optional",
    "is_tuple",
    "json_type",
    "key_path",
    "without_none",
]

#: A reading hook: (decoded JSON value, target type) -> model value; errors
#: are located at ``$`` (the caller prefixes its path).
StructureHook = Callable[[Any, Any], Any]
#: A writing hook: model value -> plain JSON value.
WriteHook = Callable[[Any], Any]

#: Deepest nesting accepted inside unknown values (Go's decoder allows 10000;
#: real documents stay under 10).
MAX_DEPTH: Final = 200

INT64_MIN: Final = -(2**63)
INT64_MAX: Final = 2**63 - 1
_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def json_type(value: object) -> str:
    """The JSON type name of a decoded value, for error messages.

    >>> json_type(1.5), json_type(None), json_type([])
    ('number', 'null', 'array')
    """
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    return "object"


def key_path(key: str) -> str:
    """The JSON-path step for an object key.

    >>> key_path("Env"), key_path("os.version")
    ('$.Env', '$["os.version"]')
    """
    if _IDENT.match(key):
        return "$." + key
    return "$[" + _quote(key) + "]"


def _quote(key: str) -> str:
    import orjson

    return orjson.dumps(key).decode()


def expected(what: str, value: object) -> SchemaError:
    """The error for a value of the wrong JSON type.

    >>> str(expected("a string", 5))
    '$: expected a string, got number'
    """
    return SchemaError(f"expected {what}, got {json_type(value)}")


def is_optional(t: Any) -> bool:
    """True for ``X | None``."""
    origin = typing.get_origin(t)
    return origin in (Union, types.UnionType) and type(None) in typing.get_args(t)


def without_none(t: Any) -> Any:
    """``X`` for ``X | None``; any other type as it is."""
    return next(a for a in typing.get_args(t) if a is not type(None)) if is_optional(t) else t


def is_tuple(t: Any) -> bool:
    """True for ``tuple[X, ...]``."""
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def is_frozen_map(t: Any) -> bool:
    """True for ``FrozenMap[K, V]``."""
    return typing.get_origin(t) is FrozenMap


def is_model(t: Any) -> bool:
    """True for a model class (an attrs class deriving from ``JSONObject``)."""
    return isinstance(t, type) and attrs.has(t) and issubclass(t, JSONObject)
