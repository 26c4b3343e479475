"""Docker's v1 image JSON (the ``<id>/json`` of a pre-1.10 ``docker save``) as
Docker's loader decodes it, and the config it makes of it; see
:mod:`imageinspect.sources.formats.legacy` for the whole story (how the
archive is read, what was observed).

Docker decodes each v1 JSON into its ``V1Image`` type with Go's
``json.Unmarshal`` (a key matches a field exactly, else case-insensitively,
and the last one wins; nested objects and maps merge into what an earlier
duplicate left; unknown keys are dropped; a value of the wrong type refuses
the load, an :class:`~imageinspect.errors.ArchiveError` at that path). The
types are moby v28.5.2's (``image.V1Image``, ``container.Config``,
``HealthcheckConfig``), written as Go 1.22+ does.

>>> decoded = decode_v1_image(b'{"id": "a", "parent": "b", "author": "me", "created": "2015-01-02T03:04:05Z"}')
>>> decoded.parent, decoded.history.author, sorted(decoded.members)  # no docker_version: re-encoded by Go
('b', 'me', ['author', 'container_config', 'created', 'id', 'parent'])
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Final, Literal, NamedTuple

from imageinspect.errors import ArchiveError, InvalidTimestamp, SchemaError
from imageinspect.model.config import History, RootFS
from imageinspect.values.timestamp import Timestamp

from .gojson import compact, encode
from .gokeys import go_fold
from .shapes import Dialect
from .write import writer

__all__ = ["V1Decoded", "decode_v1_image", "docker_version_below", "reencode_v1_image", "v1_config", "v1_image_json"]

_DROPPED = frozenset({"id", "parent", "Size", "parent_id", "layer_id", "throwaway"})
_HTML = {
    b"<": b"\\u003c",
    b">": b"\\u003e",
    b"&": b"\\u0026",
    "\u2028".encode(): b"\\u2028",
    "\u2029".encode(): b"\\u2029",
}
# Below this docker_version, Docker re-encodes the v1 JSON (image/v1/imagev1.go).
_NO_FALLBACK_MIN_VERSION: Final = "1.8.3"

_Kind = Literal["string", "bool", "int", "*int", "*time", "[]string", "strslice", "set", "labels", "struct", "*struct"]


class _Field(NamedTuple):
    """A Go struct field as ``encoding/json`` sees it: its JSON key, its kind
    (``strslice`` is Docker's string-or-array type, ``set`` a map to
    ``struct{}``, ``labels`` a ``map[string]string``), ``omitempty``, and a
    nested struct's fields."""

    key: str
    kind: _Kind
    omitempty: bool = False
    fields: tuple[_Field, ...] = ()


