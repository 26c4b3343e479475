"""``imageinspect config``: the config's stored bytes, exactly (the bytes
skopeo's ``dir:`` copy holds under the config's digest)."""

from __future__ import annotations

import hashlib
import tarfile

import pytest

from imageinspect.cli import main
from tests.conftest import DATA

LAYOUTS = DATA / "golden/layouts"


@pytest.mark.parametrize("case", ["arm64", "legacy-full", "buildkit-full"])
def test_the_bytes_skopeo_and_docker_wrote(case: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["config", str(LAYOUTS / case / "skopeo-oci")]) == 0
    converted = capsysbinary.readouterr().out  # skopeo's oci: copy holds the config it converted
    assert (
        LAYOUTS / case / "skopeo-oci/blobs/sha256" / hashlib.sha256(converted).hexdigest()
    ).read_bytes() == converted
    assert main(["config", str(LAYOUTS / case / "skopeo-dir")]) == 0
    printed = capsysbinary.readouterr().out  # its dir: copy, Docker's bytes
    assert (LAYOUTS / case / "skopeo-dir" / hashlib.sha256(printed).hexdigest()).read_bytes() == printed
    save = DATA / "golden/inspect" / case / "docker-save.tar"
    assert main(["config", str(save)]) == 0
    with tarfile.open(save) as tar:
        member = f"{hashlib.sha256(printed).hexdigest()}.json"
        extracted = tar.extractfile(member)
        assert extracted is not None
        assert capsysbinary.readouterr().out == extracted.read()


def test_a_pre_1_10_save_gives_the_config_docker_makes(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["config", str(DATA / "golden/edge/pre-1.10.tar"), "--ref", "edge/pre-1.10"]) == 0
    printed = capsysbinary.readouterr().out
    # the image ID Docker 25+ gave it (test_observed holds the daemons to it)
    assert hashlib.sha256(printed).hexdigest().startswith("b5fc4c9fc3d2")
