"""What several commands share: the streams, option errors, the arguments
more than one command takes, and opening and reading their inputs. Bad input
raises :class:`~imageinspect.errors.ImageInspectError` for
:func:`~imageinspect.cli.main` to print."""

from __future__ import annotations

import argparse
import contextlib
import sys
from collections.abc import Callable, Iterator
from typing import BinaryIO, TextIO, TypeVar

import attrs

from imageinspect.codec.formats import Format
from imageinspect.codec.jsonread import DEFAULT_MAX_SIZE as JSON_MAX_SIZE
from imageinspect.codec.rules import NEWEST_DOCKER
from imageinspect.errors import ArchiveError, ImageInspectError, LimitExceeded
from imageinspect.model.document import Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.image import Image
from imageinspect.values.platform import Platform

from ..progress import ProgressLine
from ..targets import open_target, split_target

__all__ = [
    "IMAGE_HELP",
    "OptionError",
    "Streams",
    "about",
    "boolean",
    "daemon_arguments",
    "image_arguments",
    "load_format",
    "open_archive",
    "option",
    "progress_line",
    "quiet_argument",
    "read_bounded",
    "read_input",
    "storage_argument",
]

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
        """Text to stdout, UTF-8 encoded (a template's bytes that are no
        UTF-8, kept as lone surrogates, written as the bytes they are)."""
        self.write_bytes(text.encode("utf-8", "surrogateescape"))

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


# -- arguments several commands take ---------------------------------------------

IMAGE_HELP = (
    "a docker save tarball (plain or compressed), an OCI layout (directory or tar) or a dir: layout; "
    "ARCHIVE:REF or ARCHIVE:@N picks one image; - reads the archive from stdin"
)


