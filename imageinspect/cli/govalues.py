"""What a ``-f`` template runs on, built from the models: the typed value the
docker CLI (or podman) holds, and the JSON Docker's CLI falls back to.

``docker inspect -f`` executes the template on the CLI's API type
(``types.ImageInspect`` in 20.10, ``image.InspectResponse`` in 28.x, read
from docker/cli ``cli/command/inspect/inspector.go``); if that fails, again
on the JSON the daemon sent, decoded into ``interface{}``, with
``missingkey=error``. The typed value is the model
(:class:`~imageinspect.ImageInspect`) seen through Go types made from

- the model class's attrs annotations: ``tuple`` is a slice, ``FrozenMap``
  a map, a key set (the codec writes it ``{"80/tcp": {}}``) a
  ``map[string]struct{}``, ``bool``, ``int``, ``str``, ``Timestamp`` a
  ``time.Time``, a nested attrs class a struct (or a pointer to one);
- the codec's class shapes for the CLI release (``Format(printer="template",
  cli=...)``: which fields its types have, their JSON keys and
  ``omitempty``) and for the daemon (which keys it sends: a field the
  daemon leaves out is Go's zero value, a missing one an error);
- the few Go facts neither says, in the tables below, each naming its
  source.

>>> from imageinspect.codec.formats import Format
>>> from imageinspect.model.inspect import ImageInspect
>>> typed, raw = docker_values(ImageInspect(id="sha256:ab", os="linux"), Format.docker("20.10"))
>>> typed.type.name, typed.type.lookup("ID")[0].key, raw["Id"]
('types.ImageInspect', 'Id', 'sha256:ab')
"""

from __future__ import annotations

import operator
import re
import types
import typing
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any, Final

import attrs
import orjson

from imageinspect.codec.classes import ShapeSet, class_shape
from imageinspect.codec.formats import Format, profile_of
from imageinspect.codec.gojson import escape
from imageinspect.codec.inspect import daemon_values, dumps
from imageinspect.codec.leaves import write_key_set
from imageinspect.codec.rules import compare, parse_version
from imageinspect.codec.shapes import OCI_CONTAINER_CONFIG, Field, Shape
from imageinspect.gotemplate.funcs import FUNCTIONS, JOIN_ELEMENTS, Function
from imageinspect.gotemplate.release import LATEST_GO
from imageinspect.gotemplate.types import (
    BOOL,
    DURATION,
    EMPTY_STRUCT,
    INTERFACE,
    STRING,
    TIME,
    UINT8,
    ZERO,
    GoField,
    GoType,
    Value,
    map_of,
    pointer_to,
    slice_of,
    struct_type,
)
from imageinspect.model.config import ContainerConfig, HealthConfig, History
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import (
    AttestationData,
    GraphDriver,
    Identity,
    ImageData,
    ImageInspect,
    InspectRootFS,
    ManifestSummary,
    Metadata,
)
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

__all__ = [
    "HISTORY_HEADER",
    "IMAGE_FIELDS",
    "docker_functions",
    "docker_go",
    "docker_values",
    "history_row",
    "image_row",
    "podman_template",
    "podman_value",
]

# --- Go facts the annotations and shapes do not tell ----------------------------------------

#: Go field names that are not the JSON key with its first letter upper-cased
#: (and ``snake_case`` camel-cased): moby ``api/types`` (``ID string
#: `json:"Id"```), image-spec ``specs-go/v1`` (``Descriptor.URLs``,
#: ``Platform.OS``, ``OSVersion``, ``OSFeatures``), podman ``pkg/inspect``
#: (``HealthCheck *manifest.Schema2HealthConfig `json:"Healthcheck"```).
_GO_NAMES: Final[dict[str, str]] = {
    "Id": "ID",
    "urls": "URLs",
    "os": "OS",
    "os.version": "OSVersion",
    "os.features": "OSFeatures",
}
_PODMAN_GO_NAMES: Final[dict[str, str]] = {**_GO_NAMES, "Healthcheck": "HealthCheck"}
#: Keys the codec writes that no Go struct of the CLI has: image-spec
#: v1.1's ``Platform`` has no ``features`` (the codec keeps Docker's).
_NOT_GO: Final = frozenset({(Platform, "features")})

