"""Writing: models -> plain JSON values (dicts in the right key order), per
:class:`~imageinspect.codec.classes.ShapeSet`; the mirror of
:mod:`imageinspect.codec.read`. An object read from JSON is written back in
its own key order; an object built in Python gets the shape set's canonical
order and omission rules. Bytes are made from these values by
:mod:`imageinspect.codec.gojson`.

>>> from imageinspect.model.config import RootFS
>>> writer("oci").write(RootFS(diff_ids=()))
{'type': 'layers', 'diff_ids': []}
"""

from __future__ import annotations

import functools
import typing
from collections.abc import Callable, Sequence
from functools import cache
from typing import Any, Final

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.frozen import JSONValue, thaw
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .accel import writer_extension
from .classes import ShapeSet, class_shape, document_shapes
from .generated import compile_generated
from .leaves import LEAVES, make_platform_writer, write_as_is, write_key_set, write_sorted_map, write_timestamp
from .shapes import Dialect, Shape
from .typeinfo import WriteHook, is_frozen_map, is_model, is_tuple, without_none

__all__ = ["Writer", "writer"]


def _copy_json(value: Any) -> Any:
    """A deep copy of a JSON value (dicts and lists; other values are
    immutable)."""
    if isinstance(value, dict):
        return {key: _copy_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_copy_json(item) for item in value]
    return value