def boolean(text: str) -> bool:
    """``--human=false`` as docker takes it (Go's ``strconv.ParseBool``)."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise argparse.ArgumentTypeError(f"invalid boolean {text!r} (true or false)")


def image_arguments(command: argparse.ArgumentParser, *, several: bool = False) -> None:
    """ARCHIVE (``several``: one or more, as ``paths``), --ref and --platform:
    the image a command reads."""
    if several:
        command.add_argument("paths", metavar="ARCHIVE", nargs="+", help=IMAGE_HELP + " (several: each in turn)")
    else:
        command.add_argument("path", metavar="ARCHIVE", help=IMAGE_HELP)
    command.add_argument("--ref", help="which image of several: a tag, an image ID or a unique prefix of one, or @N")
    command.add_argument("--platform", help="which platform of a multi-platform archive (default linux/amd64)")


def storage_argument(command: argparse.ArgumentParser) -> None:
    """--storage-driver, for the Size rule."""
    command.add_argument(
        "--storage-driver", default="overlay2", choices=["overlay2", "vfs"], help="the Size rule (default overlay2)"
    )


def daemon_arguments(command: argparse.ArgumentParser) -> None:
    """--docker / --store for the commands that show an image as loaded: they
    refuse an archive that daemon would refuse, as inspect does."""
    command.add_argument(
        "--docker",
        metavar="VERSION",
        help=f"refuse what this Docker release refuses to load (default: {NEWEST_DOCKER}, the newest observed)",
    )
    command.add_argument(
        "--store", choices=["graphdriver", "containerd"], help="its image store (default: a fresh install's)"
    )


def quiet_argument(command: argparse.ArgumentParser, what: str = "no progress on stderr") -> None:
    """-q / --quiet, saying ``what`` it leaves out."""
    command.add_argument("-q", "--quiet", action="store_true", help=what)


# -- options and inputs, when a command runs ---------------------------------------


def option(name: str, make: Callable[[], T]) -> T:
    """What ``make`` makes of an option's value; its error is about the
    option ``name``.

    >>> option("--platform", lambda: Platform.parse("linux/"))
    Traceback (most recent call last):
      ...
    imageinspect.cli.commands.shared.OptionError: --platform: ...
    """
    try:
        return make()
    except ImageInspectError as err:
        raise OptionError(err.message, name) from None


def _platform(args: argparse.Namespace) -> str | None:
    value: str | None = getattr(args, "platform", None)
    if value is not None:
        option("--platform", lambda: Platform.parse(value))
    return value


def load_format(args: argparse.Namespace) -> Format:
    """The daemon whose load refusals ``history``/``layers``/``images`` follow."""
    return option("--store" if args.store else "--docker", lambda: Format.docker(args.docker, store=args.store))


def progress_line(args: argparse.Namespace, streams: Streams) -> ProgressLine:
    """Progress on stderr: shown on a terminal, unless ``--quiet``."""
    quiet = getattr(args, "quiet", False)
    shown = streams.stderr is not None and streams.stderr.isatty() and not quiet
    return ProgressLine(streams.stderr or sys.stderr, enabled=shown)


def open_archive(
    args: argparse.Namespace, streams: Streams, progress: ProgressLine | None = None
) -> contextlib.AbstractContextManager[Image]:
    """The image that ARCHIVE (stdin for ``-``), ``--ref`` and ``--platform`` name."""
    stdin = streams.archive_stdin() if split_target(args.path)[0] == "-" else None
    return open_target(args.path, args.ref, _platform(args), stdin, progress)


def each_archive(args: argparse.Namespace) -> Iterator[argparse.Namespace]:
    """The arguments for each ARCHIVE of a command that takes several (stdin
    at most once); errors name the archive at fault.

    >>> [one.path for one in each_archive(argparse.Namespace(paths=["a.tar", "b.tar"]))]
    ['a.tar', 'b.tar']
    """
    paths: list[str] = args.paths
    if sum(split_target(path)[0] == "-" for path in paths) > 1:
        raise OptionError("stdin (-) can be read once", "-")
    for path in paths:
        yield argparse.Namespace(**{**vars(args), "path": path})


def stored_manifest(image: Image) -> Document[ImageManifest]:
    """The manifest the archive stores for ``image``; an archive that stores
    none (a ``docker save`` before 25) says so rather than have one made up.

    >>> from imageinspect import examples, open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     stored_manifest(image)
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: hello.tar!manifest.json: the archive stores no manifest (a docker save before Docker 25 keeps only manifest.json): a push makes one, compressed by the pusher, so its digest is the pusher's
    """
    if image.manifest is None:
        raise ArchiveError(
            "the archive stores no manifest (a docker save before Docker 25 keeps only manifest.json): "
            "a push makes one, compressed by the pusher, so its digest is the pusher's",
            image.tree.where("manifest.json"),
        )
    return image.manifest


def stored_index(image: Image) -> Document[ImageIndex]:
    """The index (or manifest list) ``image``'s manifest was found through.

    >>> from imageinspect import examples, open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     stored_index(image)
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: hello.tar: no index holds this image's manifest (a docker save before 25, or a dir:)
    """
    if image.index is None:
        raise ArchiveError(
            "no index holds this image's manifest (a docker save before 25, or a dir:)", image.tree.where()
        )
    return image.index


def read_input(path: str, streams: Streams) -> bytes:
    """A JSON input, stdin or a file, bounded as ``loads`` and ``parse`` are."""
    if path == "-":
        return streams.read_stdin()
    with open(path, "rb") as handle:
        return read_bounded(handle, JSON_MAX_SIZE, path)


def read_bounded(stream: BinaryIO, limit: int, where: str) -> bytes:
    """At most ``limit`` bytes of ``stream``; more is a :class:`LimitExceeded`
    (what was read counts, not a size looked up before).

    >>> import io
    >>> read_bounded(io.BytesIO(b"abc"), 2, "x")
    Traceback (most recent call last):
      ...
    imageinspect.errors.LimitExceeded: x: more than 2 bytes (pass a smaller input)
    """
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise LimitExceeded(f"more than {limit} bytes (pass a smaller input)", where)
    return data
