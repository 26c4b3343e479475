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

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from .errors import TemplateError, error
from .funcs import FUNCTIONS, CallError, Function, argument_error, truth
from .gofmt import go_text
from .lex import unquote
from .nodes import (
    ActionNode,
    BoolNode,
    BreakNode,
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
    WithNode,
    go_string,
)
from .parse import parse
from .release import LATEST_GO, RANGE_ASSIGN, RANGE_INT, SHORT_CIRCUIT, GoRelease, go_release
from .types import BOOL, INT, NO_VALUE, STRING, Value, field_value, static, type_name

#: How many ``range`` iterations one execution may take, all ranges counted.
#: Go has no such bound; ``{{range .Size}}`` on a real image would loop a few
#: billion times here, so a run stops with an error instead of hanging.
MAX_ITERATIONS = 1_000_000

__all__ = ["MissingKey", "Template", "render"]

#: What a missing map key gives: Go's default (``<no value>``) or an error.
MissingKey = Literal["default", "error"]


class _Failure(Exception):
    """An execution error: the node Go reports it at, Go's words, and ours
    (the JSON path, and what is there instead) where they say more."""

    def __init__(self, node: Any, go: str, ours: str = "") -> None:
        super().__init__(go)
        self.node, self.go, self.ours = node, go, ours


class _Stopped(_Failure):
    """An execution imageinspect stops where Go would go on (see
    :data:`MAX_ITERATIONS`): not run again on the daemon's JSON."""


class _Break(Exception):
    """``{{break}}``: ends the innermost range."""


class _Continue(Exception):
    """``{{continue}}``: ends this iteration of the innermost range."""


@attrs.define
class _State:
    """One execution, as Go's ``state``: the variables in scope (a stack:
    ``$`` first, then each declaration), the node being evaluated (Go's
    ``s.at``: errors found after evaluating something are reported there),
    and what is fixed for the run."""

    root: Value
    missingkey: MissingKey
    functions: Mapping[str, Function]
    go: GoRelease
    variables: list[list[Any]] = attrs.field(factory=list)
    node: Any = None
    iterations: int = 0

    def iterate(self, node: Any) -> None:
        """Count one ``range`` iteration against :data:`MAX_ITERATIONS`."""
        self.iterations += 1
        if self.iterations > MAX_ITERATIONS:
            message = f"more than {MAX_ITERATIONS:,} range iterations: imageinspect stops here (Go would go on)"
            raise _Stopped(node, message)

    def at(self, node: Any) -> None:
        self.node = node

    def mark(self) -> int:
        return len(self.variables)

    def pop(self, mark: int) -> None:
        del self.variables[mark:]

    def push(self, name: str, value: Value) -> None:
        self.variables.append([name, value])

    def assign(self, name: str, value: Value) -> None:
        """``$name = value``: the innermost variable of that name."""
        for variable in reversed(self.variables):
            if variable[0] == name:
                variable[1] = value
                return
        raise _Failure(self.node, f"undefined variable: {name}", f"undefined variable {name}")

    def set_top(self, depth: int, value: Value) -> None:
        """The variable ``depth`` from the top of the stack (Go's ``setTopVar``)."""
        self.variables[-depth][1] = value

    def lookup(self, name: str, node: Any) -> Value:
        for known, value in reversed(self.variables):
            if known == name:
                return value  # type: ignore[no-any-return]
        raise _Failure(node, f"undefined variable: {name}", f"undefined variable {name}")


def _owner(value: Value) -> str:
    return value.path.rsplit(".", 1)[-1] if value.path != "$" else "the image"


def _field(receiver: Value, name: str, node: Any, state: _State, has_args: bool = False) -> Value:
    """``receiver.name``, as Go's ``evalField`` does."""
    payload, go_type = receiver.value, receiver.type
    path = f"{receiver.path}.{name}"
    if payload is NO_VALUE:  # a missing key's value has no fields either
        if state.missingkey == "error":
            raise _Failure(node, f'nil data; no entry for key "{name}"')
        return Value(NO_VALUE, None, path)
    if go_type is None:  # JSON: a map of interface{}
        declared = "map[string]interface {}" if receiver.path == "$" else "interface {}"
        if isinstance(payload, Mapping):
            if has_args:
                raise _Failure(node, f"{name} is not a method but has arguments")
            if name in payload:
                return Value(payload[name], None, path)
            if state.missingkey == "error":
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
            if state.missingkey == "error":
                raise _Failure(node, f'map has no entry for key "{name}"', f"{path}: no such key")
            return Value(NO_VALUE, None, path)
        return Value(found_value, static(go_type.elem), path)
    raise _Failure(
        node,
        f"can't evaluate field {name} in type {go_type.name}",
        f"{path}: {receiver.path} is a {go_type.name}, not an object",
    )


