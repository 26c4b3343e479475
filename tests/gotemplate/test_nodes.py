"""The parse tree: typed, frozen, comparable nodes."""

from __future__ import annotations

import attrs
import pytest

from imageinspect.gotemplate import nodes
from imageinspect.gotemplate.nodes import (
    ActionNode,
    BreakNode,
    Command,
    ContinueNode,
    FieldNode,
    IfNode,
    Pipeline,
    RangeNode,
    TextNode,
    WithNode,
    go_string,
)
from imageinspect.gotemplate.parse import parse


def test_every_node_class_is_frozen() -> None:
    classes = [getattr(nodes, name) for name in nodes.__all__ if name not in ("Node", "Operand", "go_string")]
    assert len(classes) == 21
    for cls in classes:
        assert attrs.has(cls), cls
        node = cls(*[None] * sum(f.default is attrs.NOTHING for f in attrs.fields(cls)))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            node.text = "x"  # type: ignore[attr-defined]


def test_nodes_compare_and_hash_by_value() -> None:
    pipe = Pipeline((Command((FieldNode(".A", ("A",)),)),))
    one = IfNode(pipe, (TextNode("x"),))
    assert one == IfNode(Pipeline((Command((FieldNode(".A", ("A",)),)),)), (TextNode("x"),), ())
    assert hash(one) == hash(IfNode(pipe, (TextNode("x"),)))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        one.body = ()  # type: ignore[misc]


def test_positions_take_no_part_in_equality() -> None:
    """Where Go's parser places a node is for messages only."""
    assert FieldNode(".A.B", ("A", "B"), pos=4) == FieldNode(".A.B", ("A", "B"))
    assert parse("{{.Os}}") == parse("{{ .Os }}")


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ('{{index .RepoTags 5 | printf "%s"}}', 'index .RepoTags 5 | printf "%s"'),
        ("{{(len .A).B $.C}}", "(len .A).B $.C"),
        ("{{len (index . `a`)}}", "len (index . `a`)"),
        ("{{range $k, $v := .A}}x{{.B}}{{else}}y{{end}}", "{{range $k, $v := .A}}x{{.B}}{{else}}y{{end}}"),
        ("{{if .A}}x{{end}}", "{{if .A}}x{{end}}"),
        ("{{with $x := .A}}{{$x}}{{else}}y{{end}}", "{{with $x := .A}}{{$x}}{{else}}y{{end}}"),
        ("{{range .A}}{{break}}{{continue}}{{end}}", "{{range .A}}{{break}}{{continue}}{{end}}"),
        ("{{$n := len .A}}", "$n := len .A"),
        ("{{$ = .A | len}}", "$ = .A | len"),
    ],
)
def test_go_string_writes_nodes_back_as_go_does(source: str, text: str) -> None:
    node = parse(source)[0]
    if isinstance(node, IfNode | WithNode | RangeNode):
        shown = go_string(node)
    else:
        assert isinstance(node, ActionNode)
        shown = go_string(node.pipeline)
    assert shown == text


def test_with_break_and_continue_are_nodes_of_their_own() -> None:
    """Go's ``WithNode``, ``BreakNode`` and ``ContinueNode``; the variables
    a pipeline declares or assigns are the pipeline's, as Go's ``PipeNode``."""
    tree = parse("{{with $x := .A}}{{range .B}}{{break}}{{continue}}{{end}}{{end}}")
    assert isinstance(tree[0], WithNode)
    assert tree[0].pipeline.decl == ("$x",)
    assert not tree[0].pipeline.assign
    loop = tree[0].body[0]
    assert isinstance(loop, RangeNode)
    assert loop.body == (BreakNode(), ContinueNode())
    assigned = parse("{{$ = .A}}")[0]
    assert isinstance(assigned, ActionNode)
    assert assigned.pipeline.assign
