"""Execution: a parsed template run on one JSON value.

A field the value does not have at all is an error naming its JSON path; a
field the types (:class:`~imageinspect.gotemplate.gofmt.GoKinds`) know but
the JSON leaves out is Go's zero value; a missing key of a map prints
``<no value>``.

>>> data = {"Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}}, "Size": 5}
>>> render("{{.Config.Env}} {{json .Config.Env}} {{.Size}}", data)
'[A=1 B=2] ["A=1","B=2"] 5'
>>> render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", data)
'a=1;b=2;'
>>> render("{{.Config.Nope}}", data)
Traceback (most recent call last):
  ...
imageinspect.gotemplate.errors.TemplateError: --format: $.Config.Nope: no such field (Config has: Env, Labels)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import attrs

from .errors import TemplateError, error
from .funcs import FUNCTIONS, PRINTERS, truth
from .gofmt import NO_VALUE, UNTYPED, GoKinds, Value, go_text, kind_name
from .lex import unquote
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
    RawStringNode,
    StringNode,
    TextNode,
    VariableNode,
)
from .parse import parse

__all__ = ["Template", "field", "go_name", "render"]


def field(base: Value, name: str, kinds: GoKinds = UNTYPED) -> Value:
    """The field ``name`` of ``base`` (a JSON object, by its key or its Go
    field name).

    >>> field(Value({"created_by": "RUN x"}, "$"), "CreatedBy")
    Value(value='RUN x', path='$.created_by', key='created_by')
    >>> field(Value({"Labels": None}, "$"), "Labels").value is None
    True
    """
    path = f"{base.path}.{name}"
    if isinstance(base.value, dict):
        if name in base.value:
            return Value(base.value[name], path, name)
        for key in base.value:  # the Go field name of a JSON key (ID for Id, CreatedBy for created_by)
            if go_name(key) == name:
                return Value(base.value[key], f"{base.path}.{key}", key)
        if base.key in kinds.maps:  # a Go map: a missing key is no value, not an error
            return Value(NO_VALUE, path, name)
        if name in kinds.known:
            return Value(kinds.zero_value(name), path, name)
        owner = base.key or "the image"
        has = ", ".join(sorted(base.value)) or "no fields"
        raise error(f"{path}: no such field ({owner} has: {has})")
    if base.value is None:
        if base.key in kinds.maps:  # a lookup in a nil map
            return Value(NO_VALUE, path, name)
        raise error(f"{path}: {base.path} is nil")
    raise error(f"{path}: {base.path} is a {kind_name(base.value)}, not an object")


def go_name(key: str) -> str:
    """The Go field name a JSON key stands for.

    >>> go_name("Id"), go_name("created_by"), go_name("author"), go_name("Labels")
    ('ID', 'CreatedBy', 'Author', 'Labels')
    """
    if key == "Id":
        return "ID"
    return "".join(part[:1].upper() + part[1:] for part in key.split("_"))


@attrs.frozen
class _Scope:
    dot: Value
    root: Value
    kinds: GoKinds
    names: tuple[tuple[str, Value], ...] = ()

    def lookup(self, name: str) -> Value:
        if name == "$":
            return self.root
        for known, value in reversed(self.names):
            if known == name:
                return value
        raise error(f"undefined variable {name}")


def _functions() -> str:
    return ", ".join(sorted(FUNCTIONS))


def _operand(node: Operand, scope: _Scope) -> Value:
    if isinstance(node, PipeNode):
        return _run_pipeline(node.pipeline, scope)
    if isinstance(node, ChainNode):  # (pipeline).Field.Path
        base = _run_pipeline(node.pipeline, scope)
        for part in node.parts:
            base = field(base, part, scope.kinds)
        return base
    if isinstance(node, StringNode):
        return Value(unquote(node.text), "")
    if isinstance(node, RawStringNode):
        return Value(node.text[1:-1], "")
    if isinstance(node, BoolNode):
        return Value(node.value, "")
    if isinstance(node, NilNode):
        return Value(None, "")
    if isinstance(node, NumberNode):
        return Value(int(node.text), "")
    if isinstance(node, DotNode):
        return scope.dot
    if isinstance(node, FieldNode):
        base, parts = scope.dot, node.parts
    elif isinstance(node, VariableNode):
        base, parts = scope.lookup(node.name), node.parts
    else:
        raise error(f"{node.text!r} is not a field, variable or function (functions: {_functions()})")
    for part in parts:
        if not part:
            raise error(f"bad field path {node.text!r}")
        base = field(base, part, scope.kinds)
    return base


def _run_command(command: Command, scope: _Scope, piped: Value | None) -> Value:
    first = command.operands[0]
    if isinstance(first, IdentifierNode) and first.text in FUNCTIONS:  # a function, with the piped value last
        name = first.text
        operands = [_operand(node, scope) for node in command.operands[1:]]
        if piped is not None:
            operands.append(piped)
        args: list[Any] = [scope.kinds, *operands] if name in PRINTERS else [operand.value for operand in operands]
        try:
            return Value(FUNCTIONS[name](*args), "")
        except TemplateError:
            raise
        except (TypeError, AttributeError, ValueError, IndexError, KeyError, OverflowError):
            given = ", ".join(kind_name(operand.value) for operand in operands) or "nothing"
            raise error(f"{name}: wrong number or kind of arguments (given: {given})") from None
    if isinstance(first, NilNode) and len(command.operands) == 1 and piped is None:
        raise error("nil is not a command")
    if isinstance(first, IdentifierNode):
        raise error(f"unknown function {first.text!r} (functions: {_functions()})")
    if len(command.operands) > 1 or piped is not None:
        raise error(f"{first.text} is not a function: it takes no arguments")
    return _operand(first, scope)


def _run_pipeline(pipeline: Pipeline, scope: _Scope) -> Value:
    value: Value | None = None
    for command in pipeline.commands:
        value = _run_command(command, scope, value)
    assert value is not None
    return value


def _items(value: Value) -> Iterator[tuple[Any, Value]]:
    if isinstance(value.value, list):
        for position, item in enumerate(value.value):
            yield position, Value(item, f"{value.path}[{position}]")
    elif isinstance(value.value, dict):
        for key in sorted(value.value):
            yield key, Value(value.value[key], f"{value.path}.{key}", key)
    elif value.value is not None:
        raise error(f"{value.path or 'range'}: cannot range over a {kind_name(value.value)}")


def _execute(nodes: tuple[Node, ...], scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, TextNode):
            out.append(node.text)
        elif isinstance(node, ActionNode):
            result = _run_pipeline(node.pipeline, scope)
            out.append(go_text(result.value, result.key, scope.kinds))
        elif isinstance(node, IfNode):
            branch = node.body if truth(_run_pipeline(node.pipeline, scope).value) else node.otherwise
            _execute(branch, scope, out)
        else:
            items = list(_items(_run_pipeline(node.pipeline, scope)))
            if not items:
                _execute(node.otherwise, scope, out)
            for key, item in items:
                names = scope.names
                if len(node.names) == 2:
                    names += ((node.names[0], Value(key, "")), (node.names[1], item))
                elif node.names:
                    names += ((node.names[0], item),)
                _execute(node.body, _Scope(item, scope.root, scope.kinds, names), out)


@attrs.frozen
class Template:
    """A parsed template, executed once per image.

    >>> Template.parse("{{.Id}}").execute({"Id": "sha256:ab"})
    'sha256:ab'
    """

    nodes: tuple[Node, ...]

    @classmethod
    def parse(cls, source: str) -> Template:
        """Parse ``source``; a syntax error raises :class:`~imageinspect.gotemplate.errors.TemplateError`.

        >>> Template.parse("{{.Os}}").nodes
        (ActionNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Os', parts=('Os',)),)),))),)
        """
        try:
            return cls(parse(source))
        except RecursionError:
            raise error("the template is nested too deeply") from None

    def execute(self, data: Any, *, kinds: GoKinds = UNTYPED) -> str:
        """The text for one image's JSON value, whose fields have the Go types
        ``kinds`` tells.

        >>> template = Template.parse("{{.Config.Cmd}}|{{.Config.User}}")
        >>> template.execute({"Config": {}}, kinds=GoKinds(lists=frozenset({"Cmd"}), known=frozenset({"Cmd", "User"})))
        '[]|'
        """
        out: list[str] = []
        root = Value(data, "$")
        try:
            _execute(self.nodes, _Scope(root, root, kinds), out)
        except RecursionError:
            raise error("the template is nested too deeply") from None
        return "".join(out)


def render(source: str, data: Any, *, kinds: GoKinds = UNTYPED) -> str:
    """Parse ``source`` and execute it on ``data`` (one image's JSON value).

    >>> render("{{len .RepoTags}} {{upper .Os}}", {"RepoTags": ["a"], "Os": "linux"})
    '1 LINUX'
    """
    return Template.parse(source).execute(data, kinds=kinds)
