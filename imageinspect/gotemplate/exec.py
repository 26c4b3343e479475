"""Execution, as Go's ``text/template`` executes: on a typed value (a
:class:`~imageinspect.gotemplate.types.Value` whose Go type the caller
built), or on JSON (Go's ``interface{}``: maps, slices, strings, numbers).

On a typed value, a field is looked up by its Go field name: one the struct
does not have is an error, one the JSON left out is Go's zero value, a
missing map key is ``<no value>``. On JSON, a key is looked up as written;
with ``missingkey="error"`` (what Docker's CLI falls back to) a missing one
is an error. :meth:`Template.inspect` is ``docker inspect -f``: the typed
value first, and on any error the whole template again on the JSON.

Errors say where, as Go says it (``template: :1:9: executing "" at
<.Config.Nope>: map has no entry for key "Nope"``), after the JSON path.

>>> data = {"Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}}, "Size": 5}
>>> render("{{.Config.Env}} {{json .Config.Env}} {{.Size}}", data)
'[A=1 B=2] ["A=1","B=2"] 5'
>>> render("{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", data)
'a=1;b=2;'
>>> Template.parse("{{.Config.Nope}}").execute(data, missingkey="error")
Traceback (most recent call last):
  ...
imageinspect.gotemplate.errors.TemplateError: --format: $.Config.Nope: no such field (Config has: Env, Labels); template: :1:9: executing "" at <.Config.Nope>: map has no entry for key "Nope"
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any, Literal

import attrs

from .errors import TemplateError, error
from .funcs import FUNCTIONS, CallError, Function, argument_error, truth
from .gofmt import go_text
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
    RangeNode,
    RawStringNode,
    StringNode,
    TextNode,
    VariableNode,
    go_string,
)
from .parse import parse
from .types import BOOL, INT, NO_VALUE, STRING, Value, field_value, static, type_name

__all__ = ["MissingKey", "Template", "render"]

#: What a missing map key gives: Go's default (``<no value>``) or an error.
MissingKey = Literal["default", "error"]


class _Failure(Exception):
    """An execution error: the node Go reports it at, Go's words, and ours
    (the JSON path, and what is there instead) where they say more."""

    def __init__(self, node: Any, go: str, ours: str = "") -> None:
        super().__init__(go)
        self.node, self.go, self.ours = node, go, ours


@attrs.frozen
class _Scope:
    dot: Value
    root: Value
    missingkey: MissingKey
    functions: Mapping[str, Function]
    names: tuple[tuple[str, Value], ...] = ()

    def lookup(self, name: str, node: Any) -> Value:
        if name == "$":
            return self.root
        for known, value in reversed(self.names):
            if known == name:
                return value
        raise _Failure(node, f"undefined variable: {name}", f"undefined variable {name}")


def _owner(value: Value) -> str:
    return value.path.rsplit(".", 1)[-1] if value.path != "$" else "the image"


def _field(receiver: Value, name: str, node: Any, scope: _Scope, has_args: bool = False) -> Value:
    """``receiver.name``, as Go's ``evalField`` does."""
    payload, go_type = receiver.value, receiver.type
    path = f"{receiver.path}.{name}"
    if payload is NO_VALUE:  # a missing key's value has no fields either
        if scope.missingkey == "error":
            raise _Failure(node, f'nil data; no entry for key "{name}"')
        return Value(NO_VALUE, None, path)
    if go_type is None:  # JSON: a map of interface{}
        declared = "map[string]interface {}" if receiver.path == "$" else "interface {}"
        if isinstance(payload, Mapping):
            if has_args:
                raise _Failure(node, f"{name} is not a method but has arguments")
            if name in payload:
                return Value(payload[name], None, path)
            if scope.missingkey == "error":
                has = ", ".join(sorted(payload)) or "no fields"
                raise _Failure(
                    node, f'map has no entry for key "{name}"', f"{path}: no such field ({_owner(receiver)} has: {has})"
                )
            return Value(NO_VALUE, None, path)
        if payload is None:
            raise _Failure(node, f"nil pointer evaluating {declared}.{name}", f"{path}: {receiver.path} is nil")
        raise _Failure(
            node,
            f"can't evaluate field {name} in type {declared}",
            f"{path}: {receiver.path} is a {type_name(receiver)}, not an object",
        )
    struct = go_type.struct
    if go_type.kind == "pointer" and struct.kind == "struct":
        if struct.lookup(name) is None:
            has = ", ".join(f.name for f in struct.fields if not f.embedded) or "no fields"
            raise _Failure(
                node,
                f"can't evaluate field {name} in type {go_type.name}",
                f"{path}: no such field ({struct.name} has: {has})",
            )
        if payload is None:
            raise _Failure(node, f"nil pointer evaluating {go_type.name}.{name}", f"{path}: {receiver.path} is nil")
        go_type = struct
    if go_type.kind == "struct":
        found = go_type.lookup(name)
        if found is not None:
            if has_args:
                raise _Failure(node, f"{name} has arguments but cannot be invoked as function")
            return Value(field_value(payload, found), static(found[-1].type), path)
        has = ", ".join(f.name for f in go_type.fields if not f.embedded) or "no fields"
        raise _Failure(
            node,
            f"can't evaluate field {name} in type {receiver.type.name if receiver.type else go_type.name}",
            f"{path}: no such field ({go_type.name} has: {has})",
        )
    if go_type.kind == "map":
        if has_args:
            raise _Failure(node, f"{name} is not a method but has arguments")
        found_value = (payload or {}).get(name, NO_VALUE)
        if found_value is NO_VALUE:
            if scope.missingkey == "error":
                raise _Failure(node, f'map has no entry for key "{name}"', f"{path}: no such key")
            return Value(NO_VALUE, None, path)
        return Value(found_value, static(go_type.elem), path)
    raise _Failure(
        node,
        f"can't evaluate field {name} in type {go_type.name}",
        f"{path}: {receiver.path} is a {go_type.name}, not an object",
    )


