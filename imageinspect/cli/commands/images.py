"""``imageinspect images``: the images an archive or layout holds, as
``docker images`` shows what a daemon holds after loading it."""

from __future__ import annotations

import argparse
import datetime as _dt
import time
from collections.abc import Iterator
from typing import Any

from imageinspect.codec.formats import Format
from imageinspect.errors import InvalidReference
from imageinspect.gotemplate import Template, Value
from imageinspect.model.inspect import ImageInspect, human_size
from imageinspect.sources.image import Image, list_images, open_image
from imageinspect.sources.views.containerd import Listed, containerd_target
from imageinspect.sources.views.containerd import listed as containerd_listed
from imageinspect.sources.views.loadable import check_loadable, load_refusal
from imageinspect.values.digest import Digest
from imageinspect.values.reference import Reference

from ..govalues import HISTORY_HEADER, IMAGE_FIELDS, docker_functions, docker_go, image_row
from ..history import human_duration, short_id, tabwriter
from ..targets import split_target, stdin_archive
from .base import Command
from .shared import OptionError, Streams, daemon_arguments, load_format, quiet_argument

__all__ = ["COMMAND"]

#: What docker/cli's formatter puts before a template's error.
_WRAP = "template parsing error: "
#: The table's columns: docker images' (with --digests), after this tool's @N,
#: and the platform an archive of several names.
_TABLE = ("Index", "Repository", "Tag", "Digest", "ID", "Platform", "CreatedSince", "Size")


def add_arguments(command: argparse.ArgumentParser) -> None:
    """ARCHIVE, --format, --no-trunc, --docker/--store and -q."""
    command.add_argument("path", metavar="ARCHIVE", help="an archive or layout, or - for stdin")
    command.add_argument(
        "--format",
        default="table",
        metavar="FORMAT",
        help="table (default), json (a line per image and tag), a Go template ({{.Repository}}:{{.Tag}}), "
        "or table TEMPLATE",
    )
    command.add_argument("--no-trunc", action="store_true", help="full image IDs")
    daemon_arguments(command)
    quiet_argument(command, "only image IDs")


def _created(image: ImageInspect) -> tuple[str, int]:
    """``Created`` as docker images words it: Go's ``Time.String()`` in the
    local zone, and the Unix seconds (for the age)."""
    if image.created is None:
        return "", 0
    seconds = image.created.unix_nanos // 1_000_000_000
    local = _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).astimezone()
    return local.strftime("%Y-%m-%d %H:%M:%S %z %Z"), seconds


def _rows(path: Any, count: int, fmt: Format, no_trunc: bool, now: float) -> Iterator[dict[str, str]]:
    """A row per image and tag (``<none>`` for an untagged one), as the
    daemon ``fmt`` names would list them after loading the archive."""
    containerd = fmt.kind == "docker" and fmt.store == "containerd"
    listed_targets: set[Digest] = set()
    for index in range(count):
        with open_image(path, ref=f"@{index}") as image:
            platform = str(image.platform) if image.platform.os or image.platform.architecture else "-"
            if not containerd:
                check_loadable(image, fmt)  # refuse, as inspect would, what the daemon would not load
                shown: ImageInspect | None = _inspect(image, fmt)
                assert shown is not None
                summaries = [Listed(shown.repo_tags or (), bool(shown.repo_digests))]
                image_id, size = shown.id, shown.size
            else:
                refusal = load_refusal(image, fmt, "images")
                if refusal is not None and not refusal.loaded:
                    check_loadable(image, fmt, "images")  # the load fails: say so, as inspect would
                target, size = containerd_target(image)
                image_id, first = str(target.digest), target.digest not in listed_targets
                listed_targets.add(target.digest)
                if refusal is not None:
                    continue
                summaries = list(containerd_listed(image, target, fmt, first=first))
                shown = None if image.entry.absent_target is not None or not summaries else _inspect(image, fmt)
        digests = _digests(shown)
        for summary in summaries:
            names = _names(summary, digests)
            yield from _image_rows(names, shown, digests, image_id, size, index, platform, no_trunc, now)


def _inspect(image: Image, fmt: Format) -> ImageInspect:
    shown = image.inspect(fmt)
    assert isinstance(shown, ImageInspect)
    return shown


