#!/usr/bin/env python3
"""Describe the byte shape of one JSON document, for PROVENANCE.md.

Usage: shape.py FILE  ->  prints one short line, e.g.
    "compact, sorted keys, HTML-escaped <>&, raw UTF-8, no trailing LF"

Only reads the file (stdlib json, to walk the key order); it never rewrites it.
Used by make-golden.sh; kept separate so the shell script stays readable.
"""

from __future__ import annotations

import json
import re
import sys


def indent_of(text: str) -> str:
    """'compact' or the indent unit of the first indented line."""
    body = text.rstrip("\n")
    if "\n" not in body:
        return "compact" if not re.search(r'[:,]\s', _strip_strings(body)) else "one line, spaced"
    for line in body.split("\n")[1:]:
        lead = line[: len(line) - len(line.lstrip(" \t"))]
        if lead:
            if set(lead) == {"\t"}:
                return "tab-indented"
            return f"{len(lead)}-space-indented"
    return "multi-line"


def _strip_strings(text: str) -> str:
    return re.sub(r'"(?:[^"\\]|\\.)*"', '""', text)


def keys_sorted(raw: bytes) -> str:
    """Bytewise key order, checked for every object; the top-level object is
    the last one the hook sees (innermost objects are decoded first)."""
    flags = []

    def hook(pairs):
        keys = [k.encode() for k, _ in pairs]
        flags.append(keys == sorted(keys))
        return dict(pairs)

    json.loads(raw, object_pairs_hook=hook)
    if not flags:
        return "no objects"
    if all(flags):
        return "all keys sorted"
    if flags[-1]:
        return "top-level keys sorted (nested objects in struct order)"
    return "keys not sorted (struct order)"


def html(text: str) -> str:
    escaped = re.search(r"\\u00(3c|3e|26)", text, re.IGNORECASE)
    literal = re.search(r"[<>&]", text)
    if escaped and literal:
        return "mixed <>& (escaped and literal)"
    if escaped:
        return "HTML-escaped <>& (\\u003c...)"
    if literal:
        return "literal <>&"
    return "no <>& present"


def non_ascii(raw: bytes, text: str) -> str:
    if any(b >= 0x80 for b in raw):
        return "raw UTF-8"
    if re.search(r"\\u(?!00(3c|3e|26))[0-9a-fA-F]{4}", text):
        return "non-ASCII \\u-escaped"
    return "ASCII only"


def main() -> None:
    raw = open(sys.argv[1], "rb").read()
    text = raw.decode("utf-8")
    parts = [
        indent_of(text),
        keys_sorted(raw),
        html(text),
        non_ascii(raw, text),
        "trailing LF" if raw.endswith(b"\n") else "no trailing LF",
        f"{len(raw)} bytes",
    ]
    print(", ".join(parts))


if __name__ == "__main__":
    main()
