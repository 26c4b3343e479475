"""The compiled Go-JSON writer (``imageinspect/codec/_gojson_accel.c``)
against the pure one (:func:`imageinspect.codec.gojson._encode_pure`, the
definition): equal bytes on every inspect output of the observed corpus in
every encoder configuration, and on hypothesis values with hostile strings,
integers of any width and nested empties; whatever it does not write it hands
back (``NotImplemented``) and :func:`~imageinspect.codec.gojson.encode` then
gives the pure path's bytes or error; no reference is gained or lost."""

from __future__ import annotations

import enum
import importlib
import itertools
import os
import subprocess
import sys
from collections import OrderedDict
from functools import cache
from types import ModuleType
from typing import Any

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.codec import gojson
from tests import observed


def _compiled() -> ModuleType | None:
    try:
        return importlib.import_module("imageinspect.codec._gojson_accel")
    except ImportError:
        return None


ACCEL = _compiled()

pytestmark = pytest.mark.skipif(
    ACCEL is None, reason="the compiled Go-JSON writer is not built (python setup.py build_ext --inplace)"
)

PURE_PASS = os.environ.get("IMAGEINSPECT_PURE", "") not in ("", "0")

# (escape_html, short_bf, escape_fffd) and (indent, prefix, sort)
ESCAPES = list(itertools.product((False, True), repeat=3))
LAYOUTS = list(itertools.product((None, 2, 3, 4, 5, "\t"), ("", "  "), (False, True)))


# The arguments, in the compiled writer's order: (value, escape_html,
# short_bf, indent, prefix, sort, escape_fffd).


def compiled(*args: Any) -> Any:
    """The compiled writer: bytes, or NotImplemented."""
    assert ACCEL is not None
    return ACCEL.encode(*args)


def pure(value: Any, html: Any, short_bf: Any, indent: Any, prefix: Any, sort: Any, fffd: Any) -> bytes:
    return gojson._encode_pure(
        value, escape_html=html, short_bf=short_bf, indent=indent, prefix=prefix, sort=sort, escape_fffd=fffd
    )


def public(value: Any, html: Any, short_bf: Any, indent: Any, prefix: Any, sort: Any, fffd: Any) -> bytes:
    return gojson.encode(
        value, escape_html=html, short_bf=short_bf, indent=indent, prefix=prefix, sort=sort, escape_fffd=fffd
    )


def check(*args: Any, handled: bool) -> None:
    """The compiled bytes are the pure bytes, or it hands the value back
    (always when the pure path raises; never when ``handled``); the public
    entry point gives the pure bytes or the pure error."""
    want: bytes | Exception
    try:
        want = pure(*args)
    except Exception as error:  # the pure path's error is the answer
        want = error
    got = compiled(*args)
    if isinstance(want, Exception):
        assert got is NotImplemented
        with pytest.raises(type(want)) as raised:
            public(*args)
        assert str(raised.value) == str(want)
        return
    if handled:
        assert got is not NotImplemented
    if got is not NotImplemented:
        assert got == want
    assert public(*args) == want


# -- the observed corpus ------------------------------------------------------


def _decoded(data: bytes) -> list[Any]:
    """The JSON values of a blob: one document, or one per line (the
    ``--format '{{json .}}'`` outputs); none for what is not JSON."""
    try:
        return [orjson.loads(data)]
    except orjson.JSONDecodeError:
        pass
    lines = [line for line in data.splitlines() if line.strip()]
    if len(lines) < 2:
        return []
    try:
        return [orjson.loads(line) for line in lines]
    except orjson.JSONDecodeError:
        return []


_HTML_BYTES = (b"<", b">", b"&")
_FFFD = "\ufffd".encode()


@cache
def _corpus() -> list[tuple[Any, tuple[bool, bool, bool]]]:
    """Every distinct value decoded from the observed blobs, with which of
    the escaping flags (escape_html, short_bf, escape_fffd) can change its
    pure bytes. :func:`gojson.escape` only replaces bytes that are there, so
    a flag whose bytes its strings lack gives the bytes of the flag off: the
    pure path runs once per distinct outcome, the compiled one for all 8."""
    values: dict[bytes, tuple[Any, tuple[bool, bool, bool]]] = {}
    for path in sorted((observed.OBSERVED / "blobs").iterdir()):
        for value in _decoded(path.read_bytes()):
            text = gojson._dumps(value, 0)
            relevant = (
                any(raw in text for raw in _HTML_BYTES),
                b"\\b" in text or b"\\f" in text,
                _FFFD in text,
            )
            values.setdefault(text, (value, relevant))
    return list(values.values())


