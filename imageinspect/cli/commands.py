"""What each command does, given its parsed arguments and the three streams.
Every function returns the exit status; bad input raises
:class:`~imageinspect.errors.ImageInspectError` for :func:`~imageinspect.cli.main`
to print."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
import time
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, TextIO, TypeVar

import attrs
import orjson

from imageinspect.codec.diff import diff_json, first_difference
from imageinspect.codec.documents import parse
from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import InspectOutput, decode_text, dumps, loads
from imageinspect.codec.jsonread import DEFAULT_MAX_SIZE as JSON_MAX_SIZE
from imageinspect.errors import AmbiguousImage, ImageInspectError, LimitExceeded
from imageinspect.model.inspect import ImageInspect, human_size
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.image import Image, list_images, positions_named
from imageinspect.sources.loadable import check_loadable
from imageinspect.values.platform import Platform

from .hints import head_of, looks_like_json
from .history import (
    HISTORY_HEADERS,
    ellipsis,
    history_cells,
    history_json_lines,
    history_table,
    short_id,
    tabwriter,
)
from .progress import ProgressLine
from .summary import describe
from .targets import _Prefixed, open_target, split_target, stdin_archive
from .template import HtmlEscaped, Template

__all__ = ["COMMANDS", "OptionError", "Streams", "about"]

T = TypeVar("T")


class OptionError(ImageInspectError):
    """A bad option value; its location is the option (``--docker``)."""


@attrs.define
class Streams:
    """The command's standard streams (bytes in, text and bytes out), and what
    a command read from stdin (for the wrong-tool hint)."""

    stdin: BinaryIO | None
    stdout: TextIO | None
    stderr: TextIO | None
    stdin_data: bytes = b""
    #: How many inputs were read from stdin (it can be read once).
    stdin_uses: int = 0

    def read_stdin(self, limit: int = JSON_MAX_SIZE) -> bytes:
        """All of stdin, up to ``limit`` bytes (more is refused, so endless
        input ends); a terminal or a closed stdin is refused, not waited on."""
        self.stdin_data = read_bounded(self._stdin(), limit, "<stdin>")
        return self.stdin_data

    def _stdin(self) -> BinaryIO:
        self.stdin_uses += 1
        if self.stdin_uses > 1:
            raise ImageInspectError("standard input can be read once: give - for one input only", "<stdin>")
        if self.stdin is None:
            raise ImageInspectError("standard input is closed", "<stdin>")
        if self.stdin.isatty():
            raise ImageInspectError(
                "standard input is a terminal: pipe the input in (docker save IMAGE | imageinspect inspect -)",
                "<stdin>",
            )
        return self.stdin

    def archive_stdin(self) -> BinaryIO:
        """stdin, for an archive read from it (see :func:`stdin_archive`)."""
        return self._stdin()

    def write(self, text: str) -> None:
        """Text to stdout, UTF-8 encoded."""
        self.write_bytes(text.encode())

    def write_bytes(self, data: bytes) -> None:
        """Exact bytes to stdout. A closed stdout is a closed pipe
        (:class:`BrokenPipeError`); another write error names ``<stdout>``."""
        if self.stdout is None:
            raise BrokenPipeError("stdout is closed")
        try:
            self.stdout.flush()
            buffer = getattr(self.stdout, "buffer", None)
            if buffer is None:
                self.stdout.write(data.decode())
                return
            view = memoryview(data)
            while view:  # an unbuffered stdout (PYTHONUNBUFFERED) may take part of a write
                written = buffer.write(view)
                view = view[written or 0 :]
        except BrokenPipeError:
            raise
        except OSError as err:
            raise OSError(err.errno, err.strerror, "<stdout>") from None

    def flush(self) -> None:
        """Flush stdout (write errors as :meth:`write_bytes`)."""
        self.write_bytes(b"")


@contextlib.contextmanager
def about(name: str) -> Iterator[None]:
    """Errors raised inside are about the input ``name`` (as typed): what the
    error line names, for commands with more than one input (``diff``)."""
    try:
        yield
    except ImageInspectError as err:
        if not hasattr(err, "input"):
            err.input = name  # type: ignore[attr-defined]
        raise


def _option(name: str, make: Callable[[], T]) -> T:
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
        if args.store or args.api or args.printer != "cli":
            which = "--store" if args.store else "--api" if args.api else "--printer"
            raise OptionError(f"podman has no {which[2:]}: {which} goes with --docker", which)
        return _option("--podman", lambda: Format.podman(args.podman))
    if args.docker:
        _option("--docker", lambda: Format.docker(args.docker))
    return _option(
        "--api" if args.api else "--store" if args.store else "--docker",
        lambda: Format.docker(args.docker, api=args.api, store=args.store, printer=args.printer),
    )


def _load_format(args: argparse.Namespace) -> Format:
    """The daemon whose load refusals ``history``/``layers``/``images`` follow."""
    return _option("--store" if args.store else "--docker", lambda: Format.docker(args.docker, store=args.store))


def _host_facts(args: argparse.Namespace, fmt: Format) -> dict[str, Any]:
    """What only the host knows, from the options that say it."""
    from imageinspect.codec.read import structure
    from imageinspect.model.inspect import GraphDriver
    from imageinspect.values.timestamp import Timestamp

    facts: dict[str, Any] = {}
    if args.storage_driver:
        if fmt.kind == "docker" and args.storage_driver == "overlay":
            raise OptionError("Docker's drivers are overlay2 and vfs (overlay is podman's)", "--storage-driver")
        if fmt.kind == "podman" and args.storage_driver == "overlay2":
            raise OptionError("podman's drivers are overlay and vfs (overlay2 is Docker's)", "--storage-driver")
        facts["storage_driver"] = args.storage_driver
    if args.graph_driver:
        try:
            value = orjson.loads(args.graph_driver)
        except orjson.JSONDecodeError as err:
            raise OptionError(f"not JSON: {err}", "--graph-driver") from None
        facts["graph_driver"] = _option("--graph-driver", lambda: structure(value, GraphDriver))
    if fmt.kind == "podman":
        if args.name or args.last_tag_time:
            raise OptionError(
                "podman shows no Descriptor nor LastTagTime", "--name" if args.name else "--last-tag-time"
            )
        facts["parent"] = args.parent
        return facts
    if args.parent:
        raise OptionError("Docker's Parent comes from the archive; --parent is podman's", "--parent")
    if args.name:
        facts["name"] = args.name
    if args.last_tag_time:
        facts["last_tag_time"] = _option("--last-tag-time", lambda: Timestamp.parse(args.last_tag_time))
    return facts


def _progress(args: argparse.Namespace, streams: Streams) -> ProgressLine:
    quiet = getattr(args, "quiet", False)
    shown = streams.stderr is not None and streams.stderr.isatty() and not quiet
    return ProgressLine(streams.stderr or sys.stderr, enabled=shown)


def _open(
    args: argparse.Namespace, streams: Streams, progress: ProgressLine | None = None
) -> contextlib.AbstractContextManager[Image]:
    stdin = streams.archive_stdin() if split_target(args.path)[0] == "-" else None
    return open_target(args.path, args.ref, _platform(args), stdin, progress)


def _read(path: str, streams: Streams) -> bytes:
    """A JSON input, stdin or a file, bounded as ``loads`` and ``parse`` are."""
    if path == "-":
        return streams.read_stdin()
    with open(path, "rb") as handle:
        return read_bounded(handle, JSON_MAX_SIZE, path)


def read_bounded(stream: BinaryIO, limit: int, where: str) -> bytes:
    """At most ``limit`` bytes of ``stream``; more is a :class:`LimitExceeded`
    (what was read counts, not a size looked up before).

    >>> read_bounded(io.BytesIO(b"abc"), 2, "x")
    Traceback (most recent call last):
      ...
    imageinspect.errors.LimitExceeded: x: more than 2 bytes (pass a smaller input)
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"more than {limit} bytes (pass a smaller input)", where)
    return data


