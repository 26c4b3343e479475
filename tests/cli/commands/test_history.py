"""``imageinspect history`` with several archives: a section each, named by
the archive, in the order given; all or nothing when one fails."""

from __future__ import annotations

import pytest

from imageinspect.cli import main
from tests.conftest import DATA, REPO

HELLO = str(REPO / "examples/hello.tar")
ARM64 = str(DATA / "golden/inspect/arm64/docker-save.tar")


def test_a_section_per_archive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--human=false", HELLO]) == 0
    one = capsys.readouterr().out
    assert main(["history", "--human=false", ARM64]) == 0
    other = capsys.readouterr().out
    assert main(["history", "--human=false", HELLO, ARM64]) == 0
    assert capsys.readouterr().out == f"{HELLO}:\n{one}\n{ARM64}:\n{other}"


def test_json_and_templates_per_archive(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "--format", "{{.ID}}", "-H=false", HELLO, HELLO]) == 0
    sections = capsys.readouterr().out.split("\n\n")
    assert len(sections) == 2
    assert sections[0].rstrip("\n") == sections[1].rstrip("\n")


def test_all_or_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", HELLO, "/nonexistent/x.tar"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "/nonexistent/x.tar: cannot open" in captured.err
