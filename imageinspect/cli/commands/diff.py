"""``imageinspect diff``: the differences between two images or inspect documents."""

from __future__ import annotations

import argparse
import contextlib
import io
from typing import Any

import orjson

from imageinspect.codec.diff import TIMES, differences
from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import InspectOutput, dumps, loads
from imageinspect.codec.jsonread import DEFAULT_MAX_SIZE as JSON_MAX_SIZE
from imageinspect.errors import AmbiguousImage, ImageInspectError
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.select import positions_named

from ..sniff import head_of, looks_like_json
from ..targets import _Prefixed, open_target, split_target, stdin_archive
from .base import Command
from .shared import Streams, about, read_bounded

__all__ = ["COMMAND"]


#: What only the host knows (its storage paths, the load time): not
#: compared unless ``--all-fields``.
HOST_ONLY = ("$.GraphDriver", "$.Metadata.LastTagTime")


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The two sides, --ref, --ignore, --ignore-times and --all-fields."""
    command.add_argument("a", help="A: an archive (ARCHIVE:REF picks one image), a layout, or inspect output")
    command.add_argument("b", help="B: the same kinds")
    command.add_argument("--ref", help="the image to take from each side that holds several")
    command.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="PATH",
        help="a JSON path not to compare, with or without $. (RepoTags, Config.Labels, History[*].created)",
    )
    command.add_argument(
        "--ignore-times",
        action="store_true",
        help="do not compare the times a build sets (Created, history times, LastTagTime): reproducible builds",
    )
    command.add_argument(
        "--all-fields",
        action="store_true",
        help=f"also compare what only the host knows ({', '.join(HOST_ONLY)}: not compared by default)",
    )


def _one_of(out: InspectOutput, ref: str | None, name: str) -> ImageInspect | PodmanImageInspect:
    """The image of an inspect output that ``ref`` names, as ``--ref`` names
    one in an archive (:func:`~imageinspect.sources.image.positions_named`)."""
    images = list(out)
    if ref is not None:
        ids = [{str(i.id) if str(i.id).startswith("sha256:") else f"sha256:{i.id}"} for i in images]
        images = [images[n] for n in positions_named(ref, [i.repo_tags or () for i in images], ids)]
    if len(images) == 1:
        return images[0]
    if not images:
        raise ImageInspectError(f"no image {ref!r} in the inspect output", name)
    every = list(out)
    choices = tuple(next(iter(i.repo_tags or ()), f"@{every.index(i)}") for i in images)
    raise AmbiguousImage(f"the file holds {len(images)} images", name, choices)


def _as_document(text: str, ref: str | None, streams: Streams) -> Any:
    """An archive, a layout or an inspect output (one image of it), as the
    JSON value ``docker image inspect`` shows for one image."""
    path, named = split_target(text)
    ref = named or ref
    stdin = streams.archive_stdin() if path == "-" else None
    if stdin is not None:
        data = stdin.read(1 << 16)
        if looks_like_json(data):
            data += read_bounded(stdin, JSON_MAX_SIZE - len(data), "<stdin>")
    else:
        data = head_of(path)
    if not looks_like_json(data):  # an archive or a layout (inspect output may be UTF-16: loads decodes it)
        with contextlib.ExitStack() as stack:
            if stdin is not None:  # an archive on stdin: spooled from what was read on
                rest = io.BufferedReader(_Prefixed(data, stdin), 1 << 20)
                path = stack.enter_context(stdin_archive(rest))
            image = stack.enter_context(open_target(path, ref, None, None))
            return orjson.loads(dumps([image.inspect()], Format.docker(printer="json")))[0]
    out = loads(data)
    chosen = _one_of(out, ref, path)
    fmt = Format.docker(printer="json") if out.format.kind == "docker" else out.format
    return orjson.loads(dumps([chosen], fmt))[0]


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print one line per difference (or ``no differences``); 1 when they differ."""
    with about("<stdin>" if args.a == "-" else args.a):
        a = _as_document(args.a, args.ref, streams)
    with about("<stdin>" if args.b == "-" else args.b):
        b = _as_document(args.b, args.ref, streams)
    ignore = [*(() if args.all_fields else HOST_ONLY), *args.ignore, *(TIMES if args.ignore_times else ())]
    found = differences(a, b, ignore=ignore)
    for line in found.lines():
        streams.write(line + "\n")
    if not found:
        streams.write("no differences\n")
    if found.ignored:
        streams.write(f"not compared: {', '.join(found.ignored)}\n")
    return 1 if found else 0


COMMAND = Command(
    name="diff",
    help="show the differences between two images or inspect documents (A and B)",
    examples="""examples:
  imageinspect diff old.tar new.tar
  imageinspect diff images.tar:app:1 images.tar:app:2
  imageinspect diff image.tar inspect.json --ignore RepoTags
  imageinspect diff build-1.tar build-2.tar --ignore-times   # a reproducible build?
""",
    add_arguments=add_arguments,
    run=run,
)
