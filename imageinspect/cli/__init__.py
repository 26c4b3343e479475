"""The ``imageinspect`` command line (argparse only; the work is the library's).

Modules: :mod:`~imageinspect.cli.main` (arguments, error reporting),
:mod:`~imageinspect.cli.commands` (one module per command, and their list),
:mod:`~imageinspect.cli.targets` (``ARCHIVE:REF``, ``@N``, stdin),
:mod:`~imageinspect.cli.govalues` (what ``-f`` templates run on: Docker's and podman's Go types, made from the models),
:mod:`~imageinspect.cli.completion` (shell completion and the man page, made from the parser),
:mod:`~imageinspect.cli.history` (``docker history`` columns),
:mod:`~imageinspect.cli.progress` (progress on stderr),
:mod:`~imageinspect.cli.sniff` (what kind an input is) and
:mod:`~imageinspect.cli.hints` (which command an input suits).
"""

from __future__ import annotations

from .main import build_parser, main
from .summary import describe

__all__ = ["build_parser", "describe", "main"]
