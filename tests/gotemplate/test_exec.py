"""Execution against Go's text/template rules (the cases a review found, and
the ones docker users write), end to end from the template's text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageinspect.cli.gokinds import DOCKER, PODMAN
from imageinspect.gotemplate import Template, TemplateError
from imageinspect.gotemplate.exec import field, go_name
from imageinspect.gotemplate.gofmt import NO_VALUE, UNTYPED, Value

from .docker import DATA, render


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{if .Empty}}a{{else if .Empty}}b{{end}}", ""),
        ("{{if .Empty}}a{{else if .Os}}b{{else}}c{{end}}", "b"),
        ("{{if .Empty}}a{{else if .Empty}}b{{else}}c{{end}}", "c"),
        ('{{print "\\x41\\101\\u00e9\\U0001F600\\t|"}}', "AAé😀\t|"),
        ("{{print `raw\\n`}}", "raw\\n"),
        ('{{"}}"}}', "}}"),
        ("{{/* a }} b */}}x", "x"),
        ("a {{- .Os -}} b", "alinuxb"),
        ('{{printf "%s has %d tags: %q" .Os (len .RepoTags) .Id}}', 'linux has 2 tags: "sha256:ab"'),
        ('{{if eq .Os "linux"}}L{{end}}{{if ne .Os "linux"}}N{{end}}', "L"),
        ("{{if and .Os (not .Empty)}}y{{end}}{{or .Empty .Os}}", "ylinux"),
        ('{{(index . "Config").Env}} {{len (index . "Config").Env}}', "[A=1 B=2] 2"),
        ("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}", "0=app:1 1=app:2 "),
        ("{{range .Empty}}x{{else}}none{{end}}", "none"),
        (
            '{{.Config.Labels.nope}} {{json .Config.Labels.nope}} [{{index .Config.Labels "nope"}}]',
            "<no value> null []",
        ),
        ('{{split .Os ""}} {{join .RepoTags ","}} {{upper .Os}} {{title "a b"}}', "[l i n u x] app:1,app:2 LINUX A B"),
        ("{{.Config.Healthcheck}}|{{.Config.User}}|{{.Config.Volumes}}|{{.Config.Cmd}}", "<nil>||map[]|[]"),
        ('{{printf "%.9s|%5d|%-6s|%x|%X" .Id .Size .Os .Size "ab"}}', "sha256:ab| 1234|linux |4d2|6162"),
        ('{{printf "%s" .Os .Size}}', "linux%!(EXTRA number=1234)"),
        ('{{printf "%d %s"  .Os}}', "%!d(string=linux) %!s(MISSING)"),
        ("{{-\n.Os\n-}}", "linux"),
        ("{{.ID}} {{.Id}}", "sha256:ab sha256:ab"),
        ('{{index .Ports "80/tcp"}} {{range .Ports}}{{.}}{{end}}', "{} {}"),
    ],
)
def test_go_semantics(source: str, expected: str) -> None:
    assert render(source, DATA) == expected


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("{{.Config.Nope}}", "$.Config.Nope: no such field (Config has: Env, Healthcheck, Labels, User)"),
        ("{{.Config.Healthcheck.Test}}", "$.Config.Healthcheck.Test: $.Config.Healthcheck is nil"),
        ("{{nosuch .Id}}", "unknown function 'nosuch'"),
        ("{{upper .Size}}", "upper: wrong number or kind of arguments (given: number)"),
        ("{{and}}", "and: wrong number or kind of arguments (given: nothing)"),
        ("{{.Id 3}}", ".Id is not a function"),
        ("{{index .RepoTags 5}}", "index: 5 out of range (length 2)"),
        ("{{truncate .Id -1}}", "truncate: wrong number or kind of arguments"),
        ("{{pad .Os -1 2}}", "pad: wrong number or kind of arguments"),
        ("{{index .Config.Labels 1}}", "index: a map's keys are strings, got number"),
        ("{{nil}}", "nil is not a command"),
        ("{{" + "(" * 2000 + ".Os" + ")" * 2000 + "}}", "nested too deeply"),
        # added: the other errors execution raises
        ("{{$nope}}", "undefined variable $nope"),
        ("{{.Os.Name}}", "$.Os.Name: $.Os is a string, not an object"),
        ("{{range .Size}}{{end}}", "$.Size: cannot range over a number"),
        ("{{.Config..Env}}", "bad field path '.Config..Env'"),
        ("{{json}}", "json: wrong number or kind of arguments (given: nothing)"),
        ("{{join .Os}}", "join: wrong number or kind of arguments (given: string)"),
        ('{{join .Os ","}}', "join: expected a list, got string"),
        ("{{.Os | .Id}}", ".Id is not a function: it takes no arguments"),
        ("{{(.Os) 1}}", "(...) is not a function: it takes no arguments"),
        ("{{+x}}", "'+x' is not a field, variable or function"),
        ("{{len json}}", "'json' is not a field, variable or function"),
    ],
)
def test_errors_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        render(source, DATA)
    assert message in str(caught.value)


def test_podman_field_names_and_times() -> None:
    podman = {"Created": "2024-01-02T03:04:05.5Z", "History": [{"created_by": "RUN x", "author": "me"}]}
    template = Template.parse("{{.Created}}|{{range .History}}{{.CreatedBy}} by {{.Author}}{{end}}")
    assert template.execute(podman, kinds=PODMAN) == "2024-01-02 03:04:05.5 +0000 UTC|RUN x by me"
    assert Template.parse("{{print .Created}}").execute({"Created": "x", "LastTagTime": "y"}, kinds=DOCKER) == "x"


def test_the_kinds_decide_zero_values_and_missing_fields() -> None:
    """Without Go kinds a left-out field is an error; Docker's kinds give its
    zero value, podman's print ``Created`` as a time."""
    template = Template.parse("{{.Config.Cmd}}|{{.Config.Volumes.x}}|{{.Size}}")
    assert template.execute({"Config": {}, "Size": 0}, kinds=DOCKER) == "[]|<no value>|0"
    with pytest.raises(TemplateError, match=r"Config\.Cmd: no such field \(Config has: no fields\)"):
        template.execute({"Config": {}, "Size": 0})
    created = {"Created": "2024-01-02T03:04:05Z"}
    assert Template.parse("{{.Created}}").execute(created, kinds=DOCKER) == "2024-01-02T03:04:05Z"
    assert Template.parse("{{.Created}}").execute(created, kinds=PODMAN) == "2024-01-02 03:04:05 +0000 UTC"


