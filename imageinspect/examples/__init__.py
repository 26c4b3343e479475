"""Example inputs shipped with the package, so that every example in the
documentation runs from an installed wheel: a real ``docker save``
(``hello.tar``, Docker 20.10), what ``docker image inspect`` (CLI 20.10) and
``podman image inspect`` (4.3) printed after loading it, and a real image
config, manifest and manifest list (dockerd and registry 2.8). They are
copies of files of the repository's golden corpus (``tests/data``); a test
holds them equal.

>>> from imageinspect import examples, open_image
>>> with open_image(examples.path("hello.tar")) as image:
...     image.repo_tags
('case/legacy-full:latest',)
>>> examples.read("manifest.json")[:14]
b'{\\n   "schemaVe'
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Final

__all__ = ["NAMES", "path", "read"]

#: The files, and what each is.
NAMES: Final = {
    "hello.tar": "a docker save by Docker 20.10 (legacy builder, two layers, many metadata fields)",
    "hello-docker-20.10.json": "docker image inspect of hello.tar after docker load (CLI and daemon 20.10)",
    "hello-podman-4.3.json": "podman image inspect of hello.tar after podman load (podman 4.3)",
    "config.json": "an image config as dockerd stores it",
    "manifest.json": "a Docker schema2 manifest as registry 2.8 serves it",
    "manifest-list.json": "a Docker manifest list as registry 2.8 serves it",
}


def path(name: str) -> Path:
    """Where an example file is (a file of the installed package).

    >>> path("hello.tar").name, path("hello.tar").stat().st_size > 0
    ('hello.tar', True)
    >>> path("nope.tar")
    Traceback (most recent call last):
      ...
    KeyError: "no example 'nope.tar' (the examples: hello.tar, hello-docker-20.10.json, ...)"
    """
    if name not in NAMES:
        shown = ", ".join(list(NAMES)[:2])
        raise KeyError(f"no example {name!r} (the examples: {shown}, ...)")
    return Path(str(resources.files(__name__).joinpath(name)))


def read(name: str) -> bytes:
    """An example file's bytes.

    >>> read("config.json")[:15]
    b'{"architecture"'
    """
    return path(name).read_bytes()
