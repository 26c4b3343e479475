"""``imageinspect config``: an image's config, the bytes the archive stores
(as ``crane config`` and ``skopeo inspect --config --raw`` print them)."""

from __future__ import annotations

import argparse

from .base import Command
from .shared import Streams, image_arguments, open_archive

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image."""
    image_arguments(command)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Write the config's bytes exactly (no newline added). A pre-1.10 save
    stores none: the config Docker 25+ makes when it loads the image is written."""
    with open_archive(args, streams) as image:
        streams.write_bytes(image.config_document.raw)
    return 0


COMMAND = Command(
    name="config",
    help="print an image's config, byte for byte as the archive stores it",
    examples="""examples:
  imageinspect config examples/hello.tar
  imageinspect config layout/ --platform linux/arm64 | jq .config.Env
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
