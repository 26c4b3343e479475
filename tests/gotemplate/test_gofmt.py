"""Go's fmt, durations, times and encoding/json, by the values' Go types."""

from __future__ import annotations

from typing import Any

import pytest

from imageinspect.gotemplate import (
    BOOL,
    DURATION,
    EMPTY_STRUCT,
    INT,
    NO_VALUE,
    STRING,
    TIME,
    GoType,
    Value,
    go_duration,
    go_json,
    go_text,
    go_time,
    map_of,
    pointer_to,
    slice_of,
)
from imageinspect.gotemplate.gofmt import POINTER_TEXT, format_value, sprint, sprintf, sprintln
from imageinspect.gotemplate.types import UINT8, ZERO
from imageinspect.values import Timestamp

from .docker import CONFIG, HEALTH, INT64


def test_go_values() -> None:
    assert [go_duration(n) for n in (10**9, 61 * 10**9, 3_601_500_000_000)] == ["1s", "1m1s", "1h0m1.5s"]
    assert go_time("2024-05-06T07:08:09.5-07:00") == "2024-05-06 07:08:09.5 -0700 -0700"
    assert go_time(Timestamp.parse("2024-05-06T07:08:09Z")) == "2024-05-06 07:08:09 +0000 UTC"


@pytest.mark.parametrize(
    ("nanos", "text"),
    [(1, "1ns"), (999, "999ns"), (1_001_000, "1.001ms"), (-90 * 10**9, "-1m30s"), (25 * 3600 * 10**9, "25h0m0s")],
)
def test_go_duration(nanos: int, text: str) -> None:
    assert go_duration(nanos) == text


HEALTH_VALUE = {"Test": ["CMD", "x"], "Interval": 30 * 10**9, "Retries": 2}


@pytest.mark.parametrize(
    ("value", "go_type", "text"),
    [
        # a nil of each kind, as an action prints it
        (None, slice_of(STRING), "[]"),
        (None, map_of(STRING), "map[]"),
        (None, pointer_to(HEALTH), "<nil>"),
        (None, None, "<no value>"),  # a JSON null: an interface{} holding nothing
        (NO_VALUE, STRING, "<no value>"),
        # zero values
        ("", STRING, ""),
        (0, INT64, "0"),
        (False, BOOL, "false"),
        (None, HEALTH, "{[] 0s 0}"),
        (ZERO, HEALTH, "{[] 0s 0}"),
        (Timestamp.zero(), TIME, "0001-01-01 00:00:00 +0000 UTC"),
        # durations and times by their String
        (30 * 10**9, DURATION, "30s"),
        (30 * 10**9, INT64, "30000000000"),
        (Timestamp.parse("2024-01-02T03:04:05Z"), pointer_to(TIME), "2024-01-02 03:04:05 +0000 UTC"),
        # structs in field order, a pointer followed at the top, an address inside
        (HEALTH_VALUE, pointer_to(HEALTH), "{[CMD x] 30s 2}"),
        ({"Healthcheck": HEALTH_VALUE, "Env": ["A"]}, pointer_to(CONFIG), f"{{ [A] [] {POINTER_TEXT} map[] map[]}}"),
        ({"b": None, "a": None}, map_of(EMPTY_STRUCT), "map[a:{} b:{}]"),
        (b"hi", slice_of(UINT8), "[104 105]"),
        # JSON
        (2.0, None, "2"),
        (2.5, None, "2.5"),
        ([[1, "a"], {}, None], None, "[[1 a] map[] <nil>]"),
        ({"b": {"x": 1}}, None, "map[b:map[x:1]]"),
    ],
)
def test_go_text(value: Any, go_type: GoType | None, text: str) -> None:
    assert go_text(Value(value, go_type)) == text


def test_print_does_not_follow_pointers() -> None:
    assert format_value(HEALTH_VALUE, pointer_to(HEALTH)) == "&{[CMD x] 30s 2}"
    assert format_value(("a",), pointer_to(slice_of(STRING))) == "&[a]"
    assert format_value(3, pointer_to(INT)) == POINTER_TEXT
    assert format_value(None, pointer_to(TIME)) == "<nil>"