def _chain(base: Value, parts: tuple[str, ...], node: Any, scope: _Scope, has_args: bool = False) -> Value:
    for position, part in enumerate(parts):
        if not part:
            raise _Failure(node, f"bad field path {go_string(node)!r}")
        base = _field(base, part, node, scope, has_args and position == len(parts) - 1)
    return base


def _dig(value: Value) -> Value:
    """Go takes what an ``interface{}`` holds: a JSON ``null`` is no value."""
    return Value(NO_VALUE, None, value.path) if value.type is None and value.value is None else value


def _argument(node: Operand, scope: _Scope) -> Value:
    """An operand evaluated as a function's argument."""
    if isinstance(node, PipeNode):
        return _dig(_run_pipeline(node.pipeline, scope))
    if isinstance(node, ChainNode):
        return _chain(_dig(_run_pipeline(node.pipeline, scope)), node.parts, node, scope)
    if isinstance(node, StringNode):
        try:
            return Value(unquote(node.text), STRING)
        except TemplateError as err:
            raise _Failure(node, err.message) from None
    if isinstance(node, RawStringNode):
        return Value(node.text[1:-1], STRING)
    if isinstance(node, BoolNode):
        return Value(node.value, BOOL)
    if isinstance(node, NilNode):
        return Value(None)
    if isinstance(node, NumberNode):
        return Value(int(node.text), INT)
    if isinstance(node, DotNode):
        return scope.dot
    if isinstance(node, FieldNode):
        return _chain(scope.dot, node.parts, node, scope)
    if isinstance(node, VariableNode):
        return _chain(scope.lookup(node.name, node), node.parts, node, scope)
    if isinstance(node, IdentifierNode):
        raise _Failure(node, f"can't give argument to non-function {node.text}", f"{node.text!r} is not a value")
    raise _Failure(node, f"bad character in {node.text!r}", f"{node.text!r} is not a field, variable or function")


def _call(name: str, function: Function, command: Command, scope: _Scope, piped: Value | None) -> Value:
    """Go's ``evalCall``: the number of arguments, each one's type, then the
    call (``and`` and ``or`` stop at the first value that decides)."""
    identifier, nodes = command.operands[0], command.operands[1:]
    given = len(nodes) + (piped is not None)
    fixed = len(function.params)
    if (given < fixed) if function.variadic else (given != fixed):
        want = f"at least {fixed}" if function.variadic else str(fixed)
        raise _Failure(identifier, f"wrong number of args for {name}: want {want} got {given}")
    values: list[Value] = []
    last: Any = identifier
    for position in range(given):
        param = function.params[position] if position < fixed else function.variadic
        assert param is not None
        if position < len(nodes):
            last = nodes[position]
            value = _argument(last, scope)
        else:
            assert piped is not None
            value = piped
        problem = argument_error(value, param)
        if problem is not None:
            raise _Failure(last, problem, f"{name}: {problem}")
        values.append(value)
        if name in ("and", "or") and truth(value) == (name == "or"):
            return value
    try:
        return function.call(*values)
    except CallError as err:
        raise _Failure(command, f"error calling {name}: {err}") from None
    except (TypeError, ValueError, OverflowError) as err:  # a verb or width Python's % refuses
        raise _Failure(command, f"error calling {name}: {err}") from None


