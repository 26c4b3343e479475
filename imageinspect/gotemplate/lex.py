"""Lexing: the actions of a template (``{{...}}``, with their trim markers),
the tokens inside one, and the value of a string literal.

>>> [(a.start, a.inner, a.trim_left) for a in actions("a {{- .Os}} {{/* }} */}}")]
[(2, '.Os', True), (12, '/* }} */', False)]
>>> [(t.kind, t.text) for t in tokens(".Config.Env | json", 0)]
[('word', '.Config.Env'), ('pipe', '|'), ('word', 'json')]
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Literal

import attrs

from .errors import error
from .types import from_go_bytes, go_bytes

__all__ = ["Action", "Token", "TokenKind", "actions", "tokens", "unquote"]

#: ``close`` is a ``)`` with the field chain after it (``(...).Field.Path``);
#: ``declare`` is ``:=``, ``assign`` is ``=``.
TokenKind = Literal["string", "raw", "pipe", "open", "close", "declare", "assign", "comma", "word"]


@attrs.frozen
class Token:
    """One token of an action: its kind and its text.

    >>> Token("word", ".Os")
    Token(kind='word', text='.Os')
    """

    kind: TokenKind
    text: str
    #: Its offset in the template.
    pos: int = attrs.field(default=0, eq=False, repr=False)


@attrs.frozen
class Action:
    """An action: where it starts and ends in the template, its inside, and
    whether it trims the space before (``{{- ``) and after (`` -}}``) it.

    >>> next(actions("x{{.Os -}}")).end
    10
    """

    start: int
    end: int
    inner: str
    trim_left: bool
    trim_right: bool
    #: Where ``inner`` starts in the template.
    inner_start: int = attrs.field(default=0, eq=False, repr=False)


_SPACES = frozenset(" \t\r\n")
_STRING = re.compile(r'"(?:[^"\\\n]|\\.)*"|`[^`]*`')


def actions(source: str) -> Iterator[Action]:
    """Each action of ``source``, in order. A ``}}`` inside a string, a raw
    string or a comment does not end it.

    >>> [a.inner for a in actions('{{"}}"}} and {{- `}}` -}}')]
    ['"}}"', '`}}`']
    >>> list(actions("{{.Id"))
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.errors.TemplateError: --format: offset 0: unclosed action
    """
    position = 0
    while (start := source.find("{{", position)) >= 0:
        inner_start = start + 2
        trim_left = (
            source[inner_start : inner_start + 1] == "-" and source[inner_start + 1 : inner_start + 2] in _SPACES
        )
        if trim_left:
            inner_start += 2
        cursor = inner_start
        while True:
            if source.startswith("/*", cursor):
                close = source.find("*/", cursor + 2)
                if close < 0:
                    raise error(f"offset {start}: unclosed comment")
                cursor = close + 2
                continue
            char = source[cursor : cursor + 1]
            if not char:
                raise error(f"offset {start}: unclosed action")
            if char in '"`':
                match = _STRING.match(source, cursor)
                if match is None:
                    raise error(f"offset {cursor}: unterminated string")
                cursor = match.end()
                continue
            if source.startswith("}}", cursor):
                break
            cursor += 1
        inner = source[inner_start:cursor]
        trim_right = len(inner) >= 2 and inner[-1] == "-" and inner[-2] in _SPACES
        if trim_right:
            inner = inner[:-2]
        yield Action(start, cursor + 2, inner, trim_left, trim_right, inner_start)
        position = cursor + 2


_TOKEN = re.compile(
    r"""\s*(?:
        (?P<string>"(?:[^"\\]|\\.)*")
      | (?P<raw>`[^`]*`)
      | (?P<pipe>\|)
      | (?P<open>\()
      | (?P<close>\)(?:\.[^\s|(),:=]+)?)
      | (?P<declare>:=)
      | (?P<assign>=)
      | (?P<comma>,)
      | (?P<word>[^\s|(),:=]+)
    )""",
    re.VERBOSE,
)


def tokens(source: str, where: int, base: int = 0) -> list[Token]:
    """The tokens of an action's inside (``where``: the action's offset, for
    messages; ``base``: the offset of ``source`` in the template, for the
    tokens' ``pos``).

    >>> [(t.kind, t.text) for t in tokens('$k, $v := (index . "a").B', 0)]
    [('word', '$k'), ('comma', ','), ('word', '$v'), ('declare', ':='), ('open', '('), ('word', 'index'), ('word', '.'), ('string', '"a"'), ('close', ').B')]
    >>> [(t.kind, t.text) for t in tokens("$x = 1", 0)]
    [('word', '$x'), ('assign', '='), ('word', '1')]
    """
    out = []
    position = 0
    while position < len(source):
        if source[position:].strip() == "":
            break
        match = _TOKEN.match(source, position)
        if match is None or match.end() == position:
            raise error(f"offset {where + position}: cannot read {source[position:]!r}")
        kind = match.lastgroup
        assert kind is not None
        out.append(Token(kind, match.group(kind), base + match.start(kind)))  # type: ignore[arg-type]  # the groups are the kinds
        position = match.end()
    return out


_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\", "'": "'", '"': '"'}
_ESCAPE = re.compile(
    r"\\(?:([abfnrtv\\'\"])|x([0-9a-fA-F]{2})|([0-7]{3})|u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|(.))", re.S
)


def unquote(text: str) -> str:
    r"""A Go interpreted string literal's value.

    >>> unquote(r'"a\tb\x41\101\u00e9\U0001F600\""')
    'a\tbAAé😀"'
    """

    def one(match: re.Match[str]) -> str:
        simple, hexa, octal, short, long, bad = match.groups()
        if simple is not None:
            return _ESCAPES[simple]
        if bad is not None:
            raise error(f"unknown escape sequence \\{bad} in {text}")
        if hexa or octal:  # one byte (see types.go_bytes for those that are no UTF-8)
            byte = int(hexa, 16) if hexa else int(octal, 8)
            if byte > 0xFF:
                raise error(f"invalid character escape in {text}")
            return chr(byte) if byte < 0x80 else chr(0xDC00 + byte)
        number = int(short or long, 16)
        if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF:
            raise error(f"invalid character escape in {text}")
        return chr(number)

    return from_go_bytes(go_bytes(_ESCAPE.sub(one, text[1:-1])))  # "\xc3\xa9" is "é"
