"""An archive that names an image with an invalid reference is refused by
``docker load`` and ``podman load``; so is its synthesized inspect."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path

import pytest

from imageinspect import Format, InvalidReference, open_image
from tests.conftest import DATA


def _renamed(tmp_path: Path, tags: list[str]) -> Path:
    source = DATA / "golden/inspect/legacy-full/docker-save.tar"
    out = tmp_path / "renamed.tar"
    with tarfile.open(source) as src, tarfile.open(out, "w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name == "manifest.json" and data is not None:
                manifest = json.loads(data)
                manifest[0]["RepoTags"] = tags
                data = json.dumps(manifest).encode()
                member.size = len(data)
            dst.addfile(member, None if data is None else io.BytesIO(data))
    return out


@pytest.mark.parametrize("fmt", [None, Format.docker("28.5", store="containerd"), Format.podman("5.8")])
def test_invalid_name_refused(tmp_path: Path, fmt: Format | None) -> None:
    path = _renamed(tmp_path, ["ok:1", "Bad/Name:1"])
    with open_image(path, ref="ok:1") as image, pytest.raises(InvalidReference) as err:
        image.inspect(fmt)
    assert err.value.location == "renamed.tar!manifest.json"
    assert "image name 1" in err.value.message


def test_valid_names_still_load(tmp_path: Path) -> None:
    path = _renamed(tmp_path, ["ok:1", "example.com/x/y:2"])
    with open_image(path, ref="ok:1") as image:
        assert image.inspect(Format.docker("20.10")).repo_tags == (
            "ok:1",
            "example.com/x/y:2",
        )  # by full name: docker.io/library/ok
