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
        # at the node evaluated last, not the range (the oracle's 171)
        ("{{range .Os}}{{end}}", 'template: :1:8: executing "" at <.Os>: range can\'t iterate over linux'),
        (
            "{{upper .Size}}",
            'template: :1:8: executing "" at <.Size>: wrong type for value; expected string; got json.Number',
        ),
        ("{{len}}", 'template: :1:2: executing "" at <len>: wrong number of args for len: want 1 got 0'),
        ("{{.Os | .ID}}", 'template: :1:8: executing "" at <.ID>: ID is not a method but has arguments'),
        (
            "{{truncate .Os -1}}",
            'template: :1:2: executing "" at <truncate .Os -1>: error calling truncate: runtime error: slice bounds out of range [:-1]',
        ),
        ("{{nil}}", 'template: :1:2: executing "" at <nil>: nil is not a command'),
        # at the command's pipeline (the oracle's 174)
        ("{{(.Os) 1}}", 'template: :1:2: executing "" at <(.Os) 1>: can\'t give argument to non-function .Os'),
        # a chain's field at what its parenthesized pipeline evaluated last (175)
        ("{{(.Config).Nope}}", 'template: :1:3: executing "" at <.Config>: map has no entry for key "Nope"'),
        ("{{$nope = .Os}}", 'template: :1:10: executing "" at <.Os>: undefined variable: $nope'),
        ("{{$x := $x}}", 'template: :1:8: executing "" at <$x>: undefined variable: $x'),
        (
            "{{if not .Os}}{{$x := 1}}{{else}}{{$x}}{{end}}",
            'template: :1:35: executing "" at <$x>: undefined variable: $x',
        ),
        ("{{len json}}", 'template: :1:6: executing "" at <json>: wrong number of args for json: want 1 got 0'),
        ("{{slice}}", 'template: :1:2: executing "" at <slice>: wrong number of args for slice: want at least 1 got 0'),
        (
            "{{lt .Os 1}}",
            'template: :1:2: executing "" at <lt .Os 1>: error calling lt: incompatible types for comparison: string and int',
        ),
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
    with pytest.raises(TemplateError, match=r'undefined variable "\$t"'):  # Go's parser says so
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


# -- with, variables, break and continue, range over an integer ----------------------------------


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{with .Os}}[{{.}}]{{end}}", "[linux]"),
        ("{{with .Config.User}}u={{.}}{{else}}none{{end}}", "none"),
        ("{{with .Empty}}x{{else}}{{.Os}}{{end}}", "linux"),  # the else keeps dot
        ("{{with $x := .Os}}{{$x}}/{{.}}{{end}}", "linux/linux"),
        ("{{with $u := .Config.User}}{{$u}}{{else}}[{{$u}}]{{end}}", "[]"),  # the else sees it too
        ("{{with .Config}}{{.Env}}{{end}}", "[A=1 B=2]"),
        ("{{with .Config.Healthcheck}}x{{else}}nil{{end}}", "nil"),
        ("{{with .Empty}}a{{else with .RepoTags}}{{len .}}{{else}}c{{end}}", "2"),
        ("{{with .Empty}}a{{else with .Config.User}}b{{else}}c{{end}}", "c"),
    ],
)
def test_with(source: str, expected: str) -> None:
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{$n := 0}}{{range .RepoTags}}{{$n = len .}}{{end}}{{$n}}", "5"),
        ('{{$x := "out"}}{{range .RepoTags}}{{$x := "in"}}{{end}}{{$x}}', "out"),  # a declaration ends with its range
        ('{{$x := "out"}}{{range .RepoTags}}{{$x = "in"}}{{end}}{{$x}}', "in"),  # an assignment reaches out
        ("{{$x := .Size}}{{$x = .Os}}{{$x}}", "linux"),  # of any type
        ("{{$x := 1}}{{$x := 2}}{{$x}}", "2"),
        ("{{if $u := .Config.User}}user {{$u}}{{else}}root [{{$u}}]{{end}}", "root []"),
        ("{{$x := .Os | upper}}{{$x}}{{$y := len .RepoTags}} {{$y}}", "LINUX 2"),
        ("{{print ($x := 1) $x}}", "1 1"),
        ("{{$x := .Config}}{{$x.Env}} {{$.Os}}", "[A=1 B=2] linux"),
        ('{{$first := ""}}{{range $i, $t := .RepoTags}}{{if eq $i 0}}{{$first = $t}}{{end}}{{end}}{{$first}}', "app:1"),
    ],
)
def test_variables_declared_and_assigned(source: str, expected: str) -> None:
    """``$x := ...`` prints nothing and lives to the ``{{end}}`` around it;
    ``$x = ...`` sets the innermost ``$x`` (the oracle's 103 to 116)."""
    assert render(source) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("{{range $i, $t := .RepoTags}}{{if eq $i 1}}{{break}}{{end}}{{$t}};{{end}}", "app:1;"),
        ("{{range $i, $t := .RepoTags}}{{if eq $i 0}}{{continue}}{{end}}{{$t}};{{end}}", "app:2;"),
        ("{{range .RepoTags}}{{with .}}{{break}}{{end}}x{{end}}done", "done"),
        ("{{range .RepoTags}}{{range $.RepoTags}}{{break}}{{end}}L{{end}}", "LL"),  # the innermost range only
        # a break in an inner range's else ends that range, not the outer one (Go's recover; the oracle's 190)
        ("{{range .RepoTags}}{{range $.Empty}}{{else}}{{break}}{{end}}x{{end}}y", "xxy"),
        ("{{range .RepoTags}}{{range $.Empty}}{{else}}{{continue}}{{end}}x{{end}}y", "y"),
    ],
)
def test_break_and_continue(source: str, expected: str) -> None:
    assert render(source) == expected


