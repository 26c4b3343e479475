"""The parse tree: typed, frozen nodes (Go's ``text/template/parse``).

A template is a tuple of nodes: text, actions, ``if``, ``with`` and
``range`` (each with its body and its ``else``), ``break`` and ``continue``.
An action runs a :class:`Pipeline` of :class:`Command` s, each a tuple of
operands; the first operand of a command is the function it calls, if it
names one. A pipeline may declare (``$x :=``) or assign (``$x =``)
variables, as Go's ``PipeNode`` does.

>>> Pipeline((Command((FieldNode(".Config.Env", ("Config", "Env")),)), Command((IdentifierNode("json"),))))
Pipeline(commands=(Command(operands=(FieldNode(text='.Config.Env', parts=('Config', 'Env')),)), Command(operands=(IdentifierNode(text='json'),))), decl=(), assign=False)
"""

from __future__ import annotations

from typing import Union

import attrs

__all__ = [
    "ActionNode",
    "BoolNode",
    "BreakNode",
    "ChainNode",
    "Command",
    "ContinueNode",
    "DotNode",
    "FieldNode",
    "IdentifierNode",
    "IfNode",
    "NilNode",
    "Node",
    "NumberNode",
    "Operand",
    "PipeNode",
    "Pipeline",
    "RangeNode",
    "RawStringNode",
    "StringNode",
    "TextNode",
    "VariableNode",
    "WithNode",
    "WordNode",
    "go_string",
]


@attrs.frozen
class StringNode:
    """A quoted string literal, as written (its escapes are read when it runs)."""

    text: str
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class RawStringNode:
    """A raw (back-quoted) string literal, as written."""

    text: str
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class BoolNode:
    """``true`` or ``false``."""

    text: str
    value: bool
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class NilNode:
    """``nil``."""

    text: str = "nil"
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class NumberNode:
    """An integer literal, as written."""

    text: str
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class DotNode:
    """``.``: the current value."""

    text: str = "."
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class FieldNode:
    """``.Field.Path`` on the current value (``parts``: the names, an empty
    one being a bad path)."""

    text: str
    parts: tuple[str, ...]
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class VariableNode:
    """``$``, ``$name`` or ``$name.Field.Path``."""

    text: str
    name: str
    parts: tuple[str, ...] = ()
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class IdentifierNode:
    """A bare name: a function (or an unknown one)."""

    text: str
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class WordNode:
    """Any other word: neither a literal, a field, a variable nor a name (an
    error when it runs)."""

    text: str
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class PipeNode:
    """A parenthesised pipeline."""

    pipeline: Pipeline
    text: str = "(...)"
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class ChainNode:
    """A field path on a parenthesised pipeline: ``(PIPELINE).Field.Path``."""

    pipeline: Pipeline
    parts: tuple[str, ...]
    text: str = "(...)"
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


Operand = Union[
    StringNode,
    RawStringNode,
    BoolNode,
    NilNode,
    NumberNode,
    DotNode,
    FieldNode,
    VariableNode,
    IdentifierNode,
    WordNode,
    PipeNode,
    ChainNode,
]


@attrs.frozen
class Command:
    """A command: the function and its arguments, or one operand."""

    operands: tuple[Operand, ...]
    #: Offset in the template where Go's parser places the node (its error
    #: messages say ``:line:column`` of it).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class Pipeline:
    """Commands joined by ``|``: each one's value is the next one's last
    argument; ``decl`` the variables it declares (``$x :=``, or in a
    ``range`` ``$k, $v :=``) or, with ``assign``, sets (``$x =``).

    >>> Pipeline((Command((DotNode(),)),), ("$x",), assign=True).assign
    True
    """

    commands: tuple[Command, ...]
    decl: tuple[str, ...] = ()
    assign: bool = False
    #: Offset in the template where Go's parser places it (its first token,
    #: the declaration's included).
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class TextNode:
    """Text outside actions, trimmed as the actions next to it say."""

    text: str


