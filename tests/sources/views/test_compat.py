"""``compat`` against everything real daemons did with the corpus's
archives: each observed load (refusals included, in the daemon's words) and
each image's inspect view (image ID, RepoTags, RepoDigests, Size), for every
Docker release, store and storage driver and every podman release observed.
The claims checked are the rows ``compat`` gives by default (what
``imageinspect compat`` prints): one per observed daemon version and store."""

from __future__ import annotations

from collections import Counter
from typing import Any, Literal

import attrs
import pytest

from imageinspect import Format, ImageInspectError, list_images, loads, open_image
from imageinspect.sources.views.compat import PODMAN_RELEASES, CompatRow, compat, daemon_formats
from tests import observed
from tests.conftest import REPO

CHECKED: Counter[str] = Counter()


def _cases() -> list[tuple[str, str]]:
    return sorted(
        (daemon, case)
        for daemon, entry in observed.index()["daemons"].items()
        for case in entry["cases"]
        if observed.source(case, daemon) is not None
    )


def _row_format(daemon: str) -> Format:
    """The row of ``daemon_formats()`` for an observed daemon."""
    if daemon.startswith("podman"):
        return Format.podman(daemon.split("-")[1])
    store: Literal["containerd", "graphdriver"] = "containerd" if daemon.endswith("-containerd") else "graphdriver"
    return Format.docker(observed.server(daemon)[0], store=store)


def _rows(path: Any, ref: str, daemon: str, driver: str) -> list[CompatRow]:
    fmt = _row_format(daemon)
    with open_image(path, ref=ref) as image:
        return list(compat(image, [fmt], storage_driver=driver))  # the table's row (see below)


@pytest.mark.parametrize(("daemon", "case"), _cases(), ids=str)
def test_compat_says_what_the_daemon_did(daemon: str, case: str) -> None:
    found = observed.index()["daemons"][daemon]["cases"][case]
    path = observed.source(case, daemon)
    assert path is not None
    load = found["files"].get("load.txt") or found["files"].get("podman-load.txt")
    probe = observed.View(daemon, case, "", "podman.json" if daemon.startswith("podman") else "cli.json", "")
    fmt = probe.format()
    if isinstance(load, dict) and load.get("rc"):
        stderr = load["stderr"].strip()
        for summary in list_images(path):
            try:
                rows = _rows(path, f"@{summary.index}", daemon, probe.driver)
            except ImageInspectError as err:  # the archive cannot even be read
                pytest.fail(f"{daemon} refused, and the library cannot open it: {err}")
            for row in rows:
                assert not row.shows, (row, stderr)
                if fmt.kind == "podman":  # then a line per transport it tried
                    assert stderr.splitlines()[0] == f"Error: {row.message}:", (row.message, stderr)
                else:
                    assert stderr.endswith(row.message.removeprefix("open <tmp>/")), (row.message, stderr)
        CHECKED["refused loads"] += 1
        return
    for image, views in found["images"].items():
        name = "podman.json" if fmt.kind == "podman" else "cli.json"
        said = views.get(name)
        if not isinstance(said, str):
            continue  # loaded but not shown: test_observed holds those words
        actual = loads(observed.blob(said))[0]
        ref = actual.id if actual.id.startswith("sha256:") else "sha256:" + actual.id
        for row in _rows(path, ref, daemon, probe.driver):
            assert row.loads, row
            assert row.shows, row
            shown: tuple[str, tuple[str, ...], tuple[str, ...], int | None]
            shown = (row.image_id, row.repo_tags, row.repo_digests, row.size)
            expected: tuple[str, tuple[str, ...], tuple[str, ...], int | None]
            if fmt.kind == "docker" and fmt.store == "graphdriver":
                # RepoDigests are the host's (a pull or push): a fresh load has none
                expected = (actual.id, actual.repo_tags or (), (), actual.size)
                shown = (*shown[:2], (), shown[3]) if actual.repo_digests else shown
            else:
                expected = (actual.id, actual.repo_tags or (), actual.repo_digests or (), actual.size)
            assert shown == expected, (daemon, case, image, row)
        CHECKED["images shown"] += 1


def test_the_corpus_was_checked() -> None:
    """Runs after the cases above (pytest keeps the file's order)."""
    if not CHECKED:
        pytest.skip("run with the cases above")
    assert CHECKED["refused loads"] >= 500, CHECKED
    assert CHECKED["images shown"] >= 2500, CHECKED


def test_the_rows_cover_every_observed_daemon() -> None:
    formats = set(daemon_formats())
    for daemon in observed.index()["daemons"]:
        assert _row_format(daemon) in formats, daemon
        assert all(row.observed for row in compat_rows_for(daemon)), daemon
    assert set(PODMAN_RELEASES) <= {f.version for f in formats if f.kind == "podman"}


def compat_rows_for(daemon: str) -> list[CompatRow]:
    with open_image(REPO / "examples/hello.tar") as image:
        return list(compat(image, [_row_format(daemon)]))


def test_a_row_names_its_daemon() -> None:
    row = CompatRow("docker", "24.0", "containerd", True, False, False, "unrecognized image format", "manifest.json")
    assert row.format == Format.docker("24.0", store="containerd")
    assert attrs.evolve(row, daemon="podman", release="5.8").format == Format.podman("5.8")
