"""``imageinspect images``: docker's images table (REPOSITORY, TAG, DIGEST,
IMAGE ID, CREATED, SIZE, after this tool's @N and the platform), Go
templates as docker images runs them, JSON lines, and what real daemons
listed after loading the corpus's archives."""

from __future__ import annotations

import contextlib
import io
import json
import time

import pytest

from imageinspect.cli import main
from tests import observed
from tests.conftest import DATA, REPO

HELLO = str(REPO / "examples/hello.tar")
TAGS = str(DATA / "golden/inspect/legacy-multi-tag/docker-save.tar")


def _out(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(list(args)) == 0
    return capsys.readouterr().out


def test_docker_s_columns(capsys: pytest.CaptureFixture[str]) -> None:
    lines = _out(capsys, "images", "--docker", "28.5", HELLO).splitlines()
    assert lines[0].split() == ["REF", "REPOSITORY", "TAG", "DIGEST", "IMAGE", "ID", "PLATFORM", "CREATED", "SIZE"]
    cells = lines[1].split()
    assert cells[:6] == ["@0", "case/legacy-full", "latest", "<none>", "f02662cacf61", "linux/amd64"]
    assert cells[-3:] == ["days", "ago", "19B"]  # CREATED "N days ago"; what docker 28.5's graphdriver store shows


def test_a_row_per_tag(capsys: pytest.CaptureFixture[str]) -> None:
    rows = _out(capsys, "images", "--docker", "28.5", "--format", "{{.Repository}}:{{.Tag}}", TAGS).split()
    assert len(rows) == 9
    assert "127.0.0.1:5000/case/app:1" in rows
    assert "app:explicit" in rows
    ids = _out(capsys, "images", "--docker", "28.5", "-q", TAGS).split()
    assert len(ids) == 1  # -q: an image once


def test_templates_and_table_templates(capsys: pytest.CaptureFixture[str]) -> None:
    text = _out(capsys, "images", "--format", "table {{.Repository}}\\t{{.Tag}}\\t{{.Size}}", HELLO)
    assert text.splitlines()[0].split() == ["REPOSITORY", "TAG", "SIZE"]
    assert text.splitlines()[1].split()[:2] == ["case/legacy-full", "latest"]
    assert main(["images", "--format", "{{.Nope}}", HELLO]) == 2
    err = capsys.readouterr().err
    assert 'executing "" at <.Nope>: can\'t evaluate field Nope in type *formatter.imageContext' in err


def test_json_lines_are_docker_s_with_two_more_fields(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    record = json.loads(_out(capsys, "images", "--format", "json", HELLO))
    assert list(record) == sorted(record)  # json.Marshal of a map: keys sorted
    assert set(record) == {
        "Containers", "CreatedAt", "CreatedSince", "Digest", "ID", "Repository", "SharedSize", "Size", "Tag",
        "UniqueSize", "VirtualSize", "Index", "Platform",
    }  # fmt: skip
    assert record["CreatedAt"] == "2026-11-27 02:29:28 +0000 UTC"  # Go's Time.String(), local zone
    assert record["Containers"] == "N/A"
    monkeypatch.undo()
    time.tzset()


def _listed(daemon: str, path: str) -> list[str]:
    version = observed.server(daemon)[0]
    template = "{{.ID}} {{.Repository}}:{{.Tag}}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(
            ["images", "--docker", version, "--store", "graphdriver", "--no-trunc", "--format", template, path]
        )
    assert status == 0
    return sorted(line for line in out.getvalue().splitlines() if line)


def test_what_graphdriver_daemons_listed() -> None:
    """``docker images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}'``
    after each load, on every graphdriver daemon observed (the containerd
    stores also list images the capture left behind, and name some images
    their own way: not compared here)."""
    checked = 0
    for daemon, entry in sorted(observed.index()["daemons"].items()):
        if not daemon.startswith("docker-") or daemon.endswith("-containerd"):
            continue
        for case, found in sorted(entry["cases"].items()):
            listed, path = found["files"].get("images.txt"), observed.source(case, daemon)
            load = found["files"].get("load.txt")
            if not isinstance(listed, str) or path is None or (isinstance(load, dict) and load.get("rc")):
                continue
            want = sorted(line for line in observed.blob(listed).decode().splitlines() if line)
            assert _listed(daemon, str(path)) == want, (daemon, case)
            checked += 1
    assert checked >= 900, checked
