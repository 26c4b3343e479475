"""Properties of loads/dumps over generated inspect documents, for many formats."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from imageinspect import Format, ImageInspect, PodmanImageInspect, dumps, loads
from imageinspect.testing import strategies as s

DOCKER_FORMATS = [
    Format.docker("1.12"),
    Format.docker("17.03"),
    Format.docker("18.09", printer="api"),
    Format.docker("20.10"),
    Format.docker("20.10", printer="template"),
    Format.docker("20.10", printer="template", cli="28.2"),
    Format.docker("23.0", printer="json"),
    Format.docker("24.0.0"),
    Format.docker("25.0.3"),
    Format.docker("25.0.5", api="1.43"),
    Format.docker("26.1", api="1.44"),
    Format.docker("27.5", store="containerd"),
    Format.docker("28.0", store="containerd"),
    Format.docker("28.2", api="1.49"),
    Format.docker("28.2", api="1.50", printer="api"),
    Format.docker("28.4", api="1.51"),
    Format.docker("29.1", api="1.44"),
    Format.docker("29.1", api="1.52", store="containerd"),
    Format.docker("29.2", api="1.53", store="containerd", printer="json"),
]
PODMAN_FORMATS = [Format.podman("3.4"), Format.podman("4.3"), Format.podman("5.8")]


def _check(images: list[ImageInspect] | list[PodmanImageInspect] | list[Any], fmt: Format) -> None:
    rendered = dumps(images, fmt)
    out = loads(rendered)
    assert len(out) == len(images)
    # C1 for our own output, in every format, through the writer
    assert dumps(out) == rendered
    assert dumps(list(out), out.format, out.style) == rendered
    # rendering is a fixed point: what the format shows survives it
    assert dumps(list(out), fmt) == rendered
    before: Any
    after: Any
    for before, after in zip(images, out, strict=True):
        assert after.id == before.id
        assert after.size == before.size
        if before.config is not None and before.config.env and fmt.kind == "docker":
            assert after.config is not None
            assert after.config.env == before.config.env


@given(st.lists(s.image_inspects(), max_size=3), st.sampled_from(DOCKER_FORMATS))
def test_docker_formats(images: list[ImageInspect], fmt: Format) -> None:
    if fmt.printer == "api" and not images:
        return  # an API body always holds an image (see test_inspect)
    _check(images, fmt)


@given(st.lists(s.podman_inspects(), max_size=3), st.sampled_from(PODMAN_FORMATS))
def test_podman_formats(images: list[PodmanImageInspect], fmt: Format) -> None:
    _check(images, fmt)


@given(st.lists(s.image_inspects(), min_size=1, max_size=2))
def test_default_format_round_trips_values(images: list[ImageInspect]) -> None:
    """The newest format shows every generated field that has a value."""
    out = loads(dumps(images))
    for before, after in zip(images, out, strict=True):
        assert isinstance(after, ImageInspect)
        assert after.repo_tags == (before.repo_tags or ())
        assert after.architecture == before.architecture
        assert after.labels == before.labels