def _not_a_function(command: Command, piped: Value | None) -> None:
    if len(command.operands) > 1 or piped is not None:
        first = command.operands[0]
        raise _Failure(
            first,
            f"can't give argument to non-function {go_string(first)}",
            f"{go_string(first)} is not a function: it takes no arguments",
        )


def _run_command(command: Command, scope: _Scope, piped: Value | None) -> Value:
    first = command.operands[0]
    has_args = len(command.operands) > 1 or piped is not None
    if isinstance(first, IdentifierNode):
        function = scope.functions.get(first.text)
        if function is None:
            functions = ", ".join(sorted(scope.functions))
            raise _Failure(
                first,
                f'function "{first.text}" not defined',
                f"unknown function {first.text!r} (functions: {functions})",
            )
        return _call(first.text, function, command, scope, piped)
    if isinstance(first, FieldNode):
        return _chain(scope.dot, first.parts, first, scope, has_args)
    if isinstance(first, VariableNode):
        return _chain(scope.lookup(first.name, first), first.parts, first, scope, has_args)
    if isinstance(first, ChainNode):
        return _chain(_dig(_run_pipeline(first.pipeline, scope)), first.parts, first, scope, has_args)
    _not_a_function(command, piped)
    if isinstance(first, NilNode):
        raise _Failure(first, "nil is not a command")
    return _argument(first, scope)


def _run_pipeline(pipeline: Pipeline, scope: _Scope) -> Value:
    value: Value | None = None
    for command in pipeline.commands:
        value = _dig(_run_command(command, scope, value))
    assert value is not None
    return value


def _items(value: Value, node: RangeNode) -> Iterator[tuple[Value, Value]]:
    """What ``range`` goes through: a slice's (index, element), a map's
    (key, value) in key order; nothing for a nil one or no value."""
    payload, go_type = value.value, value.type
    if payload is NO_VALUE:
        return
    if go_type is not None and go_type.kind == "pointer" and payload is not None and go_type.elem is not None:
        go_type = go_type.elem
    kind = "raw" if go_type is None else go_type.kind
    elem = None if go_type is None else static(go_type.elem)
    if kind == "slice" or (kind == "raw" and isinstance(payload, list | tuple)):
        for position, item in enumerate(payload or ()):
            yield Value(position, INT), Value(item, elem, f"{value.path}[{position}]")
    elif kind == "map" or (kind == "raw" and isinstance(payload, Mapping)):
        items = payload or {}
        for key in sorted(items):
            yield Value(key, STRING), Value(items[key], elem, f"{value.path}.{key}")
    elif not (kind == "raw" and payload is None):
        shown = go_text(value) if go_type is None or go_type.kind != "pointer" else "<nil>"
        raise _Failure(
            node,
            f"range can't iterate over {shown}",
            f"{value.path or 'range'}: cannot range over a {type_name(value)}",
        )


def _execute(nodes: tuple[Node, ...], scope: _Scope, out: list[str]) -> None:
    for node in nodes:
        if isinstance(node, TextNode):
            out.append(node.text)
        elif isinstance(node, ActionNode):
            out.append(go_text(_run_pipeline(node.pipeline, scope)))
        elif isinstance(node, IfNode):
            branch = node.body if truth(_run_pipeline(node.pipeline, scope)) else node.otherwise
            _execute(branch, scope, out)
        else:
            items = list(_items(_run_pipeline(node.pipeline, scope), node))
            if not items:
                _execute(node.otherwise, scope, out)
            for key, item in items:
                names = scope.names
                if len(node.names) == 2:
                    names += ((node.names[0], key), (node.names[1], item))
                elif node.names:
                    names += ((node.names[0], item),)
                _execute(node.body, _Scope(item, scope.root, scope.missingkey, scope.functions, names), out)