def test_range_over_an_integer_from_go_1_24() -> None:
    """Go 1.24's ``text/template`` ranges over an integer, the one of 1.19
    does not (the oracle's 168 to 171: Docker 28.5 and 29 print ``012``,
    20.10 fails)."""
    assert Template.parse("{{range $i := 3}}{{$i}}{{end}}{{range 0}}x{{else}}none{{end}}").execute({}) == "012none"
    assert Template.parse("{{range $i := .Size}}{{end}}{{len .RepoTags}}").execute(TYPED) == "2"
    with pytest.raises(TemplateError) as caught:
        Template.parse("{{range $i, $e := 3}}{{end}}").execute({})
    assert (
        caught.value.go == 'template: :1:18: executing "" at <3>: can\'t use 3 to iterate over more than one variable'
    )
    with pytest.raises(TemplateError) as caught:
        Template.parse("{{range $i := 3}}{{end}}", go="1.19").execute({})
    assert caught.value.go == 'template: :1:14: executing "" at <3>: range can\'t iterate over 3'
    assert Template.parse("{{range .RepoTags}}{{end}}", go="1.23").execute(DATA) == ""
    with pytest.raises(TemplateError, match="range can't iterate over 1234"):
        Template.parse("{{range .Size}}{{end}}", go="1.23").execute(TYPED)


def test_ranges_stop_with_an_error_after_a_million_iterations() -> None:
    """Go would loop ``{{range .Size}}`` a few billion times on a real image;
    an execution here takes at most a million iterations, all ranges counted
    (nested ones too: 999 + 999 x 1000 here), then fails rather than hang."""
    assert len(Template.parse("{{range 999}}{{range 1000}}x{{end}}{{end}}").execute({})) == 999_000
    for source in ("{{range 1000001}}{{end}}", "{{range 1001}}{{range 1000}}{{end}}{{end}}"):
        with pytest.raises(TemplateError, match=r"more than 1,000,000 range iterations"):
            Template.parse(source).execute({})


def test_range_assigns_from_go_1_22() -> None:
    """``range $x = ...`` sets ``$x``; before Go 1.22 each element went to
    the variable declared last (the oracle's 180: Docker 20.10 prints the
    list and the last tag, 28.5 and 29 the last tag and ``b``)."""
    source = '{{$x := "a"}}{{$y := "b"}}{{range $x = .RepoTags}}{{end}}{{$x}} {{$y}}'
    assert Template.parse(source).execute(DATA) == "app:2 b"
    assert Template.parse(source, go="1.19").execute(DATA) == "[app:1 app:2] app:2"
    both = "{{$k := 0}}{{$v := 0}}{{range $k, $v = .RepoTags}}{{end}}{{$k}} {{$v}}"
    assert Template.parse(both).execute(DATA) == Template.parse(both, go="1.19").execute(DATA) == "1 app:2"


def test_and_or_stop_at_the_value_that_decides_from_go_1_18() -> None:
    assert render("{{or .Os .Config.Nope}}") == "linux"  # the oracle's 97
    with pytest.raises(TemplateError, match='map has no entry for key "Nope"'):
        Template.parse("{{or .Os .Config.Nope}}", go="1.17").execute(DATA, missingkey="error")
    assert Template.parse("{{and .Config.User .Config.Nope}}").execute(DATA, missingkey="error") == ""


