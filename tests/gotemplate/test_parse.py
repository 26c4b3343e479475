"""Parsing: the typed tree of a template, and the syntax errors."""

from __future__ import annotations

import pytest

from imageinspect.gotemplate import TemplateError
from imageinspect.gotemplate.lex import Token, tokens
from imageinspect.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    ChainNode,
    Command,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    NilNode,
    NumberNode,
    Operand,
    Pipeline,
    PipeNode,
    RangeNode,
    RawStringNode,
    StringNode,
    TextNode,
    VariableNode,
    WordNode,
)
from imageinspect.gotemplate.parse import operand, parse, pipeline

from .docker import DATA, render


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{else garbage}}", "else without range or if"),
        ("{{if .Os}}{{else garbage}}{{end}}", "else takes nothing but if"),
        ("{{range $a = .RepoTags}}{{end}}", "expected $v := or $k, $v :="),
        ("{{range .RepoTags}}", "range without end"),
        ("{{with .Os}}{{end}}", "'with' is not in the supported subset"),
    ],
)
def test_errors_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        render(source, DATA)
    assert message in str(caught.value)


def _one(text: str) -> Pipeline:
    return Pipeline((Command((FieldNode(text, tuple(text[1:].split("."))),)),))


@pytest.mark.parametrize(
    ("token", "node"),
    [
        (Token("string", '"a\\n"'), StringNode('"a\\n"')),
        (Token("raw", "`a`"), RawStringNode("`a`")),
        (Token("word", "true"), BoolNode("true", True)),
        (Token("word", "false"), BoolNode("false", False)),
        (Token("word", "nil"), NilNode()),
        (Token("word", "-12"), NumberNode("-12")),
        (Token("word", "."), DotNode()),
        (Token("word", ".A.B"), FieldNode(".A.B", ("A", "B"))),
        (Token("word", ".A..B"), FieldNode(".A..B", ("A", "", "B"))),
        (Token("word", "$"), VariableNode("$", "$")),
        (Token("word", "$v.A"), VariableNode("$v.A", "$v", ("A",))),
        (Token("word", "printf"), IdentifierNode("printf")),
        (Token("word", "nosuch_2"), IdentifierNode("nosuch_2")),
        (Token("word", "1.5"), WordNode("1.5")),
        (Token("word", "+x"), WordNode("+x")),
    ],
)
def test_operands(token: Token, node: Operand) -> None:
    assert operand(token) == node


def test_pipelines() -> None:
    assert pipeline(tokens('.A | printf "%s"', 0), 0) == Pipeline(
        (Command((FieldNode(".A", ("A",)),)), Command((IdentifierNode("printf"), StringNode('"%s"'))))
    )
    assert pipeline(tokens("len (.A) (index . 0).B.C", 0), 0) == Pipeline(
        (
            Command(
                (
                    IdentifierNode("len"),
                    PipeNode(_one(".A")),
                    ChainNode(Pipeline((Command((IdentifierNode("index"), DotNode(), NumberNode("0"))),)), ("B", "C")),
                )
            ),
        )
    )


def test_blocks() -> None:
    tree = parse("a{{range $k, $v := .M}}{{$k}}{{else}}none{{end}} {{- if .A}}1{{else if .B}}2{{else}}3{{end}}")
    assert tree == (
        TextNode("a"),
        RangeNode(
            _one(".M"),
            ("$k", "$v"),
            (ActionNode(Pipeline((Command((VariableNode("$k", "$k"),)),))),),
            (TextNode("none"),),
        ),
        IfNode(
            _one(".A"),
            (TextNode("1"),),
            (IfNode(_one(".B"), (TextNode("2"),), (TextNode("3"),)),),
        ),
    )
    assert parse("") == ()
    assert parse("{{/* only a comment */}} \n {{- /* and one trimming */ -}} \n") == ()
    assert parse("x {{- .A -}} \n y") == (TextNode("x"), ActionNode(_one(".A")), TextNode("y"))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{end}}", "offset 0: end without range or if"),
        ("{{if .A}}{{end .A}}", "offset 9: bad end"),
        ("{{if .A}}{{else}}{{else}}{{end}}", "offset 17: else without range or if"),
        ("{{$v := .A}}", "offset 0: variables are declared only by range"),
        ("{{range $k, $v, $w := .A}}{{end}}", "expected $v := or $k, $v :="),
        ("{{range k := .A}}{{end}}", "expected $v := or $k, $v :="),
        ("{{.A | | .B}}", "offset 0: empty command before |"),
        ("{{.A |}}", "offset 0: empty command"),
        ("{{.A)}}", "offset 0: unexpected )"),
        ("{{(.A}}", "offset 0: unclosed ("),
        ("{{.A , .B}}", "offset 0: unexpected ','"),
        ("{{if .A}}", "offset 0: if without end"),
        ('{{define "x"}}{{end}}', "'define' is not in the supported subset"),
        ("{{break}}", "'break' is not in the supported subset"),
    ],
)
def test_syntax_errors(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        parse(source)
    assert message in str(caught.value)


def test_a_branch_not_taken_is_not_checked_beyond_syntax() -> None:
    """Literals are read when they run (as before the split): a bad escape in
    a branch not taken is no error."""
    assert render('{{if false}}{{print "\\q"}}{{end}}ok') == "ok"
