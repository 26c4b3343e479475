"""The subset of Go's ``text/template`` that ``docker inspect -f`` is used
with, staged as Go's is: :mod:`~imageinspect.gotemplate.lex` (actions and
tokens), :mod:`~imageinspect.gotemplate.nodes` (the typed tree),
:mod:`~imageinspect.gotemplate.parse`, :mod:`~imageinspect.gotemplate.exec`,
:mod:`~imageinspect.gotemplate.funcs` (the functions) and
:mod:`~imageinspect.gotemplate.gofmt` (Go's ``fmt``, durations and times).

Supported: text; ``{{.Field.Path}}``, ``{{.}}``, ``{{$}}`` and ``{{$var.Path}}``;
string, number and boolean literals; pipes (``{{.Config.Env | json}}``);
``{{range PIPE}}...{{else}}...{{end}}`` (with ``$v :=`` or ``$k, $v :=``),
``{{if PIPE}}...{{else}}...{{end}}``; ``{{- `` and `` -}}`` trimming;
comments; and the functions ``json``, ``join``, ``split``, ``index``, ``len``,
``upper``, ``lower``, ``title``, ``truncate``, ``pad``, ``print``, ``printf``,
``println``, ``eq``, ``ne``, ``and``, ``or`` and ``not``. Values print as Go's
``fmt`` prints them: lists as ``[a b]``, objects as ``map[k:v]`` with sorted
keys.

JSON does not say which Go type a field has: the caller passes
:class:`GoKinds` (the CLI's come from Docker's and podman's types). A field
the value does not have at all is an error naming its JSON path; a field the
kinds know but the JSON leaves out prints as Go's zero value (``[]`` for
lists, ``map[]`` for maps, ``<nil>`` for pointers); a missing key of a map
(``.Config.Labels.nope``) prints ``<no value>``. Durations and times print as
Go prints them; a struct prints as a map (``{{json ...}}`` is exact).

>>> data = {"Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}}, "Size": 5}
>>> render("{{.Config.Env}} {{json .Config.Env}} {{.Size}}", data)
'[A=1 B=2] ["A=1","B=2"] 5'
>>> render("{{.Config.Cmd}}", data, kinds=GoKinds(lists=frozenset({"Cmd"}), known=frozenset({"Cmd"})))
'[]'
"""

from __future__ import annotations

from .errors import TemplateError
from .exec import Template, render
from .funcs import HtmlEscaped
from .gofmt import UNTYPED, GoKinds, go_duration, go_text, go_time

__all__ = [
    "UNTYPED",
    "GoKinds",
    "HtmlEscaped",
    "Template",
    "TemplateError",
    "go_duration",
    "go_text",
    "go_time",
    "render",
]
