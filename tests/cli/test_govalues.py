"""What ``-f`` templates run on, built from the models: the docker CLI's typed
value (Go kinds from the attrs annotations and the class shapes), the
daemon's JSON it falls back to, podman's ``ImageData`` and docker history's
rows. The oracle (``tests/data/golden/cli``, ``tests/test_cli_oracle.py``)
checks 72 templates; these check the rules one by one."""

from __future__ import annotations

import pytest

from imageinspect import Format, ImageInspect, PodmanImageInspect, Timestamp, open_image
from imageinspect.cli.govalues import (
    HISTORY_HEADER,
    docker_functions,
    docker_values,
    history_row,
    podman_template,
    podman_value,
)
from imageinspect.gotemplate import GoType, Template, TemplateError, Value
from imageinspect.model.config import ContainerConfig, HealthConfig, History
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import InspectRootFS, ManifestSummary, Metadata
from imageinspect.values import Digest, MediaType, Platform
from tests.conftest import REPO
from tests.test_console import run

HELLO = str(REPO / "examples" / "hello.tar")
ORACLE = REPO / "tests" / "data" / "golden" / "cli"
#: The oracle's daemon: Docker 20.10 (vfs), with the 20.10 or the 28.5 CLI.
CLIS = ("20.10", "28.5")


@pytest.fixture(scope="module")
def hello() -> ImageInspect:
    image_id = (ORACLE / "hello" / "image-id.txt").read_text().strip()
    with open_image(HELLO, ref=image_id) as image:
        shown = image.inspect(Format.docker("20.10"), storage_driver="vfs")
    assert isinstance(shown, ImageInspect)
    return shown


def inspect(source: str, image: ImageInspect, cli: str = "20.10", daemon: str = "20.10") -> str:
    fmt = Format.docker(daemon, cli=cli)
    return Template.parse(source).inspect(*docker_values(image, fmt), functions=docker_functions(fmt))


def docker_error(source: str, image: ImageInspect, cli: str = "20.10", daemon: str = "20.10") -> str | None:
    with pytest.raises(TemplateError) as caught:
        inspect(source, image, cli, daemon)
    return caught.value.go


def field_type(root: GoType, *names: str) -> GoType:
    go_type = root
    for name in names:
        found = go_type.struct.lookup(name)
        assert found is not None, name
        go_type = found[-1].type
    return go_type


# -- missing fields error where Docker's CLI errors ----------------------------------------------


@pytest.mark.parametrize("cli", CLIS)
def test_a_field_no_go_type_has_is_docker_s_error(hello: ImageInspect, cli: str) -> None:
    """``RepoTags`` is the image's, not its Config's: no Go struct has it,
    and the daemon's Config JSON has no such key (the oracle's template 31
    ``{{.Config.Nope}}`` reads the same)."""
    assert docker_error("{{.Config.RepoTags}}", hello, cli) == (
        'template parsing error: template: :1:9: executing "" at <.Config.RepoTags>: map has no entry for key "RepoTags"'
    )
    assert docker_error("{{.Config.Env}}\n  {{.RootFS.Nope}}", hello, cli) == (
        'template parsing error: template: :2:11: executing "" at <.RootFS.Nope>: map has no entry for key "Nope"'
    )


def test_the_command_line_says_so() -> None:
    result = run("inspect", "--docker", "20.10", "-f", "{{.Config.RepoTags}}", HELLO)
    assert result.returncode == 2
    assert result.stderr.startswith("imageinspect: --format: $.Config.RepoTags: no such field (Config has: ")
    assert result.stderr.endswith(
        '; template parsing error: template: :1:9: executing "" at <.Config.RepoTags>: '
        'map has no entry for key "RepoTags"\n'
    )


def test_id_is_the_json_s_and_ID_the_go_type_s(hello: ImageInspect) -> None:
    """``ID`` is the Go field (typed); ``Id`` only the JSON's key (the
    fallback): each works alone, and a template with both fails on the
    JSON, where ``ID`` is missing."""
    assert inspect("{{.ID}}", hello) == inspect("{{.Id}}", hello) == str(hello.id)
    assert inspect("{{truncate .ID 19}}|{{json .ID}}", hello) == f'{hello.id[:19]}|"{hello.id}"'
    assert docker_error("{{.ID}} {{.Id}}", hello) == (
        'template parsing error: template: :1:2: executing "" at <.ID>: map has no entry for key "ID"'
    )
    assert docker_error("{{.Id}} {{.ID}}", hello, "28.5") == (
        'template parsing error: template: :1:10: executing "" at <.ID>: map has no entry for key "ID"'
    )


