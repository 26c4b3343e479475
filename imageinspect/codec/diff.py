"""Differences between two JSON values, addressed by JSON path.

>>> for line in diff_json({"Config": {"Env": ["A=1", "B=2"]}}, {"Config": {"Env": ["A=1", "B=3"]}}):
...     print(line)
$.Config.Env[1]: 'B=2' != 'B=3'
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any

from .typeinfo import key_path

__all__ = ["diff_json", "first_difference"]


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    """A JSON-path pattern: ``[*]`` is any index, ``*`` any key; a path also
    covers what is below it."""
    text = re.escape(pattern).replace(r"\[\*\]", r"\[\d+\]").replace(r"\*", r"[^.\[]*")
    return re.compile(text + r"(?:[.\[].*)?\Z")


def _ignored(path: str, ignore: Iterable[str]) -> bool:
    return any(_compile(pattern).match(path) for pattern in ignore)


def diff_json(actual: Any, expected: Any, *, ignore: Iterable[str] = (), path: str = "$") -> list[str]:
    """One line per difference, each addressed by its JSON path; paths in
    ``ignore`` (``[*]`` matches any index and ``*`` any key, as in
    ``$.History[*].created``) are skipped.

    >>> diff_json({"a": 1, "b": [1]}, {"a": 2, "c": None}, ignore=["$.a"])
    ['$.b: unexpected (absent in expected)', '$.c: missing (expected None)']
    """
    ignore = tuple(ignore)
    if _ignored(path, ignore):
        return []
    if isinstance(actual, dict) and isinstance(expected, dict):
        out = []
        for key in list(actual) + [k for k in expected if k not in actual]:
            step = path + key_path(key)[1:]
            if _ignored(step, ignore):
                continue
            if key not in expected:
                out.append(f"{step}: unexpected (absent in expected)")
            elif key not in actual:
                out.append(f"{step}: missing (expected {expected[key]!r})")
            else:
                out += diff_json(actual[key], expected[key], ignore=ignore, path=step)
        return out
    if isinstance(actual, list) and isinstance(expected, list):
        out = []
        for index in range(max(len(actual), len(expected))):
            step = f"{path}[{index}]"
            if _ignored(step, ignore):
                continue
            if index >= len(expected):
                out.append(f"{step}: unexpected {actual[index]!r}")
            elif index >= len(actual):
                out.append(f"{step}: missing (expected {expected[index]!r})")
            else:
                out += diff_json(actual[index], expected[index], ignore=ignore, path=step)
        return out
    if actual != expected or type(actual) is not type(expected):
        return [f"{path}: {actual!r} != {expected!r}"]
    return []


def first_difference(a: bytes, b: bytes) -> int | None:
    """The offset of the first byte where ``a`` and ``b`` differ (``None``
    when equal).

    >>> first_difference(b"abc", b"abd"), first_difference(b"ab", b"ab")
    (2, None)
    """
    if a == b:
        return None
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))
