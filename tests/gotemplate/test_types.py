"""Go's types as the caller describes them: names, zero values, field
lookup through embedded structs."""

from __future__ import annotations

from imageinspect.gotemplate import EMPTY_STRUCT, INT, STRING, TIME, GoField, Value, map_of, pointer_to, slice_of
from imageinspect.gotemplate.types import (
    INTERFACE,
    ZERO,
    field_value,
    raw_type_name,
    static,
    struct_type,
    type_name,
    zero,
)
from imageinspect.values import Timestamp

from .docker import CONFIG, IMAGE


def test_names_are_go_s() -> None:
    assert slice_of(STRING).name == "[]string"
    assert map_of(EMPTY_STRUCT).name == "map[string]struct {}"
    assert pointer_to(CONFIG).name == "*container.Config"
    assert map_of(EMPTY_STRUCT, "nat.PortSet").name == "nat.PortSet"
    samples: tuple[object, ...] = ({}, [], "", 1, 1.5, True, None)
    assert [type_name(Value(v)) for v in samples] == [
        "map[string]interface {}",
        "[]interface {}",
        "string",
        "json.Number",
        "json.Number",
        "bool",
        "interface {}",
    ]
    assert raw_type_name(()) == "[]interface {}"


def test_zero_values() -> None:
    assert [zero(t) for t in (STRING, INT, slice_of(STRING), map_of(STRING), pointer_to(CONFIG), CONFIG)] == [
        "",
        0,
        None,
        None,
        None,
        None,
    ]
    assert zero(TIME) == Timestamp.zero()


def test_field_lookup_promotes_embedded_fields() -> None:
    inner = struct_type("Inner", (GoField("A", STRING, lambda v: v["a"]), GoField("B", STRING, lambda v: v["b"])))
    outer = struct_type(
        "Outer", (GoField("Inner", inner, lambda v: v["inner"], embedded=True), GoField("B", INT, lambda v: v["b"]))
    )
    assert [f.name for f in outer.lookup("A") or ()] == ["Inner", "A"]
    assert [f.name for f in outer.lookup("B") or ()] == ["B"]  # the outer one wins
    assert outer.lookup("C") is None
    payload = {"inner": {"a": "x", "b": "y"}, "b": 3}
    assert field_value(payload, outer.lookup("A") or ()) == "x"
    assert field_value(None, outer.lookup("A") or ()) == ""
    assert field_value(ZERO, outer.lookup("B") or ()) == 0
    assert pointer_to(outer).struct is outer


def test_fields_read_as_none_are_zero_or_nil() -> None:
    assert field_value({}, IMAGE.lookup("Size") or ()) == 0
    assert field_value({}, IMAGE.lookup("RepoTags") or ()) is None
    assert field_value({}, IMAGE.lookup("Config") or ()) is None


def test_interface_fields_hold_json() -> None:
    assert static(INTERFACE) is None
    assert static(STRING) is STRING
    assert static(None) is None
