"""Parsing: the typed tree of a template, and the syntax errors."""

from __future__ import annotations

import pytest

from imageinspect.gotemplate import TemplateError
from imageinspect.gotemplate.lex import Token, tokens
from imageinspect.gotemplate.nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
    ChainNode,
    Command,
    ContinueNode,
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
    WithNode,
    WordNode,
)
from imageinspect.gotemplate.parse import operand, parse, pipeline

from .docker import DATA, render


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{else garbage}}", "unexpected {{else}}"),
        ("{{if .Os}}{{else garbage}}{{end}}", "unexpected 'garbage' in else"),
        ("{{range $a, $b, $c := .RepoTags}}{{end}}", "too many declarations in range"),
        ("{{range .RepoTags}}", "range without end"),
        ('{{define "x"}}{{end}}', "'define' is not in the supported subset"),
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
            Pipeline(_one(".M").commands, ("$k", "$v")),
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
        ("{{end}}", "offset 0: unexpected {{end}}"),
        ("{{if .A}}{{end .A}}", "offset 9: unexpected '.A' in end"),
        ("{{if .A}}{{else}}{{else}}{{end}}", "offset 17: unexpected {{else}}"),
        ("{{$v, $w := .A}}", "offset 0: too many declarations in command"),
        ("{{if $v, $w := .A}}{{end}}", "offset 0: too many declarations in if"),
        ("{{range $k, $v, $w := .A}}{{end}}", "too many declarations in range"),
        ("{{range $k, .A}}{{end}}", "range can only initialize variables"),
        ("{{range k := .A}}{{end}}", "unexpected ':=' in range"),
        ("{{.A | | .B}}", "offset 0: unexpected | in command"),
        ("{{| .A}}", "offset 0: unexpected | in command"),
        ("{{}}", "offset 0: missing value for command"),
        ("{{if}}{{end}}", "offset 0: missing value for if"),
        ("{{.A)}}", "offset 0: unexpected ) in command"),
        ("{{(.A}}", "offset 0: unclosed left paren"),
        ("{{.A , .B}}", "offset 0: unexpected ',' in command"),
        ('{{.A | "x"}}', "offset 0: non executable command in pipeline stage 2"),
        ("{{.A | len | 1}}", "offset 0: non executable command in pipeline stage 3"),
        ("{{if .A}}", "offset 0: if without end"),
        ('{{define "x"}}{{end}}', "'define' is not in the supported subset"),
        ("{{break}}", "offset 0: {{break}} outside {{range}}"),
        ("{{if .A}}{{continue}}{{end}}", "offset 9: {{continue}} outside {{range}}"),
        ("{{range .A}}{{else}}{{break}}{{end}}", "{{break}} outside {{range}}"),
        ("{{range .A}}{{break 1}}{{end}}", "unexpected '1' in {{break}}"),
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


def test_with_and_else_with() -> None:
    """``{{with}}`` is its own node; ``{{else with}}`` (Go 1.23 on) is a
    ``with`` in the ``else``, ended by the same ``{{end}}``."""
    tree = parse("{{with .A}}a{{else with .B}}b{{else}}c{{end}}")
    assert tree == (
        WithNode(_one(".A"), (TextNode("a"),), (WithNode(_one(".B"), (TextNode("b"),), (TextNode("c"),)),)),
    )
    assert parse("{{with $x := .A}}{{$x}}{{end}}")[0] == WithNode(
        Pipeline(_one(".A").commands, ("$x",)), (ActionNode(Pipeline((Command((VariableNode("$x", "$x"),)),))),)
    )


@pytest.mark.parametrize(
    ("source", "go", "message"),
    [
        # the Go 1.19 CLI: "template: :1: unexpected <with> in else" (the oracle's 78, 79)
        ("{{with .A}}a{{else with .B}}b{{end}}", "1.19", "unexpected <with> in else"),
        ("{{if .A}}a{{else with .B}}b{{end}}", "1.19", "unexpected <with> in else"),
        # Go 1.27: "unexpected <with> in input" after an if (80), "<if>" after a with or range (81, 82)
        ("{{if .A}}a{{else with .B}}b{{end}}", "1.27", "unexpected <with> in input"),
        ("{{with .A}}a{{else if .B}}b{{end}}", "1.27", "unexpected <if> in input"),
        ("{{with .A}}a{{else if .B}}b{{end}}", "1.19", "unexpected <if> in input"),
        ("{{range .A}}a{{else if .B}}b{{end}}", "1.27", "unexpected <if> in input"),
    ],
)
def test_else_chains_follow_their_own_kind(source: str, go: str, message: str) -> None:
    with pytest.raises(TemplateError, match=message):
        parse(source, go)


