"""Parsing: a template's text into its tree of :mod:`~imageinspect.gotemplate.nodes`,
as Go's ``text/template/parse`` parses it for the Go release asked for
(:mod:`~imageinspect.gotemplate.release`).

What Go checks while parsing is checked here too: a variable must be declared
before it is used (``$x :=`` in an action, or a control's pipeline; it lives
until the ``{{end}}`` of the ``if``, ``with`` or ``range`` around it),
``{{break}}`` and ``{{continue}}`` must be inside a ``range``, ``{{else
if}}`` follows an ``if`` only and ``{{else with}}`` a ``with`` only (from Go
1.23), and only the first command of a pipeline may be a literal or dot.

>>> parse("{{range .Env}}{{.}}{{else}}none{{end}}")
(RangeNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Env', parts=('Env',)),)),), decl=(), assign=False), body=(ActionNode(pipeline=Pipeline(commands=(Command(operands=(DotNode(text='.'),)),), decl=(), assign=False)),), otherwise=(TextNode(text='none'),)),)
"""

from __future__ import annotations

import re
from collections.abc import Collection

import attrs

from .errors import error
from .lex import Token, actions, tokens
from .nodes import (
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
    WithNode,
    WordNode,
)
from .release import BREAK_CONTINUE, ELSE_WITH, LATEST_GO, GoRelease, go_release

__all__ = ["operand", "parse", "pipeline"]

_NUMBER = re.compile(r"-?\d+")
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_VARIABLE = re.compile(r"\$[A-Za-z0-9_]*")
#: What may not start a command after the first of a pipeline (Go's
#: ``checkPipeline``: it cannot take the value piped to it).
_NOT_EXECUTABLE = (BoolNode, DotNode, NilNode, NumberNode, StringNode, RawStringNode)
_UNSUPPORTED = ("define", "template", "block")


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


def _is_variable(token: Token) -> bool:
    return token.kind == "word" and _VARIABLE.fullmatch(token.text) is not None


@attrs.define
class _Pipelines:
    """Reads pipelines, and keeps the variables declared so far (Go's
    ``Tree.vars``: ``$`` and every one in scope)."""

    where: int = 0
    variables: list[str] = attrs.field(factory=lambda: ["$"])
    #: The names of the functions (``None``: any name is taken, for the
    #: caller to check when the template runs).
    functions: Collection[str] | None = None

    def read(self, items: list[Token], context: str) -> Pipeline:
        """The pipeline of an action's tokens (``context``: ``command``,
        ``if``, ``with`` or ``range``, for its declarations and messages)."""
        pipe, end = self._pipeline(items, 0, context, closing=False)
        assert end == len(items)
        return pipe

    def _declarations(self, items: list[Token], i: int, context: str) -> tuple[list[str], bool, int]:
        """``$x :=``, ``$x =``, and in a ``range`` ``$k, $v :=`` (Go's
        ``pipeline``: each one is in scope from here on)."""
        decl: list[str] = []
        while i < len(items) and _is_variable(items[i]):
            after = items[i + 1] if i + 1 < len(items) else None
            if after is not None and after.kind in ("declare", "assign"):
                decl.append(items[i].text)
                self.variables.append(items[i].text)
                return decl, after.kind == "assign", i + 2
            if after is None or after.kind != "comma":
                break
            decl.append(items[i].text)
            self.variables.append(items[i].text)
            i += 2
            if context == "range" and len(decl) < 2:
                if i == len(items) or _is_variable(items[i]) or items[i].kind == "close":
                    continue
                raise error(f"offset {self.where}: range can only initialize variables")
            raise error(f"offset {self.where}: too many declarations in {context}")
        return decl, False, i

    def _pipeline(self, items: list[Token], i: int, context: str, closing: bool) -> tuple[Pipeline, int]:
        where = self.where
        pos = items[i].pos if i < len(items) else where
        decl, assign, i = self._declarations(items, i, context)
        commands: list[Command] = []
        operands: list[Operand] = []
        start = 0
        while i < len(items):
            token = items[i]
            if token.kind == "close":
                if not closing:
                    raise error(f"offset {where}: unexpected ) in {context}")
                break
            if not operands:
                start = token.pos
            if token.kind == "pipe":
                if not operands:
                    raise error(f"offset {where}: unexpected | in {context}")
                commands.append(Command(tuple(operands), pos=start))
                operands = []
            elif token.kind == "open":
                inner, i = self._pipeline(items, i + 1, "parenthesized pipeline", closing=True)
                if i == len(items):
                    raise error(f"offset {where}: unclosed left paren")
                close = items[i]
                chain = close.text[1:]
                operands.append(
                    ChainNode(inner, tuple(chain[1:].split(".")), pos=close.pos + 1)
                    if chain
                    else PipeNode(inner, pos=inner.pos)
                )
            elif token.kind in ("declare", "assign", "comma"):
                raise error(f"offset {where}: unexpected {token.text!r} in {context}")
            else:
                node = operand(token)
                if isinstance(node, VariableNode) and node.name not in self.variables:
                    raise error(f'offset {where}: undefined variable "{node.name}"')
                if isinstance(node, IdentifierNode) and self.functions is not None and node.text not in self.functions:
                    raise error(f'offset {where}: function "{node.text}" not defined')
                operands.append(node)
            i += 1
        if operands:
            commands.append(Command(tuple(operands), pos=start))
        if not commands:
            raise error(f"offset {where}: missing value for {context}")
        for stage, command in enumerate(commands[1:], start=2):
            if isinstance(command.operands[0], _NOT_EXECUTABLE):
                raise error(f"offset {where}: non executable command in pipeline stage {stage}")
        return Pipeline(tuple(commands), tuple(decl), assign, pos=pos), i


