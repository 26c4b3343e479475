"""What the template tests run on: an image's JSON, rendered with the CLI's
Go kinds of Docker's types."""

from __future__ import annotations

from typing import Any

from imageinspect import gotemplate
from imageinspect.cli.gokinds import DOCKER

DATA = {
    "Id": "sha256:ab",
    "Os": "linux",
    "Size": 1234,
    "Empty": [],
    "RepoTags": ["app:1", "app:2"],
    "Ports": {"80/tcp": {}},
    "Config": {"Env": ["A=1", "B=2"], "Labels": {"b": "2", "a": "1"}, "User": "", "Healthcheck": None},
}


def render(source: str, data: Any = DATA) -> str:
    """``source`` run on ``data`` as the CLI runs it on Docker's types."""
    return gotemplate.render(source, data, kinds=DOCKER)
