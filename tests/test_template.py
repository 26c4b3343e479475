"""The ``-f`` template subset against Go's text/template rules (the cases a
review found, and the ones docker users write)."""

from __future__ import annotations

import pytest

from imageinspect.cli.template import TemplateError, go_duration, go_time, render

DATA = {
    "Id": "sha256:ab",
    "Os": "linux",
    "Size": 1234,
    "Empty": [],
    "RepoTags": ["app:1", "app:2"],
    "Ports": {"80/tcp": {}},
    "Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}, "User": "", "Healthcheck": None},
}


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
        ("{{else garbage}}", "else without range or if"),
        ("{{if .Os}}{{else garbage}}{{end}}", "else takes nothing but if"),
        ("{{range $a = .RepoTags}}{{end}}", "expected $v := or $k, $v :="),
        ("{{range .RepoTags}}", "range without end"),
        ("{{.Id", "unclosed action"),
        ('{{print "\\q"}}', "unknown escape sequence"),
        ("{{index .RepoTags 5}}", "index: 5 out of range (length 2)"),
        ("{{with .Os}}{{end}}", "'with' is not in the supported subset"),
        ("{{truncate .Id -1}}", "truncate: wrong number or kind of arguments"),
        ("{{pad .Os -1 2}}", "pad: wrong number or kind of arguments"),
        ("{{index .Config.Labels 1}}", "index: a map's keys are strings, got number"),
        ("{{nil}}", "nil is not a command"),
        ("{{" + "(" * 2000 + ".Os" + ")" * 2000 + "}}", "nested too deeply"),
    ],
)
def test_errors_say_what_and_where(source: str, message: str) -> None:
    with pytest.raises(TemplateError, match=r"^--format: ") as caught:
        render(source, DATA)
    assert message in str(caught.value)


def test_podman_field_names_and_times() -> None:
    from imageinspect.cli.template import Template

    podman = {"Created": "2024-01-02T03:04:05.5Z", "History": [{"created_by": "RUN x", "author": "me"}]}
    template = Template.parse("{{.Created}}|{{range .History}}{{.CreatedBy}} by {{.Author}}{{end}}")
    assert template.execute(podman, podman=True) == "2024-01-02 03:04:05.5 +0000 UTC|RUN x by me"
    assert Template.parse("{{print .Created}}").execute({"Created": "x", "LastTagTime": "y"}) == "x"


def test_go_values() -> None:
    assert [go_duration(n) for n in (10**9, 61 * 10**9, 3_601_500_000_000)] == ["1s", "1m1s", "1h0m1.5s"]
    assert go_time("2024-05-06T07:08:09.5-07:00") == "2024-05-06 07:08:09.5 -0700 -0700"


# -- any text: output or a TemplateError, nothing else ------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

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
