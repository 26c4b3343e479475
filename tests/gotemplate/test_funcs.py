"""The functions, called directly (the template tests call them through
templates), with Go's parameter types."""

from __future__ import annotations

from typing import Any

import pytest

from imageinspect.gotemplate import BOOL, EMPTY_STRUCT, INT, NO_VALUE, STRING, TIME, Value, map_of, pointer_to, slice_of
from imageinspect.gotemplate.funcs import FUNCTIONS, JOIN_ELEMENTS, CallError, argument_error, truth
from imageinspect.gotemplate.types import STRINGS, UINT8

from .docker import HEALTH, INT64


def call(name: str, *args: Value) -> Any:
    return FUNCTIONS[name].call(*args)


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
    assert FUNCTIONS["join"].params == ("[]string", "string")
    assert FUNCTIONS["printf"].variadic == "any"


@pytest.mark.parametrize(
    ("value", "true"),
    [
        (Value(None), False),
        (Value(NO_VALUE), False),
        (Value(False, BOOL), False),
        (Value(0, INT), False),
        (Value("", STRING), False),
        (Value((), STRINGS), False),
        (Value(None, STRINGS), False),
        (Value({}, map_of(STRING)), False),
        (Value(None, pointer_to(HEALTH)), False),
        (Value(None, HEALTH), True),  # a struct is always true
        (Value(None, TIME), True),
        (Value({}, pointer_to(HEALTH)), True),
        (Value(True, BOOL), True),
        (Value(-1, INT), True),
        (Value("0", STRING), True),
        (Value(0), True),  # a json.Number is a non-empty string
        (Value([None]), True),
        (Value({}), False),
    ],
)
def test_truth(value: Value, true: bool) -> None:
    assert truth(value) is true
    assert call("not", value).value is (not true)


@pytest.mark.parametrize(
    ("value", "param", "problem"),
    [
        (Value("a", STRING), "string", None),
        (Value("a"), "string", None),
        (Value(1), "string", "wrong type for value; expected string; got json.Number"),
        (Value(1, INT), "int", None),
        (Value(1, INT64), "int", "wrong type for value; expected int; got int64"),
        (Value(("a",), slice_of(STRING, "strslice.StrSlice")), "[]string", None),
        (Value(["a"]), "[]string", "wrong type for value; expected []string; got []interface {}"),
        (Value(NO_VALUE), "string", "invalid value; expected string"),
        (Value(NO_VALUE), "any", None),
    ],
)
def test_arguments_go_could_pass(value: Value, param: Any, problem: str | None) -> None:
    assert argument_error(value, param) == problem


def test_json() -> None:
    assert call("json", Value({"b": "<", "a": "\u2028"})).value == '{"b":"<","a":"\\u2028"}'
    assert call("json", Value(NO_VALUE)).value == "null"
    assert call("json", Value({"b": None, "a": None}, map_of(EMPTY_STRUCT))).value == '{"a":{},"b":{}}'
    assert call("json", Value(b"hi", slice_of(UINT8))).value == '"aGk="'


def test_index() -> None:
    labels = map_of(STRING)
    assert call("index", Value(None, labels), Value("a", STRING)).value == ""  # a nil map: the zero value
    assert call("index", Value({"a": "1"}, labels), Value("b", STRING)).value == ""
    assert call("index", Value({"a": {}}), Value("b", STRING)).value is None  # interface{}: nil
    assert call("index", Value([["x", "y"]]), Value(0, INT), Value(1, INT)).value == "y"
    assert call("index", Value(("x",), STRINGS), Value(0, INT)).type is STRING
    assert call("index", Value("abc", STRING), Value(1, INT)) == Value(98, UINT8, "$[1]")
    for args, message in [
        ((Value(["x"]), Value(5, INT)), "index out of range: 5"),
        ((Value(["x"]), Value("a", STRING)), "cannot index slice/array with type string"),
        ((Value({"a": 1}), Value(1, INT)), "value has type int; should be string"),
        ((Value(3, INT), Value(0, INT)), "can't index item of type int"),
        ((Value(None, pointer_to(HEALTH)), Value(0, INT)), "index of nil pointer"),
        ((Value(None), Value(0, INT)), "index of untyped nil"),
    ]:
        with pytest.raises(CallError, match=message):
            call("index", *args)


