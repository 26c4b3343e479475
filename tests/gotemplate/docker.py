"""What the template tests run on: a small Docker-like image as a typed value
(Go types made with :mod:`imageinspect.gotemplate.types`, as the CLI makes
them from the models) and as the JSON a daemon sends, run as ``docker
inspect -f`` runs (typed first, then the JSON with missing keys errors)."""

from __future__ import annotations

from typing import Any

from imageinspect.gotemplate import (
    DURATION,
    EMPTY_STRUCT,
    INT,
    STRING,
    GoField,
    GoType,
    Template,
    Value,
    map_of,
    pointer_to,
    slice_of,
    struct_type,
)

INT64 = GoType("int64", "int")


def _field(name: str, go_type: GoType, key: str | None = None, omitempty: bool = False) -> GoField:
    """A field read from a dict payload by its JSON key."""
    json_key = key or name
    return GoField(name, go_type, lambda payload: payload.get(json_key), json_key, omitempty)


HEALTH = struct_type(
    "container.HealthConfig",
    (
        _field("Test", slice_of(STRING), omitempty=True),
        _field("Interval", DURATION, omitempty=True),
        _field("Retries", INT, omitempty=True),
    ),
)
CONFIG = struct_type(
    "container.Config",
    (
        _field("User", STRING),
        _field("Env", slice_of(STRING)),
        _field("Cmd", slice_of(STRING, "strslice.StrSlice")),
        _field("Healthcheck", pointer_to(HEALTH), omitempty=True),
        _field("Volumes", map_of(EMPTY_STRUCT)),
        _field("Labels", map_of(STRING)),
    ),
)
IMAGE = struct_type(
    "types.ImageInspect",
    (
        _field("ID", STRING, "Id"),
        _field("Os", STRING),
        _field("Size", INT64),
        _field("Empty", slice_of(STRING)),
        _field("RepoTags", slice_of(STRING)),
        _field("Ports", map_of(EMPTY_STRUCT, "nat.PortSet")),
        _field("Config", pointer_to(CONFIG)),
    ),
)

#: The JSON the daemon sent; the typed value reads the same dicts.
DATA: dict[str, Any] = {
    "Id": "sha256:ab",
    "Os": "linux",
    "Size": 1234,
    "Empty": [],
    "RepoTags": ["app:1", "app:2"],
    "Ports": {"80/tcp": {}},
    "Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}, "User": ""},
}
TYPED = Value(DATA, IMAGE)


def render(source: str, data: Any = DATA) -> str:
    """``source`` run as the docker CLI runs it: on the typed view of
    ``data``, and where that fails on ``data`` itself."""
    return Template.parse(source).inspect(Value(data, IMAGE), data)
