"""The examples shipped in the package are the golden corpus's files, byte
for byte (a regenerated corpus must be copied over: this fails until it is)."""

from __future__ import annotations

import hashlib

import pytest

from imageinspect import examples
from tests.conftest import DATA, REPO

SOURCES = {
    "hello.tar": DATA / "golden/inspect/legacy-full/docker-save.tar",
    "hello-docker-20.10.json": DATA / "golden/inspect/legacy-full/cli-default.json",
    "hello-podman-4.3.json": DATA / "golden/inspect/legacy-full/podman.json",
}


@pytest.mark.parametrize("name", sorted(examples.NAMES))
def test_an_example_is_its_golden_file(name: str) -> None:
    data = examples.read(name)
    if name in SOURCES:
        assert data == SOURCES[name].read_bytes()
    else:  # the documents corpus names its files by their digest
        digest = hashlib.sha256(data).hexdigest()
        assert any((DATA / "documents" / kind / digest).is_file() for kind in ("configs", "manifests", "indexes"))


def test_the_repository_examples_folder_is_the_package_s() -> None:
    assert (REPO / "examples").resolve() == examples.path("hello.tar").parent.resolve()
    assert sorted(p.name for p in (REPO / "examples").iterdir() if not p.name.startswith("_")) == sorted(examples.NAMES)
