"""The functions, called directly (the template tests call them through
templates)."""

from __future__ import annotations

from typing import Any

import pytest

from imageinspect.gotemplate import HtmlEscaped, TemplateError
from imageinspect.gotemplate.funcs import FUNCTIONS, PRINTERS, truth
from imageinspect.gotemplate.gofmt import NO_VALUE, UNTYPED, Value


def call(name: str, *args: Any) -> Any:
    return FUNCTIONS[name](*args)


def test_the_function_list() -> None:
    assert sorted(FUNCTIONS) == sorted(
        [
            "and",
            "eq",
            "index",
            "join",
            "json",
            "len",
            "lower",
            "ne",
            "not",
            "or",
            "pad",
            "print",
            "printf",
            "println",
            "split",
            "title",
            "truncate",
            "upper",
        ]
    )
    assert set(FUNCTIONS) >= PRINTERS


@pytest.mark.parametrize(
    ("value", "true"),
    [
        *[(None, False), (NO_VALUE, False), (False, False), (0, False), (0.0, False), ("", False), ([], False)],
        *[({}, False), (True, True), (1, True), ("0", True), ([None], True), ({"a": 1}, True), (-1, True)],
    ],
)
def test_truth(value: Any, true: bool) -> None:
    assert truth(value) is true
    assert call("not", value) is (not true)


def test_json() -> None:
    assert call("json", {"b": "<", "a": "\u2028"}) == '{"b":"<","a":"\\u2028"}'
    assert call("json", HtmlEscaped({"b": "<", "a": 1})) == '{"a":1,"b":"\\u003c"}'
    assert call("json", NO_VALUE) == "null"


def test_join_index_len_split() -> None:
    assert call("join", None, ",") == ""
    assert call("join", {"x": "b", "y": "a"}, "+") == "a+b"
    assert call("join", [1, True, None], " ") == "1 true <nil>"
    assert call("index", None, "a") == ""
    assert call("index", {"a": "1"}, "b") == ""
    assert call("index", {"a": {}}, "b") is None
    assert call("index", [["x", "y"]], 0, 1) == "y"
    with pytest.raises(TemplateError, match="index: cannot index a string with 0"):
        call("index", "abc", 0)
    assert [call("len", v) for v in (None, [1], {"a": 1}, "é")] == [0, 1, 1, 1]
    with pytest.raises(TemplateError, match="len: a number has no length"):
        call("len", 3)
    assert call("split", "a,b", ",") == ["a", "b"]
    assert call("split", "ab", "") == ["a", "b"]


def test_strings() -> None:
    assert call("title", "hello wide-world x_y") == "Hello Wide-World X_y"
    assert call("upper", "é") == "É"
    assert call("lower", "AB") == "ab"
    assert call("truncate", "abcdef", 3) == "abc"
    assert call("truncate", "ab", 3) == "ab"
    assert call("pad", "ab", 1, 2) == " ab  "
    assert call("pad", "", 1, 2) == ""
    with pytest.raises(TypeError):
        call("truncate", 5, 1)


def test_comparisons_and_logic() -> None:
    assert call("eq", 1, 2, 1) is True
    assert call("eq", "a", "b") is False
    assert call("ne", "a", "b") is True
    assert call("and", 1, "", "x") == ""
    assert call("and", 1, "x") == "x"
    assert call("or", 0, "", None) is None
    assert call("or", 0, "a", "b") == "a"


def test_printers_take_kinds_and_values() -> None:
    assert call("print", UNTYPED, Value(1, ""), Value(2, "")) == "1 2"
    assert call("println", UNTYPED) == "\n"
    assert call("printf", UNTYPED, Value("%d!", ""), Value(3, "")) == "3!"
    with pytest.raises(TypeError):
        call("printf", UNTYPED, Value(3, ""))