# -- images ----------------------------------------------------------------------


def _check_every_image(path: Any, count: int, fmt: Format) -> None:
    """Refuse, as ``inspect`` would, an archive the daemon would not load."""
    from imageinspect.sources.image import open_image

    for index in range(count):
        with open_image(path, ref=f"@{index}") as image:
            check_loadable(image, fmt)


def cmd_images(args: argparse.Namespace, streams: Streams) -> int:
    path, named = split_target(args.path)
    if named is not None:
        raise OptionError(f"images lists every image: give the archive without :{named}", args.path)
    fmt = _load_format(args)
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


# -- inspect ---------------------------------------------------------------------


def cmd_inspect(args: argparse.Namespace, streams: Streams) -> int:
    fmt = _format(args)
    template = Template.parse(args.format) if args.format else None  # docker: an empty -f is no -f
    progress = _progress(args, streams)
    try:
        with _open(args, streams, progress) as image:
            result = image.inspect(fmt, **_host_facts(args, fmt))
    finally:
        progress.close()
    if template is None:
        streams.write_bytes(dumps([result], fmt))
        return 0
    streams.write(template.execute(_template_data(result, fmt), podman=fmt.kind == "podman") + "\n")
    return 0


def _template_data(result: ImageInspect | PodmanImageInspect, fmt: Format) -> Any:
    """The JSON value a template runs on: for Docker, the CLI's typed value
    (what ``{{json .}}`` prints); for podman, its inspect object."""
    if fmt.kind == "docker":
        return orjson.loads(dumps([result], attrs.evolve(fmt, printer="template")).splitlines()[0])
    value = orjson.loads(dumps([result], fmt))
    return value[0] if isinstance(value, list) else value


