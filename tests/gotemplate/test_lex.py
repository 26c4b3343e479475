"""Lexing: where actions are, their trim markers, the tokens inside, and
string literals' values."""

from __future__ import annotations

import pytest

from imageinspect.gotemplate import TemplateError
from imageinspect.gotemplate.lex import Action, Token, actions, tokens, unquote

from .docker import DATA, render


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{.Id", "unclosed action"),
        ('{{print "\\q"}}', "unknown escape sequence"),
    ],
)
def test_errors_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        render(source, DATA)
    assert message in str(caught.value)


def test_actions_and_their_trims() -> None:
    assert list(actions("a {{- .X -}} b {{-.Y}} {{/* c */}}")) == [
        Action(2, 12, ".X", True, True),
        Action(15, 22, "-.Y", False, False),  # "{{-" without a space is no trim marker
        Action(23, 34, "/* c */", False, False),
    ]
    assert list(actions("no actions }}")) == []
    assert [a.inner for a in actions('{{`a}}b`}}{{"}}\\""}}')] == ["`a}}b`", '"}}\\""']
    assert [a.trim_right for a in actions("{{.X\t-}}{{.X-}}")] == [True, False]


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("x {{/* never closed }}", "offset 2: unclosed comment"),
        ('{{"a\nb"}}', "offset 2: unterminated string"),
        ("ab{{ .X }", "offset 2: unclosed action"),
    ],
)
def test_action_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        list(actions(source))


def test_tokens() -> None:
    assert tokens(' .A | printf "%s" `r` (.B).C ', 0) == [
        Token("word", ".A"),
        Token("pipe", "|"),
        Token("word", "printf"),
        Token("string", '"%s"'),
        Token("raw", "`r`"),
        Token("open", "("),
        Token("word", ".B"),
        Token("close", ").C"),
    ]
    assert tokens("$v = 1", 0) == [Token("word", "$v"), Token("assign", "="), Token("word", "1")]
    assert tokens("$v:=1", 0) == [Token("word", "$v"), Token("declare", ":="), Token("word", "1")]
    assert tokens("$k, $v :=", 0)[1:] == [Token("comma", ","), Token("word", "$v"), Token("declare", ":=")]
    assert tokens("   ", 0) == []
    assert tokens('"x', 0) == [Token("word", '"x')]  # an unterminated string is a word (the action lexer says so first)
    with pytest.raises(TemplateError, match="offset 8: cannot read ' :'"):
        tokens(" .A :", 5)


@pytest.mark.parametrize(
    ("literal", "value"),
    [
        ('""', ""),
        (r'"\a\b\f\n\r\t\v\\\'\""', "\a\b\f\n\r\t\v\\'\""),
        (r'"\x41\101\u00e9\U0001F600"', "AAé😀"),
        ('"plain é"', "plain é"),
    ],
)
def test_unquote(literal: str, value: str) -> None:
    assert unquote(literal) == value


@pytest.mark.parametrize(
    ("literal", "message"),
    [
        (r'"\q"', r"unknown escape sequence \\q"),
        (r'"\uD800"', "invalid character escape"),
        (r'"\U00110000"', "invalid character escape"),
    ],
)
def test_unquote_errors(literal: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        unquote(literal)
