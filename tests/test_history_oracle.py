"""``imageinspect history`` against what the Docker 20.10 CLI printed for the
same archives after ``docker load`` into a fresh vfs daemon
(``tests/data/golden/inspect/*/history-after-load.jsonl``, from
``scripts/golden/after-load.sh``): byte for byte, ages included, with "now"
set to the moment the daemon's output implies."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from imageinspect import AmbiguousImage, Timestamp, open_image
from imageinspect.cli.history import history_json_lines, human_duration
from tests.conftest import REPO

GOLDEN = REPO / "tests" / "data" / "golden" / "inspect"
CASES = sorted(p.parent for p in GOLDEN.glob("*/history-after-load.jsonl") if (p.parent / "docker-save.tar").exists())


def _capture_time(first: dict[str, str]) -> float:
    """A "now" consistent with the top row's age (seconds-resolution ages)."""
    created = Timestamp.parse(first["CreatedAt"]).unix_nanos / 1e9
    words = first["CreatedSince"].removesuffix(" ago").split()
    seconds = int(words[0]) if words[0].isdigit() and words[1].startswith("second") else None
    assert seconds is not None, f"the oracle's top row is not seconds old: {first['CreatedSince']}"
    return created + seconds + 0.5


def test_there_are_oracle_cases() -> None:
    assert len(CASES) >= 10


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_history_json_is_what_docker_printed(case: Path, utc: None) -> None:
    expected = (case / "history-after-load.jsonl").read_text()
    rows = [json.loads(line) for line in expected.splitlines()]
    try:
        image = open_image(case / "docker-save.tar", ref=rows[0]["ID"])
    except AmbiguousImage:  # pragma: no cover - every case names its image by ID
        pytest.fail("the top row's ID does not choose an image")
    with image:
        ours = image.history(storage_driver="vfs")
    now = _capture_time(rows[0])
    assert history_json_lines(ours, human=True, no_trunc=True, now=now) == expected


def test_ages_follow_go_units() -> None:
    """Spot checks of the thresholds docker/go-units' tests pin down."""
    assert [human_duration(s) for s in (47 * 3600, 48 * 3600, 14 * 86400, 60 * 86400, 730 * 86400)] == [
        "47 hours",
        "2 days",
        "2 weeks",
        "2 months",
        "2 years",
    ]
