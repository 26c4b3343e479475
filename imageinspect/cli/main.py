"""The ``imageinspect`` command: its arguments, and how it reports.

Bad input prints one line to stderr, ``imageinspect: WHERE: WHAT``, where
WHERE is the file as you typed it (with the archive member or JSON path) or
the option at fault, and exits with 2; a hint line may follow when the input
suits another command. A failed check (``check``, ``verify``, ``diff`` with
differences) exits with 1. Warnings print as one ``imageinspect: warning:``
line. A closed output pipe (``| head``) ends the command quietly.
"""

from __future__ import annotations

import argparse
import io
import os
import signal
import sys
import warnings
from collections.abc import Sequence
from typing import Any

from imageinspect.codec.rules import NEWEST_DOCKER
from imageinspect.errors import AmbiguousImage, ImageInspectError

from .commands import COMMANDS, OptionError, Streams
from .hints import head_of, hint, kind_of
from .targets import split_target

__all__ = ["build_parser", "main"]

_IMAGE_HELP = (
    "a docker save tarball (plain or compressed), an OCI layout (directory or tar) or a dir: layout; "
    "ARCHIVE:REF or ARCHIVE:@N picks one image; - reads the archive from stdin"
)

_EXAMPLES = {
    "images": """examples:
  imageinspect images examples/hello.tar
  imageinspect images --format json images.tar
""",
    "inspect": """examples:
  imageinspect inspect examples/hello.tar
  imageinspect inspect -f '{{.Config.Env}}' examples/hello.tar
  imageinspect inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{println}}{{end}}' image.tar
  docker save app:1 | imageinspect inspect -
  imageinspect inspect images.tar:app:1 --docker 28.5 --store containerd
  imageinspect inspect layout/ --platform linux/arm64 --podman 5.4
  imageinspect inspect image.tar --printer api > body.json
""",
    "parse": """examples:
  imageinspect parse examples/config.json
  imageinspect parse examples/manifest-list.json
  imageinspect parse --media-type application/vnd.oci.image.index.v1+json - < index.json
""",
    "history": """examples:
  imageinspect history examples/hello.tar
  imageinspect history --human=false --no-trunc image.tar
  imageinspect history --format json image.tar
  imageinspect history --format '{{.CreatedBy}}' image.tar
""",
    "layers": "examples:\n  imageinspect layers examples/hello.tar\n  imageinspect layers --no-trunc layout/\n",
    "diff": """examples:
  imageinspect diff old.tar new.tar
  imageinspect diff images.tar:app:1 images.tar:app:2
  imageinspect diff image.tar inspect.json --ignore '$.RepoTags'
""",
    "check": "examples:\n  docker image inspect nginx > out.json && imageinspect check out.json\n",
    "verify": "examples:\n  imageinspect verify examples/hello.tar\n  imageinspect verify --ref app:1 images.tar\n",
}


def _boolean(text: str) -> bool:
    """``--human=false`` as docker takes it (Go's ``strconv.ParseBool``)."""
    if text in ("1", "t", "T", "TRUE", "true", "True"):
        return True
    if text in ("0", "f", "F", "FALSE", "false", "False"):
        return False
    raise argparse.ArgumentTypeError(f"invalid boolean {text!r} (true or false)")


def _image_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", metavar="ARCHIVE", help=_IMAGE_HELP)
    command.add_argument("--ref", help="which image of several: a tag, an image ID or a unique prefix of one, or @N")
    command.add_argument("--platform", help="which platform of a multi-platform archive (default linux/amd64)")


def _storage(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--storage-driver", default="overlay2", choices=["overlay2", "vfs"], help="the Size rule (default overlay2)"
    )


def _daemon(command: argparse.ArgumentParser) -> None:
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


