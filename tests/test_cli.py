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
    out = capsys.readouterr().out
    assert "kind: config" in out
    assert "digest: sha256:" in out


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
    assert "signed: True" in capsys.readouterr().out


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
    assert "kind: manifest" in result.stdout