def test_a_field_the_json_left_out_is_go_s_zero_value(hello: ImageInspect) -> None:
    """The CLI's struct has it, the daemon did not send it (``omitempty``, or
    not in its API): Go's zero value of its type."""
    assert inspect("{{.Config.StopTimeout}}|{{json .Config.StopTimeout}}", hello) == "<nil>|null"  # *int
    assert inspect("{{.Config.MacAddress}}|{{.Config.NetworkDisabled}}|{{.RootFS.BaseLayer}}", hello) == "|false|"
    assert inspect("{{.Descriptor}}|{{.Manifests}}|{{json .Manifests}}", hello, "28.5") == "<nil>|[]|null"
    assert inspect("{{.Config.Healthcheck.StartInterval}}", hello, "28.5") == "0s"  # 20.10's has none
    legacy = ImageInspect(id="sha256:ab", config=ContainerConfig(cmd=("x",)))
    assert inspect("{{.VirtualSize}}|{{.Container}}", legacy, "28.5", "28.5") == "0|"  # API 1.51 leaves them out
    assert inspect("{{.RootFS.Layers}}|{{json .RootFS.Layers}}", legacy) == "[]|null"


def test_the_fallback_runs_on_the_daemon_s_json(hello: ImageInspect) -> None:
    """Once the typed run fails, everything prints as JSON decoded into
    ``interface{}`` prints: maps, ``json.Number`` s, no durations."""
    assert inspect("{{.Config.Healthcheck}}", hello) == "{[CMD /app/check --quick] 1m30s 5.5s 10s 4}"
    assert inspect("{{.Id | len}} {{.Config.Healthcheck}}", hello) == (
        "71 map[Interval:90000000000 Retries:4 StartPeriod:10000000000 Test:[CMD /app/check --quick] Timeout:5500000000]"
    )
    assert inspect("{{.Config.Hostname}}|{{.Config.Image | len}}", hello, "28.5") == "|71"  # not DockerOCIImageConfig's
    assert docker_error("{{.Config.Hostname}}", hello, "28.5", "28.5") == (  # nor the 28.5 daemon's Config
        'template parsing error: template: :1:9: executing "" at <.Config.Hostname>: '
        'map has no entry for key "Hostname"'
    )


def test_join_follows_the_cli_release(hello: ImageInspect) -> None:
    """``strings.Join`` (a ``[]string`` only) up to 28.5; from 29.2 any
    slice or map (docker/cli ``templates.joinElements``)."""
    assert inspect('{{join .RootFS.Layers ","}}', hello, "28.5").count(",") == 1
    assert docker_error('{{join .Config.Labels ","}}', hello, "28.5") == (
        'template parsing error: template: :1:14: executing "" at <.Config.Labels>: '
        "wrong type for value; expected []string; got map[string]interface {}"
    )
    assert inspect('{{join .Config.Labels "|"}}', hello, "29.7").startswith("|héllo wörld ☃ 日本語 𝄞|")
    assert inspect('{{.Id | len}} {{join .Config.Env ","}}', hello, "29.7").startswith("71 PATH=/usr/local/sbin")


# -- each Go kind, from an annotation ------------------------------------------------------------


def _root(cli: str = "20.10") -> GoType:
    typed, _ = docker_values(ImageInspect(), Format.docker("20.10", cli=cli))
    assert typed.type is not None
    return typed.type