def test_len() -> None:
    assert [call("len", v).value for v in (Value(None, STRINGS), Value([1]), Value({"a": 1}), Value("é", STRING))] == [
        0,
        1,
        1,
        2,  # Go's len of a string counts bytes
    ]
    with pytest.raises(CallError, match="len of type int"):
        call("len", Value(3, INT))
    with pytest.raises(CallError, match="len of nil pointer"):
        call("len", Value(None, pointer_to(HEALTH)))


def test_join_and_split() -> None:
    assert call("join", Value(None, STRINGS), Value(",", STRING)).value == ""
    assert call("join", Value(("a", "b"), STRINGS), Value("+", STRING)).value == "a+b"
    assert call("split", Value("a,b", STRING), Value(",", STRING)) == Value(["a", "b"], STRINGS)
    assert call("split", Value("ab", STRING), Value("", STRING)).value == ["a", "b"]
    assert call("split", Value("", STRING), Value(":", STRING)).value == [""]


def test_join_elements_of_docker_29_2() -> None:
    """docker/cli 29.2's ``join``: any slice, a map's values sorted, each as
    ``fmt.Sprint`` prints it; ``nil`` is empty; anything else an error."""
    sep = Value(",", STRING)
    join = JOIN_ELEMENTS.call
    assert join(Value(["a", 1, None, {"k": 2}]), sep).value == "a,1,<nil>,map[k:2]"
    assert join(Value({"x": "b", "y": "a"}, map_of(STRING)), sep).value == "a,b"
    assert join(Value((1, 2), slice_of(INT64)), sep).value == "1,2"
    assert join(Value(None, STRINGS), sep).value == join(Value(NO_VALUE), sep).value == ""
    with pytest.raises(CallError, match="expected slice, got string"):
        join(Value("ab", STRING), sep)
    with pytest.raises(CallError, match=r"expected slice, got \*container\.HealthConfig"):
        join(Value(None, pointer_to(HEALTH)), sep)


def test_strings() -> None:
    assert call("title", Value("hello wide-world x_y", STRING)).value == "Hello Wide-World X_y"
    assert call("upper", Value("é", STRING)).value == "É"
    assert call("lower", Value("AB", STRING)).value == "ab"
    assert call("truncate", Value("abcdef", STRING), Value(3, INT)).value == "abc"
    assert call("truncate", Value("ab", STRING), Value(3, INT)).value == "ab"
    assert call("pad", Value("ab", STRING), Value(1, INT), Value(2, INT)).value == " ab  "
    assert call("pad", Value("", STRING), Value(1, INT), Value(2, INT)).value == ""
    with pytest.raises(CallError, match="negative Repeat count"):
        call("pad", Value("a", STRING), Value(-1, INT), Value(0, INT))


def test_comparisons_and_logic() -> None:
    one, two = Value(1, INT), Value(2, INT)
    assert call("eq", one, two, Value(1, INT64)).value is True
    assert call("eq", Value("a", STRING), Value("b", STRING)).value is False
    assert call("ne", Value("a", STRING), Value("b", STRING)).value is True
    assert call("eq", Value(NO_VALUE), Value("a", STRING)).value is False
    with pytest.raises(CallError, match="incompatible types for comparison"):
        call("eq", Value(1), one)  # a json.Number is a string
    with pytest.raises(CallError, match="missing argument for comparison"):
        call("eq", one)
    empty = Value("", STRING)
    assert call("and", one, empty, two) == empty
    assert call("and", one, two) == two
    assert call("or", Value(0, INT), empty, Value(None)) == Value(None)
    assert call("or", Value(0, INT), Value("a", STRING), two).value == "a"


def test_printers() -> None:
    assert call("print", Value(1, INT), Value(2, INT)).value == "1 2"
    assert call("println").value == "\n"
    assert call("printf", Value("%d!", STRING), Value(3, INT)).value == "3!"