@attrs.frozen
class Template:
    """A parsed template, executed once per image.

    >>> Template.parse("{{.Id}}").execute({"Id": "sha256:ab"})
    'sha256:ab'
    """

    nodes: tuple[Node, ...]
    #: The template's text (Go's error messages say where in it).
    source: str = ""

    @classmethod
    def parse(cls, source: str) -> Template:
        """Parse ``source``; a syntax error raises :class:`~imageinspect.gotemplate.errors.TemplateError`.

        >>> Template.parse("{{.Os}}").nodes
        (ActionNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Os', parts=('Os',)),)),))),)
        """
        try:
            return cls(parse(source), source)
        except RecursionError:
            raise error("the template is nested too deeply") from None

    def execute(
        self,
        data: Any,
        *,
        missingkey: MissingKey = "default",
        wrap: str = "",
        functions: Mapping[str, Function] = FUNCTIONS,
    ) -> str:
        """The text for one image: ``data`` is a typed
        :class:`~imageinspect.gotemplate.types.Value` or JSON, ``functions``
        the ones the program defines. An error names the JSON path and says
        what Go's ``text/template`` says, after ``wrap`` (what the program
        puts before it).

        >>> from imageinspect.gotemplate.types import STRING, GoField, Value, struct_type
        >>> image = struct_type("types.ImageInspect", (GoField("ID", STRING, lambda i: i["id"], "Id"),))
        >>> Template.parse("{{.ID}}").execute(Value({"id": "sha256:ab"}, image))
        'sha256:ab'
        >>> Template.parse("{{.Id}}").execute(Value({"id": "sha256:ab"}, image))
        Traceback (most recent call last):
          ...
        imageinspect.gotemplate.errors.TemplateError: --format: $.Id: no such field (types.ImageInspect has: ID); template: :1:2: executing "" at <.Id>: can't evaluate field Id in type types.ImageInspect
        """
        root = data if isinstance(data, Value) else Value(data, None, "$")
        out: list[str] = []
        try:
            _execute(self.nodes, _Scope(root, root, missingkey, functions), out)
        except RecursionError:
            raise error("the template is nested too deeply") from None
        except _Failure as failure:
            raise self._error(failure, wrap) from None
        return "".join(out)

    def inspect(self, typed: Value, raw: Any, *, functions: Mapping[str, Function] = FUNCTIONS) -> str:
        """What ``docker inspect -f`` prints for one object: the template on
        the CLI's typed value; if that fails, on the JSON the daemon sent
        (``raw``) with ``missingkey=error``, whose error is the one Docker
        reports (``template parsing error: ...``).

        >>> from imageinspect.gotemplate.types import STRING, GoField, Value, struct_type
        >>> image = struct_type("types.ImageInspect", (GoField("ID", STRING, lambda i: i["id"], "Id"),))
        >>> typed, raw = Value({"id": "sha256:ab"}, image), {"Id": "sha256:ab"}
        >>> Template.parse("{{.ID}} {{.Id}}").inspect(typed, raw)
        Traceback (most recent call last):
          ...
        imageinspect.gotemplate.errors.TemplateError: --format: $.ID: no such field (the image has: Id); template parsing error: template: :1:2: executing "" at <.ID>: map has no entry for key "ID"
        >>> Template.parse("{{.Id}}").inspect(typed, raw), Template.parse("{{.ID}}").inspect(typed, raw)
        ('sha256:ab', 'sha256:ab')
        """
        try:
            return self.execute(typed, functions=functions)
        except TemplateError:
            return self.execute(raw, missingkey="error", wrap="template parsing error: ", functions=functions)

    def _error(self, failure: _Failure, wrap: str) -> TemplateError:
        pos = getattr(failure.node, "pos", 0)
        before = self.source[:pos]
        line = before.count("\n") + 1
        column = pos - (before.rfind("\n") + 1) if "\n" in before else pos
        go = f'{wrap}template: :{line}:{column}: executing "" at <{go_string(failure.node)}>: {failure.go}'
        message = f"{failure.ours}; {go}" if failure.ours else go
        return TemplateError(message.replace("\n", "\\n"), go=go)  # one line, as every message


def render(source: str, data: Any) -> str:
    """Parse ``source`` and execute it on ``data`` (a typed value, or JSON).

    >>> render("{{len .RepoTags}} {{upper .Os}}", {"RepoTags": ["a"], "Os": "linux"})
    '1 LINUX'
    """
    return Template.parse(source).execute(data)
