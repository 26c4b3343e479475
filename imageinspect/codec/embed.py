"""cattrs for embedders: a tool's own attrs classes that hold imageinspect
values (``ImageInspect``, ``ImageConfig``, ``Descriptor``, ``Document``,
``Digest``, ``Timestamp``, ``Platform``, ...) structure and unstructure
through the tool's cattrs converter, exactly and both ways, in the spirit of
``cattrs.preconf``. Unstructured values are plain JSON (``dict``, ``list``,
``str``, ``int``, ``float``, ``bool``, ``None``), ready for any JSON encoder.

>>> import attrs, cattrs
>>> from imageinspect import Digest, ImageConfig, Timestamp
>>> @attrs.frozen
... class Record:
...     digest: Digest
...     seen: Timestamp
...     config: ImageConfig
>>> _ = attrs.resolve_types(Record, globals())  # (only needed inside this docstring)
>>> conv = configure_converter(cattrs.Converter())
>>> data = {"digest": "sha256:" + "a" * 64, "seen": "2024-01-01T00:00:00.5Z",
...         "config": {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}}
>>> record = conv.structure(data, Record)
>>> record.config.os, str(record.seen)
('linux', '2024-01-01T00:00:00.5Z')
>>> conv.unstructure(record) == data
True
"""

from __future__ import annotations

import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final

import attrs
import cattrs
import orjson
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from imageinspect.errors import ImageInspectError, SchemaError
from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.document import Document
from imageinspect.model.frozen import FrozenMap, JSONValue
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .classes import CLASS_SHAPES, ShapeSet
from .documents import _KIND_OF_MODEL, _MODEL, _dialect
from .formats import Format, every_key_shapes, resolve
from .jsonread import EXACT
from .leaves import read_base64, read_digest, read_json, read_media_type, read_str, write_base64
from .read import structure
from .shapes import Field, Omit, Shape
from .sniff import a
from .typeinfo import expected, is_optional, key_path
from .write import Writer, writer

__all__ = ["configure_converter", "make_converter"]


# --- plain JSON ------------------------------------------------------------------


def _json(value: Any, strict: bool = True) -> Any:
    """A copy of a JSON value made of plain JSON types only: ``str``
    subclasses (``Digest``, ``MediaType``) become ``str``, tuples lists,
    mappings (``FrozenMap``) dicts. Integers stay integers, however wide.
    Anything else is a ``TypeError`` when ``strict``, else kept (for the
    reader to refuse with its JSON path).

    >>> _json({"d": Digest.of(b""), "t": (1, 2**70), "m": FrozenMap(a=None)})
    {'d': 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', 't': [1, 1180591620717411303424], 'm': {'a': None}}
    >>> _json({1.5})
    Traceback (most recent call last):
      ...
    TypeError: not a JSON value: set
    """
    kind = type(value)
    if kind in _PLAIN:
        return value
    if kind is dict or isinstance(value, Mapping):
        return {
            (key if type(key) is str else _json_key(key, strict)): (
                item if type(item) in _PLAIN else _json(item, strict)
            )
            for key, item in value.items()
        }
    if kind is list or kind is tuple or isinstance(value, (list, tuple)):
        return [item if type(item) in _PLAIN else _json(item, strict) for item in value]
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return float(value)
    if isinstance(value, orjson.Fragment):  # JSON text a writer made (podman's Annotations {})
        return _json(orjson.loads(orjson.dumps(value)), strict)
    if strict:
        raise TypeError(f"not a JSON value: {kind.__name__}")
    return value


#: The types a JSON value is made of, but containers.
_PLAIN: Final = frozenset({str, int, float, bool, type(None)})


def _json_key(key: Any, strict: bool) -> Any:
    if type(key) is str:
        return key
    if isinstance(key, str):
        return str.__str__(key)
    if strict:
        raise TypeError(f"not a JSON object key: {type(key).__name__}")
    return key


# --- writers: the kind's canonical JSON, or every field ---------------------------


@cache
def _every_key() -> ShapeSet:
    return every_key_shapes()


@cache
def _podman() -> ShapeSet:
    return resolve(Format.podman()).shapes