def test_sprint_and_sprintln() -> None:
    values = (Value("a", STRING), Value(1, INT), Value(None, slice_of(STRING)), Value([2]), Value("b", STRING))
    assert sprint(*values) == "a1 [] [2]b"
    assert sprintln(*values) == "a 1 [] [2] b\n"
    assert sprint() == ""
    assert sprint(Value(1), Value(2)) == "12"  # json.Numbers are strings to fmt


@pytest.mark.parametrize(
    ("form", "values", "text"),
    [
        ("%%|%v|%s", [Value(None, slice_of(STRING)), Value(3, INT)], "%|[]|%!s(int=3)"),
        ("%t %t", [Value(True, BOOL), Value("x", STRING)], "true %!t(string=x)"),
        (
            "%5.1f|%e|%g",
            [Value(2.0, GoType("float64", "float")), Value(1.5, GoType("float64", "float")), Value(2, INT)],
            "  2.0|1.500000e+00|%!g(int=2)",
        ),
        ("%x %X %08d %+d", [Value("hi", STRING), Value(255, INT), Value(7, INT), Value(7, INT)], "6869 FF 00000007 +7"),
        ("%q %6q", [Value('a"b', STRING), Value("x", STRING)], '"a\\"b"    "x"'),
        ("%d", [Value(1.5)], "%!d(json.Number=1.5)"),
        ("%s %d", [Value(30 * 10**9, DURATION), Value(30 * 10**9, DURATION)], "30s 30000000000"),
        ("%v %s", [Value(NO_VALUE), Value(None)], "<nil> %!s(<nil>)"),
        ("", [Value(1, INT), Value("a", STRING)], "%!(EXTRA int=1, string=a)"),
    ],
)
def test_sprintf(form: str, values: list[Value], text: str) -> None:
    assert sprintf(form, *values) == text


@pytest.mark.parametrize(
    ("value", "go_type", "text"),
    [
        (None, slice_of(STRING), "null"),
        ((), slice_of(STRING), "[]"),
        (None, pointer_to(HEALTH), "null"),
        (None, HEALTH, "{}"),  # omitempty leaves every zero field out
        (HEALTH_VALUE, HEALTH, '{"Test":["CMD","x"],"Interval":30000000000,"Retries":2}'),
        ({"User": "<me>"}, CONFIG, '{"User":"<me>","Env":null,"Cmd":null,"Volumes":null,"Labels":null}'),
        (Timestamp.parse("2024-01-02T03:04:05.5Z"), TIME, '"2024-01-02T03:04:05.5Z"'),
        (NO_VALUE, STRING, "null"),
        ({"a": [1, None]}, None, '{"a":[1,null]}'),
    ],
)
def test_go_json(value: Any, go_type: GoType | None, text: str) -> None:
    assert go_json(Value(value, go_type)) == text


def test_plus_v_names_struct_fields() -> None:
    """``%+v``: a struct's fields by name, in structs, slices and maps too,
    an embedded struct by its type's name (the oracle's 155, 159, 164, 167)."""
    health = HEALTH
    value = {"Test": ["CMD", "x"], "Interval": 90 * 10**9, "Retries": 3}
    assert sprintf("%+v", Value(value, pointer_to(health))) == "&{Test:[CMD x] Interval:1m30s Retries:3}"
    assert sprintf("%v", Value(value, pointer_to(health))) == "&{[CMD x] 1m30s 3}"
    assert sprintf("%+v", Value(None, pointer_to(health))) == "<nil>"
    assert sprintf("%+v", Value({"a": value}, map_of(health))) == "map[a:{Test:[CMD x] Interval:1m30s Retries:3}]"
    assert sprintf("%+v", Value(("a",), slice_of(STRING))) == "[a]"
    assert sprintf("%+v|%v", Value("x", STRING), Value(1, INT)) == "x|1"
