"""One converter setup: JSON values <-> models, through cattrs.

Reading is dialect independent: every key any dialect knows is accepted,
values are type-checked strictly (Go would refuse a number where a string
belongs; so do we), unknown keys are kept in ``extra`` and the source key order
in ``key_order``. A failure raises :class:`~imageinspect.errors.SchemaError`
(or a value error) whose location is the JSON path of the bad value.

Writing is per dialect (see :mod:`imageinspect.codec.shapes`): an object read
from JSON is written back in its own key order; an object built in Python gets
the dialect's canonical order and omission rules.

>>> conv = reading_converter()
>>> from imageinspect.model.config import RootFS
>>> conv.structure({"type": "layers", "diff_ids": [1]}, RootFS)
Traceback (most recent call last):
  ...
imageinspect.errors.SchemaError: $.diff_ids[0]: expected a digest string, got number
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import linecache
import re
import types
import typing
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Final, Union

import attrs
import cattrs

from imageinspect.errors import ImageInspectError, InvalidPlatform, SchemaError
from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import FrozenMap, JSONValue, freeze, thaw
from imageinspect.model.schema1 import Schema1History
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .shapes import Dialect, Shape, ShapeSet, document_shapes, known_keys, layout_nil

__all__ = [
    "MAX_DEPTH",
    "Writer",
    "freeze_json",
    "json_type",
    "key_path",
    "reading_converter",
    "structure",
    "writer",
]

#: Deepest nesting accepted inside unknown values (Go's decoder allows 10000;
#: real documents stay under 10).
MAX_DEPTH: Final = 200

_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1
_IDENT: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")

StructureHook = Callable[[Any, Any], Any]
WriteHook = Callable[[Any], Any]


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


# --- leaf hooks (value, type) -> value; errors are located at "$" -----------


def _expected(what: str, value: object) -> SchemaError:
    return SchemaError(f"expected {what}, got {json_type(value)}")


def _structure_str(value: Any, _: Any) -> str:
    if type(value) is str:
        return value
    raise _expected("a string", value)


def _structure_int(value: Any, _: Any) -> int:
    if type(value) is int:
        if _INT64_MIN <= value <= _INT64_MAX:
            return value
        raise SchemaError(f"number {value} is out of range for a 64-bit integer")
    if type(value) is float:
        if value.is_integer():
            raise SchemaError(f"number {value!r} is out of range for a 64-bit integer")
        raise SchemaError(f"expected an integer, got {value!r}")
    raise _expected("an integer", value)


def _structure_bool(value: Any, _: Any) -> bool:
    if type(value) is bool:
        return value
    raise _expected("true or false", value)


#: Validated digests and media types by their text: they repeat across
#: documents (the same layers, the same few media types), so each is checked
#: once. Bounded: emptied when full.
_INTERNED: dict[str, Any] = {}
_INTERNED_MAX: Final = 1 << 16


def _interned(value: str, cls: type[Any]) -> Any:
    found = _INTERNED.get(value)
    if type(found) is cls:
        return found
    made = cls(value)
    if len(_INTERNED) >= _INTERNED_MAX:
        _INTERNED.clear()
    _INTERNED[value] = made
    return made


def _structure_digest(value: Any, _: Any) -> Digest:
    if type(value) is not str:
        raise _expected("a digest string", value)
    return _interned(value, Digest)  # type: ignore[no-any-return]


def _structure_media_type(value: Any, _: Any) -> MediaType:
    if type(value) is not str:
        raise _expected("a media type string", value)
    return _interned(value, MediaType)  # type: ignore[no-any-return]


def _structure_timestamp(value: Any, _: Any) -> Timestamp:
    if type(value) is not str:
        raise _expected("an RFC 3339 timestamp string", value)
    return Timestamp.parse(value)


def freeze_json(value: Any) -> JSONValue:
    """Freeze a decoded JSON value, refusing nesting deeper than :data:`MAX_DEPTH`.

    >>> freeze_json({"a": [1]})
    FrozenMap({'a': (1,)})
    """
    return freeze(value, MAX_DEPTH)


def _structure_json(value: Any, _: Any) -> JSONValue:
    return freeze_json(value)


def _structure_json_object(value: Any, _: Any) -> JSONValue:
    if type(value) is not dict:
        raise _expected("an object", value)
    return freeze_json(value)


def _structure_key_set(value: Any, _: Any) -> tuple[str, ...]:
    """A Go ``map[string]struct{}`` (ExposedPorts, Volumes): only the keys
    count, but a value other than ``{}`` is still bounded in depth (it is
    written back as read)."""
    if type(value) is not dict:
        raise _expected("an object", value)
    values = value.values()
    if not any(values) and all(type(item) is dict for item in values):
        return tuple(value)  # every value is {} (as Go writes struct{})
    for key, item in value.items():
        if item != {}:
            try:
                freeze_json(item)
            except ImageInspectError as err:
                raise err.at(f"$.{key}") from None
    return tuple(value)


def _structure_base64(value: Any, _: Any) -> bytes:
    if type(value) is not str:
        raise _expected("a base64 string", value)
    try:
        return base64.b64decode(value, validate=True)
    except (binascii.Error, ValueError):
        raise SchemaError("invalid base64 data") from None


def _make_platform_hook(strict: bool) -> StructureHook:
    keys = known_keys("Platform")

    def structure_platform(value: Any, _: Any) -> Platform:
        if type(value) is not dict:
            raise _expected("an object", value)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            attr = keys.get(key)
            if attr is None:
                if strict:
                    raise SchemaError(f"unknown field {key!r}", key_path(key))
                continue
            try:
                if attr in ("os_features", "features"):
                    kwargs[attr] = None if item is None else _tuple_of_str(item, None)
                else:
                    kwargs[attr] = _structure_str(item, None)
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


def _tuple_of_str(value: Any, _: Any) -> tuple[str, ...]:
    if type(value) is not list:
        raise _expected("an array", value)
    for index, item in enumerate(value):
        if type(item) is not str:
            raise _expected("a string", item).at(f"$[{index}]")
    return tuple(value)


def _structure_time_string(value: Any, _: Any) -> Timestamp | None:
    """A Go *string* holding a time (inspect's ``Created``): ``""`` means none
    (Docker 25.0.0-25.0.3 and the CLI's typed output print it)."""
    if value == "":
        return None
    return _structure_timestamp(value, None)


# Per-field encodings that the Python type alone does not say.
_SPECIAL_READERS: Final[dict[tuple[str, str], StructureHook]] = {
    ("ImageInspect", "created"): _structure_time_string,
    ("ContainerConfig", "exposed_ports"): _structure_key_set,
    ("ContainerConfig", "volumes"): _structure_key_set,
    ("Descriptor", "data"): _structure_base64,
    ("JWSSignature", "header"): _structure_json_object,
}

# Fields without which the object means nothing. Docker distribution writes
# a descriptor's size with omitempty, so a 0-byte blob has none: lenient
# reading takes 0 (as Go does), strict reading requires it (as the OCI spec).
_REQUIRED: Final[dict[str, tuple[str, ...]]] = {
    "Descriptor": ("digest",),
    "ImageManifest": ("config",),
    "FSLayer": ("blob_sum",),
    "Schema1History": ("v1_compatibility",),
    "JWSSignature": ("header", "signature", "protected"),
}


_STRICT_REQUIRED: Final[dict[str, tuple[str, ...]]] = {"Descriptor": ("size", "media_type")}
# Go's zero values for positional fields a document may leave out.
_ZERO: Final[dict[Any, Any]] = {int: 0, str: ""}


def _is_optional(t: Any) -> bool:
    origin = typing.get_origin(t)
    return origin in (Union, types.UnionType) and type(None) in typing.get_args(t)


def _without_none(t: Any) -> Any:
    """``X`` for ``X | None``; any other type as it is."""
    return next(a for a in typing.get_args(t) if a is not type(None)) if _is_optional(t) else t


def _is_tuple(t: Any) -> bool:
    args = typing.get_args(t)
    return typing.get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_frozen_map(t: Any) -> bool:
    return typing.get_origin(t) is FrozenMap


def _is_model(t: Any) -> bool:
    return isinstance(t, type) and attrs.has(t) and issubclass(t, JSONObject)


@cache
def reading_converter(strict: bool = False) -> cattrs.Converter:
    """The converter that builds models from decoded JSON. With ``strict=True``
    unknown keys are errors instead of being kept."""
    conv = cattrs.Converter()
    for leaf, hook in (
        (str, _structure_str),
        (int, _structure_int),
        (bool, _structure_bool),
        (Digest, _structure_digest),
        (MediaType, _structure_media_type),
        (Timestamp, _structure_timestamp),
        (bytes, _structure_base64),
    ):
        conv.register_structure_hook(leaf, hook)
    conv.register_structure_hook(Platform, _make_platform_hook(strict))
    conv.register_structure_hook(JSONValue, _structure_json)

    def optional_factory(t: Any) -> StructureHook:
        inner_type = _without_none(t)
        inner = conv.get_structure_hook(inner_type)

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else inner(value, inner_type)

        return structure_optional

    def tuple_factory(t: Any) -> StructureHook:
        item_type = typing.get_args(t)[0]
        if item_type is str:
            return _tuple_of_str
        inner = conv.get_structure_hook(item_type)

        def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise _expected("an array", value)
            out = []
            for index, item in enumerate(value):
                try:
                    out.append(inner(item, item_type))
                except ImageInspectError as err:
                    raise err.at(f"$[{index}]") from None
            return tuple(out)

        return structure_tuple

    def frozen_map_factory(t: Any) -> StructureHook:
        value_type = typing.get_args(t)[1]
        inner = conv.get_structure_hook(value_type)
        is_str = value_type is str

        def structure_map(value: Any, _: Any) -> FrozenMap[str, Any]:
            if type(value) is not dict:
                raise _expected("an object", value)
            if is_str:
                for key, item in value.items():
                    if type(item) is not str:
                        raise _expected("a string", item).at(key_path(key))
                return FrozenMap._wrap(dict(value))
            out = {}
            for key, item in value.items():
                try:
                    out[key] = inner(item, value_type)
                except ImageInspectError as err:
                    raise err.at(key_path(key)) from None
            return FrozenMap._wrap(out)

        return structure_map

    def model_factory(cls: Any) -> StructureHook:
        return _make_model_reader(conv, cls, strict)

    conv.register_structure_hook_factory(_is_optional, optional_factory)
    conv.register_structure_hook_factory(_is_tuple, tuple_factory)
    conv.register_structure_hook_factory(_is_frozen_map, frozen_map_factory)
    conv.register_structure_hook_factory(_is_model, model_factory)
    return conv


def _int_at(value: Any, where: str) -> int:
    try:
        return _structure_int(value, None)
    except ImageInspectError as err:
        raise err.at(where) from None


def _tuple_of_str_at(value: Any, where: str) -> tuple[str, ...]:
    if type(value) is list:
        for item in value:
            if type(item) is not str:
                break
        else:
            return tuple(value)
    try:
        return _tuple_of_str(value, None)
    except ImageInspectError as err:
        raise err.at(where) from None


def _extras(value: dict[str, Any], known: frozenset[str], name: str, strict: bool) -> dict[str, JSONValue]:
    extra: dict[str, JSONValue] = {}
    for key, item in value.items():
        if key in known:
            continue
        if strict:
            raise SchemaError(f"unknown field {key!r} in {name}", key_path(key))
        try:
            extra[key] = freeze_json(item)
        except ImageInspectError as err:
            raise err.at(key_path(key)) from None
    return extra


def _make_model_reader(conv: cattrs.Converter, cls: type[Any], strict: bool) -> StructureHook:
    """Generate a straight-line reader for one model class: one dict lookup
    and an inlined type check per known key (no per-item dispatch), unknown
    keys collected only when there are some."""
    name = cls.__name__
    fields = attrs.fields_dict(cls)
    hints = typing.get_type_hints(cls)
    required = _REQUIRED.get(name, ()) + (_STRICT_REQUIRED.get(name, ()) if strict else ())
    positional_defaults = {
        a: _ZERO.get(hints[a]) for a, f in fields.items() if f.default is attrs.NOTHING and not f.kw_only
    }
    keys = known_keys(name)
    namespace: dict[str, Any] = {
        "cls": cls,
        "MISSING": attrs.NOTHING,
        "ImageInspectError": ImageInspectError,
        "SchemaError": SchemaError,
        "_expected": _expected,
        "_int_at": _int_at,
        "_tuple_of_str_at": _tuple_of_str_at,
        "_extras": _extras,
        "KNOWN": frozenset(keys),
        "DERIVE": _DERIVED.get(cls),
        "INT_MIN": _INT64_MIN,
        "INT_MAX": _INT64_MAX,
        "set_source": object.__setattr__,
    }
    derive = _DERIVED.get(cls) is not None
    init_fields = [f for f in attrs.fields(cls) if f.init]
    # Values live in local variables a_<attr> (classes with a derive hook
    # collect them into a dict instead).
    lines = [
        f"def structure_{cls.__name__}(value, _):",
        "    if type(value) is not dict:",
        "        raise _expected('an object', value)",
        "    get = value.get",
    ]
    for index, field in enumerate(init_fields):
        if isinstance(field.default, attrs.Factory):  # type: ignore[arg-type]
            namespace[f"D{index}"] = field.default.factory()
        elif field.default is attrs.NOTHING and field.name not in required:
            namespace[f"D{index}"] = positional_defaults.get(field.name, attrs.NOTHING)
        elif field.default is attrs.NOTHING:
            namespace[f"D{index}"] = attrs.NOTHING
        else:
            namespace[f"D{index}"] = field.default
        lines.append(f"    a_{field.name} = D{index}")
    attr_to_key: dict[str, str] = {}
    for index, (key, attr) in enumerate(keys.items()):
        attr_to_key.setdefault(attr, key)
        field_type = hints[attr]
        optional = _is_optional(field_type)
        inner = _without_none(field_type)
        where = repr(key_path(key))
        special = _SPECIAL_READERS.get((name, attr))
        lines.append(f"    v = get({key!r}, MISSING)")
        lines.append("    if v is not MISSING:")
        body: list[str]
        if special is None and inner is str:
            body = [f"if type(v) is not str: raise _expected('a string', v).at({where})"]
        elif special is None and inner is bool:
            body = [f"if type(v) is not bool: raise _expected('true or false', v).at({where})"]
        elif special is None and inner is int:
            body = [f"if type(v) is not int or v < INT_MIN or v > INT_MAX: v = _int_at(v, {where})"]
        elif special is None and _is_tuple(inner) and typing.get_args(inner)[0] is str:
            body = [f"v = _tuple_of_str_at(v, {where})"]
        else:
            hook = special if special is not None else conv.get_structure_hook(inner)
            namespace[f"H{index}"] = hook
            namespace[f"T{index}"] = inner
            body = [
                "try:",
                f"    v = H{index}(v, T{index})",
                "except ImageInspectError as err:",
                f"    raise err.at({where}) from None",
            ]
        if optional:
            lines.append("        if v is not None:")
            lines.extend("            " + line for line in body)
        else:
            lines.extend("        " + line for line in body)
        lines.append(f"        a_{attr} = v")
    for attr in required:
        message = f"missing required field {attr_to_key[attr]!r}"
        lines.append(f"    if a_{attr} is MISSING:")
        lines.append(f"        raise SchemaError({message!r})")
    lines.append("    a_extra = EMPTY")
    lines.append("    if not KNOWN.issuperset(value):")
    lines.append(f"        extra = _extras(value, KNOWN, {name!r}, {strict!r})")
    lines.append("        if extra: a_extra = FrozenMap._wrap(extra)")
    lines.append("    a_key_order = tuple(value)")
    if derive:
        args = ", ".join(f"{(f.alias or f.name)!r}: a_{f.name}" for f in init_fields)
        lines.append(f"    kw = {{{args}}}")
        lines.append("    DERIVE(kw)")
        lines.append("    obj = cls(**kw)")
    else:
        # Fill the slots directly: what attrs' __init__ would do (defaults,
        # converters), without its per-field frozen-setattr overhead.
        lines.append("    obj = NEW(cls)")
        for index, field in enumerate(init_fields):
            namespace[f"S{index}"] = getattr(cls, field.name).__set__
            fetch = f"a_{field.name}"
            if field.converter is not None:
                namespace[f"C{index}"] = field.converter
                fetch = f"C{index}({fetch})"
            lines.append(f"    S{index}(obj, {fetch})")
    lines.append("    set_source(obj, '_source', value)")
    lines.append("    return obj")
    namespace["NEW"] = object.__new__
    namespace["EMPTY"] = FrozenMap()
    namespace["FrozenMap"] = FrozenMap
    reader: StructureHook = compile_generated("structure", cls, "\n".join(lines), namespace)
    return reader


def compile_generated(kind: str, cls: type[Any], source: str, namespace: dict[str, Any]) -> Any:
    """Compile generated code under a file name that says what it is
    (``<imageinspect generated structure imageinspect.model.config.ContainerConfig #ab12cd34>``,
    the suffix telling apart the variants of one class: strict, per shape
    set), registered in :mod:`linecache` so tracebacks show its lines and
    :func:`inspect.getsource` finds it (as cattrs does); returns the function
    ``<kind>_<ClassName>`` it defines.

    >>> from imageinspect.model.config import RootFS
    >>> import inspect
    >>> fn = compile_generated("demo", RootFS, "def demo_RootFS(x):\\n    return x", {})
    >>> fn.__code__.co_filename.rsplit(" ", 1)[0], inspect.getsource(fn).splitlines()[0]
    ('<imageinspect generated demo imageinspect.model.config.RootFS', 'def demo_RootFS(x):')
    """
    text = source if source.endswith("\n") else source + "\n"
    tag = hashlib.sha256(text.encode()).hexdigest()[:8]
    filename = f"<imageinspect generated {kind} {cls.__module__}.{cls.__qualname__} #{tag}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[f"{kind}_{cls.__name__}"]


def _derive_schema1_history(kwargs: dict[str, Any]) -> None:
    """Decode the ``v1Compatibility`` string into a typed config."""
    import orjson

    from imageinspect.model.config import ImageConfig

    text = kwargs["v1_compatibility"]
    try:
        decoded = orjson.loads(text)
    except orjson.JSONDecodeError as err:
        raise SchemaError(f"v1Compatibility is not JSON: {err}", "$.v1Compatibility") from None
    try:
        kwargs["image"] = structure(decoded, ImageConfig)
    except ImageInspectError as err:
        raise err.at("$.v1Compatibility") from None


_DERIVED: Final[dict[type[Any], Callable[[dict[str, Any]], None]]] = {
    Schema1History: _derive_schema1_history,
}


def structure(value: Any, cls: type[Any], *, strict: bool = False) -> Any:
    """Build a model of type ``cls`` from a decoded JSON value.

    >>> from imageinspect.model.config import History
    >>> structure({"created_by": "x", "zzz": [1]}, History)
    History(extra=FrozenMap({'zzz': (1,)}), created=None, created_by='x', author='', comment='', empty_layer=False)
    """
    return reading_converter(strict).structure(value, cls)


# --- writing -------------------------------------------------------------


def _write_timestamp(value: Timestamp) -> str:
    return value.text


def _write_sorted_map(value: FrozenMap[str, Any]) -> dict[str, Any]:
    return dict(sorted(value._data.items()))


def _write_key_set(value: tuple[str, ...]) -> dict[str, Any]:
    return {key: {} for key in sorted(value)}


def _write_base64(value: bytes) -> str:
    return base64.b64encode(value).decode()


_SPECIAL_WRITERS: Final[dict[tuple[str, str], WriteHook]] = {
    ("ContainerConfig", "exposed_ports"): _write_key_set,
    ("ContainerConfig", "volumes"): _write_key_set,
    ("Descriptor", "data"): _write_base64,
    ("JWSSignature", "header"): thaw,
}


def _copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (dicts and lists; other values are
    immutable)."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy_json(item) for item in value]
    return value


def _identity(value: Any) -> Any:
    return value


class Writer:
    """Turns models into plain JSON values (dicts in the right key order) for
    one :class:`~imageinspect.codec.shapes.ShapeSet`.

    An object read from JSON (``key_order`` set) is written in its source
    layout; an object built in Python gets the shape set's canonical layout.
    ``canonical=True`` ignores source layouts (rendering for a given daemon).
    """

    def __init__(self, shapes: ShapeSet, *, canonical: bool = False) -> None:
        self.shapes = shapes
        self.canonical = canonical
        self._platform = _make_platform_writer(shapes.for_class("Platform"))
        self._models: dict[tuple[type[Any], str | None], WriteHook] = {}

    def write(self, obj: Any) -> Any:
        """The JSON value of a model: fresh dicts and lists the caller owns
        (changing them changes nothing in the frozen model).

        >>> from imageinspect.model.config import RootFS
        >>> value = writer("oci").write(RootFS(diff_ids=()))
        >>> value["type"] = "changed"
        >>> writer("oci").write(RootFS(diff_ids=()))["type"]
        'layers'
        """
        return _copy_json(self.write_shared(obj))

    def write_shared(self, obj: Any) -> Any:
        """:meth:`write` without the copy, for encoders: parts of the value
        may be the model's own (an object read from JSON hands back what was
        read), so it must never be changed."""
        return self.model_writer(type(obj), None)(obj)

    def model_writer(self, cls: type[Any], shape_name: str | None) -> WriteHook:
        """The writer of ``cls`` in its default shape or a named one."""
        key = (cls, shape_name)
        found = self._models.get(key)
        if found is None:
            shp = self.shapes.for_class(cls.__name__) if shape_name is None else self.shapes.named_shape(shape_name)
            found = self._models[key] = self._make_model_writer(cls, shp)
        return found

    def value_writer(self, owner: str, attr: str, field_type: Any, shape_name: str | None) -> WriteHook:
        special = _SPECIAL_WRITERS.get((owner, attr))
        if special is not None:
            return special
        field_type = _without_none(field_type)
        if field_type in (str, int, bool, Digest, MediaType):
            return _identity
        if field_type is Timestamp:
            return str if self.canonical else _write_timestamp
        if field_type is Platform:
            return self._platform
        if _is_frozen_map(field_type):
            return _write_sorted_map if typing.get_args(field_type)[1] is str else thaw
        if _is_tuple(field_type):
            item_type = typing.get_args(field_type)[0]
            if item_type in (str, Digest):
                return _identity
            if item_type is JSONValue:
                return thaw
            item_hook = self.value_writer(owner, attr, item_type, shape_name)
            return lambda value: [item_hook(item) for item in value]
        if field_type is JSONValue:
            return thaw
        if _is_model(field_type):
            return self._lazy(field_type, shape_name)
        raise TypeError(f"no JSON writer for {owner}.{attr}: {field_type!r}")

    def zero_value(self, cls: type[Any], shape_name: str | None) -> dict[str, Any]:
        """What Go writes for the zero value of a struct: every field's zero,
        by the shape's omission rules (``""``, ``0``, ``false``, ``null``)."""
        shp = self.shapes.for_class(cls.__name__) if shape_name is None else self.shapes.named_shape(shape_name)
        hints = typing.get_type_hints(cls)
        out: dict[str, Any] = {}
        for field in shp.fields:
            if field.omit in ("empty", "nil"):
                continue
            field_type = hints[field.attr]
            base = _without_none(field_type)
            if field.omit == "struct" and _is_model(base):
                out[field.key] = self.zero_value(base, field.shape)
            elif base in (str, Digest, MediaType):
                out[field.key] = ""
            elif base is int:
                out[field.key] = 0
            elif base is bool:
                out[field.key] = False
            else:
                out[field.key] = field.nil
        return dict(sorted(out.items())) if shp.sort else out

    def _generate_canonical(
        self,
        cls: type[Any],
        canonical: Sequence[tuple[str, str, str, Any, str | None]],
        writer_for: Callable[[str], WriteHook],
        zero_struct: Callable[[str, str | None], Any],
        sort: bool,
    ) -> WriteHook:
        """Straight-line code that writes one object in a shape: one attribute
        read and one inlined omission test per key; identity values (strings,
        numbers, string tuples) are stored without a call."""
        hints = typing.get_type_hints(cls)
        namespace: dict[str, Any] = {"thaw": thaw, "sorted": sorted, "dict": dict}
        lines = [f"def write_{cls.__name__}(obj):", "    out = {}"]
        for index, (key, attr, omit, nil, shape_name) in enumerate(canonical):
            field_type = hints[attr]
            base = _without_none(field_type)
            identity = base in (str, int, bool, Digest, MediaType) or (
                _is_tuple(base) and typing.get_args(base)[0] in (str, Digest)
            )
            if (cls.__name__, attr) in _SPECIAL_WRITERS:
                identity = False
            lines.append(f"    v = obj.{attr}")
            if omit == "empty":
                lines.append("    if v:")
            elif omit == "nil":
                lines.append("    if v is not None:")
            else:
                lines.append("    if True:")
            if identity:
                value = "v"
            else:
                namespace[f"W{index}"] = writer_for(attr)
                value = f"W{index}(v)"
            if omit in ("empty",) or (omit == "nil"):
                lines.append(f"        out[{key!r}] = {value}")
            else:
                if omit == "struct":
                    namespace[f"Z{index}"] = (zero_struct, attr, shape_name)
                    none_value = f"Z{index}[0](Z{index}[1], Z{index}[2])"
                else:
                    namespace[f"N{index}"] = nil
                    none_value = f"N{index}"
                lines.append(f"        out[{key!r}] = {none_value} if v is None else {value}")
        if sort:
            lines.append("    out = dict(sorted(out.items()))")
        lines.append("    extra = obj.extra")
        lines.append("    if extra:")
        lines.append("        for k, item in extra.items():")
        lines.append("            out.setdefault(k, thaw(item))")
        lines.append("    return out")
        generated: WriteHook = compile_generated("write", cls, "\n".join(lines), namespace)
        return generated

    def _lazy(self, cls: type[Any], shape_name: str | None) -> WriteHook:
        cell: list[WriteHook] = []

        def write_nested(value: Any) -> Any:
            if not cell:
                cell.append(self.model_writer(cls, shape_name))
            return cell[0](value)

        return write_nested

    def _make_model_writer(self, cls: type[Any], dialect_shape: Shape) -> WriteHook:
        name = cls.__name__
        hints = typing.get_type_hints(cls)
        fields = attrs.fields_dict(cls)
        shape_of = {f.attr: f.shape for f in dialect_shape.fields}
        writers: dict[str, WriteHook] = {}

        def writer_for(attr: str) -> WriteHook:
            hook = writers.get(attr)
            if hook is None:
                hook = writers[attr] = self.value_writer(name, attr, hints[attr], shape_of.get(attr))
            return hook

        key_to_attr = known_keys(name)
        canonical = [(f.key, f.attr, f.omit, f.nil, f.shape) for f in dialect_shape.fields]
        position = {f.key: i for i, f in enumerate(dialect_shape.fields)}
        defaults = {a: (f.default if f.default is not attrs.NOTHING else None) for a, f in fields.items()}
        zeros: dict[str, Any] = {}
        nils = {attr: layout_nil(name, attr) for attr in fields}
        sort = dialect_shape.sort
        ignore_layout = self.canonical

        def zero_struct(attr: str, shape_name: str | None) -> Any:
            if attr not in zeros:
                inner = _without_none(hints[attr])
                zeros[attr] = self.zero_value(inner, shape_name)
            return zeros[attr]

        write_canonical = self._generate_canonical(cls, canonical, writer_for, zero_struct, sort)

        def write_model(obj: Any) -> Any:
            if ignore_layout:
                return write_canonical(obj)
            source = obj._source
            if source is not None:
                return source  # unmodified since it was read: its JSON value as read
            order = obj.key_order
            if order is None:
                return write_canonical(obj)
            extra = obj.extra
            out: dict[str, Any] = {}
            written: set[str] = set()
            for key in order:
                attr = key_to_attr.get(key)
                if attr is not None:
                    if attr in written:
                        continue
                    value = getattr(obj, attr)
                    out[key] = nils[attr] if value is None else writer_for(attr)(value)
                    written.add(attr)
                elif key in extra:
                    out[key] = thaw(extra[key])
            added = [
                (key, attr)
                for key, attr, omit, _, _ in canonical
                if attr not in written and _is_set(getattr(obj, attr), defaults[attr], omit)
            ]
            if added:
                out = _insert(out, added, obj, writer_for, position, sort)
            for key, item in extra.items():
                if key not in out:
                    out[key] = thaw(item)
            return out

        return write_model


@cache
def writer(shapes: ShapeSet | Dialect, canonical: bool = False) -> Writer:
    """The (cached) :class:`Writer` for a shape set or a document dialect.

    >>> from imageinspect.model.config import RootFS
    >>> writer("oci").write(RootFS(diff_ids=()))
    {'type': 'layers', 'diff_ids': []}
    """
    if isinstance(shapes, str):
        shapes = document_shapes(shapes)
    return Writer(shapes, canonical=canonical)


def _is_set(value: Any, default: Any, omit: str) -> bool:
    if omit == "empty":
        return bool(value)
    if omit in ("struct", "nil"):
        return value is not None
    return bool(value != default)


def _insert(
    out: dict[str, Any],
    added: list[tuple[str, str]],
    obj: Any,
    writer_for: Callable[[str], WriteHook],
    position: dict[str, int],
    sort: bool,
) -> dict[str, Any]:
    """Insert fields set after reading at their canonical place."""
    items = list(out.items())
    for key, attr in added:
        value = getattr(obj, attr)
        item = (key, None if value is None else writer_for(attr)(value))
        if sort:
            index = next((i for i, (k, _) in enumerate(items) if k > key), len(items))
        else:
            rank = position[key]
            index = 0
            for i, (k, _) in enumerate(items):
                if position.get(k, -1) < rank:
                    index = i + 1
        items.insert(index, item)
    return dict(items)


def _make_platform_writer(platform_shape: Shape) -> WriteHook:
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
