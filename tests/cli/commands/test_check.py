"""``imageinspect check``: ok for an exact round trip; else where it first
differs -- the byte, the JSON path, and the bytes around it, both sides."""

from __future__ import annotations

from pathlib import Path

import pytest

from imageinspect.cli import main
from tests.conftest import DATA


def test_an_exact_round_trip(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", str(DATA / "golden/inspect/legacy-full/cli-default.json")]) == 0
    assert capsys.readouterr().out.startswith("ok: 1 image(s), docker cli output, exact round trip")


def test_the_first_difference_with_a_snippet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = (DATA / "golden/inspect/legacy-full/cli-default.json").read_bytes()
    edited = raw.replace(b'"Architecture": "amd64"', b'"Architecture":  "amd64"', 1)
    assert edited != raw
    path = tmp_path / "edited.json"
    path.write_bytes(edited)
    assert main(["check", str(path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    offset = edited.index(b'"Architecture":') + len(b'"Architecture":') + 1
    assert lines[0] == f"differs at byte {offset}, $ (whitespace or escaping only)"
    assert lines[1].startswith("  input:   …")
    assert '"Architecture":  "amd64"' in lines[1]
    assert lines[3].startswith("  written: …")
    assert '"Architecture": "amd64"' in lines[3]
    for text, caret in ((lines[1], lines[2]), (lines[3], lines[4])):
        assert caret.strip() == "^"
        assert len(caret) - 1 <= len(text)


def test_a_value_that_changes_names_its_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    raw = (DATA / "golden/inspect/legacy-full/cli-default.json").read_bytes()
    path = tmp_path / "float.json"
    path.write_bytes(raw.replace(b'"Size": ', b'"Size": 1.0e0 + ', 1).replace(b"1.0e0 + ", b"", 0))
    path.write_bytes(raw.replace(b'"Os": "linux"', b'"Os": "lin\\u0075x"', 1))
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert out.startswith("differs at byte")
    assert "\\\\u0075" in out or "u0075" in out
