"""``imageinspect compat``: which daemons load an archive, and what each shows."""

from __future__ import annotations

import argparse

import orjson

from imageinspect.model.inspect import human_size
from imageinspect.sources.views.compat import CompatRow, compat, daemon_formats

from ..history import short_id, tabwriter
from .base import Command
from .shared import Streams, image_arguments, open_archive, storage_argument

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image, --all, --format, --no-trunc and --storage-driver."""
    image_arguments(command)
    command.add_argument(
        "--all", action="store_true", help="also every Docker release line known from its sources only"
    )
    command.add_argument("--format", default="table", choices=["table", "json"], help="table (default) or json lines")
    command.add_argument("--no-trunc", action="store_true", help="full image IDs and refusals")
    storage_argument(command)


def _record(row: CompatRow) -> dict[str, object]:
    """One row as a JSON object (``docker inspect``'s names for what it shows)."""
    return {
        "Daemon": row.daemon,
        "Version": row.release,
        "Store": row.store,
        "Observed": row.observed,
        "Loads": row.loads,
        "Shows": row.shows,
        "Refusal": row.message or None,
        "Member": row.member or None,
        "Id": row.image_id or None,
        "RepoTags": list(row.repo_tags),
        "RepoDigests": list(row.repo_digests),
        "Size": row.size,
    }


def _cells(row: CompatRow, no_trunc: bool) -> list[str]:
    daemon = f"{row.daemon} {row.release}" + ("" if row.observed else " *")
    if not row.shows:
        said = row.message if no_trunc or len(row.message) <= 60 else row.message[:59] + "…"
        outcome = ("loads, not shown: " if row.loads else "refused: ") + said
        return [daemon, row.store, outcome, "", "", "", ""]
    image_id = row.image_id if no_trunc else short_id(row.image_id)[:12]  # podman's IDs have no sha256:
    tags = ", ".join(row.repo_tags) or "<none>"
    digests = str(len(row.repo_digests))
    return [daemon, row.store, "loads", image_id, tags, digests, human_size(row.size or 0)]


def run(args: argparse.Namespace, streams: Streams) -> int:
    """A row per daemon: loads or not (its words), image ID, tags, digests, size."""
    with open_archive(args, streams) as image:
        rows = compat(image, daemon_formats(every_line=args.all), storage_driver=args.storage_driver)
    if args.format == "json":
        for row in rows:
            streams.write(orjson.dumps(_record(row)).decode() + "\n")
        return 0
    table = [["DAEMON", "STORE", "LOAD", "IMAGE ID", "REPO TAGS", "DIGESTS", "SIZE"]]
    table += [_cells(row, args.no_trunc) for row in rows]
    streams.write(tabwriter(table))
    if args.all:
        streams.write("* known from the release's sources only, not checked against a real daemon\n")
    return 0


COMMAND = Command(
    name="compat",
    help="which Docker and podman releases load the archive, and the ID, tags and size each shows",
    examples="""examples:
  imageinspect compat examples/hello.tar
  imageinspect compat --format json images.tar:app:1
  imageinspect compat --all --no-trunc layout/
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
