"""The golden corpus: outputs of real tools (tests/data/golden/inspect, made by
scripts/golden/make-golden.sh). The files once derived from the documented
rules for releases no package had are gone: every such release line is now
observed (tests/data/golden/observed, tests/codec/test_observed.py).

C1: every file round-trips byte for byte. C4: rendering the image data with
the matching Format reproduces every printer's bytes.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from imageinspect import Format, dumps, loads
from tests.conftest import DATA

OBSERVED = DATA / "golden" / "inspect"

# Inspect outputs, by the name of what printed them; error bodies (a sibling
# .http_status) and other files (configs, manifests, meta) are not.
_PRINTED = re.compile(
    r"(?:.*\.)?(?:cli-default|cli28-default|cli28-json|cli28-template|template|podman|engine-v1\.\d+"
    r"|engine-after-load-\w+|parent-chain-after-load-[\w-]+)\.jsonl?"
)
OUTPUTS = sorted(
    p
    for p in OBSERVED.glob("*/*.json*")
    if _PRINTED.fullmatch(p.name) and not p.with_name(p.name + ".http_status").exists()
)

# printer file -> the Format that printed it (data: the 20.10 engine body)
OBSERVED_PRINTERS = {
    "cli-default.json": Format.docker("20.10"),
    "cli28-default.json": Format.docker("20.10"),
    "engine-v1.41.json": Format.docker("20.10", printer="api"),
    "engine-v1.24.json": Format.docker("20.10", api="1.24", printer="api"),
    "template.json": Format.docker("20.10", printer="template"),
    "cli28-template.json": Format.docker("20.10", printer="template", cli="28.2"),
    "cli28-json.json": Format.docker("20.10", printer="json"),
}
CASES = sorted(p for p in OBSERVED.iterdir() if (p / "engine-v1.41.json").exists()) if OBSERVED.is_dir() else []


def _rel(path: Path) -> str:
    return str(path.relative_to(DATA / "golden"))


def test_corpus_is_present() -> None:
    assert len(CASES) >= 15


@pytest.mark.parametrize("path", OUTPUTS, ids=[_rel(p) for p in OUTPUTS])
def test_round_trip(path: Path) -> None:
    raw = path.read_bytes()
    out = loads(raw)
    assert dumps(out) == raw  # an unchanged output: the bytes it was read from
    assert dumps(list(out), out.format, out.style) == raw  # the writer, object by object


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
@pytest.mark.parametrize("printer", sorted(OBSERVED_PRINTERS))
def test_observed_printers(case: Path, printer: str) -> None:
    expected = case / printer
    if not expected.exists():
        pytest.skip(f"{case.name} has no {printer}")
    images = list(loads((case / "engine-v1.41.json").read_bytes()))
    assert dumps(images, OBSERVED_PRINTERS[printer]) == expected.read_bytes()


PODMAN = sorted(OBSERVED.glob("*/podman.json"))


@pytest.mark.parametrize("path", PODMAN, ids=[_rel(p) for p in PODMAN])
def test_observed_podman(path: Path) -> None:
    raw = path.read_bytes()
    assert dumps(list(loads(raw)), Format.podman("4.3")) == raw
