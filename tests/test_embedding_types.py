"""What an embedder writes type-checks under ``mypy --strict`` (which
``scripts/check`` runs over this file) and does what it says at run time:
``image.inspect(Format.docker(...))`` is an ``ImageInspect`` and
``Format.podman(...)`` a ``PodmanImageInspect``; ``attrs.evolve`` takes
plain lists and dicts for string lists and maps."""

from __future__ import annotations

import attrs
from typing_extensions import assert_type

from imageinspect import (
    ContainerConfig,
    Descriptor,
    Digest,
    Format,
    FrozenMap,
    ImageInspect,
    PodmanImageInspect,
    open_image,
    parse_config,
)
from imageinspect.values.mediatype import OCI_LAYER
from tests.conftest import REPO

HELLO = REPO / "examples" / "hello.tar"


def test_inspect_is_typed_by_the_format_it_is_given() -> None:
    with open_image(HELLO) as image:
        docker = assert_type(image.inspect(Format.docker("28.5")), ImageInspect)
        newest = assert_type(image.inspect(), ImageInspect)
        podman = assert_type(image.inspect(Format.podman("5.8")), PodmanImageInspect)
        either: Format = Format.podman()
        unknown = assert_type(image.inspect(either), ImageInspect | PodmanImageInspect)
    assert isinstance(docker, ImageInspect)
    assert isinstance(newest, ImageInspect)
    assert isinstance(podman, PodmanImageInspect)
    assert isinstance(unknown, PodmanImageInspect)


def test_format_constructors_say_their_kind() -> None:
    assert Format.docker().kind == "docker"
    assert Format.podman().kind == "podman"
    assert Format.docker("28.5") == attrs.evolve(Format.docker("28.5"), printer="cli")


def test_evolve_takes_lists_and_dicts() -> None:
    config = parse_config((REPO / "examples" / "config.json").read_bytes()).value.config
    assert config is not None
    edited = attrs.evolve(config, labels={"team": "core"}, env=["A=1"], cmd=["sh"], entrypoint=None)
    assert_type(edited.labels, "FrozenMap[str, str] | None")
    assert_type(edited.env, "tuple[str, ...] | None")
    assert edited.labels == FrozenMap({"team": "core"})
    assert edited.env == ("A=1",)
    assert edited.cmd == ("sh",)
    made = ContainerConfig(env=["B=2"], labels={"x": "y"})
    assert made.env == ("B=2",)
    assert isinstance(made.labels, FrozenMap)
    descriptor = Descriptor(OCI_LAYER, Digest.of(b""), 0, urls=["https://x"], annotations={"a": "b"})
    assert descriptor.urls == ("https://x",)
    assert descriptor.annotations == FrozenMap({"a": "b"})
