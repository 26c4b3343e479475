"""``imageinspect compat``: a row per daemon, the daemon's words when it
refuses, JSON lines with the same facts, and the usual one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageinspect import open_image
from imageinspect.cli import main
from tests.conftest import DATA, REPO

HELLO = REPO / "examples" / "hello.tar"


def test_table_has_a_row_per_daemon(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compat", str(HELLO)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["DAEMON", "STORE", "LOAD", "IMAGE", "ID", "REPO", "TAGS", "DIGESTS", "SIZE"]
    with open_image(HELLO) as image:
        rows = image.compat()
    assert len(lines) == 1 + len(rows)
    graphdriver = next(line for line in lines if line.startswith("docker 28.5.2+dfsg4") and "graphdriver" in line)
    assert "f02662cacf61" in graphdriver
    assert "case/legacy-full:latest" in graphdriver
    containerd = next(line for line in lines if line.startswith("docker 29.7.2") and "containerd" in line)
    assert str(rows[-1].repo_tags[0]) in lines[-1]
    assert "608584b7a481" in containerd  # the containerd store's ID: the manifest it made


def test_refusals_in_the_daemons_words(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compat", str(DATA / "golden/edge/pre-1.10.tar"), "--ref", "edge/pre-1.10"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if line.startswith("docker 29.7.2") and "graphdriver" in line)
    assert "refused: invalid archive: does not contain a manifest.json" in row
    assert "refused: payload does not match any of the supported image formats" in out


def test_json_lines(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compat", "--format", "json", str(DATA / "golden/edge/layer-count.tar")]) == 0
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    kept = [r for r in records if r["Loads"]]
    assert kept
    assert all(r["Store"] == "containerd" for r in kept)
    refused = next(r for r in records if r["Version"] == "28.5.2+dfsg4" and r["Store"] == "graphdriver")
    assert refused["Refusal"] == "invalid manifest, layers length mismatch: expected 3, got 1"
    assert refused["Member"] == "manifest.json"
    assert refused["Id"] is None
    assert refused["Size"] is None
    assert set(records[0]) == {
        "Daemon", "Version", "Store", "Observed", "Loads", "Shows", "Refusal", "Member", "Id", "RepoTags",
        "RepoDigests", "Size",
    }  # fmt: skip


def test_every_line_marks_what_was_not_observed(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["compat", "--all", str(HELLO)]) == 0
    out = capsys.readouterr().out
    assert "docker 1.12 *" in out
    assert out.endswith("* known from the release's sources only, not checked against a real daemon\n")


def test_a_bad_archive_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.tar"
    bad.write_bytes(b"not a tar" * 100)
    assert main(["compat", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "bad.tar: not a tar archive" in err
