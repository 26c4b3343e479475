"""The functions, called directly (the template tests call them through
templates), with Go's parameter types."""

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
    Value,
    map_of,
    pointer_to,
    slice_of,
)
from imageinspect.gotemplate.funcs import FUNCTIONS, JOIN_ELEMENTS, CallError, argument_error, html_escape, truth
from imageinspect.gotemplate.types import STRINGS, UINT8

from .docker import HEALTH, INT64


def call(name: str, *args: Value) -> Any:
    function = FUNCTIONS[name]
    return function.call(*args, go=(1, 27)) if function.by_release else function.call(*args)


def test_the_function_list() -> None:
    assert sorted(FUNCTIONS) == sorted(
        [
            "and",
            "eq",
            "ge",
            "gt",
            "html",
            "index",
            "join",
            "json",
            "le",
            "len",
            "lower",
            "lt",
            "ne",
            "not",
            "or",
            "pad",
            "print",
            "printf",
            "println",
            "slice",
            "split",
            "title",
            "truncate",
            "upper",
            "urlquery",
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
    # a map from the daemon's JSON (Go's map[string]interface{}): keys sorted
    assert call("json", Value({"b": "<", "a": "\u2028"})).value == '{"a":"\\u2028","b":"<"}'
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
    with pytest.raises(CallError, match=r"incompatible types for comparison: json\.Number and int"):
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


def _words(name: str, *args: Value, go: tuple[int, int] = (1, 27)) -> str:
    with pytest.raises(CallError) as caught:
        call(name, *args)
    return caught.value.words(go)


@pytest.mark.parametrize(
    ("first", "second", "lt", "le", "gt", "ge"),
    [
        (Value(1, INT), Value(2, INT), True, True, False, False),
        (Value(19, INT64), Value(19, INT), False, True, False, True),  # any integer with any integer
        (Value(115, UINT8), Value(-1, INT), False, False, True, True),  # negative is below every unsigned
        (Value(2 * 10**9, DURATION), Value(10**9, INT64), False, False, True, True),  # an int64
        (Value("linux", STRING), Value("m", STRING), True, True, False, False),
        (Value("é", STRING), Value("z", STRING), False, False, True, True),  # bytes: UTF-8 after ASCII
        (Value(106), Value(14), True, True, False, False),  # json.Numbers are strings: "106" < "14"
        (Value(19), Value("19", STRING), False, True, False, True),
    ],
)
def test_lt_le_gt_ge(first: Value, second: Value, lt: bool, le: bool, gt: bool, ge: bool) -> None:
    assert [call(name, first, second).value for name in ("lt", "le", "gt", "ge")] == [lt, le, gt, ge]


def test_comparisons_go_refuses() -> None:
    """The words of Go's ``funcs.go``; "incompatible types" names the
    types from Go 1.25 on (golang/go#71421; the oracle's 89: Go 1.19 without
    them, Go 1.27 with them)."""
    os, one = Value("linux", STRING), Value(1, INT)
    for name in ("lt", "le", "gt", "ge", "eq", "ne"):
        assert _words(name, os, one) == "incompatible types for comparison: string and int"
        assert _words(name, os, one, go=(1, 19)) == "incompatible types for comparison"
    env = Value(("A=1",), STRINGS)
    assert (
        _words("lt", env, env) == _words("ge", Value(True, BOOL), Value(False, BOOL)) == "invalid type for comparison"
    )
    assert _words("lt", Value(NO_VALUE), one) == "invalid type for comparison"
    assert _words("eq", env, env) == "non-comparable type [A=1]: []string"  # the oracle's 92
    assert _words("eq", Value(["a"]), Value(["a"])) == "non-comparable type [a]: []interface {}"
    assert _words("eq", env, Value({"a": "1"}, map_of(STRING))) == (
        "non-comparable types [A=1]: []string, map[string]string: map[a:1]"
    )
    health = Value({"Test": ["CMD"]}, HEALTH)
    assert _words("eq", health, health) == "non-comparable type {[CMD] 0s 0}: container.HealthConfig"


def test_eq_of_nil_pointers_and_structs() -> None:
    """Beyond basic kinds ``eq`` is Go's ``==``: ``nil`` equals a nil slice,
    map or pointer, or no value; a pointer equals itself only."""
    nothing, nil_env = Value(None), Value(None, STRINGS)
    assert call("eq", nothing, nil_env).value is call("eq", nil_env, Value(NO_VALUE)).value is True
    assert call("eq", nothing, Value(("a",), STRINGS)).value is False
    assert call("eq", Value(1, INT64), nothing).value is False  # no value is no error
    target = {"a": 1}
    pointer = pointer_to(EMPTY_STRUCT)
    assert call("eq", Value(target, pointer), Value(target, pointer)).value is True
    assert call("eq", Value(target, pointer), Value({"a": 1}, pointer)).value is False
    assert call("eq", Value(None, TIME), Value(None, TIME)).value is True


def test_slice() -> None:
    """Go's ``slice``: of a string's bytes, or a slice; ``slice x`` is
    ``x[:]``; the oracle's 126 to 141."""
    ident = Value("sha256:abcdef", STRING)
    numbers = [Value(n, INT) for n in range(8)]
    assert call("slice", ident, numbers[7]).value == "abcdef"
    assert call("slice", ident, numbers[0], numbers[6]) == Value("sha256", STRING)
    assert call("slice", Value("é", STRING), numbers[1]).value == "\udca9"  # half a character, as Go's bytes
    tags = Value(("a", "b", "c"), STRINGS)
    assert call("slice", tags, numbers[1]) == Value(("b", "c"), STRINGS)
    assert call("slice", tags, numbers[0], numbers[1], numbers[1]) == Value(("a",), STRINGS)
    assert call("slice", tags) == tags
    assert call("slice", Value(["a", "b"]), numbers[1]).value == ["b"]
    assert call("slice", Value(106), numbers[1]).value == "06"  # a json.Number is a string (the oracle's 133)
    for args, message in [
        ((ident, numbers[1], numbers[2], numbers[3]), "cannot 3-index slice a string"),
        ((ident, Value(80, INT)), "index out of range: 80"),
        ((ident, Value(-1, INT)), "index out of range: -1"),
        ((ident, numbers[5], numbers[2]), "invalid slice index: 5 > 2"),
        ((tags, numbers[0], numbers[2], numbers[1]), "invalid slice index: 2 > 1"),
        ((ident, Value("1", STRING)), "cannot index slice/array with type string"),
        ((ident, Value(None)), "cannot index slice/array with nil"),
        ((Value(19, INT64), numbers[1]), "can't slice item of type int64"),
        ((Value({"a": "1"}), numbers[1]), "can't slice item of type map\\[string\\]interface {}"),
        ((Value(None), numbers[1]), "slice of untyped nil"),
        ((tags, *numbers[:4]), "too many slice indexes: 4"),
    ]:
        with pytest.raises(CallError, match=message):
            call("slice", *args)


def test_html_and_urlquery() -> None:
    """Go's ``HTMLEscapeString`` and ``url.QueryEscape`` of the arguments as
    ``fmt.Sprint`` prints them (a pointer followed, nothing ``<no value>``);
    the oracle's 142 to 153, 192."""
    assert call("html", Value("<a&b>", STRING)).value == "&lt;a&amp;b&gt;"
    assert call("html", Value("\0'\"", STRING)).value == "\ufffd&#39;&#34;"
    assert call("html", Value("a", STRING), Value(1, INT), Value(19, INT64)).value == "a1 19"
    assert call("html", Value(NO_VALUE)).value == "&lt;no value&gt;"
    assert call("html", Value(None, pointer_to(HEALTH))).value == "&lt;nil&gt;"
    assert call("html", Value({"Retries": 3}, pointer_to(HEALTH))).value == "{[] 0s 3}"
    assert call("html").value == call("urlquery").value == ""
    assert call("urlquery", Value("a b&c", STRING)).value == "a+b%26c"
    assert call("urlquery", Value("é/?#=+~._-", STRING), Value("x", STRING)).value == "%C3%A9%2F%3F%23%3D%2B~._-x"
    assert call("urlquery", Value(("A=1", "B"), STRINGS)).value == "%5BA%3D1+B%5D"
    assert html_escape("plain") == "plain"