@cache
def _lossless() -> Writer:
    """The writer that keeps every field: each attribute under the key its
    kind's canonical shape gives it (else the first key any shape gives it),
    left out only when reading its absence gives the same value again
    (:func:`_lossless_omit`), so ``None``, ``()``, ``""`` and a zero struct
    stay apart. Attributes no shape names are the ones the reader derives
    (``Schema1History.image``)."""
    preferred = dict((*_podman().defaults, *_every_key().defaults))
    defaults = []
    for cls, record in CLASS_SHAPES.items():
        candidates = [s for s in (preferred.get(cls),) if s is not None]
        candidates += [shape for _, shape in record.dialects] + list(record.others)
        fields: list[Field] = []
        for shape in candidates:
            for field in shape.fields:
                if all(f.attr != field.attr for f in fields):
                    fields.append(Field(field.key, field.attr, _lossless_omit(cls, field.attr)))
        defaults.append((cls, Shape(tuple(fields), candidates[0].sort)))
    return writer(ShapeSet(tuple(defaults)))


def _lossless_omit(cls: type[Any], attr: str) -> Omit:
    """When a field can be left out with nothing lost: a reader fills an
    absent key with the field's default, so ``None`` (default ``None``) or
    the one falsy value of a non-optional ``str``, ``int``, ``bool`` or
    tuple field (default ``""``, ``0``, ``False``, ``()``) need no key."""
    field = attrs.fields_dict(cls)[attr]
    default = field.default
    if default is None:
        return "nil"
    optional = is_optional(typing.get_type_hints(cls)[attr])
    if not optional and any(type(default) is kind and default == kind() for kind in (str, int, bool, tuple)):
        return "empty"
    return "never"


def _canonical(obj: Any) -> Writer:
    """The writer of an object's kind: a document's dialect (what ``to_json``
    writes), podman's inspect, else the newest Docker's with every key."""
    if isinstance(obj, DocumentValue):
        return writer(_dialect(obj))  # type: ignore[arg-type]
    if isinstance(obj, PodmanImageInspect):
        return writer(_podman())
    return writer(_every_key())


def _read(value: Any, cls: Any) -> Any:
    """imageinspect's reader on a value decoded already: its numbers are
    taken as they are (no JSON text to read again more exactly)."""
    token = EXACT.set(True)
    try:
        return read_json(value, None) if cls is JSONValue else structure(value, cls)
    finally:
        EXACT.reset(token)


def _reads_back(value: Any, obj: Any) -> bool:
    try:
        return bool(_read(value, type(obj)) == obj)
    except ImageInspectError:
        return False


def _unstructure_model(obj: Any) -> Any:
    """A model's JSON value: what was read, for an object read from JSON
    (unchanged since); otherwise its kind's canonical JSON when that reads
    back equal, else every field it holds (see :func:`configure_converter`)."""
    source = obj._source
    if source is not None:
        return _json(source)
    value = _json(_canonical(obj).write_shared(obj))
    if _reads_back(value, obj):
        return value
    return _json(_lossless().write_shared(obj))


def _unstructure_platform(platform: Platform) -> Any:
    value = _json(writer(_every_key())._platform(platform))
    if _reads_back(value, platform):
        return value
    # every key, but the absent tuples (``None``, their default)
    return {key: item for key, item in _json(_lossless()._platform(platform)).items() if item is not None}


def _structure_json(value: Any, cls: Any) -> Any:
    """Read with imageinspect's own reader (type checks as strict as Go's,
    errors with JSON paths), after making ``str`` subclasses plain."""
    return _read(_json(value, strict=False), cls)


# --- Document: a value with the bytes it came from --------------------------------


def _is_document(cls: Any) -> bool:
    return cls is Document or typing.get_origin(cls) is Document


def _unstructure_document(doc: Document[Any]) -> dict[str, Any]:
    return {
        "kind": _KIND_OF_MODEL[type(doc.value)],
        "value": _unstructure_model(doc.value),
        "raw": write_base64(doc.raw),
        "digest": str.__str__(doc.digest),
        "media_type": str.__str__(doc.media_type),
    }