def _digests(shown: ImageInspect | None) -> dict[str, str]:
    """``RepoDigests`` by repository (the image's digest in each)."""
    found: dict[str, str] = {}
    for digest in (shown.repo_digests if shown is not None else None) or ():
        if "@" in digest:
            repository, _, value = digest.rpartition("@")
            found[repository] = value
    return found


def _names(summary: Listed, digests: dict[str, str]) -> list[tuple[str, str]]:
    """The (repository, tag) rows docker/cli's formatter makes of an image
    summary: one per entry of ``RepoTags`` that parses as a tagged reference
    (repeats kept, the rest dropped); with none, one per repository of a
    digest, or ``<none>:<none>`` for an image with neither tags nor digests."""
    names: list[tuple[str, str]] = []
    for tag in summary.repo_tags:
        try:
            ref = Reference.parse(tag)
        except InvalidReference:
            continue
        if ref.tag:
            names.append((ref.name_only().familiar(), ref.tag))
    if names or summary.repo_tags:
        return names
    if summary.has_digests and digests:
        return [(next(iter(digests)), "<none>")]
    return [("<none>", "<none>")]


def _image_rows(
    names: list[tuple[str, str]],
    shown: ImageInspect | None,
    digests: dict[str, str],
    image_id: str,
    size: int,
    index: int,
    platform: str,
    no_trunc: bool,
    now: float,
) -> Iterator[dict[str, str]]:
    created_at, seconds = _created(shown) if shown is not None else ("", 0)
    since = "N/A" if not seconds else human_duration(now - seconds) + " ago"
    virtual = (shown.virtual_size or shown.size) if shown is not None else size
    for repository, tag in names:
        yield {
            "ID": image_id if no_trunc else short_id(image_id),
            "Repository": repository,
            "Tag": tag,
            "Digest": digests.get(repository, "<none>"),
            "CreatedSince": since,
            "CreatedAt": created_at,
            "Size": human_size(size),
            "Containers": "N/A",
            "VirtualSize": human_size(virtual),
            "SharedSize": "N/A",
            "UniqueSize": "N/A",
            "Index": f"@{index}",
            "Platform": platform,
        }


def run(args: argparse.Namespace, streams: Streams) -> int:
    """List the images: a table, json lines, their IDs (``-q``) or a template's lines."""
    path, named = split_target(args.path)
    if named is not None:
        raise OptionError(f"images lists every image: give the archive without :{named}", args.path)
    fmt = load_format(args)
    form = args.format.strip() or "table"
    table_format = form.startswith("table") and form != "table"
    template = None
    if form not in ("table", "json"):
        source = form[len("table") :].strip() if table_format else form
        template = Template.parse(source.replace("\\t", "\t").replace("\\n", "\n"), go=docker_go(fmt))
    now = time.time()
    if path == "-":
        with stdin_archive(streams.archive_stdin()) as spooled:
            rows = list(_rows(spooled, len(list_images(spooled)), fmt, args.no_trunc, now))
    else:
        rows = list(_rows(path, len(list_images(path)), fmt, args.no_trunc, now))
    functions = docker_functions(fmt)
    if form == "json":
        template = Template.parse("{{json .}}")
    if template is not None and table_format:
        header = template.execute(Value(IMAGE_FIELDS, HISTORY_HEADER), wrap=_WRAP, functions=functions)
        lines = [header] + [template.execute(image_row(row), wrap=_WRAP, functions=functions) for row in rows]
        streams.write(tabwriter([line.split("\t") for line in lines]))
    elif template is not None:
        streams.write("".join(template.execute(image_row(row), wrap=_WRAP, functions=functions) + "\n" for row in rows))
    elif args.quiet:
        streams.write("".join(row["ID"] + "\n" for row in {r["Index"]: r for r in rows}.values()))
    else:
        table = [[IMAGE_FIELDS[key] for key in _TABLE]] + [[row[key] for key in _TABLE] for row in rows]
        streams.write(tabwriter(table))
    return 0


COMMAND = Command(
    name="images",
    help="list the images an archive or layout holds, as docker images would after loading it",
    examples="""examples:
  imageinspect images examples/hello.tar
  imageinspect images --format '{{.Repository}}:{{.Tag}}' images.tar
  imageinspect images --format 'table {{.Repository}}\\t{{.Tag}}\\t{{.Size}}' images.tar
  imageinspect images --format json --docker 28.5 images.tar
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