@pytest.mark.parametrize(
    ("path", "name", "kind"),
    [
        (("RepoTags",), "[]string", "slice"),  # tuple[str, ...]
        (("Config", "Labels"), "map[string]string", "map"),  # FrozenMap[str, str]
        (("Config", "ExposedPorts"), "nat.PortSet", "map"),  # a key set: map[string]struct{}
        (("Config", "Volumes"), "map[string]struct {}", "map"),
        (("Config", "Tty"), "bool", "bool"),
        (("Size",), "int64", "int"),
        (("Config", "Healthcheck", "Retries"), "int", "int"),  # Go's int: a fact of the Go type
        (("Metadata", "LastTagTime"), "time.Time", "time"),  # Timestamp
        (("Created",), "string", "string"),  # a Timestamp the Go type holds as a string
        (("Config",), "*container.Config", "pointer"),  # an attrs class the Go type points to
        (("RootFS",), "types.RootFS", "struct"),  # an attrs class held as a value
        (("Config", "Healthcheck", "Interval"), "time.Duration", "duration"),
        (("ContainerConfig", "StopTimeout"), "*int", "pointer"),
        (("Config", "Cmd"), "strslice.StrSlice", "slice"),  # a named type, still a []string to join
    ],
)
def test_kinds_come_from_the_annotations(path: tuple[str, ...], name: str, kind: str) -> None:
    go_type = field_type(_root(), *path)
    assert (go_type.name, go_type.kind) == (name, kind)


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("Config",), "*v1.DockerOCIImageConfig"),
        (("Config", "Cmd"), "[]string"),
        (("Config", "Healthcheck"), "*v1.HealthcheckConfig"),
        (("Config", "Healthcheck", "StartInterval"), "time.Duration"),
        (("ContainerConfig",), "*container.Config"),
        (("Descriptor",), "*v1.Descriptor"),
        (("Descriptor", "Data"), "[]uint8"),  # bytes
        (("Descriptor", "Platform"), "*v1.Platform"),
        (("Descriptor", "Platform", "OSVersion"), "string"),
        (("Manifests",), "[]image.ManifestSummary"),  # a tuple of attrs classes
        (("GraphDriver",), "storage.DriverData"),
        (("RootFS",), "image.RootFS"),
    ],
)
def test_the_28_5_cli_s_types(path: tuple[str, ...], name: str) -> None:
    assert field_type(_root("28.5"), *path).name == name


def test_a_field_the_shape_omits_only_when_none_is_a_pointer() -> None:
    """The 29.x CLI's ``GraphDriver`` is a ``*storage.DriverData`` (omitted
    when nil); 28.5's a struct value, never nil."""
    assert field_type(_root("29.7"), "GraphDriver").name == "*storage.DriverData"
    assert field_type(_root("28.5"), "GraphDriver").name == "storage.DriverData"
    image = ImageInspect(id="sha256:ab")
    assert inspect("{{.GraphDriver}}", image, "29.7", "29.7") == "<nil>"
    assert inspect("{{.GraphDriver}}", image, "28.5", "28.5") == "{map[] }"


def test_the_28_5_cli_s_config_embeds_two_structs() -> None:
    """docker-image-spec's ``DockerOCIImageConfig`` embeds image-spec's
    ``ImageConfig`` and ``DockerOCIImageConfigExt``: fields promoted, JSON
    inlined, printed as two structs."""
    image = ImageInspect(config=ContainerConfig(user="me", shell=("sh",), env=("A=1",)))
    assert [f.name for f in field_type(_root("28.5"), "Config").struct.fields] == [
        "ImageConfig",
        "DockerOCIImageConfigExt",
    ]
    assert inspect("{{.Config.User}}|{{.Config.ImageConfig.User}}", image, "28.5") == "me|me"
    assert inspect("{{.Config}}", image, "28.5") == "{{me map[] [A=1] [] [] map[]  map[]  false} {<nil> [] [sh]}}"
    assert inspect("{{json .Config}}", image, "28.5") == '{"User":"me","Env":["A=1"],"Shell":["sh"]}'


def test_each_kind_prints_as_go_prints_it() -> None:
    health = HealthConfig(test=("CMD", "true"), interval=90 * 10**9, retries=3)
    config = ContainerConfig(
        exposed_ports=("80/tcp",), labels=FrozenMap(a="<b>"), tty=True, healthcheck=health, stop_timeout=10
    )
    image = ImageInspect(
        id="sha256:ab",
        repo_tags=("a:1",),
        size=5,
        config=config,
        root_fs=InspectRootFS(type="layers", layers=("sha256:cd",)),
        metadata=Metadata(last_tag_time=Timestamp.parse("2024-01-02T03:04:05.5Z")),
        created=Timestamp.parse("2024-01-02T03:04:05Z"),
    )
    source = (
        "{{.RepoTags}}|{{.Config.Labels}}|{{.Config.ExposedPorts}}|{{.Config.Tty}}|{{.Size}}|"
        "{{.Metadata.LastTagTime}}|{{.Created}}|{{.RootFS}}|{{.Config.Healthcheck}}|{{.Config.Healthcheck.Interval}}"
    )
    assert inspect(source, image) == (
        "[a:1]|map[a:<b>]|map[80/tcp:{}]|true|5|2024-01-02 03:04:05.5 +0000 UTC|2024-01-02T03:04:05Z|"
        "{layers [sha256:cd] }|{[CMD true] 1m30s 0s 0s 3}|1m30s"
    )
    assert inspect("{{print .Config.StopTimeout}}|{{json .Config.ExposedPorts}}|{{json .Metadata}}", image) == (
        '0xc000010000|{"80/tcp":{}}|{"LastTagTime":"2024-01-02T03:04:05.5Z"}'
    )
    assert inspect('{{join .RepoTags ","}}|{{join .Config.Cmd ","}}|{{len .Config.Labels}}', image) == "a:1||1"