def test_field() -> None:
    data = Value({"Id": "x", "Labels": None, "Config": {"Labels": {}}}, "$")
    assert field(data, "ID") == Value("x", "$.Id", "Id")
    assert field(field(data, "Labels", DOCKER), "a", DOCKER) == Value(NO_VALUE, "$.Labels.a", "a")
    assert field(field(data, "Config"), "Labels").value == {}
    with pytest.raises(TemplateError, match=r"\$\.Labels\.a: \$\.Labels is nil"):
        field(field(data, "Labels", UNTYPED), "a", UNTYPED)
    with pytest.raises(TemplateError, match=r"no such field \(the image has: Config, Id, Labels\)"):
        field(data, "Nope")
    with pytest.raises(TemplateError, match=r"no such field \(the image has: no fields\)"):
        field(Value({}, "$"), "Nope")


def test_go_name() -> None:
    assert [go_name(k) for k in ("Id", "ID", "empty_layer", "x", "_a")] == ["ID", "ID", "EmptyLayer", "X", "A"]


def test_variables_and_scopes() -> None:
    source = "{{range $t := .RepoTags}}{{$t}}:{{$.Os}}:{{len $}};{{end}}{{range $k, $v := .Ports}}{{$k}}{{$v}}{{end}}"
    assert render(source) == "app:1:linux:7;app:2:linux:7;80/tcp{}"
    with pytest.raises(TemplateError, match=r"undefined variable \$t"):
        render("{{range $t := .RepoTags}}{{end}}{{$t}}")
    assert render("{{range .Missing}}x{{else}}nil ranges as empty{{end}}", {"Missing": None}) == "nil ranges as empty"


def test_a_template_runs_again_the_same() -> None:
    template = Template.parse("{{range .RepoTags}}{{.}} {{end}}")
    assert template.execute(DATA) == template.execute(DATA) == "app:1 app:2 "
    assert Template.parse("x{{.Os}}y") == Template.parse("x{{.Os}}y")


# -- any text: output or a TemplateError, nothing else ------------------------------------------

_PIECES = st.sampled_from(
    [
        "{{",
        "}}",
        "{{-",
        "-}}",
        " ",
        ".",
        "$",
        "$k",
        "$v",
        ":=",
        ",",
        "|",
        "(",
        ")",
        '"',
        "`",
        "\\",
        "/*",
        "*/",
        "range",
        "if",
        "else",
        "end",
        "with",
        "json",
        "join",
        "index",
        "len",
        "printf",
        "eq",
        "not",
        "and",
        "or",
        ".Config",
        ".Env",
        ".Labels",
        ".RepoTags",
        ".Size",
        ".Nope",
        '"%s"',
        '"x"',
        "0",
        "5",
        "-1",
        "nil",
        "true",
        "\n",
        "a",
        "é",
    ]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=16).map("".join))
def test_any_template_renders_or_raises_a_template_error(source: str) -> None:
    try:
        out = render(source, DATA)
    except TemplateError as err:
        assert str(err).startswith("--format: ")
        assert "\n" not in err.message
    else:
        assert isinstance(out, str)