# The moby v28.5.2 types, fields in declaration order. HealthcheckConfig
# (container.HealthConfig): every field omitempty, durations int64 nanoseconds.
_HEALTHCHECK: Final = (
    _Field("Test", "[]string", True),
    _Field("Interval", "int", True),
    _Field("Timeout", "int", True),
    _Field("StartPeriod", "int", True),
    _Field("StartInterval", "int", True),
    _Field("Retries", "int", True),
)
# container.Config (api/types/container/config.go).
_CONTAINER_CONFIG: Final = (
    _Field("Hostname", "string"),
    _Field("Domainname", "string"),
    _Field("User", "string"),
    _Field("AttachStdin", "bool"),
    _Field("AttachStdout", "bool"),
    _Field("AttachStderr", "bool"),
    _Field("ExposedPorts", "set", True),
    _Field("Tty", "bool"),
    _Field("OpenStdin", "bool"),
    _Field("StdinOnce", "bool"),
    _Field("Env", "[]string"),
    _Field("Cmd", "strslice"),
    _Field("Healthcheck", "*struct", True, _HEALTHCHECK),
    _Field("ArgsEscaped", "bool", True),
    _Field("Image", "string"),
    _Field("Volumes", "set"),
    _Field("WorkingDir", "string"),
    _Field("Entrypoint", "strslice"),
    _Field("NetworkDisabled", "bool", True),
    _Field("MacAddress", "string", True),
    _Field("OnBuild", "[]string"),
    _Field("Labels", "labels"),
    _Field("StopSignal", "string", True),
    _Field("StopTimeout", "*int", True),
    _Field("Shell", "strslice", True),
)
# image.V1Image (image/image.go); `created` is a *time.Time without omitempty.
_V1_IMAGE: Final = (
    _Field("id", "string", True),
    _Field("parent", "string", True),
    _Field("comment", "string", True),
    _Field("created", "*time"),
    _Field("container", "string", True),
    _Field("container_config", "struct", True, _CONTAINER_CONFIG),
    _Field("docker_version", "string", True),
    _Field("author", "string", True),
    _Field("config", "*struct", True, _CONTAINER_CONFIG),
    _Field("architecture", "string", True),
    _Field("variant", "string", True),
    _Field("os", "string", True),
    _Field("Size", "int", True),
)
# A JSON null sets these to nil (Go pointers, slices, maps; strslice's own
# UnmarshalJSON does the same); it leaves any other value as it was.
_NIL_ON_NULL: Final = frozenset({"*int", "*time", "[]string", "strslice", "set", "labels", "*struct"})
_EXPECTED: Final = {
    "string": "a string",
    "bool": "true or false",
    "int": "a 64-bit integer",
    "*int": "a 64-bit integer",
    "*time": "an RFC 3339 time string",
    "[]string": "an array of strings",
    "strslice": "a string or an array of strings",
    "set": "an object",
    "labels": "an object of strings",
    "struct": "an object",
    "*struct": "an object",
}
_ATOI: Final = re.compile(r"[+-]?[0-9]+")


class _Object:
    """A parsed JSON object with every member in source order, duplicates
    included (Go's decoder applies each in turn)."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: list[tuple[str, Any]]) -> None:
        self.pairs = pairs


class _Escaped(str):
    """A top-level string whose source holds a backslash escape (Go's
    ``time.Time`` reads the raw bytes, so it refuses one)."""

    __slots__ = ()


class _Slice(NamedTuple):
    """A decoded Go ``[]string``: its elements, and what earlier, longer
    decodes left in the backing array past them (a later decode of the same
    key reuses the array, so a ``null`` element keeps what is there)."""

    items: tuple[str, ...]
    spare: tuple[str, ...] = ()


def _escape_html(raw: bytes) -> bytes:
    """``json.Marshal``'s HTML escaping of a raw value (the characters only
    occur inside strings in valid JSON)."""
    for char, escaped in _HTML.items():
        raw = raw.replace(char, escaped)
    return raw


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _pairs(raw: bytes, where: str) -> list[tuple[str, bytes, Any]]:
    """A JSON object's members in source order, duplicates kept: each key,
    its value's source bytes and the value parsed (objects as :class:`_Object`)."""
    decoder = json.JSONDecoder(object_pairs_hook=_Object, parse_constant=_no_constant)
    try:
        text = raw.decode("utf-8")
        parsed = decoder.decode(text)
    except ValueError as err:  # UnicodeDecodeError and JSONDecodeError too
        raise ArchiveError(f"invalid v1 image JSON ({err})", where) from None
    if parsed is None:
        return []  # Go's Unmarshal of null into a struct changes nothing
    if not isinstance(parsed, _Object):
        raise SchemaError("expected an object", where + "$")
    out: list[tuple[str, bytes, Any]] = []
    at = text.index("{") + 1
    while True:
        at = _skip(text, at)
        if text[at] == "}":
            return out
        key, at = decoder.raw_decode(text, at)
        at = _skip(text, at) + 1  # the colon
        at = _skip(text, at)
        value, end = decoder.raw_decode(text, at)
        out.append((key, text[at:end].encode(), value))
        at = _skip(text, end)
        if text[at] == ",":
            at += 1