def _chain(base: Value, parts: tuple[str, ...], node: Any, state: _State, has_args: bool = False) -> Value:
    for position, part in enumerate(parts):
        if not part:
            raise _Failure(node, f"bad field path {go_string(node)!r}")
        base = _field(base, part, node, state, has_args and position == len(parts) - 1)
    return base


def _dig(value: Value) -> Value:
    """Go takes what an ``interface{}`` holds: a JSON ``null`` is no value."""
    return Value(NO_VALUE, None, value.path) if value.type is None and value.value is None else value


def _function(node: IdentifierNode, state: _State) -> Function:
    function = state.functions.get(node.text)
    if function is None:
        functions = ", ".join(sorted(state.functions))
        raise _Failure(
            node, f'function "{node.text}" not defined', f"unknown function {node.text!r} (functions: {functions})"
        )
    return function


def _argument(node: Operand, dot: Value, state: _State) -> Value:
    """An operand evaluated as a function's argument (Go's ``evalArg``: a
    function named alone is called without arguments)."""
    state.at(node)
    if isinstance(node, PipeNode):
        return _run_pipeline(node.pipeline, dot, state)
    if isinstance(node, ChainNode):
        return _chain(_run_pipeline(node.pipeline, dot, state), node.parts, state.node, state)
    if isinstance(node, StringNode):
        try:
            return Value(unquote(node.text), STRING, "")
        except TemplateError as err:
            raise _Failure(node, err.message) from None
    if isinstance(node, RawStringNode):
        return Value(node.text[1:-1], STRING, "")
    if isinstance(node, BoolNode):
        return Value(node.value, BOOL, "")
    if isinstance(node, NilNode):
        return Value(None, None, "")
    if isinstance(node, NumberNode):
        return Value(int(node.text), INT, "")
    if isinstance(node, DotNode):
        return dot
    if isinstance(node, FieldNode):
        return _chain(dot, node.parts, node, state)
    if isinstance(node, VariableNode):
        return _chain(state.lookup(node.name, node), node.parts, node, state)
    if isinstance(node, IdentifierNode):
        return _call(node.text, _function(node, state), Command((node,), pos=node.pos), dot, state, None)
    raise _Failure(node, f"bad character in {node.text!r}", f"{node.text!r} is not a field, variable or function")


def _call(name: str, function: Function, command: Command, dot: Value, state: _State, piped: Value | None) -> Value:
    """Go's ``evalCall``: the number of arguments, each one's type, then the
    call (``and`` and ``or`` stop at the first value that decides, from Go
    1.18 on)."""
    identifier, nodes = command.operands[0], command.operands[1:]
    state.at(identifier)
    given = len(nodes) + (piped is not None)
    fixed = len(function.params)
    if (given < fixed) if function.variadic else (given != fixed):
        want = f"at least {fixed}" if function.variadic else str(fixed)
        got = len(nodes) if function.variadic else given  # Go counts the piped value only for the second
        raise _Failure(identifier, f"wrong number of args for {name}: want {want} got {got}")
    short = name in ("and", "or") and state.go >= SHORT_CIRCUIT
    values: list[Value] = []
    for position in range(given):
        param = function.params[position] if position < fixed else function.variadic
        assert param is not None
        if position < len(nodes):
            value = _argument(nodes[position], dot, state)
        else:
            assert piped is not None
            value = piped
        problem = argument_error(value, param)
        if problem is not None:
            raise _Failure(state.node, problem, f"{name}: {problem}")
        values.append(value)
        if short and truth(value) == (name == "or"):
            return value
    try:
        return function.call(*values, go=state.go) if function.by_release else function.call(*values)
    except CallError as err:
        raise _Failure(command, f"error calling {name}: {err.words(state.go)}") from None
    except (TypeError, ValueError, OverflowError) as err:  # a verb or width Python's % refuses
        raise _Failure(command, f"error calling {name}: {err}") from None


