"""The subset of Go's ``text/template`` that ``docker inspect -f`` is used
with, staged as Go's is: :mod:`~imageinspect.gotemplate.lex` (actions and
tokens), :mod:`~imageinspect.gotemplate.nodes` (the typed tree),
:mod:`~imageinspect.gotemplate.parse`, :mod:`~imageinspect.gotemplate.exec`,
:mod:`~imageinspect.gotemplate.funcs` (the functions),
:mod:`~imageinspect.gotemplate.gofmt` (Go's ``fmt``, durations, times and
``encoding/json``) and :mod:`~imageinspect.gotemplate.types` (Go's types, as
the caller describes them).

Supported: text; ``{{.Field.Path}}``, ``{{.}}``, ``{{$}}`` and ``{{$var.Path}}``;
string, number and boolean literals; pipes (``{{.Config.Env | json}}``);
``{{range PIPE}}...{{else}}...{{end}}`` (with ``$v :=`` or ``$k, $v :=``),
``{{if PIPE}}...{{else}}...{{end}}``; ``{{- `` and `` -}}`` trimming;
comments; and the functions ``json``, ``join``, ``split``, ``index``, ``len``,
``upper``, ``lower``, ``title``, ``truncate``, ``pad``, ``print``, ``printf``,
``println``, ``eq``, ``ne``, ``and``, ``or`` and ``not``.

A template runs on a typed value (:class:`Value` with a :class:`GoType` the
caller builds: the CLI builds Docker's and podman's types from the models)
or on JSON (Go's ``interface{}``). Typed, a field is its Go field name, one
the JSON left out is Go's zero value, one the type lacks is an error; values
print as Go prints their type (``[]`` for a nil slice, ``{v1 v2}`` for a
struct, ``1m30s`` for a duration). :meth:`Template.inspect` does what
``docker inspect -f`` does: typed first, then the JSON with missing keys
errors.

>>> data = {"Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}}, "Size": 5}
>>> render("{{.Config.Env}} {{json .Config.Env}} {{.Size}}", data)
'[A=1 B=2] ["A=1","B=2"] 5'
>>> config = struct_type("container.Config", (GoField("Cmd", slice_of(STRING), lambda c: c.get("cmd"), "Cmd"),))
>>> render("{{.Cmd}} {{json .Cmd}}", Value({}, config))
'[] null'
"""

from __future__ import annotations

from .errors import TemplateError
from .exec import Template, render
from .gofmt import go_duration, go_json, go_text, go_time
from .types import (
    BOOL,
    DURATION,
    EMPTY_STRUCT,
    INT,
    NO_VALUE,
    STRING,
    TIME,
    GoField,
    GoType,
    Value,
    map_of,
    pointer_to,
    slice_of,
    struct_type,
)

__all__ = [
    "BOOL",
    "DURATION",
    "EMPTY_STRUCT",
    "INT",
    "NO_VALUE",
    "STRING",
    "TIME",
    "GoField",
    "GoType",
    "Template",
    "TemplateError",
    "Value",
    "go_duration",
    "go_json",
    "go_text",
    "go_time",
    "map_of",
    "pointer_to",
    "render",
    "slice_of",
    "struct_type",
]