#: Struct fields that are pointers (``<nil>`` when unset; the others are
#: struct values, never nil), where the shapes do not say it (a field whose
#: shape omits it when ``None`` only, ``omit="nil"``, is a pointer: the 29.x
#: CLI's ``GraphDriver``, ``container.Config.StopTimeout``): moby
#: ``types.ImageInspect`` (v20.10.24) and ``image.InspectResponse``,
#: ``container.Config``, ``ManifestSummary``, image-spec ``Descriptor``,
#: podman ``inspect.ImageData`` and image-spec ``History``.
_POINTERS: Final = frozenset(
    {
        (ImageInspect, "container_config"),
        (ImageInspect, "config"),
        (ImageInspect, "descriptor"),
        (ImageInspect, "identity"),
        (ContainerConfig, "healthcheck"),
        (Descriptor, "platform"),
        (ManifestSummary, "image_data"),
        (ManifestSummary, "attestation_data"),
        (ImageData, "identity"),
        (PodmanImageInspect, "created"),
        (PodmanImageInspect, "config"),
        (PodmanImageInspect, "graph_driver"),
        (PodmanImageInspect, "root_fs"),
        (PodmanImageInspect, "healthcheck"),
        (History, "created"),
    }
)
#: ``time.Duration`` fields (integer nanoseconds in JSON): moby
#: ``container.HealthConfig``, docker-image-spec ``HealthcheckConfig``,
#: containers/image ``Schema2HealthConfig``.
_DURATIONS: Final = frozenset(
    (HealthConfig, name) for name in ("interval", "timeout", "start_period", "start_interval")
)
#: Go ``int`` fields (the other integers are ``int64``): ``HealthConfig.Retries``,
#: ``container.Config.StopTimeout`` (``*int``).
_INTS: Final = frozenset({(HealthConfig, "retries"), (ContainerConfig, "stop_timeout")})
#: Times the Go type holds as a string: the image's ``Created`` (``string`` in
#: ``types.ImageInspect`` and ``image.InspectResponse``).
_STRING_TIMES: Final = frozenset({(ImageInspect, "created")})
#: Keys of docker-image-spec's ``DockerOCIImageConfigExt``, embedded with
#: image-spec's ``ImageConfig`` in ``DockerOCIImageConfig`` (the CLI's
#: ``Config`` from 28.2).
_OCI_EXT_KEYS: Final = frozenset({"Healthcheck", "OnBuild", "Shell"})

#: Go type names (what messages say): docker/cli v20.10.24's vendored types,
#: and v28.5.2's (from 28.0: ``image.InspectResponse``); podman's
#: ``pkg/inspect`` and image-spec's. Classes not named here go by their
#: Python name.
_NAMES_20: Final[dict[tuple[type[Any], str], str]] = {
    (ImageInspect, ""): "types.ImageInspect",
    (ContainerConfig, ""): "container.Config",
    (HealthConfig, ""): "container.HealthConfig",
    (GraphDriver, ""): "types.GraphDriverData",
    (InspectRootFS, ""): "types.RootFS",
    (Metadata, ""): "types.ImageMetadata",
}
_NAMES_28: Final[dict[tuple[type[Any], str], str]] = {
    (ImageInspect, ""): "image.InspectResponse",
    (ContainerConfig, ""): "container.Config",
    (ContainerConfig, "oci"): "v1.DockerOCIImageConfig",
    (HealthConfig, ""): "container.HealthConfig",
    (HealthConfig, "oci"): "v1.HealthcheckConfig",
    (GraphDriver, ""): "storage.DriverData",
    (InspectRootFS, ""): "image.RootFS",
    (Metadata, ""): "image.Metadata",
    (Descriptor, ""): "v1.Descriptor",
    (Platform, ""): "v1.Platform",
    (ManifestSummary, ""): "image.ManifestSummary",
    (ImageData, ""): "image.ImageProperties",
    (AttestationData, ""): "image.AttestationProperties",
    (Identity, ""): "image.Identity",
}
#: Named Go types of fields of moby's ``container.Config``
#: (``github.com/docker/go-connections/nat``, ``api/types/strslice``).
_DOCKER_FIELD_TYPES: Final[dict[tuple[type[Any], str], str]] = {
    (ContainerConfig, "exposed_ports"): "nat.PortSet",
    (ContainerConfig, "cmd"): "strslice.StrSlice",
    (ContainerConfig, "entrypoint"): "strslice.StrSlice",
    (ContainerConfig, "shell"): "strslice.StrSlice",
}
_NAMES_PODMAN: Final[dict[tuple[type[Any], str], str]] = {
    (PodmanImageInspect, ""): "inspect.ImageData",
    (ContainerConfig, ""): "v1.ImageConfig",
    (HealthConfig, ""): "manifest.Schema2HealthConfig",
    (GraphDriver, ""): "define.DriverData",
    (InspectRootFS, ""): "inspect.RootFS",
    (History, ""): "v1.History",
}

