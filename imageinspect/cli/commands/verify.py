"""``imageinspect verify``: every digest, size and diff ID of an archive or layout."""

from __future__ import annotations

import argparse

from imageinspect.sources.image import list_images

from ..targets import split_target
from .base import Command
from .shared import Streams, image_arguments, open_archive, progress_line, quiet_argument

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image and -q."""
    image_arguments(command)
    quiet_argument(command)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Verify the image (every image of an archive when none is named); 1 on a mismatch."""
    path, named = split_target(args.path)
    if args.ref is None and named is None and path != "-":
        # every image of the archive (--ref narrows it to one)
        count = len(list_images(path))
        if count > 1:
            status = 0
            for index in range(count):
                narrowed = argparse.Namespace(**{**vars(args), "ref": f"@{index}"})
                streams.write(f"@{index}: ")
                status = max(status, _verify_one(narrowed, streams))
            return status
    return _verify_one(args, streams)


def _verify_one(args: argparse.Namespace, streams: Streams) -> int:
    progress = progress_line(args, streams)
    try:
        with open_archive(args, streams, progress) as image:
            report = image.verify()
    finally:
        progress.close()
    for mismatch in report.mismatches:
        streams.write(f"{mismatch}\n")
    if report.ok:
        streams.write(f"ok: {report.blobs} blobs, {report.bytes_read} bytes verified\n")
        return 0
    return 1


COMMAND = Command(
    name="verify",
    help="check every digest, size and diff ID of an archive or layout",
    examples="examples:\n  imageinspect verify examples/hello.tar\n  imageinspect verify --ref app:1 images.tar\n",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
