"""The command line: output, exit codes and one-line errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from imageinspect.cli import main
from tests.conftest import REPO, public

EXAMPLES = REPO / "examples"


def test_parse_describes_a_config(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", str(EXAMPLES / "config.json")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "config"
    assert summary["digest"].startswith("sha256:")


def test_parse_json_output(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "--json", str(EXAMPLES / "manifest-list.json")]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["kind"] == "index"
    assert summary["manifests"]


def test_parse_stdin(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import io

    raw = public("containers-image/schema2-to-schema1-by-docker.json").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    assert main(["parse", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["signed"] is True


def test_bad_input_is_one_line_and_status_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(b'{"schemaVersion":2,"config":{"digest":"sha256:x","size":1},"layers":[]}')
    assert main(["parse", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith(f"imageinspect: {bad}: $.config.digest: invalid digest")


def test_missing_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["parse", "/nonexistent/file.json"]) == 2
    assert "No such file" in capsys.readouterr().err


def test_python_dash_m_and_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "imageinspect", "parse", "--help"], capture_output=True, text=True, check=True
    )
    assert "examples:" in result.stdout
    result = subprocess.run(
        [sys.executable, "-m", "imageinspect", "parse", str(EXAMPLES / "manifest.json")],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["kind"] == "manifest"


HELLO = str(EXAMPLES / "hello.tar")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "imageinspect", *args], capture_output=True, text=True, cwd=REPO)


def test_inspect_prints_what_docker_prints() -> None:
    from imageinspect import Format, dumps, open_image

    result = _run("inspect", HELLO, "--docker", "20.10", "--storage-driver", "vfs")
    assert result.returncode == 0, result.stderr
    with open_image(HELLO) as image:
        assert result.stdout.encode() == dumps(
            [image.inspect(Format.docker("20.10"), storage_driver="vfs")], Format.docker("20.10")
        )
    podman = _run("inspect", HELLO, "--podman", "4.3")
    assert podman.stdout.startswith("[\n     {\n")
    body = _run("inspect", HELLO, "--docker", "29.1", "--api", "1.52", "--store", "containerd", "--printer", "api")
    assert body.stdout.count("\n") == 1


def test_history_layers_verify() -> None:
    history = _run("history", HELLO)
    assert history.returncode == 0
    assert history.stdout.startswith("IMAGE")
    assert "<missing>" in history.stdout
    layers = _run("layers", HELLO, "--no-trunc")
    assert "sha256:" in layers.stdout
    verify = _run("verify", HELLO)
    assert verify.returncode == 0
    assert verify.stdout.startswith("ok: 3 blobs")


def test_check_and_diff_exit_codes(tmp_path: Path) -> None:
    golden = REPO / "tests" / "data" / "golden" / "inspect" / "legacy-full" / "cli-default.json"
    assert _run("check", str(golden)).returncode == 0
    broken = tmp_path / "reindented.json"
    broken.write_text(golden.read_text().replace("    ", "  "))
    result = _run("check", str(broken))
    assert result.returncode == 0, "a 2-space layout is reproduced exactly too"
    same = _run("diff", HELLO, HELLO)
    assert same.returncode == 0
    assert same.stdout == "no differences\nnot compared: $.GraphDriver, $.Metadata.LastTagTime\n"
    other = REPO / "tests" / "data" / "golden" / "inspect" / "arm64" / "docker-save.tar"
    different = _run("diff", HELLO, str(other))
    assert different.returncode == 1
    assert '$.Architecture: A "amd64", B "arm64"' in different.stdout


def test_check_reports_the_first_difference(tmp_path: Path) -> None:
    unusual = tmp_path / "unusual.json"
    unusual.write_bytes(b'[{"Id":"x",  "Size":1}]\n')
    result = _run("check", str(unusual))
    assert result.returncode == 1
    assert result.stdout.startswith("differs at byte 11")


def test_bad_archive_is_one_line_with_the_member(tmp_path: Path) -> None:
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"not a tar" * 100)
    result = _run("inspect", str(bad))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "bad.tar: not a tar archive" in result.stderr


@pytest.mark.parametrize(
    "command", ["images", "inspect", "parse", "history", "layers", "compat", "diff", "check", "verify"]
)
def test_every_command_has_examples_in_help(command: str) -> None:
    result = _run(command, "--help")
    assert result.returncode == 0
    assert "examples:" in result.stdout


def test_every_command_module_is_a_listed_command_with_a_parser() -> None:
    """A command is one module of imageinspect/cli/commands/: its COMMAND is in ALL, and so in the parser."""
    import argparse
    import importlib

    from imageinspect.cli import build_parser
    from imageinspect.cli.commands import ALL

    folder = REPO / "imageinspect" / "cli" / "commands"
    names = sorted(path.stem for path in folder.glob("*.py") if path.stem not in {"__init__", "base", "shared"})
    assert names
    subparsers = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    for name in names:
        command = importlib.import_module(f"imageinspect.cli.commands.{name}").COMMAND
        assert command in ALL, name
        assert subparsers.choices[command.name].get_default("run") is command.run, name
    assert len(ALL) == len(names) == len(subparsers.choices)