# --- Go types from the annotations and the shapes --------------------------------------------

_INT64: Final = GoType("int64", "int")
_GO_INT: Final = GoType("int", "int")


def _go_name(key: str, names: Mapping[str, str]) -> str:
    """The Go field name of a JSON key.

    >>> _go_name("created_by", _GO_NAMES), _go_name("mediaType", _GO_NAMES), _go_name("os.version", _GO_NAMES)
    ('CreatedBy', 'MediaType', 'OSVersion')
    """
    if key in names:
        return names[key]
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


_HINTS: dict[type[Any], dict[str, Any]] = {}


def _hints(cls: type[Any]) -> dict[str, Any]:
    found = _HINTS.get(cls)
    if found is None:
        found = _HINTS[cls] = typing.get_type_hints(cls)
    return found


def _is_empty(value: Any) -> bool:
    """Go's ``omitempty``: what the daemon leaves out of its JSON."""
    if value is None or value is False:
        return True
    if isinstance(value, str | tuple | FrozenMap | bytes | dict):
        return len(value) == 0
    return isinstance(value, int) and value == 0


def _nil_value(nil: Any, go_type: GoType) -> Any:
    """What the CLI decodes the JSON the daemon writes for ``None`` into."""
    if isinstance(nil, tuple):
        return ()
    if isinstance(nil, orjson.Fragment):
        return {}
    if isinstance(nil, str) and go_type.kind == "time":
        return Timestamp.parse(nil)
    return nil


@attrs.frozen(eq=False)
class _Builder:
    """Makes the Go types of one CLI's view: its shapes, the daemon's (whose
    keys say what the CLI received), the Go field names and type names."""

    cli: ShapeSet
    daemon: ShapeSet | None
    go_names: Mapping[str, str]
    names: Mapping[tuple[type[Any], str], str]
    #: Named types of fields of the structs whose variant is ``""``.
    field_types: Mapping[tuple[type[Any], str], str] = attrs.field(factory=dict)

    #: The types made so far, by class, shapes and variant.
    made: dict[tuple[type[Any], Shape, Shape | None, str], GoType] = attrs.field(factory=dict, repr=False)

    def struct(self, cls: type[Any], shape: Shape, sent: Shape | None, variant: str = "") -> GoType:
        key = (cls, shape, sent, variant)
        found = self.made.get(key)
        if found is None:
            found = self.made[key] = _struct(self, cls, shape, sent, variant)
        return found

    def nested(self, field: Field, sent_field: Field | None, cls: type[Any], variant: str) -> GoType:
        shape = self.cli.named_shape(field.shape) if field.shape else self.cli.for_class(cls)
        sent: Shape | None = None
        if self.daemon is not None and sent_field is not None:
            sent = self.daemon.named_shape(sent_field.shape) if sent_field.shape else self.daemon.for_class(cls)
        if cls is ContainerConfig and [f.key for f in shape.fields] == [f.key for f in OCI_CONTAINER_CONFIG.fields]:
            variant = "oci"
        return self.struct(cls, shape, sent, variant)


def _struct(builder: _Builder, cls: type[Any], shape: Shape, sent: Shape | None, variant: str) -> GoType:
    """The Go struct of ``cls`` as ``shape`` has it (``sent``: the daemon's
    shape; ``None``: every field is there)."""
    hints = _hints(cls)
    fields: list[GoField] = []
    for field in shape.fields:
        if (cls, field.key) in _NOT_GO:
            continue
        sent_field = None if sent is None else next((f for f in sent.fields if f.attr == field.attr), None)
        go_type = _field_type(builder, cls, field, sent_field, hints[field.attr], variant)
        get = _getter(cls, field.attr, go_type, sent is not None, sent_field)
        omitempty = field.omit in ("empty", "nil")
        fields.append(GoField(_go_name(field.key, builder.go_names), go_type, get, field.key, omitempty))
    name = builder.names.get((cls, variant)) or builder.names.get((cls, "")) or cls.__name__
    if variant == "oci" and cls is ContainerConfig:  # ImageConfig and DockerOCIImageConfigExt, embedded
        parts = (
            ("v1.ImageConfig", [f for f in fields if f.key not in _OCI_EXT_KEYS]),
            ("v1.DockerOCIImageConfigExt", [f for f in fields if f.key in _OCI_EXT_KEYS]),
        )
        embedded = tuple(
            GoField(part.split(".")[1], struct_type(part, tuple(inner)), _same, None, False, embedded=True)
            for part, inner in parts
        )
        return struct_type(name, embedded)
    return struct_type(name, tuple(fields))