@pytest.mark.skipif(PURE_PASS, reason="IMAGEINSPECT_PURE is set: the corpus sweep runs in the compiled pass")
@pytest.mark.parametrize(("indent", "prefix", "sort"), LAYOUTS)
def test_observed_corpus_in_every_configuration(indent: int | str | None, prefix: str, sort: bool) -> None:
    corpus = _corpus()
    if not corpus:
        pytest.skip(f"no observed corpus at {observed.OBSERVED}")
    for value, (html_matters, bf_matters, fffd_matters) in corpus:
        want: dict[tuple[bool, bool, bool], bytes] = {}
        for html, short_bf, fffd in ESCAPES:
            outcome = (html and html_matters, short_bf or not bf_matters, fffd and fffd_matters)
            if outcome not in want:
                want[outcome] = pure(value, *outcome[:2], indent, prefix, sort, outcome[2])
            got = compiled(value, html, short_bf, indent, prefix, sort, fffd)
            assert got == want[outcome], (html, short_bf, fffd, value)


def test_corpus_is_read() -> None:
    """The sweep above is not vacuous: the corpus holds inspect output with
    each escaping flag mattering somewhere."""
    if not (observed.OBSERVED / "blobs").is_dir():
        pytest.skip(f"no observed corpus at {observed.OBSERVED}")
    corpus = _corpus()
    assert len(corpus) > 1000
    assert any(relevant[0] for _, relevant in corpus)


# -- generated values ---------------------------------------------------------

NASTY = [
    "\x00", "\x01", "\x08", "\x0c", "\n", "\r", "\t", "\x1b", "\x1f", " ", "\x7f", '"', "\\", "/", "<", ">", "&",
    "\u2028", "\u2029", "\ufffd", "\ufeff", "é", "ÿ", "\u0100", "\u07ff", "\u0800", "\uffff", "\U0001f600",
    "\U0010ffff", "\ud800", "\udbff", "\udc00", "\udfff", "  ", "\\b", "\\u2028", "abcdefgh", "a",
]  # fmt: skip
SURROGATES = frozenset(chr(c) for c in range(0xD800, 0xE000))

PIECES = st.one_of(st.sampled_from(NASTY), st.characters())
TEXT = st.one_of(
    st.lists(PIECES, max_size=12).map("".join),
    st.lists(PIECES, min_size=1, max_size=4).map("".join).map(lambda text: text * 300),  # past one chunk
)
INTEGERS = st.one_of(
    st.integers(),
    st.integers(min_value=-(2**200), max_value=2**200),
    st.sampled_from([0, -1, 2**63 - 1, 2**63, 2**64 - 1, 2**64, -(2**63), -(2**63) - 1, 10**40, -(10**40)]),
)
LEAVES = st.one_of(st.none(), st.booleans(), INTEGERS, st.floats(), TEXT)
VALUES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.lists(children, max_size=5),
        st.lists(children, max_size=3).map(tuple),
        st.dictionaries(TEXT, children, max_size=5),
    ),
    max_leaves=25,
)
INDENTS = st.sampled_from([None, None, 0, 1, 2, 3, 4, 5, 8, -1, "\t", "  ", "", " \t", "→", "\n", " \r", "\ud800"])
PREFIXES = st.sampled_from(["", "", "  ", "> ", "\t", "é", "\n", "\r", "\udfff", "\u2028"])


def _writable(value: Any) -> bool:
    """No lone surrogate anywhere (orjson refuses them)."""
    if isinstance(value, str):
        return SURROGATES.isdisjoint(value)
    if isinstance(value, dict):
        return all(_writable(key) and _writable(item) for key, item in value.items())
    if isinstance(value, (list, tuple)):
        return all(_writable(item) for item in value)
    return True


def _plain_layout(indent: int | str | None, prefix: str) -> bool:
    """An indent and prefix the compiled writer takes (no line break, no
    lone surrogate); the prefix only counts when indenting."""
    texts = [indent] if isinstance(indent, str) else []
    if indent is not None:
        texts.append(prefix)
    return all(_writable(text) and "\n" not in text and "\r" not in text for text in texts)


@given(
    value=VALUES,
    flags=st.tuples(st.booleans(), st.booleans(), st.booleans(), st.booleans()),
    indent=INDENTS,
    prefix=PREFIXES,
)
def test_generated_values(value: Any, flags: tuple[bool, bool, bool, bool], indent: int | str | None,
                          prefix: str) -> None:  # fmt: skip
    html, short_bf, sort, fffd = flags
    handled = _writable(value) and _plain_layout(indent, prefix)
    check(value, html, short_bf, indent, prefix, sort, fffd, handled=handled)