def pipeline(items: list[Token], where: int, context: str = "command") -> Pipeline:
    """The pipeline of an action's tokens (``where``: its offset, for
    messages), its variables all taken as declared.

    >>> pipeline(tokens("(index . 0).Id | len", 0), 0).commands[1]
    Command(operands=(IdentifierNode(text='len'),))
    >>> pipeline(tokens("$n := len .", 0), 0).decl
    ('$n',)
    """
    names = [t.text.partition(".")[0] for t in items if t.kind == "word" and t.text.startswith("$")]
    return _Pipelines(where, ["$", *names]).read(items, context)


@attrs.define
class _Block:
    """An ``if``, ``with`` or ``range`` being parsed; ``chained`` for the one
    an ``{{else if}}`` or ``{{else with}}`` opened (it ends with its parent's
    ``{{end}}``); ``mark``: how many variables were in scope before it."""

    kind: str
    pipeline: Pipeline
    at: int
    mark: int
    body: list[Node] = attrs.field(factory=list)
    otherwise: list[Node] | None = None
    chained: bool = False

    @property
    def current(self) -> list[Node]:
        return self.body if self.otherwise is None else self.otherwise

    def node(self) -> Node:
        body, otherwise, pos = tuple(self.body), tuple(self.otherwise or ()), self.pipeline.pos
        if self.kind == "range":
            return RangeNode(self.pipeline, body, otherwise, pos=pos)
        if self.kind == "with":
            return WithNode(self.pipeline, body, otherwise, pos=pos)
        return IfNode(self.pipeline, body, otherwise, pos=pos)


