"""``imageinspect inspect`` with several archives: one JSON array, as
``docker image inspect a b`` prints; a template line per image; all or
nothing when one archive fails; stdin read at most once."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from imageinspect.cli import main
from tests.conftest import DATA, REPO

HELLO = str(REPO / "examples/hello.tar")
ARM64 = str(DATA / "golden/inspect/arm64/docker-save.tar")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("daemon", [[], ["--docker", "20.10"], ["--podman", "5.8"]])
def test_one_array_of_every_image(daemon: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    both = json.loads(_out(capsys, "inspect", *daemon, HELLO, ARM64))
    one = json.loads(_out(capsys, "inspect", *daemon, HELLO))
    other = json.loads(_out(capsys, "inspect", *daemon, ARM64))
    assert both == one + other
    text = _out(capsys, "inspect", *daemon, HELLO, ARM64)
    assert text.startswith("[")
    assert text.count("\n[") == 0


def test_a_template_line_per_image(capsys: pytest.CaptureFixture[str]) -> None:
    assert _out(capsys, "inspect", "-f", "{{.Architecture}}", HELLO, ARM64, HELLO) == "amd64\narm64\namd64\n"


def test_all_or_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", HELLO, "/nonexistent/x.tar"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == "imageinspect: /nonexistent/x.tar: cannot open: No such file or directory\n"


def test_stdin_once(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "-", "-"]) == 2
    assert "stdin (-) can be read once" in capsys.readouterr().err


def test_templates_run_as_the_go_release_of_dockers_cli(capsys: pytest.CaptureFixture[str]) -> None:
    """``--docker 20.10``: Debian's CLI, built with Go 1.19, which has no
    ``{{else with}}`` and no range over an integer; later CLIs have both."""
    source = '{{with ""}}{{else with .Architecture}}{{.}}{{end}} {{range $i := 2}}{{$i}}{{end}}'
    assert _out(capsys, "inspect", "--docker", "29.0", "-f", source, HELLO) == "amd64 01\n"
    assert main(["inspect", "--docker", "20.10", "-f", source, HELLO]) != 0
    assert "unexpected <with> in else" in capsys.readouterr().err
    ranged = "{{range $i := 2}}{{$i}}{{end}}"
    assert main(["inspect", "--docker", "20.10", "-f", ranged, HELLO]) != 0
    assert "range can't iterate over 2" in capsys.readouterr().err


def test_a_template_writes_the_bytes_go_would() -> None:
    """A ``slice`` through a character leaves a byte that is no UTF-8; Go
    writes it as it is, and so does the command (no encoding error)."""
    result = subprocess.run(
        [sys.executable, "-m", "imageinspect", "inspect", "-f", '{{slice "é!" 0 1}}{{slice "é!" 2}}', HELLO],
        capture_output=True,
        check=False,
    )
    assert (result.returncode, result.stdout, result.stderr) == (0, b"\xc3!\n", b"")
