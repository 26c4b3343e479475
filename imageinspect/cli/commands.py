"""What each command does, given its parsed arguments and the three streams.
Every function returns the exit status; bad input raises
:class:`~imageinspect.errors.ImageInspectError` for :func:`~imageinspect.cli.main`
to print."""

from __future__ import annotations

import argparse
import os
import time
from typing import Any, BinaryIO, TextIO

import attrs
import orjson

from imageinspect.codec.diff import diff_json, first_difference
from imageinspect.codec.documents import parse
from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import InspectOutput, decode_text, dumps, loads
from imageinspect.errors import AmbiguousImage, ImageInspectError
from imageinspect.model.inspect import human_size
from imageinspect.sources.image import Image, list_images
from imageinspect.values.platform import Platform

from .history import history_json_lines, history_table, tabwriter
from .progress import ProgressLine
from .summary import describe
from .targets import open_target, split_target, stdin_archive
from .template import Template

__all__ = ["COMMANDS", "OptionError", "Streams"]


class OptionError(ImageInspectError):
    """A bad option value; its location is the option (``--docker``)."""


@attrs.frozen
class Streams:
    """The command's standard streams (bytes in, text and bytes out)."""

    stdin: BinaryIO
    stdout: TextIO
    stderr: TextIO

    def write(self, text: str) -> None:
        """Text to stdout, UTF-8 encoded."""
        self.write_bytes(text.encode())

    def write_bytes(self, data: bytes) -> None:
        """Exact bytes to stdout (text, where stdout has no byte buffer)."""
        self.stdout.flush()
        buffer = getattr(self.stdout, "buffer", None)
        if buffer is None:
            self.stdout.write(data.decode())
            return
        view = memoryview(data)
        while view:  # an unbuffered stdout (PYTHONUNBUFFERED) may take part of a write
            written = buffer.write(view)
            view = view[written or 0 :]


def _option(name: str, make: Any) -> Any:
    try:
        return make()
    except ImageInspectError as err:
        raise OptionError(err.message, name) from None


def _platform(args: argparse.Namespace) -> str | None:
    value: str | None = getattr(args, "platform", None)
    if value is not None:
        _option("--platform", lambda: Platform.parse(value))
    return value


def _format(args: argparse.Namespace) -> Format:
    if args.podman:
        fmt: Format = _option("--podman", lambda: Format.podman(args.podman))
        return fmt
    if args.docker:
        _option("--docker", lambda: Format.docker(args.docker))
    fmt = _option(
        "--api" if args.api else "--docker",
        lambda: Format.docker(args.docker, api=args.api, store=args.store, printer=args.printer),
    )
    return fmt


def _progress(args: argparse.Namespace, streams: Streams) -> ProgressLine:
    quiet = getattr(args, "quiet", False)
    return ProgressLine(streams.stderr, enabled=streams.stderr.isatty() and not quiet)


def _open(args: argparse.Namespace, streams: Streams, progress: ProgressLine | None = None) -> Any:
    return open_target(args.path, args.ref, _platform(args), streams.stdin, progress)


def _read(path: str, stdin: BinaryIO) -> bytes:
    if path == "-":
        return stdin.read()
    with open(path, "rb") as handle:
        return handle.read()


# -- images ----------------------------------------------------------------------


def cmd_images(args: argparse.Namespace, streams: Streams) -> int:
    path, named = split_target(args.path)
    if named is not None:
        raise OptionError("images lists every image: give the archive without :REF", "PATH")
    if path == "-":
        with stdin_archive(streams.stdin) as spooled:
            found = list_images(spooled)
    else:
        found = list_images(path)
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
            streams.write(_short_id(image.config_digest, args.no_trunc) + "\n")
        return 0
    rows = [["REF", "IMAGE ID", "PLATFORM", "TAGS"]]
    for image in found:
        tags = ", ".join(image.refs) if image.refs else "<none>"
        platform = "-" if image.platform is None else str(image.platform)
        rows.append([f"@{image.index}", _short_id(image.config_digest, args.no_trunc), platform, tags])
    streams.write(tabwriter(rows))
    return 0


def _short_id(digest: object, full: bool) -> str:
    text = "-" if digest is None else str(digest)
    return text if full or digest is None else text.partition(":")[2][:12]


# -- inspect ---------------------------------------------------------------------


def cmd_inspect(args: argparse.Namespace, streams: Streams) -> int:
    fmt = _format(args)
    template = None if args.format is None else Template.parse(args.format)
    progress = _progress(args, streams)
    try:
        with _open(args, streams, progress) as image:
            result = image.inspect(fmt, storage_driver=args.storage_driver if fmt.kind == "docker" else None)
    finally:
        progress.close()
    if template is None:
        streams.write_bytes(dumps([result], fmt))
        return 0
    data = orjson.loads(dumps([result], fmt))[0]
    streams.write(template.execute(data) + "\n")
    return 0


