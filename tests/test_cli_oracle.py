"""The command line against what the real docker CLI printed for the same
images (``tests/data/golden/cli/``, made by ``scripts/golden/cli-oracle.sh``:
Docker CLI 20.10, 28.5 and 29.7.2 against a fresh dockerd 20.10 after
``docker load``).

- ``history`` tables: byte for byte, through the console script (non-human
  views) and with the capture time as "now" (the human view);
- ``inspect -f``: every template of ``templates.txt`` run as each CLI runs it
  (on the CLI's typed value built from our model, then on the daemon's JSON,
  with the CLI's functions and the ``text/template`` of the Go release it was
  built with): same bytes where docker succeeded (structs such as
  ``{{.Config.Healthcheck}}`` too), Docker's own error message where it
  failed at execution (status 1), an error where it failed to parse (64)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imageinspect import Format, ImageInspect, open_image
from imageinspect.cli.govalues import docker_functions, docker_values
from imageinspect.cli.history import history_table
from imageinspect.gotemplate import Template, TemplateError
from imageinspect.gotemplate.release import go_release
from imageinspect.gotemplate.types import from_go_bytes
from tests.conftest import REPO
from tests.test_console import run

ORACLE = REPO / "tests" / "data" / "golden" / "cli"
CASES = sorted(p.parent.name for p in ORACLE.glob("*/image-id.txt"))
TEMPLATES = (ORACLE / "templates.txt").read_text().splitlines() if ORACLE.exists() else []
#: Each CLI: where its files are, and the Go release it was built with
#: (``TOOLS.txt``: Debian's docker.io 20.10 with go1.19.8, sid's 28.5 with
#: go1.27.1, 29.7.2 from its release tag with go1.27.3). A template parses
#: and runs as that Go release's ``text/template`` does: ``{{else with}}``
#: does not parse before Go 1.23, ``{{range}}`` over an integer does not run
#: before Go 1.24.
CLIS = {"20.10": ("", "1.19"), "28.5": ("docker28/", "1.27"), "29.7.2": ("docker29/", "1.27")}
#: Templates a CLI printed that imageinspect stops on purpose, by number,
#: with the reason: it must fail there with its own bound (``final``), and
#: match every CLI that did not print.
BOUNDED: dict[int, str] = {
    207: "{{range 2000000}}: Go ranges two million times; the engine stops after a million iterations",
}


def _archive(case: str) -> str:
    return str(REPO / (ORACLE / case / "source.txt").read_text().strip())


def test_the_oracle_is_there() -> None:
    assert len(CASES) >= 3
    assert len(TEMPLATES) >= 207
    for case in CASES:
        for folder, _ in CLIS.values():
            assert len(list((ORACLE / case / folder / "inspect-f").glob("*[0-9].status"))) == len(TEMPLATES)


def test_each_cli_runs_the_go_release_it_was_built_with() -> None:
    """``TOOLS.txt`` has each CLI's ``docker version``, in the order of
    :data:`CLIS`; its "Go version" is the release the test runs templates as."""
    built = re.findall(r"^Client:.*?^ Go version:\s+(go\S+)$", (ORACLE / "TOOLS.txt").read_text(), re.M | re.S)
    assert [go_release(version) for version in built] == [go_release(go) for _, go in CLIS.values()]


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("cli", ["docker28", "docker29"])
@pytest.mark.parametrize(
    ("view", "args"),
    [("history-nonhuman.txt", ["--human=false"]), ("history-notrunc-nonhuman.txt", ["--human=false", "--no-trunc"])],
)
def test_history_tables(case: str, cli: str, view: str, args: list[str]) -> None:
    expected = (ORACLE / case / cli / view).read_text()  # today's CLIs: widths in display columns
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


def _printed(path: Path) -> str:
    """What the CLI printed, as the engine's strings hold Go's bytes (a byte
    that is no UTF-8 a lone surrogate: ``gotemplate.types.go_bytes``)."""
    return from_go_bytes(path.read_bytes())


def _mismatches(case: str, cli: str) -> tuple[list[str], dict[str, int]]:
    """Every template of the oracle run as the CLI ``cli`` runs it, against
    what it printed: the ones that differ, and how many of each outcome."""
    folder, go = CLIS[cli]
    fmt = Format.docker("20.10", cli=cli)
    typed, raw = docker_values(_shown(case), fmt)
    functions = docker_functions(fmt)
    counts = {"printed": 0, "failed": 0, "unparsed": 0, "bounded": 0}
    wrong: list[str] = []
    for number, source in enumerate(TEMPLATES, start=1):
        stem = ORACLE / case / folder / "inspect-f" / f"{number:02d}"
        status = int(stem.with_suffix(".status").read_text())
        expected = _printed(stem.with_suffix(".txt" if status == 0 else ".stderr")).rstrip("\n")
        try:
            template = Template.parse(source, go=go, functions=functions)
        except TemplateError as err:
            if status != 64:
                wrong.append(f"{number} {source}: does not parse ({err}), the CLI exited {status}")
            counts["unparsed"] += 1
            continue
        try:
            ours = template.inspect(typed, raw, functions=functions)
        except TemplateError as err:
            if number in BOUNDED and err.final and status == 0:
                counts["bounded"] += 1
                continue
            if status != 1 or err.go != expected:
                wrong.append(f"{number} {source}: {err.go or err} -- the CLI exited {status}: {expected}")
            counts["failed"] += 1
            continue
        if status != 0 or ours + "\n" != _printed(stem.with_suffix(".txt")):
            wrong.append(f"{number} {source}: {ours!r} -- the CLI exited {status}: {expected!r}")
        counts["printed"] += 1
    return wrong, counts


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("cli", sorted(CLIS))
def test_inspect_templates(case: str, cli: str) -> None:
    wrong, counts = _mismatches(case, cli)
    assert wrong == []
    assert counts["printed"] >= 140
    assert counts["failed"] >= 25
    assert counts["unparsed"] >= 13
    assert counts["bounded"] == (0 if cli == "20.10" else len(BOUNDED))  # Go 1.19 ranges over no integer
