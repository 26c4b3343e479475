"""``imageinspect images``: docker's images table (REPOSITORY, TAG, DIGEST,
IMAGE ID, CREATED, SIZE, after this tool's @N and the platform), Go
templates as docker images runs them, JSON lines, and what real daemons
listed after loading the corpus's archives."""

from __future__ import annotations

import contextlib
import io
import json
import tarfile
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
    version, store = observed.server(daemon)[0], "containerd" if daemon.endswith("-containerd") else "graphdriver"
    template = "{{.ID}} {{.Repository}}:{{.Tag}}"
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        status = main(["images", "--docker", version, "--store", store, "--no-trunc", "--format", template, path])
    assert status == 0
    return sorted(line for line in out.getvalue().splitlines() if line)


def _left_behind(case: str, found: dict[str, object]) -> set[str]:
    """The images an earlier case left in the daemon: those listed before the
    load (``before.txt``) or, where a capture kept no such list, the one the
    CLI cannot remove: ``edge/oci-ref-upper.tar``'s, named ``UpperCase``."""
    files = found["files"]
    assert isinstance(files, dict)
    before = files.get("before.txt")
    if isinstance(before, str):
        return set(observed.blob(before).decode().split())
    if case == "edge-oci-ref-upper":
        return set()
    with tarfile.open(DATA / "golden/edge/oci-ref-upper.tar") as tar:
        index = tar.extractfile("index.json")
        assert index is not None
        return {entry["digest"] for entry in json.load(index)["manifests"]}


@pytest.mark.parametrize("store", ["graphdriver", "containerd"])
def test_what_daemons_listed(store: str) -> None:
    """``docker images -a --no-trunc --format '{{.ID}} {{.Repository}}:{{.Tag}}'``
    after each load, on every daemon and store observed, less what earlier
    cases left behind. On the containerd store, each release's rules
    (``containerd-list-*``): a row per platform manifest and record on 24.x,
    a repeated row for an OCI ``ref.name`` that is no canonical name from
    25.0, one row per image from 26.0, none for a name without a tag."""
    checked = 0
    for daemon, entry in sorted(observed.index()["daemons"].items()):
        if not daemon.startswith("docker-") or daemon.endswith("-containerd") != (store == "containerd"):
            continue
        for case, found in sorted(entry["cases"].items()):
            listed, path = found["files"].get("images.txt"), observed.source(case, daemon)
            load = found["files"].get("load.txt")
            if not isinstance(listed, str) or path is None or (isinstance(load, dict) and load.get("rc")):
                continue
            left = _left_behind(case, found)
            want = sorted(line for line in observed.blob(listed).decode().splitlines() if line.split()[0] not in left)
            assert _listed(daemon, str(path)) == want, (daemon, case)
            checked += 1
    assert checked >= (1000 if store == "graphdriver" else 600), checked
