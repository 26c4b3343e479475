"""``imageinspect completion SHELL``: a completion script for bash, zsh or fish."""

from __future__ import annotations

import argparse

from ..completion import SHELLS, script
from .base import Command
from .shared import Streams

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """SHELL."""
    command.add_argument("shell", metavar="SHELL", choices=SHELLS, help="bash, zsh or fish")


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the script (made from the parser: every command and option)."""
    streams.write(script(args.shell, args.parser))
    return 0


COMMAND = Command(
    name="completion",
    help="print a shell completion script (bash, zsh or fish)",
    examples="""examples:
  source <(imageinspect completion bash)         # in ~/.bashrc
  imageinspect completion zsh > "${fpath[1]}/_imageinspect"
  imageinspect completion fish > ~/.config/fish/completions/imageinspect.fish
""",
    add_arguments=add_arguments,
    run=run,
)