def test_else_with_parses_from_go_1_23() -> None:
    assert parse("{{with .A}}{{else with .B}}{{end}}", "1.23") == parse("{{with .A}}{{else}}{{with .B}}{{end}}{{end}}")
    with pytest.raises(TemplateError):
        parse("{{with .A}}{{else with .B}}{{end}}", "1.22")


@pytest.mark.parametrize(
    "source",
    [
        "{{range $e := .A}}{{end}}{{$e}}",  # the oracle's 110
        "{{if .A}}{{$v := 1}}{{end}}{{$v}}",  # 114
        "{{with $v := .A}}{{end}}{{$v}}",
        "{{$x}}",
        "{{print (len $y)}}",
        "{{if .A}}{{else if $z := .B}}{{end}}{{$z}}",
    ],
)
def test_a_variable_is_used_in_its_scope_only(source: str) -> None:
    """A variable lives from its declaration to the ``{{end}}`` of the
    control around it; Go refuses any other use while parsing."""
    with pytest.raises(TemplateError, match=r'undefined variable "\$[a-z]+"'):
        parse(source)


@pytest.mark.parametrize(
    "source",
    [
        "{{$x := 1}}{{$x}}{{$x = 2}}{{$x := 3}}",
        "{{if .A}}{{$v := 1}}{{else}}{{$v}}{{end}}",  # the else sees the body's (Go's parser does)
        "{{$x := $x}}",  # declared before its value is read: an error when it runs (176)
        "{{$nope = 1}}",  # assigned, not declared: an error when it runs (109)
        "{{print ($x := 1) $x}}",  # a parenthesized pipeline declares too (177)
        "{{range $i, $e := .A}}{{$i}}{{$e}}{{$}}{{end}}",
    ],
)
def test_declarations_that_parse(source: str) -> None:
    assert parse(source)


def test_declarations_and_assignments() -> None:
    assert parse("{{$x := .A}}") == (ActionNode(Pipeline(_one(".A").commands, ("$x",))),)
    assert parse("{{$x := 1}}{{$x = .A}}")[1] == ActionNode(Pipeline(_one(".A").commands, ("$x",), assign=True))
    loop = parse("{{$k := 0}}{{$v := 0}}{{range $k, $v = .A}}{{end}}")[2]
    assert isinstance(loop, RangeNode)
    assert loop.pipeline.decl == ("$k", "$v")
    assert loop.pipeline.assign


def test_break_and_continue() -> None:
    tree = parse("{{range .A}}{{if .B}}{{break}}{{else}}{{continue}}{{end}}{{end}}")
    loop = tree[0]
    assert isinstance(loop, RangeNode)
    assert loop.body == (IfNode(_one(".B"), (BreakNode(),), (ContinueNode(),)),)
    # before Go 1.18 they are no keywords: a function nobody defined
    with pytest.raises(TemplateError, match='function "break" not defined'):
        parse("{{range .A}}{{break}}{{end}}", "1.17", functions={"len"})


def test_a_trailing_pipe_is_no_error() -> None:
    """Go's ``command`` consumes the ``|`` after an operand (the oracle's 186)."""
    assert parse("{{.A |}}") == parse("{{.A}}")


def test_functions_are_known_while_parsing() -> None:
    """As Go's ``Funcs(...).Parse``: a name that is no function is a syntax
    error (the CLI exits 64, the oracle's 69); ``None`` leaves it to the run."""
    with pytest.raises(TemplateError, match='function "nosuch" not defined'):
        parse("{{nosuch .A}}", functions={"len"})
    assert parse("{{nosuch .A}}")
