"""The Go-JSON writer against Go's documented rules and real Go output."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.codec.gojson import compact, encode, encode_styled, escape, indent, sort_keys
from imageinspect.values.style import Style
from tests.conftest import public

# (input, Go >= 1.22 with SetEscapeHTML(false), json.Marshal (HTML on), Go < 1.22)
ESCAPES = [
    ("plain", '"plain"', '"plain"', '"plain"'),
    ('q"b\\', '"q\\"b\\\\"', '"q\\"b\\\\"', '"q\\"b\\\\"'),
    ("\n\r\t", '"\\n\\r\\t"', '"\\n\\r\\t"', '"\\n\\r\\t"'),
    ("\b\f", '"\\b\\f"', '"\\b\\f"', '"\\u0008\\u000c"'),
    ("\x00\x1b\x1f", '"\\u0000\\u001b\\u001f"', '"\\u0000\\u001b\\u001f"', '"\\u0000\\u001b\\u001f"'),
    ("<a>&", '"<a>&"', '"\\u003ca\\u003e\\u0026"', '"<a>&"'),
    ("\u2028\u2029", '"\\u2028\\u2029"', '"\\u2028\\u2029"', '"\\u2028\\u2029"'),
    ("\x7fé😀/", '"\x7fé😀/"', '"\x7fé😀/"', '"\x7fé😀/"'),
    ("\\b", '"\\\\b"', '"\\\\b"', '"\\\\b"'),
    ("\\\b", '"\\\\\\b"', '"\\\\\\b"', '"\\\\\\u0008"'),
]


@pytest.mark.parametrize(("text", "raw", "html", "old"), ESCAPES)
def test_string_escaping_modes(text: str, raw: str, html: str, old: str) -> None:
    data = orjson.dumps(text)
    assert escape(data).decode() == raw
    assert escape(data, escape_html=True).decode() == html
    assert escape(data, short_bf=False).decode() == old
    assert json.loads(escape(data, escape_html=True, short_bf=False)) == text


def test_indent_matches_go_rules() -> None:
    value = {"a": [], "b": {}, "c": [1, {"d": None}], "e": "x"}
    expected = b'{\n    "a": [],\n    "b": {},\n    "c": [\n        1,\n        {\n            "d": null\n        }\n    ],\n    "e": "x"\n}'
    assert encode(value, indent=4) == expected
    assert indent(compact(expected), 4) == expected
    assert encode([], indent=4) == b"[]"
    assert encode(value, indent="\t").count(b"\t\t\t") == 1


def test_prefix() -> None:
    assert encode({"a": [1]}, indent=3, prefix="   ") == b'{\n      "a": [\n         1\n      ]\n   }'
    assert indent(b'{"a":[1]}', 3, "   ") == b'{\n      "a": [\n         1\n      ]\n   }'


def test_style_newline_and_sort() -> None:
    assert encode_styled({"b": 1, "a": 2}, Style(trailing=b"\n"), sort=True) == b'{"a":2,"b":1}\n'
    assert list(sort_keys({"b": 1, "a": 2, "Z": 3})) == ["Z", "a", "b"]


def test_compact_keeps_lexemes() -> None:
    assert compact(b'[ "\\u003c" , 1e3 ,\n "a b" ]') == b'["\\u003c",1e3,"a b"]'


@pytest.mark.parametrize(
    ("relative", "width"),
    [
        ("inspec/docker-inspect-image", 4),
        ("voidlinux-containers/inspect.json", 4),
        ("rabbitmq-stream-go-client/g", 4),
        ("docker-cli/f81816ef88/inspect-command-success.simple-many.golden", 4),
        ("fbc-utils/inspect.json", 5),
        ("containers-image/schema2list.json", 3),
        ("containers-image/schema2-to-schema1-by-docker.json", 3),
    ],
)
def test_reproduces_real_go_indentation(relative: str, width: int) -> None:
    raw = public(relative).read_bytes()
    body = raw.rstrip(b"\n")
    assert indent(compact(body), width) == body
    if b"signatures" not in raw:
        assert encode(orjson.loads(raw), indent=width, escape_html=b"\\u003c" in raw or b"\\u0026" in raw) == body


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**63), 2**63 - 1) | st.text(),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


@given(json_values, st.integers(0, 6), st.booleans(), st.booleans())
def test_fast_path_equals_token_indenter(value: object, width: int, html: bool, short_bf: bool) -> None:
    fast = encode(value, indent=width, escape_html=html, short_bf=short_bf)
    slow = indent(encode(value, escape_html=html, short_bf=short_bf), width)
    assert fast == slow
    assert json.loads(fast) == value
    assert compact(fast) == encode(value, escape_html=html, short_bf=short_bf)


spaced_values = st.recursive(
    st.none() | st.integers(-5, 5) | st.text(alphabet=" a\n\t", max_size=6),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(alphabet=" k", max_size=4), children, max_size=3)
    ),
    max_leaves=12,
)


@given(spaced_values, st.integers(0, 6), st.sampled_from(["", " ", "\t", "  "]))
def test_one_pass_and_per_level_indenting_agree(value: object, width: int, prefix: str) -> None:
    """Strings with runs of spaces take the per-level path, others the
    one-pass path; both write what the token indenter writes."""
    fast = encode(value, indent=width, prefix=prefix)
    assert fast == indent(encode(value), width, prefix)
    assert json.loads(fast) == value


def test_prefix_is_not_escaped() -> None:
    assert encode({"a": "<"}, indent=2, prefix=">", escape_html=True) == b'{\n>  "a": "\\u003c"\n>}'