@given(value=VALUES)
def test_generated_values_split_top_level_lists(value: Any) -> None:
    """A top-level list, which the pure path writes item by item."""
    for indent in (3, 4, "\t", 2):
        check([value, [value], {}], False, True, indent, "", False, False, handled=_writable(value))


# -- strings, character by character -------------------------------------------


def _characters() -> list[str]:
    ranges = [range(0x3000), range(0xE000, 0xE100), range(0xFFF0, 0x10000), range(0x10000, 0x10100)]
    return [chr(c) for r in ranges for c in r]


@pytest.mark.parametrize(("html", "short_bf", "fffd"), ESCAPES)
def test_every_character_in_every_position(html: bool, short_bf: bool, fffd: bool) -> None:
    characters = _characters()
    strings = ["".join(characters), "".join(characters[:128]) * 20]
    edges = list("\x80ÿ\u0100\u07ff\u0800\u2028\u2029\ufffd\uffff\U0001f600\U0010ffff")
    for c in [*characters[:128], *edges]:
        # before, inside and after the 8-byte words of the ASCII path, and
        # at a chunk boundary of the others
        strings += [c, "ab" + c + "cdefghijklmnop", "abcdefgh" + c, "x" * 1023 + c + "é", "é" * 1023 + c * 3]
    for text in strings:
        for indent in (None, 4):
            args = (text, html, short_bf, indent, "", False, fffd)
            assert compiled(*args) == pure(*args), repr(text[:40])
            assert compiled({text: [text]}, *args[1:]) == pure({text: [text]}, *args[1:])


def test_sorted_keys_in_code_point_order() -> None:
    """Sorting is by code point (the byte order of UTF-8) at every level:
    astral characters after the rest of the BMP, whatever UTF-16 says."""
    keys = ["\U0001f600", "\uffff", "\ue000", "z", "é", "Z", "", "a\x00", "a"]
    value = {key: {key: [len(key)] for key in reversed(keys)} for key in keys}
    for indent in (None, 4):
        got = compiled(value, False, True, indent, "", True, False)
        assert got == pure(value, False, True, indent, "", True, False)
        assert list(orjson.loads(got)) == sorted(keys)


# -- what the compiled writer hands back ------------------------------------------


class Text(str):
    pass


class Number(int):
    pass


class Colour(enum.IntEnum):
    RED = 1


def _nested(depth: int) -> Any:
    """Containers ``depth`` deep, lists and objects by turns."""
    value: Any = []
    for level in range(depth - 1):
        value = {"a": value} if level % 2 else [value]
    return value


#: Python limits the digits str() writes (3.11, and 3.10.7 on): the pure path
#: raises past it, so the compiled one hands such an integer back.
INT_DIGITS_LIMITED = hasattr(sys, "get_int_max_str_digits")


HANDED_BACK = [
    pytest.param({"a": Number(5)}, id="int-subclass"),
    pytest.param([Colour.RED], id="enum"),
    pytest.param(OrderedDict(a=1), id="dict-subclass"),
    pytest.param({Text("k"): 1}, id="key-subclass"),
    pytest.param({1: 2}, id="int-key"),
    pytest.param({"a": b"bytes"}, id="bytes"),
    pytest.param(["ok", "\ud800"], id="lone-surrogate"),
    pytest.param({"\udc00": 1}, id="lone-surrogate-key"),
    pytest.param(["x" * 2000 + "\udfff"], id="lone-surrogate-after-a-chunk"),
    pytest.param(
        10**5000,
        id="past-the-int-digit-limit",
        marks=pytest.mark.skipif(not INT_DIGITS_LIMITED, reason="no int digit limit in this Python"),
    ),
    pytest.param(_nested(200), id="deep"),
    pytest.param(_nested(400), id="deeper-than-orjson"),
    pytest.param({"a": {1, 2}}, id="set"),
]


@pytest.mark.parametrize("value", HANDED_BACK)
@pytest.mark.parametrize(("indent", "sort"), [(None, False), (4, True)])
def test_handed_back(value: Any, indent: int | None, sort: bool) -> None:
    assert compiled(value, True, True, indent, "", sort, False) is NotImplemented
    check(value, True, True, indent, "", sort, False, handled=False)