def _structure_document(value: Any, cls: Any) -> Document[Any]:
    value = _json(value, strict=False)
    if type(value) is not dict:
        raise expected("an object", value)

    def get(key: str, read: Callable[[Any, Any], Any]) -> Any:
        if key not in value:
            raise SchemaError(f"missing required field {key!r}")
        try:
            return read(value[key], None)
        except ImageInspectError as err:
            raise err.at(key_path(key)) from None

    kind = get("kind", read_str)
    model = _MODEL.get(kind)
    if model is None:
        raise SchemaError(f"unknown document kind {kind!r} (known: {', '.join(_MODEL)})", "$.kind")
    wanted = typing.get_args(cls)[0] if typing.get_args(cls) else None
    if wanted in _KIND_OF_MODEL and wanted is not model:
        raise SchemaError(f"expected {a(_KIND_OF_MODEL[wanted])}, got {a(kind)}", "$.kind")
    return Document(
        get("value", lambda item, _: _read(item, model)),
        get("raw", read_base64),
        get("digest", read_digest),
        get("media_type", read_media_type),
    )


# --- the other attrs classes of the model package (layer chains) ------------------


def _is_record(cls: Any) -> bool:
    """``Layer``, ``HistoryRow``, ``ChainProblem``, ``LayerChain``: attrs
    classes of the model package that stand for no JSON object of their own."""
    return (
        isinstance(cls, type)
        and attrs.has(cls)
        and cls.__module__.startswith("imageinspect.model.")
        and not issubclass(cls, JSONObject)
        and cls is not Document
    )


# --- FrozenMap and JSONValue fields of a tool's own classes -----------------------


def _is_frozen_map(cls: Any) -> bool:
    return cls is FrozenMap or typing.get_origin(cls) is FrozenMap


#: Value types imageinspect's reader checks as Go would.
_READ_BY_LIBRARY: Final = frozenset({str, int, bool, Digest, MediaType, Timestamp, Platform})


def _frozen_map_structurer(converter: cattrs.Converter, cls: Any) -> Callable[[Any, Any], Any]:
    args = typing.get_args(cls)
    key_type: Any
    value_type: Any
    key_type, value_type = args if len(args) == 2 else (str, JSONValue)
    if key_type is str and _is_json_value(value_type):

        def structure_json_object(value: Any, _: Any) -> Any:
            if not isinstance(value, Mapping):
                raise expected("an object", value)
            return _read(_json(value), JSONValue)

        return structure_json_object
    if key_type is str and (value_type in _READ_BY_LIBRARY or _is_model(value_type)):
        return _structure_json

    def structure_map(value: Any, _: Any) -> FrozenMap[Any, Any]:
        if not isinstance(value, Mapping):
            raise expected("an object", value)
        return FrozenMap(
            {converter.structure(k, key_type): converter.structure(v, value_type) for k, v in value.items()}
        )

    return structure_map


def _is_json_value(cls: Any) -> bool:
    """``JSONValue``, also as ``typing.get_type_hints`` resolves it (its
    forward references evaluated: another, equal-looking union)."""
    if cls is JSONValue:
        return True
    if typing.get_origin(cls) is not typing.Union:
        return False
    return {typing.get_origin(arg) or arg for arg in typing.get_args(cls)} == _JSON_VALUE_KINDS


_JSON_VALUE_KINDS: Final = frozenset({type(None), bool, int, float, str, tuple, FrozenMap})


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, JSONObject)