class Writer:
    """Turns models into plain JSON values (dicts in the right key order) for
    one :class:`~imageinspect.codec.classes.ShapeSet`.

    An object read from JSON (``key_order`` set) is written in its source
    layout; an object built in Python gets the shape set's canonical layout.
    ``canonical=True`` ignores source layouts (rendering for a given daemon).
    """

    def __init__(self, shapes: ShapeSet, *, canonical: bool = False) -> None:
        self.shapes = shapes
        self.canonical = canonical
        self._platform = make_platform_writer(shapes.for_class(Platform))
        self._models: dict[tuple[type[Any], str | None], WriteHook] = {}
        self._plans: dict[tuple[type[Any], str | None], Any] = {}
        #: The compiled writer's plans of the classes written at the top, by
        #: class (what :func:`imageinspect.codec.gojson.encode` hands to
        #: ``encode_models``; filled by :meth:`add_roots`).
        self.roots: dict[type[Any], Any] = {}

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
            shp = self.shapes.for_class(cls) if shape_name is None else self.shapes.named_shape(shape_name)
            found = self._models[key] = self._make_model_writer(cls, shp)
        return found

    def value_writer(self, owner: type[Any], attr: str, field_type: Any, shape_name: str | None) -> WriteHook:
        """The function that writes one attribute's (non-``None``) value."""
        return self._value(owner, attr, field_type, shape_name).hook

    def _value(self, owner: type[Any], attr: str, field_type: Any, shape_name: str | None) -> _Value:
        """How one attribute's value is written: its hook, and what kind of
        hook it is (for the compiled writer's plans)."""
        encoding = class_shape(owner).encoding(attr)
        if encoding is not None and encoding.write is not None:
            return _Value("key_set" if encoding.write is write_key_set else "hook", encoding.write)
        field_type = without_none(field_type)
        if field_type is Timestamp and self.canonical:
            return _Value("time_str", str)
        leaf = LEAVES.get(field_type)
        if leaf is not None:
            kinds: dict[WriteHook, str] = {write_as_is: "plain", thaw: "thaw", write_timestamp: "time_text"}
            return _Value(kinds.get(leaf[1], "hook"), leaf[1])
        if field_type is Platform:
            return _Value("hook", self._platform)
        if is_frozen_map(field_type):
            value_type = typing.get_args(field_type)[1]
            if value_type is str:
                return _Value("sorted_map", write_sorted_map)
            if is_model(value_type):  # a Go map of structs: keys sorted, values by their shape
                inner = self._lazy(value_type, shape_name)
                return _Value("hook", lambda value: {key: inner(value[key]) for key in sorted(value)})
            return _Value("thaw", thaw)
        if is_tuple(field_type):
            item_type = typing.get_args(field_type)[0]
            if _written_as_is(item_type):
                return _Value("plain", write_as_is)
            if item_type is JSONValue:
                return _Value("thaw", thaw)
            item = self._value(owner, attr, item_type, shape_name)
            item_hook = item.hook
            items: WriteHook = lambda value: [item_hook(one) for one in value]  # noqa: E731
            return _Value("models", items, item.model) if item.kind == "model" else _Value("hook", items)
        if is_model(field_type):
            return _Value("model", self._lazy(field_type, shape_name), (field_type, shape_name))
        raise TypeError(f"no JSON writer for {owner}.{attr}: {field_type!r}")

    def zero_value(self, cls: type[Any], shape_name: str | None) -> dict[str, Any]:
        """What Go writes for the zero value of a struct: every field's zero,
        by the shape's omission rules (``""``, ``0``, ``false``, ``null``)."""
        shp = self.shapes.for_class(cls) if shape_name is None else self.shapes.named_shape(shape_name)
        hints = typing.get_type_hints(cls)
        out: dict[str, Any] = {}
        for field in shp.fields:
            if field.omit in ("empty", "nil"):
                continue
            field_type = hints[field.attr]
            base = without_none(field_type)
            if field.omit == "struct" and is_model(base):
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
            identity = _is_identity(cls, attr, hints[attr])
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

    def _generate_layout(self, cls: type[Any], order: tuple[str, ...], rules: _LayoutRules) -> WriteHook:
        """Straight-line code that writes an edited object in the key order
        of its source: each key in place (unknown ones from ``extra``), then
        fields set since reading at their canonical place, then new unknown
        keys."""
        key_to_attr, writer_for = rules.key_to_attr, rules.writer_for
        unknown = [key for key in order if key not in key_to_attr]
        if len(unknown) > _MAX_GENERATED_UNKNOWN or sum(map(len, unknown)) > _MAX_GENERATED_KEY_CHARS:
            return functools.partial(_write_layout_slowly, order=order, rules=rules)
        hints = typing.get_type_hints(cls)
        namespace: dict[str, Any] = {
            "thaw": thaw,
            "insert": _insert,
            "writer_for": writer_for,
            "position": rules.position,
            "sort": rules.sort,
        }
        lines = [f"def write_layout_{cls.__name__}(obj):", "    extra = obj.extra", "    out = {}"]
        written: set[str] = set()
        for index, key in enumerate(order):
            attr = key_to_attr.get(key)
            if attr is None:
                lines.append(f"    if {key!r} in extra: out[{key!r}] = thaw(extra[{key!r}])")
                continue
            if attr in written:
                continue
            written.add(attr)
            namespace[f"N{index}"] = rules.nils[attr]
            lines.append(f"    v = obj.{attr}")
            if _is_identity(cls, attr, hints[attr]):
                lines.append(f"    out[{key!r}] = N{index} if v is None else v")
            else:
                namespace[f"W{index}"] = writer_for(attr)
                lines.append(f"    out[{key!r}] = N{index} if v is None else W{index}(v)")
        added = [(key, attr, omit) for key, attr, omit, _, _ in rules.canonical if attr not in written]
        if added:
            lines.append("    added = []")
            for index, (key, attr, omit) in enumerate(added):
                if omit == "empty":
                    test = f"obj.{attr}"
                elif omit in ("struct", "nil"):
                    test = f"obj.{attr} is not None"
                else:
                    namespace[f"D{index}"] = rules.defaults[attr]
                    test = f"obj.{attr} != D{index}"
                lines.append(f"    if {test}: added.append(({key!r}, {attr!r}))")
            lines.append("    if added: out = insert(out, added, obj, writer_for, position, sort)")
        lines.append("    if extra:")
        lines.append("        for k, item in extra.items():")
        lines.append("            if k not in out: out[k] = thaw(item)")
        lines.append("    return out")
        generated: WriteHook = compile_generated("write_layout", cls, "\n".join(lines), namespace, transient=True)
        return generated

    def add_roots(self, value: Any) -> bool:
        """Add to :attr:`roots` the compiled writer's plans for the classes
        of ``value`` (a model, or a list of models and plain values) that it
        lacks; ``False`` when none was added (the compiled writer does not
        run, the classes have plans already, or a class has no shape).

        >>> from imageinspect.model.config import RootFS
        >>> added = writer("oci").add_roots([RootFS()])
        >>> RootFS in writer("oci").roots or writer_extension() is None
        True
        """
        module = writer_extension()
        if module is None:
            return False
        roots = self.roots
        added = False
        for cls in {type(item) for item in value} if type(value) is list else (type(value),):
            if cls not in roots and cls is not dict:
                try:
                    roots[cls] = self._plan(module, cls, None)
                except TypeError:
                    return False
                added = True
        return added

    def _plan(self, module: Any, cls: type[Any], shape_name: str | None) -> Any:
        """The compiled writer's ``Plan`` of ``cls`` in a shape: the same
        keys, rules, hooks and nested writers as :meth:`model_writer`, whose
        writer it hands the objects it does not write itself."""
        key = (cls, shape_name)
        found = self._plans.get(key)
        if found is not None:
            return found
        fallback = self.model_writer(cls, shape_name)  # raises TypeError for a class without a shape
        shp = self.shapes.for_class(cls) if shape_name is None else self.shapes.named_shape(shape_name)
        plan = module.Plan(cls, fallback, *_JSON_OBJECT_SLOTS, self.canonical)
        self._plans[key] = plan  # before the fields: a class may nest itself
        try:
            self._set_plan_fields(module, plan, cls, shp)
        except BaseException:
            del self._plans[key]  # not kept half made (it would hand everything back)
            raise
        return plan

    def _set_plan_fields(self, module: Any, plan: Any, cls: type[Any], shp: Shape) -> None:
        hints = typing.get_type_hints(cls)
        defaults = attrs.fields_dict(cls)
        record = class_shape(cls)
        by_attr = {f.attr: f for f in shp.fields}
        names = list(dict.fromkeys([*(f.attr for f in shp.fields), *record.keys.values()]))
        index = {name: i for i, name in enumerate(names)}
        fields = []
        for name in names:
            field = by_attr.get(name)
            field_shape = None if field is None else field.shape
            value = self._value(cls, name, hints[name], field_shape)
            sub: Any = value.hook if value.kind in ("hook", "time_text", "time_str") else None
            if value.model is not None:
                sub = self._plan(module, *value.model)
            omit = "never" if field is None else field.omit
            zero = self.zero_value(without_none(hints[name]), field_shape) if omit == "struct" else None
            default = defaults[name].default
            fields.append((
                name if field is None else field.key, _slot(cls, name), _OMIT_CODES[omit], _KIND_CODES[value.kind],
                None if field is None else field.nil, zero, record.layout_nil(name),
                None if default is attrs.NOTHING else default, sub,
            ))  # fmt: skip
        canon = [index[f.attr] for f in (sorted(shp.fields, key=lambda f: f.key) if shp.sort else shp.fields)]
        plan.set_fields(tuple(fields), tuple(canon), {key: index[name] for key, name in record.keys.items()})

    def _lazy(self, cls: type[Any], shape_name: str | None) -> WriteHook:
        cell: list[WriteHook] = []

        def write_nested(value: Any) -> Any:
            if not cell:
                cell.append(self.model_writer(cls, shape_name))
            return cell[0](value)

        return write_nested

    def _make_model_writer(self, cls: type[Any], dialect_shape: Shape) -> WriteHook:
        hints = typing.get_type_hints(cls)
        fields = attrs.fields_dict(cls)
        shape_of = {f.attr: f.shape for f in dialect_shape.fields}
        writers: dict[str, WriteHook] = {}

        def writer_for(attr: str) -> WriteHook:
            hook = writers.get(attr)
            if hook is None:
                hook = writers[attr] = self.value_writer(cls, attr, hints[attr], shape_of.get(attr))
            return hook

        key_to_attr = class_shape(cls).keys
        canonical = [(f.key, f.attr, f.omit, f.nil, f.shape) for f in dialect_shape.fields]
        position = {f.key: i for i, f in enumerate(dialect_shape.fields)}
        defaults = {a: (f.default if f.default is not attrs.NOTHING else None) for a, f in fields.items()}
        zeros: dict[str, Any] = {}
        nils = {attr: class_shape(cls).layout_nil(attr) for attr in fields}
        sort = dialect_shape.sort
        ignore_layout = self.canonical

        def zero_struct(attr: str, shape_name: str | None) -> Any:
            if attr not in zeros:
                inner = without_none(hints[attr])
                zeros[attr] = self.zero_value(inner, shape_name)
            return zeros[attr]

        write_canonical = self._generate_canonical(cls, canonical, writer_for, zero_struct, sort)

        plans: dict[tuple[str, ...], WriteHook] = {}
        rules = _LayoutRules(key_to_attr, canonical, defaults, nils, writer_for, position, sort)

        def layout_writer(order: tuple[str, ...]) -> WriteHook:
            """The writer for objects read with this key order (generated
            once per distinct order: real outputs repeat a handful)."""
            found = plans.get(order)
            if found is None:
                if len(plans) >= _MAX_PLANS:
                    plans.clear()
                found = plans[order] = self._generate_layout(cls, order, rules)
            return found

        def write_model(obj: Any) -> Any:
            if ignore_layout:
                return write_canonical(obj)
            source = obj._source
            if source is not None:
                return source  # unmodified since it was read: its JSON value as read
            order = obj.key_order
            if order is None:
                return write_canonical(obj)
            return layout_writer(order)(obj)

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