class Shouting(str):
    """A str subclass whose str() differs from its text: orjson writes the
    text, and so does the compiled writer."""

    def __str__(self) -> str:
        return self.upper()


@pytest.mark.parametrize(
    "value",
    [Text("x<"), [Text("a\u2028b")], {"k": Text("\u00e9\U0001f600")}, Shouting("quiet"), (Text(""),)],
    ids=["alone", "in-a-list", "in-an-object", "str-overridden", "empty-in-a-tuple"],
)
@pytest.mark.parametrize(("indent", "sort"), [(None, False), (4, True)])
def test_str_subclasses_written_as_their_text(value: Any, indent: int | None, sort: bool) -> None:
    """Digests and media types are str subclasses: written by their text,
    as orjson writes them."""
    check(value, True, True, indent, "", sort, False, handled=True)


@pytest.mark.parametrize(
    ("indent", "prefix"),
    [(True, ""), (2.0, ""), ("\n", ""), ("\t\r", ""), (4, "\n"), (4, "\r"), ("\ud800", ""), (4, "\udfff"),
     (4, b"  "), (10**6, ""), (2**70, "")],
)  # fmt: skip
def test_unusual_layouts_handed_back(indent: Any, prefix: Any) -> None:
    value = {"a": [1, {"b": "c"}], "d": []}
    assert compiled(value, False, True, indent, prefix, False, False) is NotImplemented
    if not isinstance(indent, int) or indent < 10**6:  # the pure path would write megabytes per line
        check(value, False, True, indent, prefix, False, False, handled=False)


def test_compact_ignores_the_prefix() -> None:
    """Without an indent the prefix is not used (not even read), as in the
    pure path."""
    value = {"a": [1, "b"]}
    assert compiled(value, False, True, None, b"not a str", False, False) == b'{"a":[1,"b"]}'


def test_wrong_arguments() -> None:
    assert ACCEL is not None
    with pytest.raises(TypeError):
        ACCEL.encode({})


def test_floats_are_orjsons() -> None:
    floats = [0.0, -0.0, 1.0, 1.5, 0.1, 1e16, 1e-7, 123456789.125, 1e300, 5e-324, float("nan"), float("inf")]
    for indent in (None, 2, 4):
        assert compiled(floats, False, True, indent, "", False, False) == pure(floats, False, True, indent, "",
                                                                             False, False)  # fmt: skip


# -- the switch and the references ------------------------------------------------


@pytest.mark.parametrize(("setting", "runs"), [("", True), ("0", True), ("1", False), ("yes", False)])
def test_imageinspect_pure_switches_it_off(setting: str, runs: bool) -> None:
    code = "from imageinspect.codec import gojson; print(gojson._COMPILED is not None)"
    env = {**os.environ, "IMAGEINSPECT_PURE": setting}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == str(runs)


def test_encode_dispatches_to_it() -> None:
    if PURE_PASS:
        assert gojson._COMPILED is None
    else:
        assert ACCEL is not None
        assert gojson._COMPILED is ACCEL.encode


def test_reference_counts() -> None:
    """Encoding the same value 100 000 times (every path: compact and
    indented, sorted and not, a float, a wide int, the hand-back after part
    of the value was written, an error cleared) leaves every shared object
    with the references it had."""
    text = "shared <&> \u2028 é " * 3
    key = "Key" + str(len(text))
    wide = 2**100 + len(text)
    number = 12345678901 + len(text)
    real = 1.5 + len(text)
    inner = {key: [text, wide, number, real, True, None], "empty": {}, "list": [], "t": (text,)}
    value = {"a": [inner, inner, (inner, text)], key: inner, "z": text}
    handed_back = [inner, text, "\ud800"]
    failing = [inner, 10**5000 if INT_DIGITS_LIMITED else "\udfff"]  # an error cleared, or a surrogate
    shared = [text, key, wide, number, real, inner, inner[key], value, handed_back, failing, NotImplemented]
    before = [sys.getrefcount(item) for item in shared]
    layouts: list[int | str | None] = [None, 4, "\t"]
    for i in range(100_000):
        result = compiled(value, i % 2 == 0, True, layouts[i % 3], "", i % 5 == 0, False)
        assert type(result) is bytes
    for i in range(10_000):
        assert compiled(handed_back, False, True, layouts[i % 3], "", i % 2 == 0, False) is NotImplemented
        assert compiled(failing, False, True, layouts[i % 3], "", i % 2 == 0, False) is NotImplemented
    after = [sys.getrefcount(item) for item in shared]
    assert after == before
