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

import re
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

import orjson
import pytest

from imageinspect.codec.converter import key_path
from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import dumps
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


def _compile(pattern: str) -> re.Pattern[str]:
    """A JSON-path pattern: ``[*]`` is any index, ``*`` any key."""
    text = re.escape(pattern).replace(r"\[\*\]", r"\[\d+\]").replace(r"\*", r"[^.\[]*")
    return re.compile(text + r"(?:[.\[].*)?\Z")


def _ignored(path: str, ignore: Iterable[str]) -> bool:
    return any(_compile(pattern).match(path) for pattern in ignore)


def diff_json(actual: Any, expected: Any, *, ignore: Iterable[str] = (), path: str = "$") -> list[str]:
    """Differences between two JSON values, one line per difference, each
    addressed by its JSON path; paths in ``ignore`` (a path also covers what
    is below it; ``[*]`` matches any index and ``*`` any key, as in
    ``$.History[*].created``) are skipped.

    >>> diff_json({"a": 1, "b": [1]}, {"a": 2, "c": None}, ignore=["$.a"])
    ['$.b: unexpected (absent in expected)', '$.c: missing (expected None)']
    """
    ignore = tuple(ignore)
    if _ignored(path, ignore):
        return []
    if isinstance(actual, dict) and isinstance(expected, dict):
        out = []
        for key in list(actual) + [k for k in expected if k not in actual]:
            step = path + key_path(key)[1:]
            if key not in expected:
                if not _ignored(step, ignore):
                    out.append(f"{step}: unexpected (absent in expected)")
            elif key not in actual:
                if not _ignored(step, ignore):
                    out.append(f"{step}: missing (expected {expected[key]!r})")
            else:
                out += diff_json(actual[key], expected[key], ignore=ignore, path=step)
        return out
    if isinstance(actual, list) and isinstance(expected, list):
        out = []
        for index in range(max(len(actual), len(expected))):
            step = f"{path}[{index}]"
            if index >= len(expected):
                out.append(f"{step}: unexpected {actual[index]!r}")
            elif index >= len(actual):
                out.append(f"{step}: missing (expected {expected[index]!r})")
            else:
                out += diff_json(actual[index], expected[index], ignore=ignore, path=step)
        return out
    if actual != expected or type(actual) is not type(expected):
        return [f"{path}: {actual!r} != {expected!r}"]
    return []


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