# -- parse -----------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace, streams: Streams) -> int:
    raw = _read(args.file, streams.stdin)
    doc = parse(raw, args.media_type, strict=args.strict)
    streams.write_bytes(orjson.dumps(describe(doc), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


# -- history and layers --------------------------------------------------------------


def cmd_history(args: argparse.Namespace, streams: Streams) -> int:
    template = None if args.format in ("table", "json") else Template.parse(args.format)
    progress = _progress(args, streams)
    try:
        with _open(args, streams, progress) as image:
            rows = image.history(storage_driver=args.storage_driver)
    finally:
        progress.close()
    now = time.time()
    if args.quiet:
        for row in rows:
            streams.write((row.id if args.no_trunc or row.id == "<missing>" else row.id.partition(":")[2][:12]) + "\n")
    elif args.format == "table":
        streams.write(history_table(rows, human=args.human, no_trunc=args.no_trunc, now=now))
    elif args.format == "json":
        streams.write(history_json_lines(rows, human=args.human, no_trunc=args.no_trunc, now=now))
    else:
        assert template is not None
        for line in history_json_lines(rows, human=args.human, no_trunc=args.no_trunc, now=now).splitlines():
            streams.write(template.execute(orjson.loads(line)) + "\n")
    return 0


def cmd_layers(args: argparse.Namespace, streams: Streams) -> int:
    with _open(args, streams) as image:
        table = [["#", "DIFF ID", "CHAIN ID", "BLOB", "SIZE", "CREATED BY"]]
        width = 71 if args.no_trunc else 19
        for layer in image.layers:
            held = layer.index < len(image.layer_names)
            table.append(
                [
                    str(layer.index),
                    _cut(str(layer.diff_id or "-"), width, args.no_trunc),
                    _cut(str(layer.chain_id or "-"), width, args.no_trunc),
                    _cut(image.layer_names[layer.index] if held else "-", 40, args.no_trunc),
                    human_size(image.layer_size(layer.index) if held else 0),
                    _cut(layer.history.created_by if layer.history else "", 40, args.no_trunc),
                ]
            )
        problems = image.layers.problems
    streams.write(tabwriter(table))
    for problem in problems:
        streams.stderr.write(f"imageinspect: warning: {problem.location}: {problem.message}\n")
    return 0


def _cut(text: str, keep: int, full: bool) -> str:
    return text if full or len(text) <= keep else text[: keep - 1] + "…"


# -- diff and check -------------------------------------------------------------------


def _looks_like_json(path: str) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
    return head[:1] in (b"[", b"{")


def _one_of(out: InspectOutput, ref: str | None, name: str) -> Any:
    images = list(out)
    if ref is not None:
        images = [i for i in images if ref in (i.repo_tags or ()) or str(i.id).startswith(_as_id(ref))]
    if len(images) == 1:
        return images[0]
    if not images:
        raise ImageInspectError(f"no image {ref!r} in the inspect output", name)
    tags = [t for i in images for t in (i.repo_tags or ())[:1]] or [str(i.id)[:19] for i in images]
    raise AmbiguousImage(f"the file holds {len(images)} images", name, tuple(tags))


def _as_id(ref: str) -> str:
    return ref if ref.startswith("sha256:") else f"sha256:{ref}"


def _as_document(text: str, ref: str | None, streams: Streams) -> Any:
    """An archive, a layout or an inspect output (one image of it), as the
    JSON value ``docker image inspect`` shows for one image."""
    path, named = split_target(text)
    ref = named or ref
    if path != "-" and (os.path.isdir(path) or not _looks_like_json(path)):
        with open_target(path, ref, None, streams.stdin) as image:
            return orjson.loads(dumps([_inspected(image)], Format.docker(printer="json")))[0]
    out = loads(_read(path, streams.stdin))
    chosen = _one_of(out, ref, path)
    fmt = Format.docker(printer="json") if out.format.kind == "docker" else out.format
    return orjson.loads(dumps([chosen], fmt))[0]


def _inspected(image: Image) -> Any:
    return image.inspect()


def cmd_diff(args: argparse.Namespace, streams: Streams) -> int:
    a, b = _as_document(args.a, args.ref, streams), _as_document(args.b, args.ref, streams)
    ignore = ["$.GraphDriver", "$.Metadata.LastTagTime", *args.ignore]
    differences = diff_json(a, b, ignore=ignore)
    for line in differences:
        streams.write(line + "\n")
    if not differences:
        streams.write("no differences\n")
    return 1 if differences else 0


def _json_values(data: bytes) -> Any:
    """The JSON value of inspect output; ``{{json .}}`` output (one object
    per line) as the list of its lines' values."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def cmd_check(args: argparse.Namespace, streams: Streams) -> int:
    raw = _read(args.file, streams.stdin)
    out = loads(raw)
    again = dumps(list(out), out.format)  # the writer, not the bytes out was read from
    source = decode_text(raw)  # what loads read: UTF-8, BOM and CRLF of UTF-16 undone
    note = "" if source == raw else " (of the text decoded from its byte order mark)"
    if again == source:
        streams.write(
            f"ok: {len(out)} image(s), {out.format.kind} {out.format.printer} output, exact round trip{note}\n"
        )
        return 0
    offset = first_difference(again, source)
    differences = diff_json(_json_values(again), _json_values(source))
    where = differences[0].split(":", 1)[0] if differences else "$ (whitespace or escaping only)"
    streams.write(f"differs at byte {offset}, {where}\n")
    return 1


# -- verify -------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, streams: Streams) -> int:
    progress = _progress(args, streams)
    try:
        with _open(args, streams, progress) as image:
            report = image.verify()
    finally:
        progress.close()
    for mismatch in report.mismatches:
        streams.write(f"{mismatch}\n")
    if report.ok:
        streams.write(f"ok: {report.blobs} blobs, {report.bytes_read} bytes verified\n")
        return 0
    return 1


COMMANDS = {
    "images": cmd_images,
    "inspect": cmd_inspect,
    "parse": cmd_parse,
    "history": cmd_history,
    "layers": cmd_layers,
    "diff": cmd_diff,
    "check": cmd_check,
    "verify": cmd_verify,
}
