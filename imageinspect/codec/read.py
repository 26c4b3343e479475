"""Reading: decoded JSON values -> models, through one cattrs converter.

Reading is dialect independent: every key any dialect knows is accepted,
values are type-checked strictly (Go would refuse a number where a string
belongs; so do we), unknown keys are kept in ``extra`` and the source key order
in ``key_order``. A failure raises :class:`~imageinspect.errors.SchemaError`
(or a value error) whose location is the JSON path of the bad value. Each
model class gets a generated, straight-line reader (see
:mod:`imageinspect.codec.generated`); leaf encodings live in
:mod:`imageinspect.codec.leaves`, mirrored by :mod:`imageinspect.codec.write`.

>>> conv = reading_converter()
>>> from imageinspect.model.config import RootFS
>>> conv.structure({"type": "layers", "diff_ids": [1]}, RootFS)
Traceback (most recent call last):
  ...
imageinspect.errors.SchemaError: $.diff_ids[0]: expected a digest string, got number
"""

from __future__ import annotations

import typing
from collections.abc import Callable
from functools import cache
from typing import Any, Final

import attrs
import cattrs

from imageinspect.errors import ImageInspectError, SchemaError
from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import READER_READY, FrozenMap, JSONValue
from imageinspect.model.schema1 import Schema1History
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .accel import PURE, extension
from .classes import class_shape
from .generated import compile_generated
from .gokeys import check_go_keys
from .jsonread import decode
from .leaves import (
    LEAVES,
    freeze_json,
    make_platform_reader,
    read_digest,
    read_int,
    read_key_set,
    read_media_type,
    read_str_tuple,
    read_time_string,
)
from .typeinfo import (
    INT64_MAX,
    INT64_MIN,
    StructureHook,
    expected,
    is_frozen_map,
    is_model,
    is_optional,
    is_tuple,
    key_path,
    without_none,
)

__all__ = ["reading_converter", "structure"]

_STR_ONLY: Final = frozenset({str})

# Go's zero values for positional fields a document may leave out.
_ZERO: Final[dict[Any, Any]] = {int: 0, str: ""}


def reading_converter(strict: bool = False, compiled: bool = True) -> cattrs.Converter:
    """The converter that builds models from decoded JSON. With ``strict=True``
    unknown keys are errors instead of being kept; ``compiled=False`` gives
    the pure generated readers only (else the compiled ones where the
    extension runs, see :mod:`imageinspect.codec.accel`). One converter per
    combination, however the arguments are spelt.

    >>> reading_converter() is reading_converter(False, compiled=True)
    True
    """
    return _reading_converter(bool(strict), bool(compiled))


@cache
def _reading_converter(strict: bool, compiled: bool) -> cattrs.Converter:
    conv = cattrs.Converter()
    for leaf, (read, _) in LEAVES.items():
        conv.register_structure_hook(leaf, read)
    conv.register_structure_hook(Platform, make_platform_reader(strict, class_shape(Platform).keys))

    def optional_factory(t: Any) -> StructureHook:
        inner_type = without_none(t)
        inner = conv.get_structure_hook(inner_type)

        def structure_optional(value: Any, _: Any) -> Any:
            return None if value is None else inner(value, inner_type)

        return structure_optional

    def tuple_factory(t: Any) -> StructureHook:
        item_type = typing.get_args(t)[0]
        if item_type is str:
            return read_str_tuple
        inner = conv.get_structure_hook(item_type)

        def structure_tuple(value: Any, _: Any) -> tuple[Any, ...]:
            if type(value) is not list:
                raise expected("an array", value)
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
                raise expected("an object", value)
            if is_str:
                if set(map(type, value.values())) <= _STR_ONLY:
                    return FrozenMap._wrap(dict(value))
                for key, item in value.items():
                    if type(item) is not str:
                        raise expected("a string", item).at(key_path(key))
            out = {}
            for key, item in value.items():
                try:
                    out[key] = inner(item, value_type)
                except ImageInspectError as err:
                    raise err.at(key_path(key)) from None
            return FrozenMap._wrap(out)

        return structure_map

    def model_factory(cls: Any) -> StructureHook:
        return _make_model_reader(conv, cls, strict, compiled)

    conv.register_structure_hook_factory(is_optional, optional_factory)
    conv.register_structure_hook_factory(is_tuple, tuple_factory)
    conv.register_structure_hook_factory(is_frozen_map, frozen_map_factory)
    conv.register_structure_hook_factory(is_model, model_factory)
    return conv


def _int_at(value: Any, where: str) -> int:
    try:
        return read_int(value, None)
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
        return read_str_tuple(value, None)
    except ImageInspectError as err:
        raise err.at(where) from None


def _extras(value: dict[str, Any], known: frozenset[str], name: str, strict: bool) -> dict[str, JSONValue]:
    check_go_keys(value, known)  # a key Go would read as a field is no unknown key
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


