"""``imageinspect history``: an image's history, like docker history."""

from __future__ import annotations

import argparse
import time
from collections.abc import Mapping

from imageinspect.gotemplate import Template, Value
from imageinspect.gotemplate.funcs import Function
from imageinspect.sources.views.history import HistoryEntry
from imageinspect.sources.views.loadable import check_loadable

from ..govalues import HISTORY_HEADER, docker_functions, history_row
from ..history import HISTORY_HEADERS, history_cells, history_json_lines, history_table, tabwriter
from ..targets import split_target
from .base import Command
from .shared import (
    Streams,
    about,
    boolean,
    daemon_arguments,
    each_archive,
    image_arguments,
    load_format,
    open_archive,
    progress_line,
    quiet_argument,
    storage_argument,
)

__all__ = ["COMMAND"]

#: What docker/cli's formatter puts before a template's error.
_WRAP = "template parsing error: "


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The images, --storage-driver, --docker/--store, -H, --no-trunc, --format and -q."""
    image_arguments(command, several=True)
    storage_argument(command)
    daemon_arguments(command)
    command.add_argument(
        "-H",
        "--human",
        type=boolean,
        nargs="?",
        const=True,
        default=True,
        metavar="BOOL",
        help="human sizes and ages (default true; --human=false prints bytes and RFC 3339 times)",
    )
    command.add_argument("--no-trunc", action="store_true", help="do not shorten IDs and commands")
    command.add_argument("--format", default="table", metavar="FORMAT", help="table (default), json, or a Go template")
    quiet_argument(command, "only image IDs (no progress either)")


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the history: docker's table, json lines, IDs (``-q``) or a template's lines."""
    form = args.format.strip() or "table"  # docker: an empty format is the default table
    table_format = form.startswith("table") and form != "table"
    template = None
    if form not in ("table", "json"):
        source = form[len("table") :].strip() if table_format else form
        template = Template.parse(source.replace("\\t", "\t").replace("\\n", "\n"))
    histories = []
    for one in each_archive(args):  # all or nothing: a failing archive writes no output
        progress = progress_line(one, streams)
        try:
            with about(one.path), open_archive(one, streams, progress) as image:
                check_loadable(image, load_format(args), "history", name=split_target(one.path)[1] or args.ref)
                histories.append((one.path, image.history(storage_driver=args.storage_driver)))
        finally:
            progress.close()
    now = time.time()
    functions = docker_functions(load_format(args))  # the docker CLI's, of --docker's release
    parts = []
    for path, rows in histories:
        text = _history_text(args, form, table_format, template, rows, now, functions)
        parts.append(f"{path}:\n{text}" if len(histories) > 1 else text)
    streams.write("\n".join(parts))  # several: a section each, as ls prints several folders
    return 0


def _history_text(
    args: argparse.Namespace,
    form: str,
    table_format: bool,
    template: Template | None,
    rows: list[HistoryEntry],
    now: float,
    functions: Mapping[str, Function],
) -> str:
    """One image's history, as the options ask."""
    cells = [history_cells(row, human=args.human, no_trunc=args.no_trunc, now=now) for row in rows]
    if form == "table" and args.quiet:  # docker: -q only without a --format
        return "".join(f"{cell['ID']}\n" for cell in cells)
    if form == "table":
        return history_table(rows, human=args.human, no_trunc=args.no_trunc, now=now)
    if form == "json":
        return history_json_lines(rows, human=args.human, no_trunc=args.no_trunc, now=now)
    assert template is not None
    if table_format:  # docker's "table TEMPLATE": a header from the field names, tab-separated columns
        header = template.execute(Value(HISTORY_HEADERS, HISTORY_HEADER), wrap=_WRAP, functions=functions)
        lines = [header] + [template.execute(history_row(cell), wrap=_WRAP, functions=functions) for cell in cells]
        return tabwriter([line.split("\t") for line in lines])
    rows_text = (template.execute(history_row(cell), wrap=_WRAP, functions=functions) for cell in cells)
    return "".join(text + "\n" for text in rows_text)


COMMAND = Command(
    name="history",
    help="show an image's history like docker history",
    examples="""examples:
  imageinspect history examples/hello.tar
  imageinspect history --human=false --no-trunc image.tar
  imageinspect history --format json image.tar
  imageinspect history --format '{{.CreatedBy}}' image.tar
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
