"""Go's fmt, durations and times."""

from __future__ import annotations

from typing import Any

import pytest

from imageinspect.cli.gokinds import DOCKER, PODMAN
from imageinspect.gotemplate import GoKinds, go_duration, go_text, go_time
from imageinspect.gotemplate.gofmt import NO_VALUE, UNTYPED, Value, kind_name, sprint, sprintf, sprintln


def test_go_values() -> None:
    assert [go_duration(n) for n in (10**9, 61 * 10**9, 3_601_500_000_000)] == ["1s", "1m1s", "1h0m1.5s"]
    assert go_time("2024-05-06T07:08:09.5-07:00") == "2024-05-06 07:08:09.5 -0700 -0700"


@pytest.mark.parametrize(
    ("nanos", "text"),
    [(1, "1ns"), (999, "999ns"), (1_001_000, "1.001ms"), (-90 * 10**9, "-1m30s"), (25 * 3600 * 10**9, "25h0m0s")],
)
def test_go_duration(nanos: int, text: str) -> None:
    assert go_duration(nanos) == text


@pytest.mark.parametrize(
    ("value", "key", "kinds", "text"),
    [
        (None, "", UNTYPED, "<nil>"),
        (None, "Env", DOCKER, "[]"),
        (None, "Labels", DOCKER, "map[]"),
        (None, "Size", DOCKER, "0"),
        (None, "Tty", DOCKER, "false"),
        (None, "Healthcheck", DOCKER, "<nil>"),
        (None, "User", DOCKER, ""),
        (None, "Env", UNTYPED, ""),
        (NO_VALUE, "", UNTYPED, "<no value>"),
        (30 * 10**9, "Interval", DOCKER, "30s"),
        (30 * 10**9, "Interval", UNTYPED, "30000000000"),
        (True, "Interval", DOCKER, "true"),
        ("2024-01-02T03:04:05Z", "LastTagTime", DOCKER, "2024-01-02 03:04:05 +0000 UTC"),
        ("2024-01-02T03:04:05Z", "Created", DOCKER, "2024-01-02T03:04:05Z"),
        ("2024-01-02T03:04:05Z", "Created", PODMAN, "2024-01-02 03:04:05 +0000 UTC"),
        (2.0, "", UNTYPED, "2"),
        (2.5, "", UNTYPED, "2.5"),
        ([[1, "a"], {}], "", UNTYPED, "[[1 a] {}]"),
        ({}, "Labels", DOCKER, "map[]"),
        ({}, "Labels", UNTYPED, "{}"),
        ({"b": {}, "a": {}}, "Volumes", DOCKER, "map[a:{} b:{}]"),
        ({"b": {"x": 1}}, "Volumes", DOCKER, "map[b:{}]"),
        ({"b": {"x": 1}}, "", UNTYPED, "map[b:map[x:1]]"),
    ],
)
def test_go_text(value: Any, key: str, kinds: GoKinds, text: str) -> None:
    assert go_text(value, key, kinds) == text


def test_kinds() -> None:
    assert kind_name(NO_VALUE) == "value"
    assert DOCKER.known >= {"RepoTags", "Env", "Labels", "Hostname", "LastTagTime"}
    assert PODMAN.known == DOCKER.known
    assert GoKinds().zero_value("X") == ""
    assert GoKinds().zero_text("X") == ""


def test_sprint_and_sprintln() -> None:
    values = (Value("a", ""), Value(1, ""), Value(None, "$.Env", "Env"), Value([2], ""), Value("b", ""))
    assert sprint(DOCKER, *values) == "a1 [] [2]b"
    assert sprintln(DOCKER, *values) == "a 1 [] [2] b\n"
    assert sprint(DOCKER) == ""


@pytest.mark.parametrize(
    ("form", "values", "text"),
    [
        ("%%|%v|%s", [Value(None, "$.Env", "Env"), Value(3, "")], "%|[]|3"),
        ("%t %t", [Value(True, ""), Value("x", "")], "true %!t(string=x)"),
        ("%5.1f|%e|%g", [Value(2, ""), Value(1.5, ""), Value(0.25, "")], "  2.0|1.500000e+00|0.25"),
        ("%x %X %08d %+d", [Value("hi", ""), Value(255, ""), Value(7, ""), Value(7, "")], "6869 FF 00000007 +7"),
        ("%q %6q", [Value('a"b', ""), Value("x", "")], '"a\\"b"    "x"'),
        ("%d", [Value(1.5, "")], "%!d(number=1.5)"),
        ("%s", [Value(30 * 10**9, "$.Interval", "Interval")], "30s"),
        ("", [Value(1, ""), Value("a", "")], "%!(EXTRA number=1, string=a)"),
    ],
)
def test_sprintf(form: str, values: list[Value], text: str) -> None:
    assert sprintf(DOCKER, form, *values) == text
