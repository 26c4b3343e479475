"""The subset of Go's ``text/template`` that ``docker inspect -f`` is used
with, staged as Go's is: :mod:`~imageinspect.gotemplate.lex` (actions and
tokens), :mod:`~imageinspect.gotemplate.nodes` (the typed tree),
:mod:`~imageinspect.gotemplate.parse`, :mod:`~imageinspect.gotemplate.exec`,
:mod:`~imageinspect.gotemplate.funcs` (the functions),
:mod:`~imageinspect.gotemplate.gofmt` (Go's ``fmt``, durations, times and
``encoding/json``), :mod:`~imageinspect.gotemplate.types` (Go's types, as
the caller describes them) and :mod:`~imageinspect.gotemplate.release` (what
each Go release's ``text/template`` knows).

Supported: text; ``{{.Field.Path}}``, ``{{.}}``, ``{{$}}`` and ``{{$var.Path}}``;
string, number and boolean literals; pipes (``{{.Config.Env | json}}``);
``{{if PIPE}}``, ``{{with PIPE}}`` and ``{{range PIPE}}``, each with
``{{else}}`` (and ``{{else if}}``, ``{{else with}}``), ``{{break}}`` and
``{{continue}}``; variables declared (``{{$x := PIPE}}``, ``{{range $k, $v :=
PIPE}}``) and assigned (``{{$x = PIPE}}``) anywhere, each living to the
``{{end}}`` around it; ``{{- `` and `` -}}`` trimming; comments; and the
functions ``json``, ``join``, ``split``, ``index``, ``slice``, ``len``,
``upper``, ``lower``, ``title``, ``truncate``, ``pad``, ``html``,
``urlquery``, ``print``, ``printf``, ``println``, ``eq``, ``ne``, ``lt``,
``le``, ``gt``, ``ge``, ``and``, ``or`` and ``not``. Not supported: ``define``,
``template``, ``block``, ``call`` and ``js``.

A template is parsed and run as the ``text/template`` of one Go release
(:mod:`~imageinspect.gotemplate.release`, :data:`LATEST_GO` unless said):
the program's, since what parses (``{{else with}}`` from Go 1.23), what runs
(``{{range}}`` over an integer from Go 1.24) and a few error messages differ.

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
>>> render('{{with $n := len .Config.Env}}{{if gt $n 1}}{{$n}} vars{{end}}{{end}} {{slice .Config.Env 1 | html}}', data)
'2 vars [B=2]'
>>> Template.parse("{{with .A}}a{{else with .B}}b{{end}}", go="1.27").execute({"B": 1})
'b'
"""

from __future__ import annotations

from .errors import TemplateError
from .exec import Template, render
from .gofmt import go_duration, go_json, go_text, go_time
from .release import LATEST_GO, go_release
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
    "LATEST_GO",
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
    "go_release",
    "go_text",
    "go_time",
    "map_of",
    "pointer_to",
    "render",
    "slice_of",
    "struct_type",
]
