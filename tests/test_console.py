"""The installed ``imageinspect`` console script, run as a user runs it: one
test group per point of the command-line issue (images and --ref, stdin,
history and -f, progress, clean edges)."""

from __future__ import annotations

import gzip
import json
import os
import pty
import re
import select
import shutil
import subprocess
import sysconfig
from pathlib import Path

import pytest

from imageinspect import Format, Timestamp, dumps, open_image
from imageinspect.testing import ImageBuilder
from imageinspect.testing.writers import write_docker_archive
from tests.conftest import REPO

HELLO = str(REPO / "examples" / "hello.tar")
GOLDEN = REPO / "tests" / "data" / "golden" / "inspect"

#: What `diff` prints for two equal sides (and what it did not compare).
NO_DIFFERENCES = "no differences\nnot compared: $.GraphDriver, $.Metadata.LastTagTime\n"


def _script() -> str:
    found = shutil.which("imageinspect", path=sysconfig.get_path("scripts"))
    if found is None:  # pragma: no cover - the package is not installed
        pytest.fail("the imageinspect console script is not installed (pip install -e '.[test]')")
    return found


def run(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The console script with ``args``, from the repository root."""
    result = subprocess.run(
        [_script(), *args],
        input=None if stdin is None else stdin,
        capture_output=True,
        cwd=REPO,
        env={**os.environ, **(env or {})},
        check=False,
    )
    return subprocess.CompletedProcess(result.args, result.returncode, result.stdout.decode(), result.stderr.decode())


@pytest.fixture(scope="module")
def two_images(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """A ``docker save`` of two images (``app:1`` amd64, ``app:2`` arm64) and their IDs."""
    one = ImageBuilder().add_layer({"/one": b"1"}).env("WHICH", "one").tag("app:1").build()
    two = ImageBuilder().platform("linux/arm64").add_layer({"/two": b"2"}).label("x", "y").tag("app:2").build()
    path = tmp_path_factory.mktemp("two") / "two.tar"
    write_docker_archive([one, two], path)
    return str(path), [str(one.id), str(two.id)]


# -- 1. images, --ref, ARCHIVE:REF, @N, short IDs --------------------------------------


def test_images_lists_what_list_images_knows(two_images: tuple[str, list[str]]) -> None:
    path, ids = two_images
    table = run("images", "--docker", "28.5", path)  # graphdriver: the image IDs are the config digests
    assert table.returncode == 0, table.stderr
    lines = table.stdout.splitlines()
    assert lines[0].split() == ["REF", "REPOSITORY", "TAG", "DIGEST", "IMAGE", "ID", "PLATFORM", "CREATED", "SIZE"]
    assert lines[1].split()[:6] == ["@0", "app", "1", "<none>", ids[0][7:19], "linux/amd64"]
    assert lines[2].split()[:6] == ["@1", "app", "2", "<none>", ids[1][7:19], "linux/arm64"]
    command = ("images", "--docker", "28.5", "--format", "json", "--no-trunc", path)
    records = [json.loads(line) for line in run(*command).stdout.splitlines()]
    assert [(r["Index"], r["ID"], r["Platform"], r["Repository"], r["Tag"]) for r in records] == [
        ("@0", ids[0], "linux/amd64", "app", "1"),
        ("@1", ids[1], "linux/arm64", "app", "2"),
    ]
    assert run("images", "--docker", "28.5", "-q", "--no-trunc", path).stdout.split() == ids


def test_every_way_of_naming_an_image(two_images: tuple[str, list[str]]) -> None:
    path, ids = two_images
    for args in (
        [f"{path}:app:2"],
        [f"{path}:@1"],
        [f"docker-archive:{path}:app:2"],
        [path, "--ref", "app:2"],
        [path, "--ref", "@1"],
        [path, "--ref", ids[1][7:19]],
        [path, "--ref", ids[1][:19]],
        [path, "--ref", ids[1]],
    ):
        result = run("inspect", "--docker", "28.5", "-f", "{{.Id}}", *args)  # graphdriver IDs: config digests
        assert result.returncode == 0, (args, result.stderr)
        assert result.stdout == ids[1] + "\n", args


def test_several_images_tell_a_cli_user_what_to_type(two_images: tuple[str, list[str]]) -> None:
    path, _ = two_images
    for command in ("inspect", "history", "layers"):
        result = run(command, path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1, result.stderr
        assert "the archive holds 2 images: choose one: --ref app:1 or --ref app:2" in result.stderr
        assert f"(imageinspect images {path} lists them)" in result.stderr
        assert "ref=" not in result.stderr
    every = run("verify", path)  # verify checks every image of the archive
    assert every.returncode == 0
    assert [line.split(":")[0] for line in every.stdout.splitlines()] == ["@0", "@1"]
    missing = run("inspect", path, "--ref", "@7")
    assert "no image @7: the archive holds 2 (@0 to @1)" in missing.stderr
    twice = run("inspect", f"{path}:app:1", "--ref", "app:2")
    assert twice.returncode == 2
    assert "imageinspect: --ref: the image is named twice" in twice.stderr


def test_ref_on_history_layers_verify_and_diff(two_images: tuple[str, list[str]]) -> None:
    path, ids = two_images
    history = run("history", "--no-trunc", "--ref", "@1", path)
    assert history.stdout.splitlines()[1].startswith(ids[1])
    assert run("layers", f"{path}:app:1").returncode == 0
    assert run("verify", "--ref", "app:1", path).stdout.startswith("ok: ")
    diff = run("diff", f"{path}:app:1", f"{path}:app:2")
    assert diff.returncode == 1
    assert '$.Architecture: A "amd64", B "arm64"' in diff.stdout
    assert run("diff", "--ref", "app:1", path, path).stdout == NO_DIFFERENCES


# -- 2. stdin, --version, --platform ----------------------------------------------------


def test_inspect_reads_an_archive_from_stdin() -> None:
    expected = run("inspect", HELLO).stdout
    raw = Path(HELLO).read_bytes()
    piped = run("inspect", "-", stdin=raw)  # a pipe: spooled
    assert piped.returncode == 0, piped.stderr
    assert piped.stdout == expected
    compressed = run("inspect", "-", stdin=gzip.compress(raw))
    assert compressed.stdout == expected
    truncated = run("inspect", "-", stdin=gzip.compress(raw)[:2000])
    assert truncated.returncode == 2
    assert truncated.stderr.startswith("imageinspect: <stdin>: corrupt or truncated gzip data")
    with open(HELLO, "rb") as regular:  # a regular file: read in place
        direct = subprocess.run([_script(), "inspect", "-"], stdin=regular, capture_output=True, cwd=REPO, check=False)
    assert direct.stdout.decode() == expected
    empty = run("inspect", "-", stdin=b"")
    assert empty.returncode == 2
    assert "imageinspect: <stdin>: nothing on standard input" in empty.stderr


def test_version() -> None:
    from imageinspect import __version__
    from imageinspect.codec.accel import path_name

    result = run("--version")
    assert result.returncode == 0
    assert result.stdout == f"imageinspect {__version__} ({path_name()})\n"
    pure = run("--version", env={"IMAGEINSPECT_PURE": "1"})
    assert pure.stdout == f"imageinspect {__version__} (pure path: IMAGEINSPECT_PURE is set)\n"


def test_platform_is_honoured_or_refused(two_images: tuple[str, list[str]]) -> None:
    refused = run("inspect", HELLO, "--platform", "linux/arm64")
    assert refused.returncode == 2
    assert refused.stderr == (
        f"imageinspect: {HELLO}: no image for platform linux/arm64 in the archive (its image is linux/amd64)\n"
    )
    assert run("inspect", HELLO, "--platform", "linux/amd64").returncode == 0
    path, ids = two_images
    assert (
        run("inspect", "--docker", "28.5", "-f", "{{.Id}}", path, "--platform", "linux/arm64").stdout == ids[1] + "\n"
    )
    chosen = run("inspect", path, "--ref", "app:1", "--platform", "linux/arm64")
    assert chosen.stderr.endswith("no image for platform linux/arm64 in the archive (image app:1 is linux/amd64)\n")
    bad = run("inspect", HELLO, "--platform", "linux/")
    assert bad.returncode == 2
    assert bad.stderr.startswith("imageinspect: --platform: ")


# -- 3. history like docker history; inspect -f ----------------------------------------------


def _history_image(tmp_path: Path) -> tuple[str, str]:
    image = (
        ImageBuilder(clock=Timestamp.parse("2020-01-02T03:04:05Z"))
        .add_layer({"/big": b"x" * 1_234_567}, created_by="/bin/sh -c\tcp big /big && echo a long command line")
        .history('CMD ["run"]', comment="made by <test> & co")
        .tag("hist:1")
        .build()
    )
    path = tmp_path / "hist.tar"
    write_docker_archive([image], path)
    return str(path), str(image.id)


def test_history_is_docker_history(tmp_path: Path) -> None:
    path, image_id = _history_image(tmp_path)
    table = run("history", path).stdout.splitlines()
    assert re.fullmatch(r"IMAGE {10}CREATED {7}CREATED BY {38}SIZE {6}COMMENT", table[0]), table[0]
    top, bottom = table[1], table[2]
    assert top.startswith(image_id[7:19] + "   ")
    assert re.search(r"\s\d+ years ago\s", top)
    assert "made by <test> & co" in top
    assert bottom.startswith("<missing>")
    command = "/bin/sh -c cp big /big && echo a long command line"  # the tab made a space
    assert f"   {command[:44]}…   " in bottom  # cut to 45 columns
    assert "1.23MB" in bottom
    exact = run("history", "--human=false", "--no-trunc", path, env={"TZ": "UTC"}).stdout.splitlines()
    assert exact[0].split()[:3] == ["IMAGE", "CREATED", "AT"]
    assert exact[1].startswith(image_id)
    assert "2020-01-02T03:04:05Z" in exact[2]
    assert " 1234567 " in exact[2]
    assert "/bin/sh -c cp big /big && echo a long command line" in exact[2]
    lines = run("history", "--format", "json", path, env={"TZ": "UTC"}).stdout.splitlines()
    first = json.loads(lines[1])
    assert list(first) == ["Comment", "CreatedAt", "CreatedBy", "CreatedSince", "ID", "Size"]
    assert first["ID"] == "<missing>"
    assert first["Size"] == "1.23MB"
    assert "\\u003cmissing\\u003e" in lines[1]  # Go's json.Marshal escapes HTML characters
    custom = run("history", "--format", "{{.ID}}|{{.Size}}", "-H=false", path).stdout.splitlines()
    assert custom == [f"{image_id[7:19]}|0", "<missing>|1234567"]
    assert run("history", "-q", path).stdout.split() == [image_id[7:19], "<missing>"]


def test_inspect_format_subset() -> None:
    env = run("inspect", "-f", "{{.Config.Env}}", HELLO)
    assert env.returncode == 0
    assert env.stdout.startswith("[PATH=/usr/local/sbin:")
    assert env.stdout.endswith("]\n")
    labels = run("inspect", "-f", "{{json .Config.Labels}}", HELLO).stdout
    with open_image(HELLO) as image:
        assert json.loads(labels) == dict(image.labels)
        expected_env = "".join(f"{entry}\n" for entry in image.env)
    assert run("inspect", "-f", "{{range .Config.Env}}{{println .}}{{end}}", HELLO).stdout == expected_env + "\n"
    pairs = run("inspect", "-f", "{{range $k, $v := .Config.Labels}}{{$k}}={{$v}};{{end}}", HELLO).stdout
    assert pairs.startswith("org.example.")
    assert run("inspect", "-f", "{{.Size}} {{len .RootFS.Layers}} {{.Config.Healthcheck.Test}}", HELLO).returncode == 0
    bad = run("inspect", "-f", "{{.Config.Nope}}", HELLO)
    assert bad.returncode == 2
    assert bad.stderr.startswith("imageinspect: --format: $.Config.Nope: no such field (Config has: ")
    unclosed = run("inspect", "-f", "{{range .Config.Env}}", HELLO)
    assert unclosed.stderr == "imageinspect: --format: offset 0: range without end\n"


# -- 4. progress on a terminal -------------------------------------------------------------------


def _stderr_on_a_terminal(*args: str) -> tuple[int, str]:
    main, child = pty.openpty()
    process = subprocess.Popen([_script(), *args], stdout=subprocess.DEVNULL, stderr=child, cwd=REPO)
    os.close(child)
    chunks = []
    while True:
        ready, _, _ = select.select([main], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(main, 65536)
        except OSError:  # the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    os.close(main)
    return process.wait(), b"".join(chunks).decode()


def test_progress_only_on_a_terminal(tmp_path: Path) -> None:
    big = ImageBuilder().add_layer({"/blob": os.urandom(3 << 20)}).tag("big:1").build()
    plain = tmp_path / "big.tar"
    write_docker_archive([big], plain)
    packed = tmp_path / "big.tar.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes(), compresslevel=1))
    status, shown = _stderr_on_a_terminal("verify", str(packed))
    assert status == 0
    assert "decompressing" in shown
    assert "reading" in shown
    assert re.search(r"\d+(\.\d+)?[kMG]?B / \d+(\.\d+)?[kMG]?B \(\d+%\) \S+/s", shown), shown
    assert shown.count("\r") >= 3  # one line redrawn in place ...
    assert shown.endswith("\r")  # ... and erased at the end
    assert shown.rstrip("\r").split("\r")[-1].strip() == ""
    status, shown = _stderr_on_a_terminal("inspect", str(plain))
    assert status == 0
    assert "reading" in shown
    assert _stderr_on_a_terminal("verify", "--quiet", str(packed)) == (0, "")
    assert run("verify", str(packed)).stderr == ""  # not a terminal: silent


# -- 5. clean edges ------------------------------------------------------------------------------


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    builder = ImageBuilder().add_layer({"/x": b"x"})
    for number in range(4000):
        builder = builder.env(f"VARIABLE_{number}", "v" * 20)
    path = tmp_path / "wide.tar"
    write_docker_archive([builder.tag("wide:1").build()], path)
    process = subprocess.Popen(
        [_script(), "inspect", str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO
    )
    assert process.stdout is not None
    assert process.stderr is not None
    assert process.stdout.readline() == b"[\n"
    process.stdout.close()  # what `| head -1` does
    status = process.wait()
    with process.stderr:
        assert process.stderr.read() == b""
    assert status == 141


def test_warnings_are_one_line() -> None:
    result = run("inspect", HELLO, "--docker", "99.1")
    assert result.returncode == 0
    assert (
        result.stderr == "imageinspect: warning: Docker 99.1 is newer than the newest known (29.7); using its rules\n"
    )


def test_errors_blame_the_right_thing_once(tmp_path: Path) -> None:
    option = run("inspect", HELLO, "--docker", "abc")
    assert option.stderr == "imageinspect: --docker: invalid daemon version 'abc': expected e.g. 20.10 or 1.41\n"
    api = run("inspect", HELLO, "--api", "x")
    assert api.stderr.startswith("imageinspect: --api: invalid API version 'x'")
    podman = run("inspect", HELLO, "--podman", "zz")
    assert podman.stderr.startswith("imageinspect: --podman: ")
    folder = tmp_path / "sub"
    folder.mkdir()
    broken = folder / "broken.tar"
    import io
    import tarfile

    with tarfile.open(broken, "w") as tar:
        info = tarfile.TarInfo("manifest.json")
        info.size = 5
        tar.addfile(info, io.BytesIO(b"[{]]]"))
    result = run("inspect", str(broken))
    assert result.returncode == 2
    assert result.stderr.startswith(f"imageinspect: {broken}!manifest.json: ")
    assert result.stderr.count("broken.tar") == 1


def test_parse_prints_json() -> None:
    result = run("parse", "examples/manifest-list.json")
    summary = json.loads(result.stdout)
    assert summary["kind"] == "index"
    assert summary["manifests"][0]["platform"] == "linux/amd64"
    assert "{'" not in result.stdout


def test_wrong_tool_hints() -> None:
    output = str(GOLDEN / "legacy-full" / "cli-default.json")
    parse = run("parse", output)
    assert parse.returncode == 2
    assert parse.stderr.splitlines()[1] == (
        f"hint: {output} is docker/podman inspect output: try imageinspect check {output} (or imageinspect diff)"
    )
    inspect = run("inspect", "examples/config.json")
    assert inspect.stderr.splitlines()[1] == (
        "hint: examples/config.json is an image document: try imageinspect parse examples/config.json"
    )
    check = run("check", "examples/manifest.json")
    assert check.returncode == 2
    assert check.stderr.splitlines()[1] == (
        "hint: examples/manifest.json is an image document: try imageinspect parse examples/manifest.json"
    )
    archive = run("parse", HELLO)
    assert archive.stderr.splitlines()[1] == f"hint: {HELLO} is an image archive: try imageinspect inspect {HELLO}"


def test_inspect_output_is_unchanged_by_the_rework() -> None:
    with open_image(HELLO) as image:
        expected = dumps([image.inspect(Format.docker("28.5"))], Format.docker("28.5"))
    assert run("inspect", HELLO, "--docker", "28.5").stdout.encode() == expected


# -- the README's command lines work as written ------------------------------------------------


def test_the_readme_command_lines_run() -> None:
    import shlex

    text = (REPO / "README.md").read_text()
    lines = re.findall(r"^imageinspect .*examples/\S+$", text, re.M)
    assert len(lines) >= 5
    for line in lines:
        result = run(*shlex.split(line)[1:])
        assert result.returncode == 0, (line, result.stderr)
        assert result.stdout, line


# -- edges a review found ----------------------------------------------------------------------


def test_format_works_with_every_printer_and_podman() -> None:
    with open_image(HELLO) as image:
        image_id = str(image.id)
    for args in (
        ["--docker", "28.5"],
        ["--docker", "28.5", "--printer", "api"],
        ["--docker", "28.5", "--printer", "template"],
        ["--docker", "28.5", "--printer", "json"],
        ["--podman", "5.4"],
    ):
        result = run("inspect", "-f", "{{.Id}}|{{.Os}}", HELLO, *args)
        assert result.returncode == 0, (args, result.stderr)
        shown = image_id.removeprefix("sha256:") if args[:1] == ["--podman"] else image_id
        assert result.stdout == f"{shown}|linux\n", args


def test_closed_or_terminal_stdin_and_closed_stdout() -> None:
    closed_in = subprocess.run(
        [_script(), "inspect", HELLO], stdin=subprocess.DEVNULL, capture_output=True, cwd=REPO, check=False
    )
    assert closed_in.returncode == 0
    no_stdin = subprocess.run(f"{_script()} inspect - <&-", shell=True, capture_output=True, cwd=REPO, check=False)
    assert no_stdin.returncode == 2
    assert no_stdin.stderr.decode() == "imageinspect: <stdin>: standard input is closed\n"
    no_stdout = subprocess.run(
        f"{_script()} inspect {HELLO} >&-", shell=True, capture_output=True, cwd=REPO, check=False
    )
    assert no_stdout.stderr == b""
    assert no_stdout.returncode == 141
    main, child = pty.openpty()
    try:
        tty = subprocess.run(
            [_script(), "inspect", "-"], stdin=child, capture_output=True, cwd=REPO, check=False, timeout=30
        )
    finally:
        os.close(main)
        os.close(child)
    assert tty.returncode == 2
    assert b"standard input is a terminal" in tty.stderr


def test_a_full_disk_blames_the_output() -> None:
    result = subprocess.run(
        f"{_script()} inspect {HELLO} > /dev/full", shell=True, capture_output=True, cwd=REPO, check=False
    )
    assert result.returncode == 2
    assert result.stderr.decode() == "imageinspect: <stdout>: No space left on device\n"


def test_hints_for_stdin() -> None:
    config = (REPO / "examples" / "config.json").read_bytes()
    result = run("check", "-", stdin=config)
    assert result.returncode == 2
    assert result.stderr.splitlines()[-1] == "hint: standard input is an image document: try imageinspect parse -"


def test_ambiguity_messages(tmp_path: Path) -> None:
    first = ImageBuilder().add_layer({"/a": b"a"}).tag("dup:1").build()
    second = ImageBuilder().add_layer({"/b": b"b"}).tag("dup:1", "other:2").build()
    path = tmp_path / "dup.tar"
    write_docker_archive([first, second], path)
    result = run("inspect", str(path))
    assert "choose one: --ref @0 or --ref other:2" in result.stderr, result.stderr
    prefix = run("inspect", str(path), "--ref", "sha256:" + "0" * 4)
    assert prefix.returncode == 2
    images = run("images", f"{path}:dup:1")
    assert images.stderr.startswith(f"imageinspect: {path}:dup:1: images lists every image")


def test_diff_names_the_side_at_fault_and_takes_ref_on_inspect_output(two_images: tuple[str, list[str]]) -> None:
    path, _ = two_images
    config = "examples/config.json"
    wrong = run("diff", HELLO, config)
    assert wrong.returncode == 2
    assert wrong.stderr.startswith(f"imageinspect: {config}: $: not an inspect object")
    missing = run("diff", HELLO, f"{path}:nope")
    assert missing.stderr.startswith(f"imageinspect: {path}: no image 'nope'")
    output = GOLDEN / "multi" / "cli-default.json"
    assert run("diff", "--ref", "@0", str(output), str(output)).stdout == NO_DIFFERENCES
    podman = GOLDEN / "legacy-full" / "podman.json"
    assert run("diff", "--ref", "f02662cacf61", str(podman), str(podman)).stdout == NO_DIFFERENCES
    golden = GOLDEN / "legacy-full" / "cli-default.json"
    utf16 = golden.read_text().replace("\n", "\r\n").encode("utf-16")  # what PowerShell's > writes
    assert run("diff", str(golden), "-", stdin=utf16).stdout == NO_DIFFERENCES
    piped = run("diff", "-", HELLO, stdin=Path(HELLO).read_bytes())
    assert piped.stdout == NO_DIFFERENCES, piped.stderr


def test_history_table_format(tmp_path: Path) -> None:
    path, image_id = _history_image(tmp_path)
    result = run("history", "--format", "table {{.ID}}\\t{{.Size}}", path)
    assert result.stdout.splitlines() == [
        "IMAGE          SIZE",
        f"{image_id[7:19]}   0B",
        "<missing>      1.23MB",
    ]


def test_skopeo_oci_ref_names() -> None:
    layout = REPO / "tests" / "data" / "golden" / "layouts" / "arm64" / "skopeo-oci"
    result = run("inspect", "-f", "{{.Architecture}}", f"oci:{layout}:latest")
    assert result.returncode == 0, result.stderr
    assert result.stdout == "arm64\n"


def test_closed_stderr_does_not_stop_the_work() -> None:
    result = subprocess.run(
        f"{_script()} inspect -f '{{{{.Os}}}}' {HELLO} 2>&-", shell=True, capture_output=True, cwd=REPO, check=False
    )
    assert result.returncode == 0
    assert result.stdout == b"linux\n"


def test_format_edges_follow_docker(tmp_path: Path) -> None:
    path, image_id = _history_image(tmp_path)
    assert run("history", "--format", "", path).stdout == run("history", path).stdout
    assert run("history", "--format", "table{{.ID}}", path).stdout.splitlines() == [
        "IMAGE",
        image_id[7:19],
        "<missing>",
    ]
    assert run("history", "-q", "--format", "{{.Size}}", path).stdout.split() == ["0B", "1.23MB"]
    assert run("history", "--format", "{{json .}}", path).stdout == run("history", "--format", "json", path).stdout
    ragged = run("history", "--format", 'table {{.ID}}{{if eq .Size "0B"}}\\t-{{end}}', path)
    assert ragged.returncode == 0, ragged.stderr
    assert ragged.stdout.splitlines()[1] == f"{image_id[7:19]}   -"
    assert run("inspect", "-f", "", HELLO).stdout == run("inspect", HELLO).stdout


def test_stdin_that_is_no_archive_is_refused_at_once() -> None:
    with open("/dev/zero", "rb") as zeros:
        result = subprocess.run(
            [_script(), "inspect", "-"], stdin=zeros, capture_output=True, cwd=REPO, check=False, timeout=30
        )
    assert result.returncode == 2
    assert (
        result.stderr == b"imageinspect: <stdin>: not an image archive (no tar header at the start of standard input)\n"
    )
    twice = run("diff", "-", "-", stdin=Path(HELLO).read_bytes())
    assert twice.returncode == 2
    assert "standard input can be read once" in twice.stderr


def test_an_ambiguous_short_id(tmp_path: Path) -> None:
    seen: dict[str, object] = {}
    for number in range(2000):
        image = ImageBuilder().add_layer({"/n": str(number).encode()}).tag(f"n:{number}").build()
        prefix = str(image.id)[7:11]
        if prefix in seen:
            pair = [seen[prefix], image]
            break
        seen[prefix] = image
    else:  # pragma: no cover - 2000 IDs share a 4-digit prefix with near certainty
        pytest.fail("no two IDs share a prefix")
    path = tmp_path / "pair.tar"
    write_docker_archive(pair, path)  # type: ignore[arg-type]
    result = run("inspect", str(path), "--ref", prefix)
    assert result.returncode == 2
    assert f"2 images have IDs that start with '{prefix}': choose one: --ref n:" in result.stderr


def test_oracle_templates_through_the_console_script() -> None:
    oracle = REPO / "tests" / "data" / "golden" / "cli"
    templates = (oracle / "templates.txt").read_text().splitlines()
    for number in (2, 5, 48, 16, 17, 20, 25, 56, 64, 70):  # list, json, duration, range, index, if, pad
        source = templates[number - 1]
        expected = (oracle / "hello" / "inspect-f" / f"{number:02d}.txt").read_text()
        result = run("inspect", "-f", source, "--docker", "20.10", "--storage-driver", "vfs", HELLO)
        assert result.returncode == 0, (source, result.stderr)
        assert result.stdout == expected, source


def test_umoci_layers_without_padding_or_end_blocks() -> None:
    """umoci writes a gzip layer whose tar ends right after the file's data
    (no padding, no end blocks); Go's tar reader takes that as the end."""
    layout = str(REPO / "tests" / "data" / "golden" / "layouts" / "umoci" / "layout")
    history = run("history", layout)
    assert history.returncode == 0, history.stderr
    assert "umoci insert payload.txt /app/payload.txt   21B" in history.stdout
    # (inspect of a layout: the containerd store counts blobs as stored, the
    # graphdriver store cannot load one: no view counts the 21 bytes)
    assert run("layers", layout).returncode == 0
