"""The commands of ``imageinspect``, one module each: its ``COMMAND`` (a
:class:`~imageinspect.cli.commands.base.Command`: name, help, examples, what
it takes, its arguments and what it runs). :func:`~imageinspect.cli.build_parser`
and :func:`~imageinspect.cli.hints.hint` read :data:`ALL`; what several
commands share is in :mod:`~imageinspect.cli.commands.shared`.

A new command is a module here, its ``COMMAND`` in :data:`ALL`, and its docs.

>>> [command.name for command in ALL]
['images', 'inspect', 'config', 'manifest', 'digest', 'parse', 'history', 'layers', 'compat', 'diff', 'check', 'verify', 'completion']
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from . import check, compat, completion, config, diff, digest, history, images, inspect, layers, manifest, parse, verify
from .base import Command
from .shared import OptionError, Streams, about, read_bounded

__all__ = ["ALL", "COMMANDS", "Command", "OptionError", "Streams", "about", "read_bounded"]

#: Every command, in the order ``imageinspect --help`` lists them.
ALL: tuple[Command, ...] = (
    images.COMMAND,
    inspect.COMMAND,
    config.COMMAND,
    manifest.COMMAND,
    digest.COMMAND,
    parse.COMMAND,
    history.COMMAND,
    layers.COMMAND,
    compat.COMMAND,
    diff.COMMAND,
    check.COMMAND,
    verify.COMMAND,
    completion.COMMAND,
)

#: What each command runs, by name (made from :data:`ALL`).
COMMANDS: dict[str, Callable[[argparse.Namespace, Streams], int]] = {command.name: command.run for command in ALL}
