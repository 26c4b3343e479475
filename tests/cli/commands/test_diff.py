"""``imageinspect diff`` for people: A/B words, paths with or without ``$.``,
``--ignore-times``, and what it does not compare said in ``--help`` and in
its output."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageinspect.cli import main
from tests.conftest import DATA, REPO

HELLO = REPO / "examples" / "hello.tar"
OTHER = DATA / "golden/inspect/legacy-multi-layer/docker-save.tar"


def test_a_and_b(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(HELLO), str(OTHER)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[1] == '$.RepoTags[0]: A "case/legacy-full:latest", B "case/legacy-multi-layer:latest"'
    assert '$.Author: only in A ("Inspect Golden <inspect@example.invalid>")' in out
    assert out[-1] == "not compared: $.GraphDriver, $.Metadata.LastTagTime"
    assert not any("expected" in line or "missing" in line for line in out)


def test_ignore_paths_as_people_write_them(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diff", str(HELLO), str(OTHER), "--ignore", "Id", "--ignore", ".RepoTags"]) == 1
    out = capsys.readouterr().out
    assert "$.Id:" not in out
    assert "$.RepoTags" not in out.split("not compared")[0]
    assert out.splitlines()[-1] == "not compared: $.GraphDriver, $.Metadata.LastTagTime, $.Id, $.RepoTags"


def test_ignore_times_for_a_rebuild(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--printer", "json", str(HELLO)]) == 0
    first = json.loads(capsys.readouterr().out)
    rebuilt = [dict(first[0], Created="2030-01-01T00:00:00Z")]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(first))
    b.write_text(json.dumps(rebuilt))
    assert main(["diff", str(a), str(b)]) == 1
    assert '$.Created: A "' in capsys.readouterr().out
    assert main(["diff", str(a), str(b), "--ignore-times"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "no differences"
    assert "$.Created" in out[1]


def test_all_fields_compares_what_only_the_host_knows(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["inspect", "--printer", "json", str(HELLO)]) == 0
    first = json.loads(capsys.readouterr().out)
    moved = [dict(first[0], Metadata={"LastTagTime": "2030-01-01T00:00:00Z"})]
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    a.write_text(json.dumps(first))
    b.write_text(json.dumps(moved))
    assert main(["diff", str(a), str(b)]) == 0
    capsys.readouterr()
    assert main(["diff", str(a), str(b), "--all-fields"]) == 1
    assert '$.Metadata.LastTagTime: A "0001-01-01T00:00:00Z", B "2030-01-01T00:00:00Z"' in capsys.readouterr().out


def test_help_lists_what_is_not_compared(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["diff", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "$.GraphDriver, $.Metadata.LastTagTime: not compared by default" in text
    assert "--ignore-times" in text
