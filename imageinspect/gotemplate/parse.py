"""Parsing: a template's text into its tree of :mod:`~imageinspect.gotemplate.nodes`.

>>> parse("{{range .Env}}{{.}}{{else}}none{{end}}")
(RangeNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Env', parts=('Env',)),)),)), names=(), body=(ActionNode(pipeline=Pipeline(commands=(Command(operands=(DotNode(text='.'),)),))),), otherwise=(TextNode(text='none'),)),)
"""

from __future__ import annotations

import re

import attrs

from .errors import error
from .lex import Token, actions, tokens
from .nodes import (
    ActionNode,
    BoolNode,
    ChainNode,
    Command,
    DotNode,
    FieldNode,
    IdentifierNode,
    IfNode,
    NilNode,
    Node,
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

__all__ = ["operand", "parse", "pipeline"]

_NUMBER = re.compile(r"-?\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def operand(token: Token) -> Operand:
    """The operand a word, string or raw string token stands for (placed
    where Go's parser places it: a field path at its second name).

    >>> operand(Token("word", "$v.Name")), operand(Token("word", "-1")), operand(Token("word", "json"))
    (VariableNode(text='$v.Name', name='$v', parts=('Name',)), NumberNode(text='-1'), IdentifierNode(text='json'))
    >>> operand(Token("word", ".Config.Env", 2)).pos
    9
    """
    text, pos = token.text, token.pos
    if token.kind == "string":
        return StringNode(text, pos=pos)
    if token.kind == "raw":
        return RawStringNode(text, pos=pos)
    if text in ("true", "false"):
        return BoolNode(text, text == "true", pos=pos)
    if text == "nil":
        return NilNode(pos=pos)
    if _NUMBER.fullmatch(text):
        return NumberNode(text, pos=pos)
    if text == ".":
        return DotNode(pos=pos)
    if text.startswith("."):
        parts = tuple(text[1:].split("."))
        return FieldNode(text, parts, pos=pos + len(parts[0]) + 1 if len(parts) > 1 else pos)
    if text.startswith("$"):
        head, _, rest = text.partition(".")
        return VariableNode(text, head, tuple(rest.split(".")) if rest else (), pos=pos + len(head) if rest else pos)
    if _NAME.fullmatch(text):
        return IdentifierNode(text, pos=pos)
    return WordNode(text, pos=pos)


def pipeline(items: list[Token], where: int) -> Pipeline:
    """The pipeline of an action's tokens (``where``: its offset, for messages).

    >>> pipeline(tokens("(index . 0).Id | len", 0), 0).commands[1]
    Command(operands=(IdentifierNode(text='len'),))
    """
    commands: list[list[Operand]] = [[]]
    starts: list[int] = []  # where each command starts, in the current pipeline
    stack: list[tuple[list[list[Operand]], list[int], int]] = []
    for token in items:
        kind, text = token.kind, token.text
        if kind not in ("pipe", "close") and not commands[-1] and len(starts) < len(commands):
            starts.append(token.pos)
        if kind == "pipe":
            if not commands[-1]:
                raise error(f"offset {where}: empty command before |")
            commands.append([])
        elif kind == "open":
            stack.append((commands, starts, token.pos))
            commands, starts = [[]], []
        elif kind == "close":
            if not stack:
                raise error(f"offset {where}: unexpected )")
            inner = _pipeline(commands, starts)
            inside = starts[0] if starts else token.pos
            commands, starts, _ = stack.pop()
            chain = text[1:]
            commands[-1].append(
                ChainNode(inner, tuple(chain[1:].split(".")), pos=token.pos + 1)
                if chain
                else PipeNode(inner, pos=inside)
            )
        elif kind in ("declare", "comma"):
            raise error(f"offset {where}: unexpected {text!r}")
        else:
            commands[-1].append(operand(token))
    if stack:
        raise error(f"offset {where}: unclosed (")
    if not commands[-1]:
        raise error(f"offset {where}: empty command")
    return _pipeline(commands, starts)


def _pipeline(commands: list[list[Operand]], starts: list[int]) -> Pipeline:
    return Pipeline(tuple(Command(tuple(c), pos=starts[i] if i < len(starts) else 0) for i, c in enumerate(commands)))


def _declaration(items: list[Token], where: int) -> tuple[tuple[str, ...], list[Token]]:
    """``$v :=`` or ``$k, $v :=`` at the start of a range (or an action)."""
    for end, token in enumerate(items):
        if token.kind == "declare":
            names = tuple(t.text for t in items[:end] if t.kind == "word")
            shape_ok = [t.kind for t in items[:end]] in (["word"], ["word", "comma", "word"])
            if token.text != ":=" or not shape_ok or not all(n.startswith("$") and len(n) > 1 for n in names):
                raise error(f"offset {where}: expected $v := or $k, $v :=")
            return names, items[end + 1 :]
        if token.kind not in ("word", "comma"):
            break
    return (), items


@attrs.define
class _Block:
    """A ``range`` or ``if`` being parsed; ``chained`` for the ``if`` an
    ``{{else if}}`` opened (it ends with its parent's ``{{end}}``)."""

    kind: str
    pipeline: Pipeline
    names: tuple[str, ...]
    at: int
    pos: int = 0
    body: list[Node] = attrs.field(factory=list)
    otherwise: list[Node] | None = None
    chained: bool = False

    @property
    def current(self) -> list[Node]:
        return self.body if self.otherwise is None else self.otherwise

    def node(self) -> Node:
        otherwise = tuple(self.otherwise or ())
        if self.kind == "range":
            return RangeNode(self.pipeline, self.names, tuple(self.body), otherwise, pos=self.pos)
        return IfNode(self.pipeline, tuple(self.body), otherwise)


def parse(source: str) -> tuple[Node, ...]:
    """The nodes of a template; a syntax error raises
    :class:`~imageinspect.gotemplate.errors.TemplateError`.

    >>> parse("a {{- .Os}}")
    (TextNode(text='a'), ActionNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Os', parts=('Os',)),)),))))
    >>> parse("{{with .Os}}{{end}}")
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.errors.TemplateError: --format: offset 0: 'with' is not in the supported subset (fields, range, if, functions)
    """
    root: list[Node] = []
    blocks: list[_Block] = []
    position = 0
    trim_next = False

    def current() -> list[Node]:
        return blocks[-1].current if blocks else root

    for action in actions(source):
        start = action.start
        text = source[position:start]
        if trim_next:
            text = text.lstrip()
        if action.trim_left:
            text = text.rstrip()
        if text:
            current().append(TextNode(text))
        position, trim_next = action.end, action.trim_right
        inner = action.inner.strip()
        base = action.inner_start + len(action.inner) - len(action.inner.lstrip())  # where inner starts
        if inner.startswith("/*"):
            continue
        word = inner.split(None, 1)[0] if inner else ""
        if word in ("range", "if"):
            items = tokens(inner[len(word) :], start, base + len(word))
            pos = items[0].pos if items else start
            names, items = _declaration(items, start) if word == "range" else ((), items)
            blocks.append(_Block(word, pipeline(items, start), names, start, pos))
        elif word == "else":
            if not blocks or blocks[-1].otherwise is not None:
                raise error(f"offset {start}: else without range or if")
            after = inner[len(word) :]
            rest = after.strip()
            blocks[-1].otherwise = []
            if rest:
                if rest.split(None, 1)[0] != "if":
                    raise error(f"offset {start}: else takes nothing but if: {{{{else {rest}}}}}")
                items = tokens(rest[2:], start, base + len(word) + len(after) - len(after.lstrip()) + 2)
                blocks.append(_Block("if", pipeline(items, start), (), start, chained=True))
        elif word == "end":
            if not blocks or inner != "end":
                raise error(f"offset {start}: end without range or if" if not blocks else f"offset {start}: bad end")
            while True:
                block = blocks.pop()
                current().append(block.node())
                if not block.chained:
                    break
        elif word in ("with", "define", "template", "block", "break", "continue"):
            raise error(f"offset {start}: {word!r} is not in the supported subset (fields, range, if, functions)")
        else:
            items = tokens(inner, start, base)
            names, items = _declaration(items, start)
            if names:
                raise error(f"offset {start}: variables are declared only by range")
            current().append(ActionNode(pipeline(items, start)))
    if blocks:
        raise error(f"offset {blocks[-1].at}: {blocks[-1].kind} without end")
    tail = source[position:]
    if trim_next:
        tail = tail.lstrip()
    if tail:
        root.append(TextNode(tail))
    return tuple(root)