def _make_model_reader(conv: cattrs.Converter, cls: type[Any], strict: bool, compiled: bool = True) -> StructureHook:
    """Generate a straight-line reader for one model class: one dict lookup
    and an inlined type check per known key (no per-item dispatch), unknown
    keys collected only when there are some."""
    name = cls.__name__
    fields = attrs.fields_dict(cls)
    hints = typing.get_type_hints(cls)
    record = class_shape(cls)  # a class with no shape is refused here
    _refuse_hooks_the_reader_would_skip(cls)
    required = record.required + (record.strict_required if strict else ())
    positional_defaults = {
        a: _ZERO.get(hints[a]) for a, f in fields.items() if f.default is attrs.NOTHING and not f.kw_only
    }
    keys = record.keys
    namespace: dict[str, Any] = {
        "cls": cls,
        "MISSING": attrs.NOTHING,
        "ImageInspectError": ImageInspectError,
        "SchemaError": SchemaError,
        "expected": expected,
        "_int_at": _int_at,
        "_tuple_of_str_at": _tuple_of_str_at,
        "_extras": _extras,
        "KNOWN": frozenset(keys),
        "DERIVE": _DERIVED.get(cls),
        "INT_MIN": INT64_MIN,
        "INT_MAX": INT64_MAX,
        "set_source": vars(JSONObject)["_source"].__set__,  # the slot itself
    }
    derive = _DERIVED.get(cls) is not None
    init_fields = [f for f in attrs.fields(cls) if f.init]
    # Values live in local variables a_<attr> (classes with a derive hook
    # collect them into a dict instead).
    lines = [
        f"def structure_{cls.__name__}(value, _):",
        "    if type(value) is not dict:",
        "        raise expected('an object', value)",
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
    plan: list[tuple[str, str, str, bool, Any, Any]] = []  # the compiled reader's fields (see accel.py)
    for index, (key, attr) in enumerate(keys.items()):
        attr_to_key.setdefault(attr, key)
        field_type = hints[attr]
        optional = is_optional(field_type)
        inner = without_none(field_type)
        where = repr(key_path(key))
        encoding = record.encoding(attr)
        special = None if encoding is None else encoding.read
        lines.append(f"    v = get({key!r}, MISSING)")
        lines.append("    if v is not MISSING:")
        body: list[str]
        if special is None and inner is str:
            body = [f"if type(v) is not str: raise expected('a string', v).at({where})"]
            plan.append((key, attr, "str", optional, None, None))
        elif special is None and inner is bool:
            body = [f"if type(v) is not bool: raise expected('true or false', v).at({where})"]
            plan.append((key, attr, "bool", optional, None, None))
        elif special is None and inner is int:
            body = [f"if type(v) is not int or v < INT_MIN or v > INT_MAX: v = _int_at(v, {where})"]
            plan.append((key, attr, "int", optional, None, None))
        elif special is None and is_tuple(inner) and typing.get_args(inner)[0] is str:
            body = [f"v = _tuple_of_str_at(v, {where})"]
            plan.append((key, attr, "str_tuple", optional, None, None))
        else:
            hook = special if special is not None else conv.get_structure_hook(inner)
            kind, nested, arg = _compiled_kind(conv, inner, hook, special is not None)
            plan.append((key, attr, kind, optional, nested, arg))
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
        # converters), without its per-field frozen-setattr overhead. The
        # object is made as a twin class with the same slots and plain
        # attribute setting (a slot store is then a few nanoseconds, not a
        # descriptor call), then becomes the frozen class.
        namespace["TWIN"] = _twin(cls)
        lines.append("    obj = NEW(TWIN)")
        for index, field in enumerate(init_fields):
            fetch = f"a_{field.name}"
            encoding = record.encoding(field.name)
            if _reader_calls(field.converter, encoding):
                namespace[f"C{index}"] = field.converter
                fetch = f"C{index}({fetch})"
            lines.append(f"    obj.{field.name} = {fetch}")
        lines.append("    obj._source = value")
        lines.append("    obj.__class__ = cls")
        lines.append("    return obj")
    if derive:
        lines.append("    set_source(obj, value)")
        lines.append("    return obj")
    namespace["NEW"] = object.__new__
    namespace["EMPTY"] = FrozenMap()
    namespace["FrozenMap"] = FrozenMap
    reader: StructureHook = compile_generated("structure", cls, "\n".join(lines), namespace)
    accel = extension()
    if accel is None or strict or derive or not compiled:
        return reader
    return _compiled_reader(accel, cls, reader, plan, init_fields, namespace, record)


def _compiled_kind(conv: cattrs.Converter, inner: Any, hook: Any, special: bool) -> tuple[str, Any, Any]:
    """How the compiled reader reads a field the pure reader hands to a
    hook: a nested model (its reader), a list of them, or the hook."""
    if hook is read_key_set:
        return "key_set", hook, inner
    if hook is read_time_string:  # a time in Go's spelling is read in C; "" (None) and the rest by the hook
        return "time", hook, inner
    if hook is read_digest or hook is read_media_type:
        return "interned", hook, inner
    if not special and inner is Timestamp:
        return "time", hook, inner
    if not special and is_frozen_map(inner) and typing.get_args(inner)[1] is str:
        return "str_map", hook, inner
    if not special and is_model(inner):
        return "model", hook, inner
    if not special and is_tuple(inner) and is_model(typing.get_args(inner)[0]):
        item = typing.get_args(inner)[0]
        return "model_tuple", conv.get_structure_hook(item), item
    return "hook", hook, inner


def _compiled_reader(
    accel: Any,
    cls: type[Any],
    pure: StructureHook,
    plan: list[tuple[str, str, str, bool, Any, Any]],
    init_fields: list[Any],
    namespace: dict[str, Any],
    record: Any,
) -> StructureHook:
    """The compiled reader of ``cls``: the same fields, defaults and
    converters as the generated ``pure`` reader, to which it hands every
    object it does not build itself (see :mod:`imageinspect.codec.accel`)."""
    slots: list[tuple[Any, Any, Any]] = []
    index_of: dict[str, int] = {}
    for index, field in enumerate(init_fields):
        default = namespace[f"D{index}"]
        encoding = record.encoding(field.name)
        converter = field.converter if _reader_calls(field.converter, encoding) else None
        index_of[field.name] = len(slots)
        slots.append((getattr(cls, field.name), accel.REQUIRED if default is attrs.NOTHING else default, converter))
    kinds = {
        "str": accel.K_STR,
        "bool": accel.K_BOOL,
        "int": accel.K_INT,
        "str_tuple": accel.K_STR_TUPLE,
        "model": accel.K_MODEL,
        "model_tuple": accel.K_MODEL_TUPLE,
        "hook": accel.K_HOOK,
        "time": accel.K_TIME,
        "str_map": accel.K_STR_MAP,
        "key_set": accel.K_KEY_SET,
        "interned": accel.K_INTERNED,
    }
    compiled = accel.Reader(
        cls, tuple(slots), cls.extra, cls.key_order, vars(JSONObject)["_source"],
        namespace["EMPTY"], pure,
    )  # fmt: skip
    fields = []
    for key, attr, kind, optional, hook, arg in plan:
        fields.append((key, index_of[attr], kinds[kind], int(optional), hook, arg))
    compiled.set_fields(tuple(fields))
    reader: StructureHook = compiled
    return reader


def _twin(cls: type[Any]) -> type[Any]:
    """A subclass of ``cls`` with its slots and no frozen ``__setattr__``:
    a generated reader fills an instance of it, then sets its ``__class__``
    to ``cls`` (the same layout, so Python allows it)."""
    found = _TWINS.get(cls)
    if found is None:
        namespace = {"__slots__": (), "__setattr__": object.__setattr__, "__delattr__": object.__delattr__}
        found = _TWINS[cls] = type(f"_Filling{cls.__name__}", (cls,), namespace)
    return found


_TWINS: dict[type[Any], type[Any]] = {}


def _reader_calls(converter: Any, encoding: Any) -> bool:
    """Whether a reader calls a field's converter on what it read: not when
    the field has none, nor when what the reader makes is the converter's
    output already (a converter of :data:`~imageinspect.model.frozen.READER_READY`,
    or an encoding that says so)."""
    if converter is None or converter in READER_READY:
        return False
    return not (encoding is not None and encoding.converted)


def _refuse_hooks_the_reader_would_skip(cls: type[Any]) -> None:
    """Generated readers fill an object's slots directly (running the fields'
    converters, and doing what :meth:`JSONObject.__attrs_post_init__` does:
    every value they make is frozen already). A class whose fields have
    validators, or with its own post-init or pre-init hook, would have them
    skipped: refuse it when its reader is generated."""
    for field in attrs.fields(cls):
        if field.validator is not None:
            raise TypeError(f"{cls.__name__}.{field.name} has an attrs validator, which a generated reader would skip")
    for hook in ("__attrs_post_init__", "__attrs_pre_init__"):
        if getattr(cls, hook, None) is not getattr(JSONObject, hook, None):
            raise TypeError(f"{cls.__name__} defines {hook}, which a generated reader would skip")


def _derive_schema1_history(kwargs: dict[str, Any]) -> None:
    """Decode the ``v1Compatibility`` string into a typed config."""
    import orjson

    from imageinspect.model.config import ImageConfig

    text = kwargs["v1_compatibility"]
    try:
        decoded = decode(text)
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
    compiled = not PURE.get()
    hook = _HOOKS.get((cls, strict, compiled))
    if hook is None:
        hook = _HOOKS[(cls, strict, compiled)] = reading_converter(strict, compiled).get_structure_hook(cls)
    return hook(value, cls)


#: The converter's hook per (class, strict, compiled), looked up once.
_HOOKS: dict[tuple[Any, bool, bool], StructureHook] = {}