# -- parse -----------------------------------------------------------------------


def cmd_parse(args: argparse.Namespace, streams: Streams) -> int:
    raw = _read(args.file, streams)
    doc = parse(raw, args.media_type, strict=args.strict)
    streams.write_bytes(orjson.dumps(describe(doc), option=orjson.OPT_INDENT_2) + b"\n")
    return 0


# -- history and layers --------------------------------------------------------------


def cmd_history(args: argparse.Namespace, streams: Streams) -> int:
    form = args.format.strip() or "table"  # docker: an empty format is the default table
    table_format = form.startswith("table") and form != "table"
    template = None
    if form not in ("table", "json"):
        source = form[len("table") :].strip() if table_format else form
        template = Template.parse(source.replace("\\t", "\t").replace("\\n", "\n"))
    progress = _progress(args, streams)
    try:
        with _open(args, streams, progress) as image:
            check_loadable(image, _load_format(args), "history", name=split_target(args.path)[1] or args.ref)
            rows = image.history(storage_driver=args.storage_driver)
    finally:
        progress.close()
    now = time.time()
    cells = [HtmlEscaped(history_cells(row, human=args.human, no_trunc=args.no_trunc, now=now)) for row in rows]
    if form == "table" and args.quiet:  # docker: -q only without a --format
        streams.write("".join(f"{cell['ID']}\n" for cell in cells))
    elif form == "table":
        streams.write(history_table(rows, human=args.human, no_trunc=args.no_trunc, now=now))
    elif form == "json":
        streams.write(history_json_lines(rows, human=args.human, no_trunc=args.no_trunc, now=now))
    elif table_format:  # docker's "table TEMPLATE": a header from the field names, tab-separated columns
        assert template is not None
        lines = [template.execute(HISTORY_HEADERS)] + [template.execute(cell) for cell in cells]
        streams.write(tabwriter([line.split("\t") for line in lines]))
    else:
        assert template is not None
        streams.write("".join(template.execute(cell) + "\n" for cell in cells))
    return 0


def cmd_layers(args: argparse.Namespace, streams: Streams) -> int:
    with _open(args, streams) as image:
        check_loadable(image, _load_format(args))
        table = [["#", "DIFF ID", "CHAIN ID", "BLOB", "SIZE", "CREATED BY"]]

        def cut(text: str, width: int) -> str:
            return text if args.no_trunc else ellipsis(text, width)

        for layer in image.layers:
            held = layer.index < len(image.layer_names)
            table.append(
                [
                    str(layer.index),
                    cut(str(layer.diff_id or "-"), 19),
                    cut(str(layer.chain_id or "-"), 19),
                    cut(image.layer_names[layer.index], 40) if held else "-",
                    human_size(image.layer_size(layer.index) if held else 0),
                    cut(layer.history.created_by if layer.history else "", 40),
                ]
            )
        problems = image.layers.problems
    streams.write(tabwriter(table))
    for problem in problems:
        sys.stderr.write(f"imageinspect: warning: {problem.location}: {problem.message}\n")
    return 0


# -- diff and check -------------------------------------------------------------------


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


def cmd_diff(args: argparse.Namespace, streams: Streams) -> int:
    with about("<stdin>" if args.a == "-" else args.a):
        a = _as_document(args.a, args.ref, streams)
    with about("<stdin>" if args.b == "-" else args.b):
        b = _as_document(args.b, args.ref, streams)
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
    raw = _read(args.file, streams)
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
    differences = diff_json(_json_values(again), _json_values(source))
    where = differences[0].split(":", 1)[0] if differences else "$ (whitespace or escaping only)"
    streams.write(f"differs at byte {offset}, {where}\n")
    return 1


# -- verify -------------------------------------------------------------------------


def cmd_verify(args: argparse.Namespace, streams: Streams) -> int:
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