def _same(value: Any) -> Any:
    return value


def _field_type(
    builder: _Builder, cls: type[Any], field: Field, sent_field: Field | None, hint: Any, variant: str
) -> GoType:
    """A field's Go type, from its annotation and the facts above."""
    attr = field.attr
    if (cls, attr) in _STRING_TIMES:
        return STRING
    if (cls, attr) in _DURATIONS:
        return DURATION
    named = None if variant else builder.field_types.get((cls, attr))
    encoding = class_shape(cls).encoding(attr)
    if encoding is not None and encoding.write is write_key_set:  # map[string]struct{}
        return map_of(EMPTY_STRUCT, named)
    go_type = _annotation_type(builder, cls, field, sent_field, _optional(hint), variant)
    if named is not None and go_type.kind == "slice" and go_type.elem is not None:
        go_type = slice_of(go_type.elem, named)
    if (cls, attr) in _INTS:
        go_type = _GO_INT
    if (cls, attr) in _POINTERS or (field.omit == "nil" and go_type.kind not in ("slice", "map")):
        return pointer_to(go_type)
    return go_type


def _optional(hint: Any) -> Any:
    """``X | None`` is ``X`` (Go's nil is a value of the type)."""
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        kept = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return kept[0] if len(kept) == 1 else Any
    return hint


def _annotation_type(
    builder: _Builder, cls: type[Any], field: Field, sent_field: Field | None, hint: Any, variant: str
) -> GoType:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if hint is bool:
        return BOOL
    if hint is int:
        return _INT64
    if hint is bytes:
        return slice_of(UINT8)
    if hint is Timestamp:
        return TIME
    if isinstance(hint, type) and issubclass(hint, str):
        return STRING
    if origin is tuple and args:
        return slice_of(_annotation_type(builder, cls, field, sent_field, _optional(args[0]), variant))
    if origin is FrozenMap and len(args) == 2:
        return map_of(_annotation_type(builder, cls, field, None, _optional(args[1]), variant))
    if isinstance(hint, type) and attrs.has(hint):
        inner = "oci" if variant == "oci" and hint is HealthConfig else ""
        return builder.nested(field, sent_field, hint, inner)
    return INTERFACE


def _getter(cls: type[Any], attr: str, go_type: GoType, checked: bool, sent: Field | None) -> Callable[[Any], Any]:
    """How a field's payload is read from the model: what the CLI decoded
    from what the daemon sent (``checked``: the daemon's shape is known)."""
    read = operator.attrgetter(attr)
    if checked and sent is None:  # the daemon never sends it: Go's zero value
        return lambda obj: None
    omits = sent is not None and sent.omit == "empty"
    target = go_type.elem if go_type.kind == "pointer" and go_type.elem is not None else go_type
    nil = None if sent is None or sent.nil is None else _nil_value(sent.nil, go_type)
    if sent is not None and sent.omit == "struct" and target.kind == "struct":
        nil = ZERO  # the daemon writes a zero struct: the CLI's pointer is not nil
    keys = target.kind == "map" and target.elem is EMPTY_STRUCT
    string_time = (cls, attr) in _STRING_TIMES

    def get(obj: Any) -> Any:
        value = read(obj)
        if omits and _is_empty(value):
            return None
        if value is None:
            return nil
        if keys:
            return dict.fromkeys(value)
        if string_time:
            return str(value)
        return value

    return get


# --- Docker ------------------------------------------------------------------------------------


@cache
def _docker_root(fmt: Format, wrapped: bool) -> GoType:
    typed = profile_of(attrs.evolve(fmt, printer="template"))
    daemon = profile_of(attrs.evolve(fmt, printer="api"))
    sent = daemon.wrapped_shapes if wrapped and daemon.wrapped_shapes is not None else daemon.shapes
    cli = parse_version(fmt.cli or fmt.version or "99", "CLI")
    names = _NAMES_28 if compare(cli, "28.0") >= 0 else _NAMES_20
    builder = _Builder(typed.shapes, sent, _GO_NAMES, names, _DOCKER_FIELD_TYPES)
    return builder.struct(ImageInspect, typed.shapes.for_class(ImageInspect), sent.for_class(ImageInspect))