#: Distinct source key orders per class whose writers are kept.
_MAX_PLANS = 64
#: Objects with more unknown keys than this are written by a loop, not by
#: generated code (hostile input must not make megabytes of source) ...
_MAX_GENERATED_UNKNOWN = 64
#: ... or whose unknown keys are longer than this in all.
_MAX_GENERATED_KEY_CHARS = 4096


def _is_identity(cls: type[Any], attr: str, field_type: Any) -> bool:
    """True when the attribute's value is its own JSON (strings, numbers,
    booleans, digests, media types, tuples of strings or digests)."""
    encoding = class_shape(cls).encoding(attr)
    if encoding is not None and encoding.write is not None:
        return False
    base = without_none(field_type)
    return _written_as_is(base) or (is_tuple(base) and _written_as_is(typing.get_args(base)[0]))


def _written_as_is(leaf: Any) -> bool:
    """True for a leaf type whose values are their own JSON (:data:`LEAVES`)."""
    found = LEAVES.get(leaf)
    return found is not None and found[1] is write_as_is


class _Value(typing.NamedTuple):
    """How an attribute's value is written: ``hook`` does it; ``kind`` says
    what the hook is, so that the compiled writer can do the same in C
    (``plain``: the value as it is; ``thaw``; ``sorted_map``; ``key_set``;
    ``time_text``/``time_str``: a timestamp's ``.text``/``str()``;
    ``model``/``models``: a nested model or a tuple of them, ``model`` naming
    its class and shape; ``hook``: only the hook knows)."""

    kind: str
    hook: WriteHook
    model: tuple[type[Any], str | None] | None = None


