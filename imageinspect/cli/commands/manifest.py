"""``imageinspect manifest``: an image's manifest (or with ``--index`` the
index or manifest list it was found through), the bytes the archive stores
(as ``crane manifest`` and ``skopeo inspect --raw`` print them)."""

from __future__ import annotations

import argparse

from .base import Command
from .shared import Streams, image_arguments, open_archive, stored_index, stored_manifest

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image and --index."""
    image_arguments(command)
    command.add_argument(
        "--index", action="store_true", help="the index or manifest list the image's manifest was found through"
    )


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Write the stored bytes exactly (no newline added)."""
    with open_archive(args, streams) as image:
        streams.write_bytes((stored_index(image) if args.index else stored_manifest(image)).raw)
    return 0


COMMAND = Command(
    name="manifest",
    help="print an image's manifest (--index: its index), byte for byte as the archive stores it",
    examples="""examples:
  imageinspect manifest layout/ --platform linux/arm64
  imageinspect manifest --index image.tar | jq '.manifests[].platform'
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