def docker_values(image: ImageInspect, fmt: Format) -> tuple[Value, Any]:
    """What ``docker inspect -f`` runs on for ``image`` shown as ``fmt``
    says: the CLI's typed value (the CLI release ``fmt.cli``, default the
    daemon's) and the JSON the daemon sent (the fallback).

    >>> from imageinspect.codec.formats import Format
    >>> from imageinspect.gotemplate import Template
    >>> from imageinspect.model.config import ContainerConfig
    >>> image = ImageInspect(id="sha256:ab", config=ContainerConfig(env=("A=1",)))
    >>> typed, raw = docker_values(image, Format.docker("20.10"))
    >>> Template.parse("{{.ID}} {{.Config.Cmd}} {{.RootFS.Layers}} {{.Config.Healthcheck}}").inspect(typed, raw)
    'sha256:ab [] [] <nil>'
    >>> Template.parse("{{.Id}} {{.Config.Cmd}}").inspect(typed, raw)  # not typed (ID): the daemon's JSON
    'sha256:ab <no value>'
    >>> Template.parse("{{.Config.Hostname}}|{{json .Config.Env}}").inspect(*docker_values(image, Format.docker("20.10", cli="28.5")))
    '|["A=1"]'
    """
    daemon = attrs.evolve(fmt, printer="api")
    raw = orjson.loads(dumps([image], daemon))
    profile = profile_of(attrs.evolve(fmt, printer="template"))
    prepared = daemon_values(image, profile)
    wrapped = bool(profile_of(daemon).wrapped_shapes is not None and (image.parent or image.docker_version))
    return Value(prepared, _docker_root(attrs.evolve(fmt, printer="cli"), wrapped)), raw


#: docker/cli's functions from v29.2.0 (``templates/templates.go``): ``join``
#: takes any slice, or a map's values (``joinElements``).
_JOIN_ANY: Final[dict[str, Function]] = {**FUNCTIONS, "join": JOIN_ELEMENTS}


def docker_functions(fmt: Format) -> Mapping[str, Function]:
    """The template functions of the docker CLI release ``fmt`` names
    (``fmt.cli``, default the daemon's).

    >>> from imageinspect.codec.formats import Format
    >>> docker_functions(Format.docker("28.5"))["join"].params, docker_functions(Format.docker("29.7"))["join"].params
    (('[]string', 'string'), ('any', 'string'))
    """
    cli = parse_version(fmt.cli or fmt.version or "99", "CLI")
    return _JOIN_ANY if compare(cli, "29.2") >= 0 else FUNCTIONS


def docker_go(fmt: Format) -> str:
    """The Go release whose ``text/template`` the docker CLI release ``fmt``
    names runs templates as: the build the CLI oracle observed (Debian's
    docker.io 20.10 was built with Go 1.19, the 28.5 and 29.7 CLIs with Go
    1.27); any CLI from 21 on, and podman, run as the newest release the
    engine knows.

    >>> docker_go(Format.docker("20.10")), docker_go(Format.docker("20.10", cli="29.7"))
    ('1.19', '1.27')
    """
    if fmt.kind != "docker":
        return LATEST_GO
    cli = parse_version(fmt.cli or fmt.version or "99", "CLI")
    return "1.19" if compare(cli, "21") < 0 else LATEST_GO


# --- podman ------------------------------------------------------------------------------------


@cache
def _podman_root(fmt: Format) -> GoType:
    shapes = profile_of(fmt).shapes
    builder = _Builder(shapes, shapes, _PODMAN_GO_NAMES, _NAMES_PODMAN)  # podman's struct holds what it writes
    shape = shapes.for_class(PodmanImageInspect)
    return builder.struct(PodmanImageInspect, shape, shape)


def podman_value(image: PodmanImageInspect, fmt: Format) -> Value:
    """What ``podman image inspect -f`` runs on: podman's ``ImageData``
    (``Created`` a ``*time.Time``; no JSON fallback).

    >>> from imageinspect.codec.formats import Format
    >>> from imageinspect.gotemplate import Template
    >>> image = PodmanImageInspect(id="ab", created=Timestamp.parse("2024-01-02T03:04:05Z"))
    >>> Template.parse("{{.ID}} {{.Created}} {{.HealthCheck}}").execute(podman_value(image, Format.podman("5.4")))
    'ab 2024-01-02 03:04:05 +0000 UTC <nil>'
    """
    return Value(image, _podman_root(fmt))