def test_descriptors_and_manifests_of_the_28_5_cli() -> None:
    """image-spec's ``Descriptor`` and ``Platform`` (``OSVersion`` for
    ``os.version``, ``Data`` a ``[]byte``), moby's ``ManifestSummary``; the
    graphdriver store sends no ``Descriptor``."""
    platform = Platform("linux", "arm64", os_version="1")
    media_type = MediaType("application/vnd.oci.image.index.v1+json")
    descriptor = Descriptor(media_type, Digest.of(b"x"), 2, data=b"hi", platform=platform)
    image = ImageInspect(
        descriptor=descriptor, manifests=(ManifestSummary(id="sha256:ef", kind="image", available=True),)
    )
    source = "{{.Descriptor.Size}}|{{.Descriptor.Data}}|{{.Descriptor.Platform.OSVersion}}|{{len .Manifests}}"
    containerd = Format.docker("28.5", store="containerd")
    assert Template.parse(source).inspect(*docker_values(image, containerd)) == "2|[104 105]|1|1"
    assert Template.parse("{{json .Descriptor.Data}}|{{.Manifests}}").inspect(*docker_values(image, containerd)) == (
        '"aGk="|[{sha256:ef {  0 [] map[] [] <nil> } true {0 0} image <nil> <nil>}]'
    )
    assert inspect("{{.Descriptor}}|{{json .Descriptor}}", image, "28.5", "28.5") == "<nil>|null"
    assert docker_error(source, image, "28.5", "28.5") == (
        'template parsing error: template: :1:13: executing "" at <.Descriptor.Size>: '
        'map has no entry for key "Descriptor"'
    )


# -- podman and docker history ------------------------------------------------------------------


def test_podman_runs_on_its_image_data() -> None:
    created = Timestamp.parse("2024-01-02T03:04:05Z")
    image = PodmanImageInspect(
        id="ab",
        created=created,
        healthcheck=HealthConfig(test=("CMD", "x"), interval=10**9),
        history=(History(created=created, created_by="RUN x"), History(created_by="RUN y")),
    )
    value = podman_value(image, Format.podman("5.4"))

    def run_it(source: str) -> str:
        return Template.parse(podman_template(source)).execute(value)

    assert run_it("{{.Id}}|{{.ID}}|{{.Created}}") == "ab|ab|2024-01-02 03:04:05 +0000 UTC"
    assert run_it("{{range .History}}{{.CreatedBy}} {{.Created}};{{end}}") == (
        "RUN x 2024-01-02 03:04:05 +0000 UTC;RUN y <nil>;"
    )
    assert run_it("{{.Config.Healthcheck.Interval}}|{{.HealthCheck.Test}}") == "1s|[CMD x]"
    assert run_it("{{.RepoTags}}|{{json .RepoTags}}|{{json .Annotations}}") == "[]|[]|{}"  # podman writes []
    assert value.type is not None
    assert field_type(value.type, "Created").name == "*time.Time"
    assert field_type(value.type, "History").name == "[]v1.History"
    with pytest.raises(TemplateError, match=r"can't evaluate field Id in type inspect\.ImageData"):
        Template.parse("{{.Id | len}}").execute(value)  # no JSON to fall back to


def test_history_rows_are_docker_s_history_context() -> None:
    cells = {
        "ID": "<missing>",
        "CreatedAt": "x",
        "CreatedSince": "y",
        "CreatedBy": "RUN a",
        "Size": "0B",
        "Comment": "",
    }
    row = history_row(cells)
    assert Template.parse("{{.ID}}|{{.CreatedBy}}|{{json .}}").execute(row) == (
        '<missing>|RUN a|{"Comment":"","CreatedAt":"x","CreatedBy":"RUN a","CreatedSince":"y",'
        '"ID":"\\u003cmissing\\u003e","Size":"0B"}'
    )
    with pytest.raises(TemplateError) as caught:
        Template.parse("{{.Nope}}").execute(row, wrap="template parsing error: ")
    assert caught.value.go == (
        'template parsing error: template: :1:2: executing "" at <.Nope>: '
        "can't evaluate field Nope in type *image.historyContext"
    )
    header = Value({"ID": "IMAGE"}, HISTORY_HEADER)
    assert Template.parse("{{.ID}}|{{.Nope}}").execute(header) == "IMAGE|<no value>"