def _not_a_function(command: Command, piped: Value | None, node: Any) -> None:
    if len(command.operands) > 1 or piped is not None:
        first = command.operands[0]
        raise _Failure(
            node,
            f"can't give argument to non-function {go_string(first)}",
            f"{go_string(first)} is not a function: it takes no arguments",
        )


def _run_command(command: Command, dot: Value, state: _State, piped: Value | None) -> Value:
    """Go's ``evalCommand``: a field, a chain, a function call, a
    parenthesized pipeline, a variable, or a literal."""
    first = command.operands[0]
    has_args = len(command.operands) > 1 or piped is not None
    if isinstance(first, FieldNode):
        state.at(first)
        return _chain(dot, first.parts, first, state, has_args)
    if isinstance(first, ChainNode):
        state.at(first)
        base = _run_pipeline(first.pipeline, dot, state)
        return _chain(base, first.parts, state.node, state, has_args)
    if isinstance(first, IdentifierNode):
        state.at(first)
        return _call(first.text, _function(first, state), command, dot, state, piped)
    if isinstance(first, PipeNode):
        _not_a_function(command, piped, state.node)
        return _run_pipeline(first.pipeline, dot, state)
    if isinstance(first, VariableNode):
        state.at(first)
        value = state.lookup(first.name, first)
        if not first.parts:
            _not_a_function(command, piped, first)
            return value
        return _chain(value, first.parts, first, state, has_args)
    state.at(first)
    _not_a_function(command, piped, first)
    if isinstance(first, NilNode):
        raise _Failure(first, "nil is not a command")
    return _argument(first, dot, state)


def _run_pipeline(pipeline: Pipeline, dot: Value, state: _State) -> Value:
    """Go's ``evalPipeline``: each command's value is the next one's last
    argument; then its variables are declared (pushed) or assigned."""
    state.at(pipeline)
    value: Value | None = None
    for command in pipeline.commands:
        value = _dig(_run_command(command, dot, state, value))
    assert value is not None
    for name in pipeline.decl:
        if pipeline.assign:
            state.assign(name, value)
        else:
            state.push(name, value)
    return value


def _items(value: Value, node: RangeNode, state: _State) -> Iterable[tuple[Value, Value]]:
    """What ``range`` goes through: a slice's (index, element), a map's
    (key, value) in key order; nothing for a nil one or no value; from Go
    1.24 on, an integer's 0 to n-1 (the index no value)."""
    payload, go_type = value.value, value.type
    if payload is NO_VALUE:
        return []
    if go_type is not None and go_type.kind == "pointer" and payload is not None and go_type.elem is not None:
        go_type = go_type.elem
    kind = "raw" if go_type is None else go_type.kind
    elem = None if go_type is None else static(go_type.elem)
    if kind == "slice" or (kind == "raw" and isinstance(payload, list | tuple)):
        return [
            (Value(position, INT), Value(item, elem, f"{value.path}[{position}]"))
            for position, item in enumerate(payload or ())
        ]
    if kind == "map" or (kind == "raw" and isinstance(payload, Mapping)):
        items = payload or {}
        return [(Value(key, STRING), Value(items[key], elem, f"{value.path}.{key}")) for key in sorted(items)]
    if kind in ("int", "duration") and state.go >= RANGE_INT:
        if len(node.pipeline.decl) > 1:
            raise _Failure(state.node, f"can't use {go_text(value)} to iterate over more than one variable")
        return ((Value(NO_VALUE), Value(number, go_type)) for number in range(payload))  # lazily: it may be big
    if kind == "raw" and payload is None:
        return []
    shown = go_text(value) if go_type is None or go_type.kind != "pointer" else "<nil>"
    raise _Failure(
        state.node,
        f"range can't iterate over {shown}",
        f"{value.path or 'range'}: cannot range over a {type_name(value)}",
    )


