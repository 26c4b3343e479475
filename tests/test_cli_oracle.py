"""The command line against what the real docker CLI printed for the same
images (``tests/data/golden/cli/``, made by ``scripts/golden/cli-oracle.sh``:
Docker CLI 20.10 and 28.5 against a fresh dockerd 20.10 after ``docker load``).

- ``history`` tables: byte for byte, through the console script (non-human
  views) and with the capture time as "now" (the human view);
- ``inspect -f``: every template of ``templates.txt`` run on the typed view our
  model renders (itself checked against the CLI's own ``{{json .}}``): same
  bytes where docker succeeded, an error where docker failed. Struct printing
  (``{{.Config.Healthcheck}}``) is the documented exception."""

from __future__ import annotations

import json

import orjson
import pytest

from imageinspect import Format, dumps, open_image
from imageinspect.cli.gokinds import DOCKER
from imageinspect.cli.history import history_table
from imageinspect.gotemplate import Template, TemplateError
from tests.conftest import REPO
from tests.test_console import run

ORACLE = REPO / "tests" / "data" / "golden" / "cli"
CASES = sorted(p.parent.name for p in ORACLE.glob("*/image-id.txt"))
TEMPLATES = (ORACLE / "templates.txt").read_text().splitlines() if ORACLE.exists() else []
#: Templates whose value is a Go struct: docker prints ``{v1 v2 ...}`` in the
#: struct's field order; ours prints a map (docs/reference/cli.md).
STRUCTS = {"{{.Config.Healthcheck}}", "{{.Metadata}}", "{{.RootFS}}"}
#: Where each CLI's files are, and the CLI release that renders its typed view.
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


def _typed_view(case: str, cli: str) -> object:
    """What our model renders as the CLI's typed value (``{{json .}}``)."""
    image_id = (ORACLE / case / "image-id.txt").read_text().strip()
    with open_image(_archive(case), ref=image_id) as image:
        shown = image.inspect(Format.docker("20.10"), storage_driver="vfs")
    fmt = Format.docker("20.10", printer="template", cli=cli)
    return orjson.loads(dumps([shown], fmt).splitlines()[0])


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("cli", sorted(CLIS))
def test_inspect_templates(case: str, cli: str) -> None:
    folder = ORACLE / case / CLIS[cli] / "inspect-f"
    data = _typed_view(case, cli)
    last = f"{len(TEMPLATES):02d}"
    assert json.loads((folder / f"{last}.txt").read_text()) == data, "the typed view is the CLI's {{json .}}"
    compared = failed = 0
    for number, source in enumerate(TEMPLATES, start=1):
        stem = f"{number:02d}"
        status = int((folder / f"{stem}.status").read_text())
        if source in STRUCTS:
            continue
        if status != 0:
            with pytest.raises(TemplateError):
                Template.parse(source).execute(data, kinds=DOCKER)
            failed += 1
            continue
        expected = (folder / f"{stem}.txt").read_text()
        assert Template.parse(source).execute(data, kinds=DOCKER) + "\n" == expected, (stem, source)
        compared += 1
    assert compared >= 55
    assert failed >= 4
