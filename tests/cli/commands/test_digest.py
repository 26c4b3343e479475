"""``imageinspect digest``: one digest per line, as ``crane digest`` prints
it -- the manifest's (the bytes ``manifest`` prints), ``--index``,
``--config``, or every one as JSON."""

from __future__ import annotations

import hashlib
import json

import pytest

from imageinspect.cli import main
from tests.conftest import DATA

LAYOUT = DATA / "golden/layouts/arm64/skopeo-oci"


def _run(capsysbinary: pytest.CaptureFixture[bytes], *args: str) -> bytes:
    assert main(list(args)) == 0
    return capsysbinary.readouterr().out


def test_the_digest_of_the_bytes_manifest_prints(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    manifest = _run(capsysbinary, "manifest", str(LAYOUT))
    assert _run(capsysbinary, "digest", str(LAYOUT)) == f"sha256:{hashlib.sha256(manifest).hexdigest()}\n".encode()
    config = _run(capsysbinary, "config", str(LAYOUT))
    assert (
        _run(capsysbinary, "digest", "--config", str(LAYOUT))
        == f"sha256:{hashlib.sha256(config).hexdigest()}\n".encode()
    )
    index = (LAYOUT / "index.json").read_bytes()
    assert (
        _run(capsysbinary, "digest", "--index", str(LAYOUT)) == f"sha256:{hashlib.sha256(index).hexdigest()}\n".encode()
    )


def test_json_has_every_digest(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    record = json.loads(
        _run(capsysbinary, "digest", "--format", "json", str(DATA / "golden/inspect/legacy-full/docker-save.tar"))
    )
    assert record["Manifest"] is None
    assert record["Index"] is None
    assert record["Config"].startswith("sha256:f02662cacf61")
    assert record["ContainerdID"].startswith("sha256:608584b7a481")  # what Docker 29's containerd store names it


def test_a_save_without_a_manifest_says_so(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["digest", str(DATA / "golden/inspect/legacy-full/docker-save.tar")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert "stores no manifest" in err
    assert "the pusher" in err


def test_one_choice_at_a_time(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["digest", "--index", "--config", str(LAYOUT)])
    assert "not allowed with" in capsys.readouterr().err
