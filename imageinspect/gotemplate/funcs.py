"""The functions templates call: Go's builtins (``and``, ``or``, ``not``,
``eq``, ``ne``, ``index``, ``len``, ``print``, ``printf``, ``println``) and
Docker's (``json``, ``join``, ``split``, ``upper``, ``lower``, ``title``,
``truncate``, ``pad``).

>>> FUNCTIONS["join"](["a", "b"], ","), FUNCTIONS["index"]({"a": ["x"]}, "a", 0), truth([])
('a,b', 'x', False)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import orjson

from imageinspect.codec.gojson import escape

from .errors import error
from .gofmt import NO_VALUE, GoKinds, Value, go_text, kind_name, sprint, sprintf, sprintln

__all__ = ["FUNCTIONS", "PRINTERS", "HtmlEscaped", "truth"]


class HtmlEscaped(dict[str, Any]):
    """A row whose Go type marshals itself with ``json.Marshal`` (HTML
    characters escaped), as docker history's rows do: ``{{json .}}`` of it is
    the same bytes as ``--format json``."""


def truth(value: Any) -> bool:
    """Go's truth of a value in ``if``, ``and``, ``or`` and ``not``: not the
    zero value, nor empty.

    >>> truth(0), truth(""), truth({}), truth(None), truth(NO_VALUE), truth("0"), truth([0])
    (False, False, False, False, False, True, True)
    """
    return not (value is None or value is NO_VALUE or value is False or value == 0 or value in ("", [], {}))


def _json(value: Any) -> str:
    if isinstance(value, HtmlEscaped):
        return escape(orjson.dumps(value, option=orjson.OPT_SORT_KEYS), escape_html=True).decode()
    return escape(orjson.dumps(None if value is NO_VALUE else value)).decode()


def _join(items: Any, separator: str) -> str:
    if items is None:
        return ""
    if isinstance(items, dict):
        return separator.join(sorted(go_text(v) for v in items.values()))
    if isinstance(items, list):
        return separator.join(go_text(item) for item in items)
    raise error(f"join: expected a list, got {kind_name(items)}")


def _index(items: Any, *keys: Any) -> Any:
    for key in keys:
        if items is None:  # a nil map: the zero value
            return ""
        if isinstance(items, dict):
            if not isinstance(key, str):
                raise error(f"index: a map's keys are strings, got {kind_name(key)}")
            # a missing key gives the zero value of the map's values ("" for Labels)
            strings = all(isinstance(v, str) for v in items.values())
            items = items.get(key, "" if strings else None)
        elif isinstance(items, list) and isinstance(key, int):
            if not 0 <= key < len(items):
                raise error(f"index: {key} out of range (length {len(items)})")
            items = items[key]
        else:
            raise error(f"index: cannot index a {kind_name(items)} with {key!r}")
    return items


def _length(items: Any) -> int:
    if items is None:
        return 0
    if isinstance(items, list | dict | str):
        return len(items)
    raise error(f"len: a {kind_name(items)} has no length")


def _title(text: str) -> str:
    return re.sub(r"(?:^|(?<=[^\w]))(\w)", lambda m: m.group(1).upper(), text)


def _truncate(text: str, length: int) -> str:
    if not isinstance(text, str) or length < 0:
        raise TypeError("truncate")
    return text[:length] if len(text) >= length else text


def _pad(text: str, before: int, after: int) -> str:
    if not isinstance(text, str) or before < 0 or after < 0:
        raise TypeError("pad")
    return " " * before + text + " " * after if text else text


def _split(text: str, separator: str) -> list[str]:
    return list(text) if separator == "" else text.split(separator)


def _printf(kinds: GoKinds, form: Value, *values: Value) -> str:
    if not isinstance(form.value, str):
        raise TypeError("printf")
    return sprintf(kinds, form.value, *values)


def _equal(first: Any, *others: Any) -> bool:
    return any(first == other for other in others)


def _and(first: Any, *values: Any) -> Any:
    values = (first, *values)
    for value in values:
        if not truth(value):
            return value
    return values[-1]


def _or(first: Any, *values: Any) -> Any:
    values = (first, *values)
    for value in values:
        if truth(value):
            return value
    return values[-1]


#: Functions that take the field types (:class:`~imageinspect.gotemplate.gofmt.GoKinds`)
#: and their operands as :class:`~imageinspect.gotemplate.gofmt.Value` s (with
#: their keys, to print them as Go would); the others take the bare values.
PRINTERS = frozenset({"print", "printf", "println"})

#: Every function, by name: a wrong number or kind of arguments raises
#: ``TypeError``, ``ValueError``, ... (the caller names the function).
FUNCTIONS: dict[str, Callable[..., Any]] = {
    "json": _json,
    "join": _join,
    "split": _split,
    "printf": _printf,
    "eq": _equal,
    "ne": lambda first, second: first != second,
    "not": lambda value: not truth(value),
    "and": _and,
    "or": _or,
    "index": _index,
    "len": _length,
    "upper": lambda text: text.upper(),
    "lower": lambda text: text.lower(),
    "title": _title,
    "truncate": _truncate,
    "pad": _pad,
    "print": sprint,
    "println": sprintln,
}
