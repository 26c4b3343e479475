"""``imageinspect parse``: sniff, validate and describe an image document."""

from __future__ import annotations

import argparse

import orjson

from imageinspect.codec.documents import parse

from ..summary import describe
from .base import Command
from .shared import Streams, read_input

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """FILE, --media-type and --strict (and the old --json, hidden)."""
    command.add_argument("file", help="the document, or - to read stdin")
    command.add_argument("--media-type", help="the media type the document was served with")
    command.add_argument("--strict", action="store_true", help="refuse unknown fields")
    command.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # JSON is the only output now


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the document's description as indented JSON."""
    raw = read_input(args.file, streams)
    doc = parse(raw, args.media_type, strict=args.strict)
    streams.write_bytes(orjson.dumps(describe(doc), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


COMMAND = Command(
    name="parse",
    help="sniff, validate and describe a config, manifest, index or schema1 manifest, as JSON",
    examples="""examples:
  imageinspect parse examples/config.json
  imageinspect parse examples/manifest-list.json
  imageinspect parse --media-type application/vnd.oci.image.index.v1+json - < index.json
""",
    add_arguments=add_arguments,
    run=run,
    takes="image document",
)
