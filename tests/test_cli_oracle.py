"""The command line against what the real docker CLI printed for the same
images (``tests/data/golden/cli/``, made by ``scripts/golden/cli-oracle.sh``:
Docker CLI 20.10 and 28.5 against a fresh dockerd 20.10 after ``docker load``).

- ``history`` tables: byte for byte, through the console script (non-human
  views) and with the capture time as "now" (the human view);
- ``inspect -f``: every template of ``templates.txt`` run as the CLI runs it
  (on the CLI's typed value built from our model, then on the daemon's JSON):
  same bytes where docker succeeded (structs such as
  ``{{.Config.Healthcheck}}`` too), Docker's own error message where it
  failed at execution (status 1), an error where it failed to parse (64)."""

from __future__ import annotations

import pytest

from imageinspect import Format, ImageInspect, open_image
from imageinspect.cli.govalues import docker_values
from imageinspect.cli.history import history_table
from imageinspect.gotemplate import Template, TemplateError
from tests.conftest import REPO
from tests.test_console import run

ORACLE = REPO / "tests" / "data" / "golden" / "cli"
CASES = sorted(p.parent.name for p in ORACLE.glob("*/image-id.txt"))
TEMPLATES = (ORACLE / "templates.txt").read_text().splitlines() if ORACLE.exists() else []
#: Where each CLI's files are, and the CLI release whose types the template runs on.
CLIS = {"20.10": "", "28.5": "docker28/"}


def _archive(case: str) -> str:
    return str(REPO / (ORACLE / case / "source.txt").read_text().strip())


def test_the_oracle_is_there() -> None:
    assert len(CASES) >= 3
    assert len(TEMPLATES) >= 60


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize(
    ("view", "args"),
    [("history-nonhuman.txt", ["--human=false"]), ("history-notrunc-nonhuman.txt", ["--human=false", "--no-trunc"])],
)
def test_history_tables(case: str, view: str, args: list[str]) -> None:
    expected = (ORACLE / case / "docker28" / view).read_text()  # today's CLI: widths in display columns
    image_id = (ORACLE / case / "image-id.txt").read_text().strip()
    ours = run("history", *args, "--storage-driver", "vfs", "--ref", image_id, _archive(case), env={"TZ": "UTC"})
    assert ours.returncode == 0, ours.stderr
    assert ours.stdout == expected


@pytest.mark.parametrize("case", CASES)
def test_history_human_table(case: str, utc: None) -> None:
    expected = (ORACLE / case / "history-table.txt").read_text()
    now = float((ORACLE / case / "captured-at.txt").read_text())
    image_id = (ORACLE / case / "image-id.txt").read_text().strip()
    with open_image(_archive(case), ref=image_id) as image:
        rows = image.history(storage_driver="vfs")
    assert history_table(rows, now=now + 0.5) == expected


def _shown(case: str) -> ImageInspect:
    """What the 20.10 daemon of the oracle shows for the case's image."""
    image_id = (ORACLE / case / "image-id.txt").read_text().strip()
    with open_image(_archive(case), ref=image_id) as image:
        shown = image.inspect(Format.docker("20.10"), storage_driver="vfs")
    assert isinstance(shown, ImageInspect)
    return shown


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("cli", sorted(CLIS))
def test_inspect_templates(case: str, cli: str) -> None:
    folder = ORACLE / case / CLIS[cli] / "inspect-f"
    typed, raw = docker_values(_shown(case), Format.docker("20.10", cli=cli))
    compared = failed = 0
    for number, source in enumerate(TEMPLATES, start=1):
        stem = f"{number:02d}"
        status = int((folder / f"{stem}.status").read_text())
        if status != 0:
            with pytest.raises(TemplateError) as caught:
                Template.parse(source).inspect(typed, raw)
            if status == 1:  # an execution error: Docker's words, exactly
                assert caught.value.go == (folder / f"{stem}.stderr").read_text().rstrip("\n"), (stem, source)
            failed += 1
            continue
        expected = (folder / f"{stem}.txt").read_text()
        assert Template.parse(source).inspect(typed, raw) + "\n" == expected, (stem, source)
        compared += 1
    assert compared >= 60
    assert failed >= 4
