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

from imageinspect.errors import AmbiguousImage, ImageInspectError

from .commands import ALL, OptionError, Streams
from .hints import hint
from .sniff import head_of, kind_of
from .targets import split_target

__all__ = ["build_parser", "main"]


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

    for spec in ALL:
        made = commands.add_parser(
            spec.name,
            help=spec.help,
            description=spec.description,
            epilog=spec.examples,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        made.set_defaults(run=spec.run, parser=parser)  # a command may describe the whole line (completion)
        spec.add_arguments(made)
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
    """What kind of input ``given`` names (see :func:`~imageinspect.cli.sniff.kind_of`)."""
    return kind_of(head_of(split_target(given)[0])) if given and given != "<stdin>" else None


def _show_warning(message: Warning | str, category: type[Warning], *_: Any, **__: Any) -> None:
    sys.stderr.write(f"imageinspect: warning: {message}\n")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> from imageinspect import examples
    >>> main(["parse", str(examples.path("config.json"))])  # doctest: +ELLIPSIS
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