def parse(source: str, go: str = LATEST_GO, functions: Collection[str] | None = None) -> tuple[Node, ...]:
    """The nodes of a template, as the ``text/template`` of Go release ``go``
    parses it, knowing the names of ``functions`` (as Go's ``Funcs``: a name
    that is none of them is an error; ``None``: not checked); a syntax error
    raises :class:`~imageinspect.gotemplate.errors.TemplateError`.

    >>> parse("a {{- .Os}}")
    (TextNode(text='a'), ActionNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Os', parts=('Os',)),)),), decl=(), assign=False)))
    >>> [type(n).__name__ for n in parse("{{with .A}}a{{else with .B}}b{{end}}")[0].otherwise]
    ['WithNode']
    >>> parse("{{with .A}}a{{else with .B}}b{{end}}", go="1.19")
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.errors.TemplateError: --format: offset 12: unexpected <with> in else
    >>> parse("{{nosuch .A}}", functions={"len"})
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.errors.TemplateError: --format: offset 0: function "nosuch" not defined
    """
    release = go_release(go)
    root: list[Node] = []
    blocks: list[_Block] = []
    pipes = _Pipelines(functions=functions)
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
        pipes.where = start
        word = _first_word(inner)
        if word in ("if", "with", "range"):
            mark = len(pipes.variables)
            items = tokens(inner[len(word) :], start, base + len(word))
            blocks.append(_Block(word, pipes.read(items, word), start, mark))
        elif word == "else":
            _else(inner, base, start, blocks, pipes, release)
        elif word == "end":
            if inner != "end":
                raise error(f"offset {start}: unexpected {inner[3:].strip()!r} in end")
            if not blocks:
                raise error(f"offset {start}: unexpected {{{{end}}}}")
            while True:
                block = blocks.pop()
                del pipes.variables[block.mark :]
                current().append(block.node())
                if not block.chained:
                    break
        elif word in ("break", "continue") and release >= BREAK_CONTINUE:
            if inner != word:
                raise error(f"offset {start}: unexpected {inner[len(word) :].strip()!r} in {{{{{word}}}}}")
            if not any(b.kind == "range" and b.otherwise is None for b in blocks):
                raise error(f"offset {start}: {{{{{word}}}}} outside {{{{range}}}}")
            current().append(BreakNode(pos=base) if word == "break" else ContinueNode(pos=base))
        elif word in _UNSUPPORTED:
            raise error(f"offset {start}: {word!r} is not in the supported subset (no associated templates)")
        else:
            current().append(ActionNode(pipes.read(tokens(inner, start, base), "command")))
    if blocks:
        raise error(f"offset {blocks[-1].at}: {blocks[-1].kind} without end")
    tail = source[position:]
    if trim_next:
        tail = tail.lstrip()
    if tail:
        root.append(TextNode(tail))
    return tuple(root)


_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?=[\s.,|:()]|$)")


def _first_word(inner: str) -> str:
    """The keyword an action starts with, if any: a word that ends where Go's
    lexer ends one (a space, or ``.``, ``(`` ...: ``{{range.Config.Env}}``
    is ``range`` over ``.Config.Env``); else its first run of non-spaces.

    >>> _first_word("range.Config.Env"), _first_word("if(eq 1 1)"), _first_word("$x := 1"), _first_word("")
    ('range', 'if', '$x', '')
    """
    found = _WORD.match(inner)
    if found is not None:
        return found.group()
    return inner.split(None, 1)[0] if inner.strip() else ""


def _else(inner: str, base: int, start: int, blocks: list[_Block], pipes: _Pipelines, release: GoRelease) -> None:
    """``{{else}}``, ``{{else if ...}}`` (after an ``if``) or ``{{else with
    ...}}`` (after a ``with``, Go 1.23 on)."""
    if not blocks or blocks[-1].otherwise is not None:
        raise error(f"offset {start}: unexpected {{{{else}}}}")
    block = blocks[-1]
    after = inner[len("else") :]
    rest = after.strip()
    block.otherwise = []
    if not rest:
        return
    head = _first_word(rest)
    knows_with = release >= ELSE_WITH
    if (head == "if" and block.kind == "if") or (head == "with" and block.kind == "with" and knows_with):
        at = base + len("else") + len(after) - len(after.lstrip()) + len(head)
        mark = len(pipes.variables)
        items = tokens(rest[len(head) :], start, at)
        blocks.append(_Block(head, pipes.read(items, head), start, mark, chained=True))
    elif head == "if" or (head == "with" and knows_with):
        raise error(f"offset {start}: unexpected <{head}> in input")  # else if after a with or range, and so on
    else:
        shown = f"<{head}>" if head in ("with", "range", "end", "else") else repr(rest)
        raise error(f"offset {start}: unexpected {shown} in else")