def _quiet(command: argparse.ArgumentParser, what: str = "no progress on stderr") -> None:
    command.add_argument("-q", "--quiet", action="store_true", help=what)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``imageinspect`` command.

    >>> build_parser().parse_args(["inspect", "x.tar", "--docker", "20.10"]).docker
    '20.10'
    """
    from imageinspect import __version__

    parser = argparse.ArgumentParser(prog="imageinspect", description="Read container image metadata without a daemon.")
    from imageinspect.codec.accel import path_name

    parser.add_argument("--version", action="version", version=f"imageinspect {__version__} ({path_name()})")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        made = commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=_EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        made.set_defaults(run=COMMANDS[name])
        return made

    p = command("images", "list the images an archive or layout holds: @N, image ID, platform, tags")
    p.add_argument("path", metavar="ARCHIVE", help="an archive or layout, or - for stdin")
    p.add_argument("--format", default="table", choices=["table", "json"], help="table (default) or json lines")
    p.add_argument("--no-trunc", action="store_true", help="full image IDs")
    _daemon(p)
    _quiet(p, "only image IDs")

    p = command("inspect", "print what docker or podman image inspect shows for an archive or layout")
    _image_options(p)
    who = p.add_mutually_exclusive_group()
    who.add_argument(
        "--docker",
        metavar="VERSION",
        help=f"render as this Docker daemon release, e.g. 26.1.5+dfsg1 (default: {NEWEST_DOCKER}, the newest observed)",
    )
    who.add_argument("--podman", metavar="VERSION", help="render as podman VERSION after podman load")
    p.add_argument("--api", help="negotiated Engine API version (default: the daemon's newest)")
    p.add_argument(
        "--store",
        choices=["graphdriver", "containerd"],
        help="Docker's image store (default: a fresh install's: containerd from 29.0, graphdriver before)",
    )
    p.add_argument("--printer", default="cli", choices=["cli", "api", "json", "template"])
    p.add_argument("-f", "--format", metavar="TEMPLATE", help="a Go template, as docker inspect -f '{{.Config.Env}}'")
    host = p.add_argument_group("what only the host knows")
    host.add_argument("--name", help="the name the inspect request used (the containerd store's Descriptor)")
    host.add_argument("--last-tag-time", metavar="TIME", help="Metadata.LastTagTime, RFC 3339 (default: zero)")
    host.add_argument(
        "--graph-driver", metavar="JSON", help='GraphDriver as JSON, e.g. {"Name":"overlay2","Data":{...}}'
    )
    host.add_argument("--parent", default="", help="podman's Parent (from the other images in its store)")
    p.add_argument(
        "--storage-driver",
        choices=["overlay2", "vfs", "overlay"],
        help="the storage driver: Docker's Size rule (overlay2 counts symlinks, vfs not; default overlay2),"
        " podman's GraphDriver name (default overlay)",
    )
    _quiet(p)

    p = command("parse", "sniff, validate and describe a config, manifest, index or schema1 manifest, as JSON")
    p.add_argument("file", help="the document, or - to read stdin")
    p.add_argument("--media-type", help="the media type the document was served with")
    p.add_argument("--strict", action="store_true", help="refuse unknown fields")
    p.add_argument("--json", action="store_true", help=argparse.SUPPRESS)  # JSON is the only output now

    p = command("history", "show an image's history like docker history")
    _image_options(p)
    _storage(p)
    _daemon(p)
    p.add_argument(
        "-H",
        "--human",
        type=_boolean,
        nargs="?",
        const=True,
        default=True,
        metavar="BOOL",
        help="human sizes and ages (default true; --human=false prints bytes and RFC 3339 times)",
    )
    p.add_argument("--no-trunc", action="store_true", help="do not shorten IDs and commands")
    p.add_argument("--format", default="table", metavar="FORMAT", help="table (default), json, or a Go template")
    _quiet(p, "only image IDs (no progress either)")

    p = command("layers", "list layers: diff ID, chain ID, blob, size, created by")
    _image_options(p)
    _daemon(p)
    p.add_argument("--no-trunc", action="store_true", help="do not shorten digests")

    p = command("diff", "show the differences between two images or inspect documents")
    p.add_argument("a", help="an archive (ARCHIVE:REF picks one image), a layout, or inspect output")
    p.add_argument("b", help="the same kinds")
    p.add_argument("--ref", help="the image to take from each side that holds several")
    p.add_argument("--ignore", action="append", default=[], metavar="PATH", help="JSON path to ignore ($.RepoTags)")

    p = command("check", "confirm that an inspect output round-trips exactly")
    p.add_argument("file", help="docker/podman inspect output, or - for stdin")

    p = command("verify", "check every digest, size and diff ID of an archive or layout")
    _image_options(p)
    _quiet(p)
    return parser


def _input_name(args: argparse.Namespace) -> str:
    text: str = getattr(args, "file", None) or getattr(args, "path", None) or ""
    return "<stdin>" if text == "-" else text


def _where(err: ImageInspectError, given: str) -> str:
    """The location as the user knows it: an option as is; a JSON path after
    the input's name; an archive member after the archive's path as typed."""
    location = err.location
    if location.startswith("-") or location == given:
        return location
    if location.startswith("$"):
        return f"{given}: {location}" if given else location
    if location == "stdin" or location.startswith(("stdin!", "stdin/")):
        return "<stdin>" + location[len("stdin") :]
    path = split_target(given)[0].rstrip("/") if given else ""
    base = os.path.basename(path)
    if path and base and location.startswith(base) and not location.startswith(path):
        return path + location[len(base) :]
    return location


def _report(err: ImageInspectError, args: argparse.Namespace, streams: Streams) -> None:
    given = getattr(err, "input", None) or _input_name(args)
    if isinstance(err, AmbiguousImage) and err.choices:
        shown = [f"--ref {choice}" for choice in dict.fromkeys(err.choices)]
        how = "choose one: " + (
            f"{', '.join(shown[:-1])} or {shown[-1]}" if len(shown) <= 4 else f"{', '.join(shown[:3])}, ..."
        )
        if given != "<stdin>" and hint_kind(given) != "inspect output":
            how += f" (imageinspect images {split_target(given)[0]} lists them)"
        sys.stderr.write(f"imageinspect: {_where(err, given)}: {err.summary}: {how}\n")
        return
    sys.stderr.write(f"imageinspect: {_where(err, given)}: {err.message}\n")
    if isinstance(err, OptionError) or not hasattr(args, "command"):
        return
    data = streams.stdin_data if given == "<stdin>" else head_of(given)
    line = hint(args.command, "-" if given == "<stdin>" else given, data)
    if line is not None:
        sys.stderr.write(line + "\n")


def hint_kind(given: str) -> str | None:
    """What kind of input ``given`` names (see :func:`~imageinspect.cli.hints.kind_of`)."""
    return kind_of(head_of(split_target(given)[0])) if given and given != "<stdin>" else None


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    sys.stderr.write(f"imageinspect: warning: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["parse", "examples/config.json"])  # doctest: +ELLIPSIS
    {
      "kind": "config",
    ...
    0
    """
    args = build_parser().parse_args(argv)
    streams = Streams(getattr(sys.stdin, "buffer", None), sys.stdout, sys.stderr)
    if sys.stderr is None:  # closed: errors and warnings go nowhere, the work still runs
        sys.stderr = io.StringIO()
    for number in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):  # clean up on `kill`, a closed terminal
        signal.signal(number, _terminated)
    with warnings.catch_warnings():
        warnings.showwarning = _show_warning
        try:
            status: int = args.run(args, streams)
            streams.flush()
            return status
        except BrokenPipeError:
            return _closed_pipe()
        except KeyboardInterrupt:
            sys.stderr.write("\n")
            return 130  # 128 + SIGINT, as a shell reports it
        except ImageInspectError as err:
            _report(err, args, streams)
            return 2
        except OSError as err:
            where = err.filename or getattr(err, "input", None) or _input_name(args)
            sys.stderr.write(f"imageinspect: {where}: {err.strerror or err}\n")
            return 2


def _terminated(signum: int, frame: object) -> None:
    """SIGTERM: unwind (temporary copies of stdin are removed on the way)."""
    raise SystemExit(128 + signum)


def _closed_pipe() -> int:
    """The reader went away (``| head``): stop without a traceback, and keep
    Python from complaining when it flushes stdout at exit."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout closed or without a descriptor
        pass
    return 141  # 128 + SIGPIPE, what a shell reports for a writer killed by it