def configure_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """Teach ``converter`` imageinspect's types and return it: every class of
    :mod:`imageinspect.model` (inspect objects, documents and their parts
    through imageinspect's own reader and writer, ``Document`` as
    ``{"kind", "value", "raw" (base64), "digest", "media_type"}``, layer
    chains as their fields), ``Digest``, ``MediaType`` and ``Timestamp`` as
    their strings (a timestamp as it was written), ``Platform`` as its
    object, ``FrozenMap`` as an object. Reading errors are
    :class:`~imageinspect.errors.ImageInspectError` with JSON paths,
    wrapped by cattrs as it wraps any hook's error.

    ``unstructure`` gives plain JSON only (``str`` subclasses become
    ``str``, tuples lists; integers stay integers however wide), and
    ``converter.structure(converter.unstructure(x), type(x)) == x`` for a
    value ``x`` of any of these types, directly or through JSON text:

    - An object read from JSON and unchanged since unstructures to exactly
      what was read, key order included (so it is written back byte for
      byte, as before).
    - An object built or edited in Python unstructures to its kind's
      canonical JSON (a document's ``to_json`` layout; an inspect object's
      newest Docker or podman keys) when that reads back equal; otherwise
      to JSON that keeps every field: a key for each field but those at a
      default an absent key reads as, ``None`` as ``null`` (Go's
      ``omitempty`` and zero structs would lose ``()`` against ``None``,
      ``None`` against an empty struct, a key the dialect lacks). Either
      way the result is an object read from that JSON: its ``key_order`` is
      that JSON's, and the library writes it in that layout.
    - Equality is the models' ``==``: every field and ``extra`` (unknown
      keys with their values); ``key_order`` and the source are not part of
      it. Timestamps compare by instant, and keep their text (offset
      included); a ``FrozenMap`` compares regardless of order (a map built
      in Python comes back sorted, as Go writes maps). A ``Document``'s
      ``style`` is told from ``raw`` again; ``Schema1History.image`` is
      derived from ``v1_compatibility`` again.
    - What the reader refuses is refused after a round trip too: integer
      fields hold Go ``int64`` values (a larger one built in Python
      unstructures, but does not structure, as :func:`~imageinspect.parse`
      would not read it), and ``extra`` holds keys the reader does not know
      nor Go would match to a field. Integers in ``extra`` come back exact
      whatever their width (as JSON text: orjson writes ``-2**63`` to
      ``2**64 - 1``, ``json.dumps`` any).

    >>> conv = configure_converter(cattrs.Converter())
    >>> conv.unstructure(Platform.parse("linux/arm64/v8"))
    {'architecture': 'arm64', 'os': 'linux', 'variant': 'v8'}
    >>> from imageinspect.model.descriptor import Descriptor
    >>> layer = Descriptor(None, Digest.of(b""), 0, urls=())  # () is not None
    >>> value = conv.unstructure(layer)
    >>> value["urls"], type(value["digest"]) is str, conv.structure(value, Descriptor) == layer
    ([], True, True)
    """
    converter.register_structure_hook_func(_is_model, _structure_json)
    converter.register_unstructure_hook_func(_is_model, _unstructure_model)
    for cls in (Digest, MediaType, Timestamp, Platform):
        converter.register_structure_hook(cls, _structure_json)
    converter.register_unstructure_hook(Digest, str.__str__)
    converter.register_unstructure_hook(MediaType, str.__str__)
    converter.register_unstructure_hook(Timestamp, lambda timestamp: str.__str__(timestamp.text))
    converter.register_unstructure_hook(Platform, _unstructure_platform)
    converter.register_structure_hook_func(_is_document, _structure_document)
    converter.register_unstructure_hook_func(_is_document, _unstructure_document)
    converter.register_structure_hook_factory(
        _is_record, lambda cls: make_dict_structure_fn(cls, converter, _cattrs_use_alias=True)
    )
    converter.register_unstructure_hook_factory(
        _is_record, lambda cls: _plain_result(make_dict_unstructure_fn(cls, converter, _cattrs_use_alias=True))
    )
    converter.register_structure_hook_factory(_is_frozen_map, lambda cls: _frozen_map_structurer(converter, cls))
    converter.register_unstructure_hook_func(
        _is_frozen_map,
        lambda mapping: _json({key: converter.unstructure(item) for key, item in mapping.items()}, strict=False),
    )
    converter.register_structure_hook_func(_is_json_value, lambda value, _: _read(_json(value), JSONValue))
    converter.register_unstructure_hook_func(_is_json_value, _json)
    return converter


def _plain_result(hook: Callable[[Any], Any]) -> Callable[[Any], Any]:
    return lambda obj: _json(hook(obj))


def make_converter() -> cattrs.Converter:
    """A new ``cattrs.Converter`` configured by :func:`configure_converter`.

    >>> make_converter().structure("sha256:" + "0" * 64, Digest)
    <Digest('sha256:0000000000000000000000000000000000000000000000000000000000000000')>
    """
    return configure_converter(cattrs.Converter())
