"""What a command of the ``imageinspect`` command line is: its name, its help,
what it takes, its arguments and what it does. Each module of
:mod:`imageinspect.cli.commands` defines one, as ``COMMAND``."""

from __future__ import annotations

import argparse
from collections.abc import Callable

import attrs

from .shared import Streams

__all__ = ["Command"]


@attrs.frozen
class Command:
    """One command: what ``imageinspect --help`` lists, what its own
    ``--help`` shows, and what it runs.

    >>> echo = Command("echo", "say it again", "examples:\\n  imageinspect echo\\n", lambda p: None, lambda a, s: 0)
    >>> echo.description
    'Say it again.'
    """

    #: The command's name, as typed.
    name: str
    #: One line for the list of commands (its description is made of it).
    help: str
    #: The epilog of its ``--help``: ``examples:`` and one command line each.
    examples: str
    #: Adds its arguments to its parser.
    add_arguments: Callable[[argparse.ArgumentParser], None]
    #: Does the work, given its parsed arguments; returns the exit status.
    run: Callable[[argparse.Namespace, Streams], int]
    #: The kind of input it takes (see :func:`~imageinspect.cli.sniff.kind_of`),
    #: for the hint when another kind is given (``None``: a hint for every kind).
    takes: str | None = None

    @property
    def description(self) -> str:
        """The help line as a sentence: what its own ``--help`` starts with."""
        return self.help[0].upper() + self.help[1:] + "."