def _slot(cls: type[Any], name: str) -> Any:
    """The slot descriptor of an attribute (from the class that defines it)."""
    for klass in cls.__mro__:
        if name in vars(klass):
            return vars(klass)[name]
    raise TypeError(f"{cls.__name__} has no slot {name!r}")


#: JSONObject's own slots (``extra``, ``key_order``, ``_source``).
_JSON_OBJECT_SLOTS: Final = (_slot(JSONObject, "extra"), _slot(JSONObject, "key_order"), _slot(JSONObject, "_source"))


def _codes(names: tuple[str, ...], prefix: str) -> dict[str, int]:
    module = writer_extension()
    return {} if module is None else {name: getattr(module, prefix + name.upper()) for name in names}


_OMIT_CODES: Final = _codes(("never", "empty", "nil", "struct"), "OMIT_")
_KIND_CODES: Final = _codes(
    ("plain", "model", "models", "hook", "thaw", "sorted_map", "key_set", "time_text", "time_str"), "V_"
)


@attrs.frozen(eq=False)
class _LayoutRules:
    """What writing one class in a source key order needs."""

    key_to_attr: dict[str, str]
    canonical: Sequence[tuple[str, str, str, Any, str | None]]
    defaults: dict[str, Any]
    nils: dict[str, Any]
    writer_for: Callable[[str], WriteHook]
    position: dict[str, int]
    sort: bool


def _write_layout_slowly(obj: Any, *, order: tuple[str, ...], rules: _LayoutRules) -> Any:
    """What the generated layout writer does, as a loop."""
    key_to_attr, nils, writer_for = rules.key_to_attr, rules.nils, rules.writer_for
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
        for key, attr, omit, _, _ in rules.canonical
        if attr not in written and _is_set(getattr(obj, attr), rules.defaults[attr], omit)
    ]
    if added:
        out = _insert(out, added, obj, writer_for, rules.position, rules.sort)
    for key, item in extra.items():
        if key not in out:
            out[key] = thaw(item)
    return out


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