@attrs.frozen
class ActionNode:
    """``{{PIPELINE}}``: prints the pipeline's value."""

    pipeline: Pipeline


@attrs.frozen
class IfNode:
    """``{{if PIPELINE}}body{{else}}otherwise{{end}}`` (``{{else if}}`` is an
    ``if`` in ``otherwise``)."""

    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...] = ()
    #: Where its pipeline (with its declaration) starts.
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class WithNode:
    """``{{with PIPELINE}}body{{else}}otherwise{{end}}``: the body runs with
    the pipeline's value as dot when it is not empty (``{{else with}}``,
    Go 1.23 on, is a ``with`` in ``otherwise``).

    >>> WithNode(Pipeline((Command((FieldNode(".A", ("A",)),)),)), (TextNode("x"),)).otherwise
    ()
    """

    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...] = ()
    #: Where its pipeline (with its declaration) starts.
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class RangeNode:
    """``{{range $k, $v := PIPELINE}}body{{else}}otherwise{{end}}`` (the
    variables are the pipeline's ``decl``: none, one or two)."""

    pipeline: Pipeline
    body: tuple[Node, ...]
    otherwise: tuple[Node, ...] = ()
    #: Where its pipeline (with its declaration) starts.
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class BreakNode:
    """``{{break}}``: ends the innermost ``range`` (Go 1.18 on).

    >>> go_string(BreakNode())
    '{{break}}'
    """

    text: str = "{{break}}"
    #: Offset in the template of its keyword.
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


@attrs.frozen
class ContinueNode:
    """``{{continue}}``: goes on with the next element of the innermost
    ``range`` (Go 1.18 on).

    >>> go_string(ContinueNode())
    '{{continue}}'
    """

    text: str = "{{continue}}"
    #: Offset in the template of its keyword.
    pos: int = attrs.field(default=0, eq=False, repr=False, kw_only=True)


Node = Union[TextNode, ActionNode, IfNode, WithNode, RangeNode, BreakNode, ContinueNode]


def go_string(node: Operand | Command | Pipeline | Node) -> str:
    """The node as Go's ``parse`` package writes it back (what its error
    messages quote: ``at <index .RepoTags 5>``).

    >>> go_string(Command((IdentifierNode("index"), FieldNode(".RepoTags", ("RepoTags",)), NumberNode("5"))))
    'index .RepoTags 5'
    >>> go_string(ChainNode(Pipeline((Command((DotNode(),)),)), ("A", "B")))
    '(.).A.B'
    >>> go_string(Pipeline((Command((IdentifierNode("len"), DotNode())),), ("$n",)))
    '$n := len .'
    """
    if isinstance(node, Pipeline):
        declared = f"{', '.join(node.decl)} {'=' if node.assign else ':='} " if node.decl else ""
        return declared + " | ".join(go_string(command) for command in node.commands)
    if isinstance(node, Command):
        return " ".join(f"({go_string(o)})" if isinstance(o, PipeNode) else go_string(o) for o in node.operands)
    if isinstance(node, PipeNode):
        return go_string(node.pipeline)
    if isinstance(node, ChainNode):
        return f"({go_string(node.pipeline)})" + "".join(f".{part}" for part in node.parts)
    if isinstance(node, ActionNode):
        return "{{" + go_string(node.pipeline) + "}}"
    if isinstance(node, IfNode | WithNode | RangeNode):
        word = "if" if isinstance(node, IfNode) else "with" if isinstance(node, WithNode) else "range"
        head = f"{{{{{word} {go_string(node.pipeline)}}}}}"
        body = "".join(go_string(n) for n in node.body)
        otherwise = "{{else}}" + "".join(go_string(n) for n in node.otherwise) if node.otherwise else ""
        return f"{head}{body}{otherwise}{{{{end}}}}"
    return node.text
