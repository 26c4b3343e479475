"""The Go release whose ``text/template`` a template is parsed and run as:
what a template may say, and a few of the words of its errors, depend on it.
A program built with Go 1.19 (Debian's docker.io 20.10 CLI) cannot parse
``{{else with}}``, one built with Go 1.27 (Docker's 28.5 and 29 CLIs) can.

Each release below is where Go's ``src/text/template`` changed (its
``doc.go``, ``parse/parse.go``, ``exec.go`` and ``funcs.go``, and the Go issue
named); the CLI oracle (``tests/data/golden/cli``) shows the change between
the Go 1.19 and Go 1.27 CLIs for each one (the releases in between are
the Go issues' word, not the oracle's).

>>> go_release("go1.19.8"), go_release("1.27"), go_release(LATEST_GO) >= ELSE_WITH
((1, 19), (1, 27), True)
"""

from __future__ import annotations

import re
from typing import Final

from .errors import error

__all__ = [
    "BREAK_CONTINUE",
    "COMPARISON_TYPES",
    "ELSE_WITH",
    "JSON_RAW_REPLACEMENT",
    "LATEST_GO",
    "RANGE_ASSIGN",
    "RANGE_INT",
    "SHORT_CIRCUIT",
    "GoRelease",
    "go_release",
]

#: A Go release, as ``(major, minor)``.
GoRelease = tuple[int, int]

#: The Go release templates run as when nobody says (the newest one the
#: engine knows: Docker's 28.5 and 29.7 CLIs were built with Go 1.27).
LATEST_GO: Final = "1.27"

#: ``{{break}}`` and ``{{continue}}`` in a ``range`` (Go 1.18).
BREAK_CONTINUE: Final[GoRelease] = (1, 18)
#: ``and`` and ``or`` evaluate their arguments only until one decides (Go 1.18).
SHORT_CIRCUIT: Final[GoRelease] = (1, 18)
#: ``{{range $i = PIPELINE}}`` (``=``, not ``:=``) sets ``$i`` itself to each
#: element, and ``$k, $v =`` both; before, each element went to the variable
#: declared last (golang/go#56490, #60801, of 2022 and 2023: Go 1.22).
RANGE_ASSIGN: Final[GoRelease] = (1, 22)
#: ``{{range}}`` over an integer ``n``: 0 to n-1 (golang/go#66107; the
#: range-over-int code of ``exec.go`` was new in the Go 1.24 development
#: cycle, golang/go#69708).
RANGE_INT: Final[GoRelease] = (1, 24)
#: ``{{with A}}...{{else with B}}...{{end}}`` (Go 1.23).
ELSE_WITH: Final[GoRelease] = (1, 23)
#: ``encoding/json`` writes a byte that is no UTF-8 as the character U+FFFD,
#: where before it wrote the escape ``\ufffd`` (the CLI oracle: Go 1.19
#: escapes, Go 1.27 does not; the releases in between are not observed, and
#: 1.27 is where the rule starts until one is).
JSON_RAW_REPLACEMENT: Final[GoRelease] = (1, 27)
#: "incompatible types for comparison" names the two types (golang/go#71421,
#: reported against Go 1.23.5 in January 2025, so Go 1.25).
COMPARISON_TYPES: Final[GoRelease] = (1, 25)

_RELEASE = re.compile(r"(?:go)?(\d+)\.(\d+)(?:\.\d+)?")


def go_release(text: str) -> GoRelease:
    """A Go release from ``1.19``, ``1.19.8`` or ``go1.19.8``.

    >>> go_release("go1.27.3")
    (1, 27)
    >>> go_release("1")
    Traceback (most recent call last):
      ...
    imageinspect.gotemplate.errors.TemplateError: --format: not a Go release: '1'
    """
    match = _RELEASE.fullmatch(text.strip())
    if match is None:
        raise error(f"not a Go release: {text!r}")
    return int(match.group(1)), int(match.group(2))