def test_a_function_named_as_an_argument_is_called() -> None:
    """Go's ``evalArg`` calls a function named without arguments."""
    assert render('{{printf "%s|" html}}') == "|"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        # a Go string is bytes: slice, len, index and truncate count bytes, and
        # a cut through a character stays that byte (a lone surrogate here)
        ('{{slice "héllo" 0 2}}|{{len "héllo"}}|{{index "é" 0}}|{{truncate "héllo" 2}}', "h\udcc3|6|195|h\udcc3"),
        ('{{json (slice "é" 0 1)}} {{printf "%q %x %X" (slice "é" 0 1) "é" "é"}}', '"\ufffd" "\\xc3" c3a9 C3A9'),
        ('{{"\\xc3\\xa9"}} {{eq "\\xc3\\xa9" "é"}} {{"\\xff" | len}}', "é true 1"),
        ('{{printf "%q" "a\\x00\\x7f\\u200b\\t"}}', '"a\\x00\\x7f\\u200b\\t"'),
        # Go's fmt gives up on a width or precision over a million
        ('{{printf "a%099999999dz" 1}}', "a%!(NOVERB)%!(EXTRA int=1)"),
        ('{{printf "%.99999999s|%d" "x" 2}}', "%!(NOVERB)%!(EXTRA string=x, int=2)"),
        ('{{printf "%3d|%.2s" 1 "abc"}}', "  1|ab"),
        # a keyword ends where Go's lexer ends a word
        ("{{range.RepoTags}}{{.}};{{end}}{{with.Os}}{{.}}{{end}}{{if(eq 1 1)}}!{{end}}", "app:1;app:2;linux!"),
        ('{{with ""}}{{else with.Os}}{{.}}{{end}}', "linux"),
    ],
)
def test_go_strings_and_fmt(source: str, expected: str) -> None:
    assert Template.parse(source).execute(TYPED) == expected


def test_index_at_the_length_is_reflects_panic() -> None:
    """``indexArg`` lets an index equal to the length through; ``reflect``'s
    ``Index`` then panics, and that is the error (``{{index .RepoDigests 0}}``
    of an image without digests)."""
    for source, words in (
        ("{{index .RepoTags 2}}", "reflect: slice index out of range"),
        ('{{index "ab" 2}}', "reflect: string index out of range"),
        ("{{index .RepoTags 3}}", "index out of range: 3"),
    ):
        with pytest.raises(TemplateError, match=words):
            Template.parse(source).execute(TYPED)


def test_a_nil_slice_sliced_is_nil() -> None:
    assert Template.parse("{{json (slice .Config.Cmd 0)}} {{json (slice .RepoTags 2)}}").execute(TYPED) == "null []"


def test_deep_nesting_is_a_template_error() -> None:
    """Too deep to run, or to write back in the error message: one error."""
    for depth in (200, 2000):
        source = "{{len " + "(" * depth + "1" + ")" * depth + "}}"
        with pytest.raises(TemplateError, match="nested too deeply"):
            Template.parse(source).execute(TYPED)


def test_the_iteration_bound_is_not_run_again_on_the_json() -> None:
    """``inspect`` runs a failed template again on the daemon's JSON, but not
    one stopped by imageinspect's own bound: its error is the one shown."""
    template = Template.parse("{{range 2000000}}{{end}}")
    with pytest.raises(TemplateError, match="more than 1,000,000 range iterations") as caught:
        template.inspect(TYPED, DATA)
    assert caught.value.final


def test_pad_is_bounded() -> None:
    with pytest.raises(TemplateError, match="pads with at most 10,000,000 spaces"):
        Template.parse('{{pad "a" 99999999999 1}}').execute(TYPED)


def test_json_writes_a_bad_byte_as_its_go_release_does() -> None:
    """Go 1.19's ``encoding/json`` escapes U+FFFD for a byte that is no
    UTF-8; Go 1.27's writes the character (the oracle's template 195)."""
    source = '{{json (slice "é" 0 1)}}{{json "\ufffd"}}'
    assert Template.parse(source, go="1.19").execute(TYPED) == '"\\ufffd""\ufffd"'
    assert Template.parse(source, go="1.27").execute(TYPED) == '"\ufffd""\ufffd"'
