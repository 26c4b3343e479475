"""``docker history`` output: the columns, truncation, human sizes and ages, and
the ``json`` format, as docker/cli renders them (``formatter_history.go``,
go-units ``HumanDuration`` / ``HumanSizeWithPrecision``), laid out like Go's
``tabwriter`` with docker's settings (minimum width 10, padding 3).

>>> print(human_duration(90 * 60), human_duration(3 * 365 * 86400 + 5), sep=" | ")
2 hours | 3 years
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence

import orjson

from imageinspect.codec.gojson import escape
from imageinspect.model.inspect import human_size
from imageinspect.sources.image import HistoryEntry

__all__ = [
    "HISTORY_HEADERS",
    "ellipsis",
    "history_cells",
    "history_json_lines",
    "history_table",
    "human_duration",
    "short_id",
    "tabwriter",
]

#: ``docker history`` prints ``N/A`` for a creation time at or before this
#: (a missing ``created`` is 0).
_NOT_AVAILABLE_BEFORE = 946_684_800  # 2000-01-01T00:00:00Z


def human_duration(seconds: float) -> str:
    """An age as go-units ``HumanDuration`` words it.

    >>> [human_duration(s) for s in (0.5, 1, 59, 60, 3599, 5399, 5400, 47 * 3600, 13 * 86400, 20 * 86400)]
    ['Less than a second', '1 second', '59 seconds', 'About a minute', '59 minutes', 'About an hour', '2 hours', '47 hours', '13 days', '2 weeks']
    >>> human_duration(100 * 86400), human_duration(730 * 86400)
    ('3 months', '2 years')
    """
    whole = int(seconds)
    if whole < 1:
        return "Less than a second"
    if whole == 1:
        return "1 second"
    if whole < 60:
        return f"{whole} seconds"
    minutes = int(seconds / 60)
    if minutes == 1:
        return "About a minute"
    if minutes < 60:
        return f"{minutes} minutes"
    hours = int(seconds / 3600 + 0.5)
    if hours == 1:
        return "About an hour"
    if hours < 48:
        return f"{hours} hours"
    if hours < 24 * 7 * 2:
        return f"{hours // 24} days"
    if hours < 24 * 30 * 2:
        return f"{hours // 24 // 7} weeks"
    if hours < 24 * 365 * 2:
        return f"{hours // 24 // 30} months"
    return f"{int(seconds / 3600) // 24 // 365} years"


def ellipsis(text: str, width: int) -> str:
    """``text`` cut to ``width`` columns with a trailing ``…`` (East Asian wide
    characters count two), as docker/cli's ``formatter.Ellipsis``.

    >>> ellipsis("/bin/sh -c apt-get update && apt-get install -y curl", 20)
    '/bin/sh -c apt-get …'
    >>> ellipsis("short", 20), ellipsis("abc", 1)
    ('short', 'a')
    """
    if width <= 0:
        return ""
    if width == 1:
        return text[:1]
    if _columns(text) <= width:
        return text
    kept, used = [], 0
    for char in text:
        wide = _columns(char)
        if used + wide > width - 1:
            break
        kept.append(char)
        used += wide
    return "".join(kept) + "…"


def _columns(text: str) -> int:
    """Display columns, as the docker CLI (go-runewidth) counts them: East
    Asian wide characters 2, marks, format and control characters and line
    separators 0, ASCII and the rest 1.

    >>> _columns("abc"), _columns("日本"), _columns("a\u2028b\u0301")
    (3, 4, 2)
    """
    if text.isascii():
        return len(text)
    return sum(_width(c) for c in text)


def _width(char: str) -> int:
    import unicodedata

    if unicodedata.category(char) in ("Mn", "Me", "Cf", "Cc", "Zl", "Zp"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def tabwriter(rows: Sequence[Sequence[str]], *, minwidth: int = 10, padding: int = 3) -> str:
    """Rows laid out like Go's ``tabwriter`` with docker's settings: every
    column but the last padded to its widest cell plus ``padding`` (at least
    ``minwidth``); the last column is not padded.

    >>> print(tabwriter([["A", "BB", "C"], ["long-cell-x", "", "z"]]).replace(" ", "."))
    A..............BB.........C
    long-cell-x...............z
    <BLANKLINE>
    """
    columns = max(len(row) for row in rows)
    rows = [[*row, *([""] * (columns - len(row)))] for row in rows]  # a short line has empty cells
    widths = [max(max(_columns(row[i]) + padding, minwidth) for row in rows) for i in range(columns - 1)]
    lines = [
        "".join(cell + " " * (widths[i] - _columns(cell)) for i, cell in enumerate(row[:-1])) + row[-1] for row in rows
    ]
    return "".join(line + "\n" for line in lines)


def _unix(entry: HistoryEntry) -> int:
    return 0 if entry.created is None else entry.created.unix_nanos // 1_000_000_000


def _created_at(seconds: int) -> str:
    """``time.Unix(s, 0).Format(time.RFC3339)`` in the local time zone."""
    local = _dt.datetime.fromtimestamp(seconds, tz=_dt.timezone.utc).astimezone()
    text = local.isoformat(timespec="seconds")
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def short_id(text: str, full: bool = False) -> str:
    """An ID as ``docker`` shows it: the hex after ``sha256:``, 12 characters
    (``<missing>`` and other non-IDs as they are).

    >>> short_id("sha256:" + "ab" * 32), short_id("<missing>")
    ('abababababab', '<missing>')
    """
    if full or ":" not in text:
        return text
    return text.partition(":")[2][:12]


#: ``docker history``'s column header for each field of a ``--format`` template.
HISTORY_HEADERS = {
    "ID": "IMAGE",
    "CreatedSince": "CREATED",
    "CreatedAt": "CREATED AT",
    "CreatedBy": "CREATED BY",
    "Size": "SIZE",
    "Comment": "COMMENT",
}


def history_cells(entry: HistoryEntry, *, human: bool, no_trunc: bool, now: float) -> dict[str, str]:
    """One row's fields as docker/cli's history formatter gives them to a
    template (``ID``, ``CreatedSince``, ``CreatedAt``, ``CreatedBy``, ``Size``,
    ``Comment``)."""
    seconds = _unix(entry)
    created_at = _created_at(seconds)
    if not human:
        since = created_at
    elif seconds <= _NOT_AVAILABLE_BEFORE:
        since = "N/A"
    else:
        since = human_duration(now - seconds) + " ago"
    created_by = entry.created_by.replace("\t", " ")
    return {
        "Comment": entry.comment,
        "CreatedAt": created_at,
        "CreatedBy": created_by if no_trunc else ellipsis(created_by, 45),
        "CreatedSince": since,
        "ID": short_id(entry.id, no_trunc),
        "Size": human_size(entry.size) if human else str(entry.size),
    }


def history_table(rows: Sequence[HistoryEntry], *, human: bool = True, no_trunc: bool = False, now: float) -> str:
    """The ``docker history`` table (``--human=false`` shows ``CREATED AT``
    and sizes in bytes)."""
    header = ["IMAGE", "CREATED" if human else "CREATED AT", "CREATED BY", "SIZE", "COMMENT"]
    table = [header]
    for entry in rows:
        cells = history_cells(entry, human=human, no_trunc=no_trunc, now=now)
        table.append([cells["ID"], cells["CreatedSince"], cells["CreatedBy"], cells["Size"], cells["Comment"]])
    return tabwriter(table)


def history_json_lines(rows: Sequence[HistoryEntry], *, human: bool = True, no_trunc: bool = False, now: float) -> str:
    """``docker history --format json``: one object per row, keys sorted, every
    value a string, ``<``, ``>`` and ``&`` escaped as Go's ``json.Marshal`` does."""
    out = []
    for entry in rows:
        cells = history_cells(entry, human=human, no_trunc=no_trunc, now=now)
        line = orjson.dumps(cells, option=orjson.OPT_SORT_KEYS)
        out.append(escape(line, escape_html=True).decode() + "\n")
    return "".join(out)