def _skip(text: str, at: int) -> int:
    while text[at] in " \t\r\n":
        at += 1
    return at


def _go_text(value: str) -> str:
    """A decoded JSON string as Go's decoder leaves it: a lone surrogate
    escape (``\\ud800``) becomes U+FFFD."""
    if value.isascii():
        return str(value)  # a plain str, also for the _Escaped subclass
    return value.encode("utf-16", "surrogatepass").decode("utf-16", "replace")


def _json_kind(value: Any) -> str:
    if isinstance(value, _Object):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    return "null" if value is None else "a number"


def _refused(expected: str, value: Any, where: str) -> ArchiveError:
    return ArchiveError(f"expected {expected}, got {_json_kind(value)} (Docker refuses to load this v1 image)", where)


def _zero(field: _Field) -> Any:
    """A field's Go zero value (``None`` for nil)."""
    return {"string": "", "bool": False, "int": 0, "struct": {}}.get(field.kind)


@functools.cache
def _lookup(fields: tuple[_Field, ...]) -> tuple[dict[str, _Field], dict[str, _Field]]:
    exact = {field.key: field for field in fields}
    folded: dict[str, _Field] = {}
    for field in fields:
        folded.setdefault(go_fold(field.key), field)
    return exact, folded


def _struct(
    fields: tuple[_Field, ...], pairs: list[tuple[str, Any]], old: dict[str, Any], where: str
) -> dict[str, Any]:
    """Object members decoded into a Go struct that holds ``old`` (field key
    -> value; a missing key is the zero value)."""
    exact, folded = _lookup(fields)
    out = dict(old)
    for key, value in pairs:
        field = exact.get(key)
        if field is None:
            field = folded.get(go_fold(key))
        if field is not None:
            out[field.key] = _decode(field, value, out.get(field.key, _zero(field)), f"{where}.{key}")
    return out


def _decode(field: _Field, value: Any, old: Any, where: str) -> Any:
    """One parsed JSON value decoded into ``field`` that holds ``old``."""
    kind = field.kind
    if value is None:
        return None if kind in _NIL_ON_NULL else old
    if kind == "string" and isinstance(value, str):
        return _go_text(value)
    if kind == "bool" and isinstance(value, bool):
        return value
    if kind in ("int", "*int") and type(value) is int and -(1 << 63) <= value < 1 << 63:
        return value
    if kind == "*time" and isinstance(value, str):
        if isinstance(value, _Escaped):
            raise ArchiveError("a time with a backslash escape (Docker refuses to load this v1 image)", where)
        try:
            return Timestamp.parse(value)
        except InvalidTimestamp as err:
            raise ArchiveError(f"{err.message} (Docker refuses to load this v1 image)", where) from None
    if kind == "strslice" and isinstance(value, str):
        return _Slice((_go_text(value),))
    if kind in ("[]string", "strslice") and type(value) is list:
        # strslice decodes into a fresh slice; a plain []string reuses the old one
        return _strings(value, old if kind == "[]string" else None, where)
    if kind in ("set", "labels") and isinstance(value, _Object):
        out = dict(old or {})
        for key, item in value.pairs:
            if kind == "set" and not (item is None or isinstance(item, _Object)):
                raise _refused("an object", item, f"{where}.{key}")
            if kind == "labels" and not (item is None or isinstance(item, str)):
                raise _refused("a string", item, f"{where}.{key}")
            out[_go_text(key)] = _go_text(item) if isinstance(item, str) else ""
        return out
    if kind in ("struct", "*struct") and isinstance(value, _Object):
        return _struct(field.fields, value.pairs, old or {}, where)
    raise _refused(_EXPECTED[kind], value, where)