def _range(node: RangeNode, dot: Value, state: _State, out: list[str]) -> None:
    """Go's ``walkRange``: the pipeline's variables take each index and
    element (declared with ``:=``, the last ones declared; assigned with
    ``=``, those variables from Go 1.22 on); ``{{break}}`` anywhere in it
    ends it."""
    mark = state.mark()
    decl, assign = node.pipeline.decl, node.pipeline.assign
    try:
        items = _items(_run_pipeline(node.pipeline, dot, state), node, state)
        inner = state.mark()
        ran = False
        for index, element in items:
            state.iterate(node)
            ran = True
            if assign and state.go >= RANGE_ASSIGN:
                state.assign(decl[0], index if len(decl) > 1 else element)
                if len(decl) > 1:
                    state.assign(decl[1], element)
            elif decl:
                state.set_top(1, element)
                if len(decl) > 1:
                    state.set_top(2, index)
            try:
                _execute(node.body, element, state, out)
            except _Continue:
                pass
            finally:
                state.pop(inner)
        if not ran:
            _execute(node.otherwise, dot, state, out)
    except _Break:
        pass
    finally:
        state.pop(mark)


def _execute(nodes: tuple[Node, ...], dot: Value, state: _State, out: list[str]) -> None:
    """Go's ``walk``: each node in turn (an ``if``'s or ``with``'s variables
    live until its ``{{end}}``)."""
    for node in nodes:
        state.at(node)
        if isinstance(node, TextNode):
            out.append(node.text)
        elif isinstance(node, ActionNode):
            value = _run_pipeline(node.pipeline, dot, state)
            if not node.pipeline.decl:
                out.append(go_text(value))
        elif isinstance(node, IfNode | WithNode):
            mark = state.mark()
            try:
                value = _run_pipeline(node.pipeline, dot, state)
                if truth(value):
                    _execute(node.body, value if isinstance(node, WithNode) else dot, state, out)
                else:
                    _execute(node.otherwise, dot, state, out)
            finally:
                state.pop(mark)
        elif isinstance(node, RangeNode):
            _range(node, dot, state, out)
        elif isinstance(node, BreakNode):
            raise _Break
        else:
            raise _Continue


@attrs.frozen
class Template:
    """A parsed template, executed once per image.

    >>> Template.parse("{{.Id}}").execute({"Id": "sha256:ab"})
    'sha256:ab'
    """

    nodes: tuple[Node, ...]
    #: The template's text (Go's error messages say where in it).
    source: str = ""
    #: The Go release whose ``text/template`` it runs as (the program's:
    #: Docker's 20.10 CLI was built with Go 1.19, its 28.5 and 29 with 1.27).
    go: str = LATEST_GO

    @classmethod
    def parse(cls, source: str, go: str = LATEST_GO, functions: Mapping[str, Function] = FUNCTIONS) -> Template:
        """Parse ``source`` as the ``text/template`` of Go release ``go``
        parses it, knowing ``functions`` (the program's: a name that is none
        of them is an error); a syntax error raises
        :class:`~imageinspect.gotemplate.errors.TemplateError`.

        >>> Template.parse("{{.Os}}").nodes
        (ActionNode(pipeline=Pipeline(commands=(Command(operands=(FieldNode(text='.Os', parts=('Os',)),)),), decl=(), assign=False)),)
        >>> Template.parse("{{range $i := 2}}{{$i}}{{end}}", go="1.27").execute({})
        '01'
        >>> Template.parse("{{range $i := 2}}{{$i}}{{end}}", go="1.19").execute({})
        Traceback (most recent call last):
          ...
        imageinspect.gotemplate.errors.TemplateError: --format: range: cannot range over a int; template: :1:14: executing "" at <2>: range can't iterate over 2
        """
        try:
            return cls(parse(source, go, functions), source, go)
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
            state = _State(root, missingkey, functions, go_release(self.go), [["$", root]])
            _execute(self.nodes, root, state, out)
        except (_Break, _Continue):  # the parser allows neither outside a range
            raise AssertionError("break or continue outside a range") from None
        except RecursionError:
            raise error("the template is nested too deeply") from None
        except _Failure as failure:
            try:
                found = self._error(failure, wrap)
            except RecursionError:  # the node too deep to write back
                raise error("the template is nested too deeply") from None
            found.final = isinstance(failure, _Stopped)
            raise found from None
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
        except TemplateError as failed:
            if failed.final:
                raise
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
