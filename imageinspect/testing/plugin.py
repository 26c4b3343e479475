"""pytest plugin (entry point ``pytest11``): fixtures and assertions for image
metadata. Loading it has no effect until a test uses a fixture or helper
(plus friendlier ``assert a == b`` output for imageinspect models).

* ``image_builder`` -- a fresh :class:`~imageinspect.testing.ImageBuilder`.
* ``image_archive`` -- ``image_archive(*images, layout="legacy")`` writes
  images (or builders) to ``tmp_path`` and returns the path; layouts
  ``legacy``, ``docker25``, ``oci`` (directory) and ``oci-tar``.
* :func:`assert_inspect_equal`, :func:`assert_documents_equal` and
  :func:`diff_json` -- readable, JSON-path-addressed differences, with host-only
  fields ignored by default.

>>> for line in diff_json({"Config": {"Env": ["A=1", "B=2"]}}, {"Config": {"Env": ["A=1", "B=3"]}}):
...     print(line)
$.Config.Env[1]: 'B=2' != 'B=3'
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from imageinspect.codec import Format, diff_json, dumps
from imageinspect.model.base import JSONObject
from imageinspect.model.document import Document
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.image import Image

from .builder import ImageBuilder
from .writers import write_docker_archive, write_oci_layout

__all__ = [
    "HOST_ONLY",
    "assert_documents_equal",
    "assert_inspect_equal",
    "diff_json",
    "image_archive",
    "image_builder",
]

#: Fields only the host knows (storage paths, tag times, pull digests).
HOST_ONLY: tuple[str, ...] = ("$.GraphDriver", "$.Metadata.LastTagTime", "$.RepoDigests")


def _as_json(value: Any, fmt: Format | None) -> Any:
    if isinstance(value, (bytes, str)):
        return orjson.loads(value)
    if isinstance(value, Document):
        return orjson.loads(value.raw)
    if isinstance(value, (ImageInspect, PodmanImageInspect)):
        kind = fmt or (Format.podman() if isinstance(value, PodmanImageInspect) else Format.docker())
        return orjson.loads(dumps([value], kind))[0]
    if isinstance(value, JSONObject) and hasattr(value, "to_json"):
        return orjson.loads(value.to_json())
    return value


def assert_inspect_equal(
    actual: Any, expected: Any, *, ignore: Sequence[str] = HOST_ONLY, format: Format | None = None
) -> None:
    """Assert two inspect documents (models, bytes or dicts) are equal, except
    for ``ignore`` (host-only fields by default); the failure lists every
    difference by JSON path.

    >>> a = ImageInspect(id="sha256:a", os="linux", size=1)
    >>> assert_inspect_equal(a, ImageInspect(id="sha256:a", os="linux", size=2))
    Traceback (most recent call last):
      ...
    AssertionError: inspect documents differ:
      $.Size: 1 != 2
    """
    differences = diff_json(_as_json(actual, format), _as_json(expected, format), ignore=ignore)
    if differences:
        raise AssertionError("inspect documents differ:\n  " + "\n  ".join(differences))


def assert_documents_equal(actual: Any, expected: Any, *, ignore: Sequence[str] = ()) -> None:
    """Assert two configs, manifests or indexes (documents, models or bytes)
    are equal as JSON, listing differences by path.

    >>> from imageinspect.model.config import ImageConfig
    >>> assert_documents_equal(ImageConfig(os="linux"), ImageConfig(os="windows"))
    Traceback (most recent call last):
      ...
    AssertionError: documents differ:
      $.os: 'linux' != 'windows'
    """
    differences = diff_json(_as_json(actual, None), _as_json(expected, None), ignore=ignore)
    if differences:
        raise AssertionError("documents differ:\n  " + "\n  ".join(differences))


@pytest.fixture
def image_builder() -> ImageBuilder:
    """A fresh, deterministic :class:`~imageinspect.testing.ImageBuilder`."""
    return ImageBuilder()


@pytest.fixture
def image_archive(tmp_path: Path) -> Callable[..., Path]:
    """``image_archive(*images_or_builders, layout="legacy", name=None)``:
    write to ``tmp_path`` and return the path."""

    def write(*items: Image | ImageBuilder, layout: str = "legacy", name: str | None = None) -> Path:
        images = [item.build() if isinstance(item, ImageBuilder) else item for item in items]
        target = tmp_path / (name or ("layout" if layout == "oci" else f"image-{layout}.tar"))
        if layout in ("legacy", "docker25"):
            write_docker_archive(images, target, layout=layout)  # type: ignore[arg-type]
        elif layout in ("oci", "oci-tar"):
            write_oci_layout(images, target, tar=layout == "oci-tar")
        else:
            raise ValueError(f"unknown layout {layout!r}: legacy, docker25, oci or oci-tar")
        return target

    return write


def pytest_assertrepr_compare(op: str, left: object, right: object) -> list[str] | None:
    """``assert a == b`` on two inspect models or documents shows their
    differences by JSON path."""
    if op != "==":
        return None
    kinds = (ImageInspect, PodmanImageInspect, Document)
    if (isinstance(left, kinds) and type(left) is type(right)) or (
        isinstance(left, JSONObject) and type(left) is type(right) and hasattr(left, "to_json")
    ):
        differences = diff_json(_as_json(left, None), _as_json(right, None))
        return [f"{type(left).__name__} objects differ:", *differences]
    return None