def _strings(items: list[Any], old: _Slice | None, where: str) -> _Slice:
    if not items:
        return _Slice(())  # Go makes a new, empty slice
    backing = () if old is None else old.items + old.spare
    length = 0 if old is None else len(old.items)
    out: list[str] = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            out.append(_go_text(item))
        elif item is not None:
            raise _refused("a string", item, f"{where}[{i}]")
        elif i < length:
            out.append(backing[i])
        elif i < len(backing) and backing[i]:
            # whether Go still has that string depends on the capacity its
            # slice growth chose; not modelled
            raise ArchiveError("a null element where a longer duplicate of this array was: not supported", where)
        else:
            out.append("")
    return _Slice(tuple(out), backing[len(out) :])


def _marshal(fields: tuple[_Field, ...], value: dict[str, Any]) -> dict[str, Any]:
    """A decoded struct as Go's ``json.Marshal`` writes it, as plain values
    for :func:`~imageinspect.codec.gojson.encode`: fields in declaration
    order; an ``omitempty`` one left out when false, 0, "", nil or of length
    0 (a struct never is); maps by sorted key; times in RFC3339Nano."""
    out: dict[str, Any] = {}
    for field in fields:
        item = value.get(field.key, _zero(field))
        kind = field.kind
        if isinstance(item, _Slice):
            plain: Any = list(item.items)
        elif item is None or kind in ("string", "bool", "int", "*int"):
            plain = item
        elif kind == "*time":
            plain = str(item)
        elif kind == "set":
            plain = {key: {} for key in sorted(item)}
        elif kind == "labels":
            plain = dict(sorted(item.items()))
        else:
            plain = _marshal(field.fields, item)
        if field.omitempty and (item is None if kind[0] == "*" else kind != "struct" and not plain):
            continue
        out[field.key] = plain
    return out


def _v1_image(pairs: list[tuple[str, bytes, Any]], where: str) -> dict[str, Any]:
    """The v1 JSON's members decoded into Docker's ``V1Image``."""
    members = [
        (key, _Escaped(value) if isinstance(value, str) and b"\\" in raw else value) for key, raw, value in pairs
    ]
    return _struct(_V1_IMAGE, members, {}, where + "$")


def reencode_v1_image(raw: bytes, where: str = "") -> bytes:
    """What Docker uses in place of a v1 image JSON whose ``docker_version``
    is below 1.8.3: the JSON decoded into its ``V1Image`` type and written
    back with ``json.Marshal``. ``where`` prefixes error locations.

    >>> reencode_v1_image(b'{"author": "x", "Author": "a&b", "created": "2015-01-02T03:04:05.10Z",'
    ...                   b' "extra": 1, "container_config": {"Cmd": "true"}}')
    b'{"created":"2015-01-02T03:04:05.1Z","container_config":{"Hostname":"",...,"Cmd":["true"],...},"author":"a\\\\u0026b"}'
    >>> reencode_v1_image(b'{"container_config": {"Env": "A=1"}}')
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: $.container_config.Env: expected an array of strings, got a string (Docker refuses to load this v1 image)
    """
    return encode(_marshal(_V1_IMAGE, _v1_image(_pairs(raw, where), where)), escape_html=True)


def _history(image: dict[str, Any]) -> History:
    """Docker's history entry for a v1 image (``HistoryFromConfig``)."""
    created = image.get("created")
    cmd = image.get("container_config", {}).get("Cmd")
    return History(
        # written as Go writes a time.Time, not as the v1 JSON spelled it
        created=None if created is None else Timestamp(created.unix_nanos, created.utc_offset),
        author=image.get("author", ""),
        created_by=" ".join(cmd.items) if cmd is not None else "",
        comment=image.get("comment", ""),
    )


def _config(members: dict[str, bytes], rootfs: RootFS, history: list[History], dialect: Dialect = "oci") -> bytes:
    values = {key: _escape_html(compact(raw)) for key, raw in members.items() if key not in _DROPPED}
    # Docker's history type is the OCI one from 25.0 (created, created_by,
    # author, comment) and moby's own before (created, author, created_by,
    # ...): observed, the IDs only match in that order (25.0.3-28.5 / 23.0.6,
    # 24.0.0, 24.0.9).
    values["rootfs"] = encode(writer("oci").write_shared(rootfs), escape_html=True)
    write = writer(dialect).write_shared
    values["history"] = encode([write(entry) for entry in history], escape_html=True)
    body = b",".join(encode(key, escape_html=True) + b":" + values[key] for key in sorted(values))
    return b"{" + body + b"}"


