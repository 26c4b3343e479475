"""Execution against Go's text/template rules (the cases a review found, and
the ones docker users write), end to end from the template's text: on a
typed value, on JSON, and as ``docker inspect -f`` (typed, then JSON)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imageinspect.gotemplate import STRING, GoField, Template, TemplateError, Value, struct_type

from .docker import DATA, IMAGE, TYPED, render


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
        ('{{printf "%s has %d tags: %q" .Os (len .RepoTags) .ID}}', 'linux has 2 tags: "sha256:ab"'),
        ('{{if eq .Os "linux"}}L{{end}}{{if ne .Os "linux"}}N{{end}}', "L"),
        ("{{if and .Os (not .Empty)}}y{{end}}{{or .Empty .Os}}", "ylinux"),
        ('{{(index . "Config").Env}} {{len (index . "Config").Env}}', "[A=1 B=2] 2"),  # typed: a struct has no index
        ("{{range $i, $t := .RepoTags}}{{$i}}={{$t}} {{end}}", "0=app:1 1=app:2 "),
        ("{{range .Empty}}x{{else}}none{{end}}", "none"),
        (
            '{{.Config.Labels.nope}} {{json .Config.Labels.nope}} [{{index .Config.Labels "nope"}}]',
            "<no value> null []",
        ),
        ('{{split .Os ""}} {{join .RepoTags ","}} {{upper .Os}} {{title "a b"}}', "[l i n u x] app:1,app:2 LINUX A B"),
        ("{{.Config.Healthcheck}}|{{.Config.User}}|{{.Config.Volumes}}|{{.Config.Cmd}}", "<nil>||map[]|[]"),
        ('{{printf "%.9s|%5d|%-6s|%x|%X" .ID .Size .Os .Size "ab"}}', "sha256:ab| 1234|linux |4d2|6162"),
        ('{{printf "%s" .Os .Size}}', "linux%!(EXTRA int64=1234)"),
        ('{{printf "%d %s"  .Os}}', "%!d(string=linux) %!s(MISSING)"),
        ("{{-\n.Os\n-}}", "linux"),
        ('{{index .Ports "80/tcp"}} {{range .Ports}}{{.}}{{end}} {{.Ports}}', "{} {} map[80/tcp:{}]"),
        # the JSON fallback: Go's interface{} values
        ("{{.Id}}", "sha256:ab"),
        ("{{.Id}} {{.Config}}", "sha256:ab map[Env:[A=1 B=2] Labels:map[a:1 b:2] User:]"),
        ('{{.Id}} {{.Ports}} {{index .Config.Labels "nope"}}', "sha256:ab map[80/tcp:map[]] <no value>"),
        ('{{.Id}} {{printf "%d" .Size}} {{if .Size}}y{{end}}', "sha256:ab %!d(json.Number=1234) y"),
    ],
)
def test_go_semantics(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "go"),
    [
        # typed, then on the JSON with missingkey=error: the JSON's error is reported
        ("{{.Config.Nope}}", 'template: :1:9: executing "" at <.Config.Nope>: map has no entry for key "Nope"'),
        ("{{.ID}} {{.Id}}", 'template: :1:2: executing "" at <.ID>: map has no entry for key "ID"'),
        (
            "{{.Config.Healthcheck.Test}}",
            'template: :1:9: executing "" at <.Config.Healthcheck.Test>: map has no entry for key "Healthcheck"',
        ),
        (
            "{{index .RepoTags 5}}",
            'template: :1:2: executing "" at <index .RepoTags 5>: error calling index: index out of range: 5',
        ),
        (
            "{{.Config.Labels.nope}} {{.Id}}",
            'template: :1:9: executing "" at <.Config.Labels.nope>: map has no entry for key "nope"',
        ),
        (
            '{{.Id}} {{join .Config.Env ","}}',
            'template: :1:22: executing "" at <.Config.Env>: wrong type for value; expected []string; got []interface {}',
        ),
        (
            "{{.Id}}\n{{.Os.Name}}",
            'template: :2:5: executing "" at <.Os.Name>: can\'t evaluate field Name in type interface {}',
        ),
        (
            "{{range .Size}}{{end}}",
            'template: :1:8: executing "" at <{{range .Size}}{{end}}>: range can\'t iterate over 1234',
        ),
        (
            "{{upper .Size}}",
            'template: :1:8: executing "" at <.Size>: wrong type for value; expected string; got json.Number',
        ),
        ("{{len}}", 'template: :1:2: executing "" at <len>: wrong number of args for len: want 1 got 0'),
        ("{{.Os | .ID}}", 'template: :1:8: executing "" at <.ID>: ID is not a method but has arguments'),
        ("{{nosuch .Os}}", 'template: :1:2: executing "" at <nosuch>: function "nosuch" not defined'),
        (
            "{{truncate .Os -1}}",
            'template: :1:2: executing "" at <truncate .Os -1>: error calling truncate: runtime error: slice bounds out of range [:-1]',
        ),
        ("{{nil}}", 'template: :1:2: executing "" at <nil>: nil is not a command'),
        ("{{(.Os) 1}}", 'template: :1:3: executing "" at <.Os>: can\'t give argument to non-function .Os'),
    ],
)
def test_errors_say_what_go_says(source: str, go: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        render(source)
    assert caught.value.go == "template parsing error: " + go
    assert caught.value.message.endswith(caught.value.go)


@pytest.mark.parametrize(
    ("source", "ours"),
    [
        ("{{.Config.Nope}}", "$.Config.Nope: no such field (Config has: Cmd, Env, Labels, User); "),
        ("{{.ID}}", "$.ID: no such field (the image has: Config, Empty, Id, Os, Ports, RepoTags, Size); "),
        ("{{.Id}} {{.Config.Cmd.X}}", "$.Config.Cmd.X: $.Config.Cmd is nil; "),
        ("{{.Id}} {{.Os.X}}", "$.Os.X: $.Os is a string, not an object; "),
    ],
)
def test_errors_name_the_json_path_first(source: str, ours: str) -> None:
    raw = {**DATA, "Config": {**DATA["Config"], "Cmd": None}}
    with pytest.raises(TemplateError) as caught:
        Template.parse(source).execute(raw, missingkey="error")
    assert caught.value.message.startswith(ours)


def test_typed_errors_where_there_is_no_fallback() -> None:
    """podman and docker history run on the typed value only: its error is
    the one reported, naming the Go type."""
    with pytest.raises(TemplateError) as caught:
        Template.parse("{{.Id}}").execute(TYPED)
    assert (
        caught.value.go == 'template: :1:2: executing "" at <.Id>: can\'t evaluate field Id in type types.ImageInspect'
    )
    assert caught.value.message.startswith("$.Id: no such field (types.ImageInspect has: ID, Os, Size, Empty, ")
    with pytest.raises(TemplateError, match=r"nil pointer evaluating \*container\.HealthConfig\.Test"):
        Template.parse("{{.Config.Healthcheck.Test}}").execute(TYPED)
    with pytest.raises(TemplateError, match=r"can't evaluate field Nope in type \*container\.Config"):
        Template.parse("{{.Config.Nope}}").execute(TYPED)
    with pytest.raises(TemplateError, match="can't evaluate field X in type string"):
        Template.parse("{{.Os.X}}").execute(TYPED)
    with pytest.raises(TemplateError, match="ID has arguments but cannot be invoked as function"):
        Template.parse("{{.Os | .ID}}").execute(TYPED)


def test_a_typed_missing_key_is_no_value_and_stays_so() -> None:
    assert Template.parse("{{.Config.Labels.nope.deeper}}").execute(TYPED) == "<no value>"
    with pytest.raises(TemplateError, match='map has no entry for key "nope"'):
        Template.parse("{{.Config.Labels.nope.deeper}}").execute(TYPED, missingkey="error")
    assert Template.parse("{{.Nope}}").execute({}) == "<no value>"
    # a JSON null is an interface{} holding nothing: no value, but <nil> when printed by print
    assert Template.parse("{{.X}} {{print .X}} {{.X | print}}").execute({"X": None}, missingkey="error") == (
        "<no value> <nil> <nil>"
    )


def test_structs_print_as_go_prints_them() -> None:
    health = {"Test": ["CMD", "true"], "Interval": 90 * 10**9, "Retries": 3}
    data = {**DATA, "Config": {**DATA["Config"], "Healthcheck": health}}
    typed = Value(data, IMAGE)
    assert Template.parse("{{.Config.Healthcheck}}").execute(typed) == "{[CMD true] 1m30s 3}"
    assert Template.parse("{{print .Config.Healthcheck}}").execute(typed) == "&{[CMD true] 1m30s 3}"
    assert Template.parse("{{.Config}}").execute(typed) == "{ [A=1 B=2] [] 0xc000010000 map[] map[a:1 b:2]}"
    assert Template.parse("{{json .Config.Healthcheck}}").execute(typed) == (
        '{"Test":["CMD","true"],"Interval":90000000000,"Retries":3}'
    )
    assert Template.parse("{{json .Config}}").execute(typed) == (
        '{"User":"","Env":["A=1","B=2"],"Cmd":null,"Healthcheck":{"Test":["CMD","true"],"Interval":90000000000,'
        '"Retries":3},"Volumes":null,"Labels":{"a":"1","b":"2"}}'
    )
    assert Template.parse("{{if .Config.Healthcheck}}y{{end}}{{if .Config}}c{{end}}").execute(typed) == "yc"


def test_embedded_fields_are_promoted_and_inlined() -> None:
    inner = struct_type("v1.ImageConfig", (GoField("User", STRING, lambda c: c["user"], "User", omitempty=True),))
    ext = struct_type("v1.Ext", (GoField("Shell", STRING, lambda c: c["shell"], "Shell", omitempty=True),))
    both = struct_type(
        "v1.DockerOCIImageConfig",
        (GoField("ImageConfig", inner, lambda c: c, embedded=True), GoField("Ext", ext, lambda c: c, embedded=True)),
    )
    value = Value({"user": "me", "shell": ""}, both)
    assert (
        Template.parse("{{.User}} {{.ImageConfig.User}} {{.}} {{json .}}").execute(value)
        == 'me me {{me} {}} {"User":"me"}'
    )


def test_variables_and_scopes() -> None:
    source = "{{range $t := .RepoTags}}{{$t}}:{{$.Os}};{{end}}{{range $k, $v := .Ports}}{{$k}}{{$v}}{{end}}"
    assert render(source) == "app:1:linux;app:2:linux;80/tcp{}"
    with pytest.raises(TemplateError, match=r"undefined variable: \$t"):
        render("{{range $t := .RepoTags}}{{end}}{{$t}}")
    assert render("{{range .RepoTags}}x{{else}}nil ranges as empty{{end}}", {**DATA, "RepoTags": None}) == (
        "nil ranges as empty"
    )
    assert Template.parse("{{len $}}").execute(DATA) == "7"


def test_a_template_runs_again_the_same() -> None:
    template = Template.parse("{{range .RepoTags}}{{.}} {{end}}")
    assert template.execute(DATA) == template.execute(TYPED) == "app:1 app:2 "
    assert Template.parse("x{{.Os}}y") == Template.parse("x{{.Os}}y")


def test_nesting_too_deep_is_an_error() -> None:
    with pytest.raises(TemplateError, match="nested too deeply"):
        render("{{" + "(" * 2000 + ".Os" + ")" * 2000 + "}}")


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
        "print",
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
        ".ID",
        ".Id",
        ".Healthcheck",
        '"%s"',
        '"%d"',
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
        out = render(source)
    except TemplateError as err:
        assert str(err).startswith("--format: ")
        assert "\n" not in err.message
    else:
        assert isinstance(out, str)