_PODMAN_ID = re.compile(r"{{\s*\.Id\s*}}")
_PODMAN_FIELDS = re.compile(r"\.Src|\.Dst|\.ImageID|\.Config\.Healthcheck")
_PODMAN_RENAMES: Final = {
    ".Src": ".Source",
    ".Dst": ".Destination",
    ".ImageID": ".Image",
    ".Config.Healthcheck": ".HealthCheck",
}


def podman_template(source: str) -> str:
    """The template podman runs for ``podman image inspect -f source``:
    ``{{.Id}}`` is ``{{.ID}}`` and ``.Config.Healthcheck`` is
    ``.HealthCheck`` (podman ``cmd/podman/inspect/inspect.go``,
    ``inspectNormalize``, 4.3 to 5.x).

    >>> podman_template("{{ .Id }} {{.Config.Healthcheck.Test}}")
    '{{.ID}} {{.HealthCheck.Test}}'
    """
    source = _PODMAN_ID.sub("{{.ID}}", source)
    return _PODMAN_FIELDS.sub(lambda match: _PODMAN_RENAMES[match.group(0)], source)


# --- docker history ----------------------------------------------------------------------------


def _history_json(cells: Mapping[str, str]) -> bytes:
    """The row's ``MarshalJSON``: ``json.Marshal`` of its fields, keys sorted,
    HTML characters escaped."""
    return escape(orjson.dumps(dict(cells), option=orjson.OPT_SORT_KEYS), escape_html=True)


#: docker/cli ``cli/command/image/formatter_history.go``: the row's methods
#: (``ID``, ``CreatedSince``, ...), each a string, and its ``MarshalJSON``.
_HISTORY_ROW: Final = pointer_to(
    struct_type(
        "image.historyContext",
        tuple(
            GoField(name, STRING, operator.itemgetter(name), name)
            for name in ("ID", "CreatedAt", "CreatedSince", "CreatedBy", "Size", "Comment")
        ),
        _history_json,
    )
)


def history_row(cells: Mapping[str, str]) -> Value:
    """One ``docker history`` row as its template sees it (a
    ``*image.historyContext``: no JSON fallback).

    >>> from imageinspect.gotemplate import Template
    >>> cells = {"ID": "<missing>", "CreatedAt": "", "CreatedSince": "", "CreatedBy": "", "Size": "0B", "Comment": ""}
    >>> Template.parse("{{.ID}} {{.Size}} {{json .}}").execute(history_row(cells))[:57]
    '<missing> 0B {"Comment":"","CreatedAt":"","CreatedBy":"",'
    """
    return Value(cells, _HISTORY_ROW)


# --- docker images ------------------------------------------------------------------------------

#: docker/cli ``cli/command/formatter/image.go``: the fields of an
#: ``imageContext`` (each a method returning a string) and their column
#: headers; ``Index`` (the ``@N`` that picks the image) and ``Platform`` are
#: this tool's, for archives that hold several.
IMAGE_FIELDS: Final[dict[str, str]] = {
    "ID": "IMAGE ID",
    "Repository": "REPOSITORY",
    "Tag": "TAG",
    "Digest": "DIGEST",
    "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT",
    "Size": "SIZE",
    "Containers": "CONTAINERS",
    "VirtualSize": "VIRTUAL SIZE",
    "SharedSize": "SHARED SIZE",
    "UniqueSize": "UNIQUE SIZE",
    "Index": "REF",
    "Platform": "PLATFORM",
}

_IMAGE_ROW: Final = pointer_to(
    struct_type(
        "formatter.imageContext",
        tuple(GoField(name, STRING, operator.itemgetter(name), name) for name in IMAGE_FIELDS),
        _history_json,  # json.Marshal of its fields, keys sorted, HTML escaped (the same as history's)
    )
)


def image_row(cells: Mapping[str, str]) -> Value:
    """One ``docker images`` row as its template sees it (a
    ``*formatter.imageContext``: no JSON fallback).

    >>> from imageinspect.gotemplate import Template
    >>> cells = dict.fromkeys(IMAGE_FIELDS, "") | {"Repository": "app", "Tag": "1"}
    >>> Template.parse("{{.Repository}}:{{.Tag}}").execute(image_row(cells))
    'app:1'
    """
    return Value(cells, _IMAGE_ROW)


#: What the header line of ``table TEMPLATE`` runs on: docker/cli's
#: ``formatter.SubHeaderContext`` (``map[string]string``).
HISTORY_HEADER: Final = map_of(STRING, "formatter.SubHeaderContext")
