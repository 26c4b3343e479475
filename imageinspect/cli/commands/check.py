"""``imageinspect check``: whether an inspect output round-trips exactly."""

from __future__ import annotations

import argparse
from typing import Any

import orjson

from imageinspect.codec.diff import differences, first_difference, snippet
from imageinspect.codec.inspect import decode_text, dumps, loads

from .base import Command
from .shared import Streams, read_input

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """FILE."""
    command.add_argument("file", help="docker/podman inspect output, or - for stdin")


def _json_values(data: bytes) -> Any:
    """The JSON value of inspect output; ``{{json .}}`` output (one object
    per line) as the list of its lines' values."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print ``ok`` for an exact round trip (0), else where it first differs (1)."""
    raw = read_input(args.file, streams)
    out = loads(raw)
    again = dumps(list(out), out.format, out.style)  # the writer, not the bytes out was read from
    source = decode_text(raw)  # what loads read: UTF-8, BOM and CRLF of UTF-16 undone
    note = "" if source == raw else " (of the text decoded from its byte order mark)"
    if again == source:
        streams.write(
            f"ok: {len(out)} image(s), {out.format.kind} {out.format.printer} output, exact round trip{note}\n"
        )
        return 0
    offset = first_difference(again, source)
    assert offset is not None
    found = differences(_json_values(again), _json_values(source))
    where = found.differences[0].path if found else "$ (whitespace or escaping only)"
    streams.write(f"differs at byte {offset}, {where}\n")
    for label, data in (("input:  ", source), ("written:", again)):
        text, caret = snippet(data, offset).split("\n")
        streams.write(f"  {label} {text}\n  {' ' * len(label)} {caret}\n")
    return 1


COMMAND = Command(
    name="check",
    help="confirm that an inspect output round-trips exactly",
    examples="examples:\n  docker image inspect nginx > out.json && imageinspect check out.json\n",
    add_arguments=add_arguments,
    run=run,
    takes="inspect output",
)