def _atoi(part: str) -> int:
    """Go's ``strconv.Atoi`` as Docker's version compare uses it: an error
    counts as 0, an out-of-range number as the nearest int64."""
    if _ATOI.fullmatch(part) is None:
        return 0
    return max(-(1 << 63), min(int(part), (1 << 63) - 1))


def _less_than(version: str, other: str) -> bool:
    """Docker's ``versions.LessThan``: dot-separated parts compared as numbers,
    a missing part or one that is not a number counting as 0.

    >>> [_less_than(v, "1.8.3") for v in ("1.6.2", "", "1.8.3-rc1", "1.8.3", "1.8.3.0", "1.10.0", "2")]
    [True, True, True, False, False, False, False]
    """
    if version == other:
        return False
    mine, theirs = version.split("."), other.split(".")
    for i in range(max(len(mine), len(theirs))):
        a = _atoi(mine[i]) if i < len(mine) else 0
        b = _atoi(theirs[i]) if i < len(theirs) else 0
        if a != b:
            return a < b
    return False


class V1Decoded(NamedTuple):
    """What Docker's loader takes from one v1 image JSON."""

    #: The members the config is made from: each key with its value's bytes
    #: (as written, or as Go re-encodes them for an old ``docker_version``).
    members: dict[str, bytes]
    #: The parent v1 image's ID (``""`` for a base image).
    parent: str
    #: The history entry Docker makes of it.
    history: History


def decode_v1_image(raw: bytes, where: str = "") -> V1Decoded:
    """Decode a v1 image JSON as Docker's loader does (``where`` prefixes
    error locations).

    >>> decode_v1_image(b'{"container_config": {"Cmd": 1}}', "x.tar!a/json")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: x.tar!a/json$.container_config.Cmd: expected a string or an array of strings, got a number (Docker refuses to load this v1 image)
    """
    pairs = _pairs(raw, where)
    image = _v1_image(pairs, where)
    if _less_than(image.get("docker_version", ""), _NO_FALLBACK_MIN_VERSION):
        members = {key: encode(value, escape_html=True) for key, value in _marshal(_V1_IMAGE, image).items()}
    else:
        members = {key: raw for key, raw, _ in pairs}
    return V1Decoded(members, image.get("parent", ""), _history(image))


def v1_config(members: dict[str, bytes], rootfs: RootFS, history: list[History], dialect: Dialect = "oci") -> bytes:
    """The config Docker makes of a v1 image: its members less the v1-only
    ones, plus ``rootfs`` and ``history`` (in Docker 25+'s OCI history type,
    or ``dialect="docker"``: moby's own, 23.0/24.0), keys sorted, compact,
    HTML-escaped.

    >>> v1_config({"os": b'"linux"', "id": b'"x"'}, RootFS(diff_ids=()), [])
    b'{"history":[],"os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'
    """
    return _config(members, rootfs, history, dialect)


def docker_version_below(version: str, other: str) -> bool:
    """Docker's ``versions.LessThan`` (see :func:`_less_than`).

    >>> docker_version_below("1.6.2", "1.8.3"), docker_version_below("1.10.0", "1.8.3")
    (True, False)
    """
    return _less_than(version, other)


def v1_image_json(v1_id: str, parent: str = "") -> bytes:
    """The smallest v1 image JSON Docker loads: its ID and its parent's.

    >>> v1_image_json("ab", "cd")
    b'{"id":"ab","parent":"cd"}'
    """
    return encode({"id": v1_id, **({"parent": parent} if parent else {})})
