"""``imageinspect images``: the images an archive or layout holds."""

from __future__ import annotations

import argparse
from typing import Any

import orjson

from imageinspect.codec.formats import Format
from imageinspect.sources.image import list_images
from imageinspect.sources.views.loadable import check_loadable

from ..history import short_id, tabwriter
from ..targets import split_target, stdin_archive
from .base import Command
from .shared import OptionError, Streams, daemon_arguments, load_format, quiet_argument

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """ARCHIVE, --format, --no-trunc, --docker/--store and -q."""
    command.add_argument("path", metavar="ARCHIVE", help="an archive or layout, or - for stdin")
    command.add_argument("--format", default="table", choices=["table", "json"], help="table (default) or json lines")
    command.add_argument("--no-trunc", action="store_true", help="full image IDs")
    daemon_arguments(command)
    quiet_argument(command, "only image IDs")


def _check_every_image(path: Any, count: int, fmt: Format) -> None:
    """Refuse, as ``inspect`` would, an archive the daemon would not load."""
    from imageinspect.sources.image import open_image

    for index in range(count):
        with open_image(path, ref=f"@{index}") as image:
            check_loadable(image, fmt)


def run(args: argparse.Namespace, streams: Streams) -> int:
    """List the images: a table, json lines, or their IDs (``-q``)."""
    path, named = split_target(args.path)
    if named is not None:
        raise OptionError(f"images lists every image: give the archive without :{named}", args.path)
    fmt = load_format(args)
    if path == "-":
        with stdin_archive(streams.archive_stdin()) as spooled:
            found = list_images(spooled)
            _check_every_image(spooled, len(found), fmt)
    else:
        found = list_images(path)
        _check_every_image(path, len(found), fmt)
    if args.format == "json":
        for image in found:
            record = {
                "Index": f"@{image.index}",
                "ID": None if image.config_digest is None else str(image.config_digest),
                "Platform": None if image.platform is None else str(image.platform),
                "Refs": list(image.refs),
                "Source": image.source,
            }
            streams.write(orjson.dumps(record).decode() + "\n")
        return 0
    if args.quiet:
        for image in found:
            streams.write(short_id(str(image.config_digest or "-"), args.no_trunc) + "\n")
        return 0
    rows = [["REF", "IMAGE ID", "PLATFORM", "TAGS"]]
    for image in found:
        tags = ", ".join(image.refs) if image.refs else "<none>"
        platform = "-" if image.platform is None else str(image.platform)
        rows.append([f"@{image.index}", short_id(str(image.config_digest or "-"), args.no_trunc), platform, tags])
    streams.write(tabwriter(rows))
    return 0


COMMAND = Command(
    name="images",
    help="list the images an archive or layout holds: @N, image ID, platform, tags",
    examples="""examples:
  imageinspect images examples/hello.tar
  imageinspect images --format json images.tar
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
