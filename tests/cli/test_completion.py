"""Completion scripts and the man page, made from the parser: every command
and option is in each, bash really completes with it, and the committed man
page is the one the parser makes today."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from imageinspect import __version__
from imageinspect.cli.commands import ALL
from imageinspect.cli.completion import SHELLS, describe, manpage, script
from imageinspect.cli.main import build_parser
from tests.conftest import REPO

MANPAGE = REPO / "docs" / "man" / "imageinspect.1"


@pytest.mark.parametrize("shell", SHELLS)
def test_every_command_and_option_is_in_the_script(shell: str) -> None:
    text = script(shell, build_parser())
    for command in describe(build_parser()):
        assert command.name in text
        for option in command.options:
            assert option.flags[-1].lstrip("-") in text, (shell, command.name, option.flags)
    assert [c.name for c in describe(build_parser())] == [c.name for c in ALL]


@pytest.mark.parametrize("shell", SHELLS)
def test_the_shell_reads_it(shell: str, tmp_path: Path) -> None:
    binary = shutil.which(shell)
    if binary is None:
        pytest.skip(f"{shell} is not installed")
    path = tmp_path / f"completion.{shell}"
    path.write_text(script(shell, build_parser()))
    done = subprocess.run([binary, "-n", str(path)], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def _bash_complete(*words: str) -> list[str]:
    bash = shutil.which("bash")
    if bash is None:
        pytest.skip("bash is not installed")
    source = script("bash", build_parser())
    line = " ".join(["imageinspect", *words])
    program = (
        f"{source}\nCOMP_WORDS=({line}); COMP_CWORD={len(words)}; _imageinspect; printf '%s\\n' \"${{COMPREPLY[@]}}\""
    )
    done = subprocess.run([bash, "-c", program], capture_output=True, text=True, check=True, cwd=REPO)
    return done.stdout.split()


def test_bash_completes_commands_options_choices_and_files() -> None:
    assert _bash_complete("co") == ["config", "compat", "completion"]
    assert _bash_complete("diff", "--ig") == ["--ignore", "--ignore-times"]
    assert _bash_complete("inspect", "--printer", "") == ["cli", "api", "json", "template"]
    assert _bash_complete("completion", "") == ["bash", "zsh", "fish"]
    assert "examples/hello.tar" in _bash_complete("inspect", "examples/he")


def test_the_man_page_is_current() -> None:
    made = manpage(build_parser(), __version__)
    assert MANPAGE.read_text() == made, "run: python scripts/make-manpage"
    for command in ALL:
        assert f".SS {command.name}" in made


def test_man_renders_it(tmp_path: Path) -> None:
    man = shutil.which("man")
    if man is None:
        pytest.skip("man is not installed")
    done = subprocess.run(
        [man, "-l", str(MANPAGE)],
        capture_output=True,
        text=True,
        check=False,
        env={"MANWIDTH": "100", "PATH": "/usr/bin:/bin"},
    )
    assert done.returncode == 0, done.stderr
    assert "imageinspect compat" in done.stdout


def test_the_script_writes_the_man_page(tmp_path: Path) -> None:
    copy = tmp_path / "scripts"
    copy.mkdir()
    shutil.copy(REPO / "scripts/make-manpage", copy / "make-manpage")
    done = subprocess.run([sys.executable, str(copy / "make-manpage")], capture_output=True, text=True, check=True)
    assert (tmp_path / "docs/man/imageinspect.1").read_text() == MANPAGE.read_text(), done.stdout
