"""Timestamps with nanosecond precision and their original UTC offset.

Docker and Podman print times with Go's ``time.RFC3339Nano`` layout: up to nine
fraction digits with trailing zeros trimmed, ``Z`` for UTC, ``±hh:mm`` otherwise,
and the offset of the source kept. :class:`Timestamp` reads and writes exactly
that text, which Python's :mod:`datetime` cannot (it stops at microseconds).

>>> t = Timestamp.parse("2020-07-12T14:30:51.292488962-05:00")
>>> str(t)
'2020-07-12T14:30:51.292488962-05:00'
>>> t.nanosecond, t.utc_offset
(292488962, -18000)
>>> t == Timestamp.parse("2020-07-12T19:30:51.292488962Z")
True
"""

from __future__ import annotations

import datetime as _dt
import re
from functools import total_ordering
from typing import Final

from imageinspect.errors import InvalidTimestamp

__all__ = ["Timestamp"]

_NS: Final = 1_000_000_000
_DAY_NS: Final = 86_400 * _NS
# Days from 0001-01-01 to 1970-01-01 in the proleptic Gregorian calendar.
_EPOCH_DAYS: Final = 719_162
# RFC 3339 (and Go's MarshalJSON) only write years 0000-9999.
_MIN_LOCAL: Final = -719_528 * 86_400 * 1_000_000_000
_MAX_LOCAL: Final = 2_932_897 * 86_400 * 1_000_000_000 - 1

_RFC3339 = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))\Z", re.ASCII
)
_MONTH_DAYS: Final = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)
# Parsed timestamps by text (they are immutable, and the same texts recur:
# Go's zero time, shared build times). Bounded; cleared when full.
_CACHE: dict[str, Timestamp] = {}


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def _days_from_civil(year: int, month: int, day: int) -> int:
    """Days since 1970-01-01 (Howard Hinnant's algorithm, any year)."""
    year -= month <= 2
    era = year // 400
    yoe = year - era * 400
    doy = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146_097 + doe - 719_468


def _civil_from_days(days: int) -> tuple[int, int, int]:
    days += 719_468
    era = days // 146_097
    doe = days - era * 146_097
    yoe = (doe - doe // 1460 + doe // 36_524 - doe // 146_096) // 365
    year = yoe + era * 400
    doy = doe - (365 * yoe + yoe // 4 - yoe // 100)
    mp = (5 * doy + 2) // 153
    day = doy - (153 * mp + 2) // 5 + 1
    month = mp + (3 if mp < 10 else -9)
    return year + (month <= 2), month, day


@total_ordering
class Timestamp:
    """An instant with nanosecond precision plus the UTC offset it was written in.

    Equality, hashing and ordering use the instant only; the offset matters for
    :func:`str` alone (Go keeps it when it re-prints a time).

    >>> Timestamp.parse("2021-06-15T12:34:56.1+02:00") < Timestamp.parse("2021-06-15T11:00:00Z")
    True
    >>> Timestamp(0)
    <Timestamp('1970-01-01T00:00:00Z')>
    """

    __slots__ = ("_ns", "_offset", "_str", "_text")

    _ns: int
    _offset: int
    _text: str | None
    _str: str | None

    def __init__(self, unix_nanos: int, utc_offset: int = 0) -> None:
        """``unix_nanos`` since 1970-01-01T00:00:00Z; ``utc_offset`` in seconds
        east of UTC (whole minutes, less than 24 hours)."""
        if type(unix_nanos) is not int or type(utc_offset) is not int:
            raise InvalidTimestamp("a timestamp needs integer nanoseconds and an integer offset")
        if utc_offset % 60 or not -86_400 < utc_offset < 86_400:
            raise InvalidTimestamp(f"invalid UTC offset {utc_offset}s: need whole minutes under 24 hours")
        if not _MIN_LOCAL <= unix_nanos + utc_offset * _NS <= _MAX_LOCAL:
            raise InvalidTimestamp("year outside of range [0,9999]")
        object.__setattr__(self, "_ns", unix_nanos)
        object.__setattr__(self, "_offset", utc_offset)
        object.__setattr__(self, "_text", None)
        object.__setattr__(self, "_str", None)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("Timestamp is immutable")

    @classmethod
    def parse(cls, text: str) -> Timestamp:
        """Parse RFC 3339 text the way Go's ``time.Time`` JSON decoding does.

        >>> Timestamp.parse("2015-10-31T22:22:56.015925234Z").nanosecond
        15925234
        >>> Timestamp.parse("2015-02-30T00:00:00Z")
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidTimestamp: $: invalid timestamp '2015-02-30T00:00:00Z': day out of range
        """
        if type(text) is str:
            found = _CACHE.get(text)
            if found is not None:
                return found
        result = cls._parse(text)
        if len(_CACHE) >= 4096:
            _CACHE.clear()
        _CACHE[text] = result
        return result

    @classmethod
    def _parse(cls, text: str) -> Timestamp:
        """Uncached :meth:`parse`."""
        if not isinstance(text, str):
            raise InvalidTimestamp(f"expected an RFC 3339 timestamp string, got {type(text).__name__}")
        match = _RFC3339.match(text)
        if match is None:
            raise InvalidTimestamp(
                f"invalid timestamp {_shown(text)!r}: expected RFC 3339 like 2006-01-02T15:04:05.999999999Z07:00"
            )
        y, mo, d, h, mi, s, frac, z, sign, oh, om = match.groups()
        year, month, day = int(y), int(mo), int(d)
        hour, minute, second = int(h), int(mi), int(s)
        offset = 0
        if z is None:
            offset = (int(oh) * 3600 + int(om) * 60) * (-1 if sign == "-" else 1)
        problem = _problem(year, month, day, hour, minute, second, None if z is not None else (int(oh), int(om)))
        if problem is not None:
            raise InvalidTimestamp(f"invalid timestamp {_shown(text)!r}: {problem}")
        nanos = int((frac + "00000000")[:9]) if frac else 0
        local = _days_from_civil(year, month, day) * _DAY_NS + (hour * 3600 + minute * 60 + second) * _NS
        # in range by construction (four-digit years, offsets under 24 h):
        # filled without __init__'s checks
        result: Timestamp = object.__new__(cls)
        _SET_NS(result, local + nanos - offset * _NS)
        _SET_OFFSET(result, offset)
        _SET_STR(result, None)
        if (frac is not None and (frac.endswith("0") or len(frac) > 9)) or (z is None and offset == 0):
            # Not Go's own spelling (trailing zeros, >9 digits, "+00:00"): keep it.
            _SET_TEXT(result, text)
        else:
            _SET_TEXT(result, None)
        return result

    @classmethod
    def zero(cls) -> Timestamp:
        """Go's zero ``time.Time``, which Docker prints for a missing time.

        >>> str(Timestamp.zero()), Timestamp.zero().is_zero
        ('0001-01-01T00:00:00Z', True)
        """
        return cls(-_EPOCH_DAYS * _DAY_NS)

    @classmethod
    def from_datetime(cls, value: _dt.datetime) -> Timestamp:
        """From an aware :class:`datetime.datetime` (a naive one is taken as UTC).

        >>> Timestamp.from_datetime(_dt.datetime(2024, 5, 1, 12, 0, tzinfo=_dt.timezone.utc))
        <Timestamp('2024-05-01T12:00:00Z')>
        """
        offset_td = value.utcoffset() or _dt.timedelta(0)
        offset = int(offset_td.total_seconds())
        days = _days_from_civil(value.year, value.month, value.day)
        secs = value.hour * 3600 + value.minute * 60 + value.second - offset
        return cls(days * _DAY_NS + secs * _NS + value.microsecond * 1000, offset)

    @property
    def unix_nanos(self) -> int:
        """Nanoseconds since the Unix epoch.

        >>> Timestamp.parse("1970-01-01T00:00:01.5Z").unix_nanos
        1500000000
        """
        return self._ns

    @property
    def utc_offset(self) -> int:
        """The offset of the original text, in seconds east of UTC.

        >>> Timestamp.parse("2024-01-01T00:00:00+05:30").utc_offset
        19800
        """
        return self._offset

    @property
    def nanosecond(self) -> int:
        """The fraction of the second, in nanoseconds.

        >>> Timestamp.parse("2024-01-01T00:00:00.000000001Z").nanosecond
        1
        """
        return self._ns % _NS

    @property
    def text(self) -> str:
        """The text this timestamp was parsed from. It differs from
        :func:`str` (Go's RFC3339Nano) only for spellings Go does not write,
        such as trailing fraction zeros or ``+00:00``; documents are written
        back with it, so they round-trip exactly.

        >>> t = Timestamp.parse("2024-01-01T00:00:00.500+00:00")
        >>> t.text, str(t)
        ('2024-01-01T00:00:00.500+00:00', '2024-01-01T00:00:00.5Z')
        """
        return self._text if self._text is not None else str(self)

    @property
    def is_zero(self) -> bool:
        """True for Go's zero time ``0001-01-01T00:00:00Z``.

        >>> Timestamp(0).is_zero
        False
        """
        return self._ns == -_EPOCH_DAYS * _DAY_NS

    def with_offset(self, utc_offset: int) -> Timestamp:
        """The same instant written in another offset (seconds east of UTC).

        >>> str(Timestamp.parse("2024-01-01T00:00:00Z").with_offset(-5 * 3600))
        '2023-12-31T19:00:00-05:00'
        """
        return Timestamp(self._ns, utc_offset)

    def to_datetime(self) -> _dt.datetime:
        """An aware :class:`datetime.datetime`. **Lossy**: nanoseconds are
        truncated to microseconds, and year 0 cannot be represented.

        >>> Timestamp.parse("2024-05-01T12:34:56.123456789+02:00").to_datetime()
        datetime.datetime(2024, 5, 1, 12, 34, 56, 123456, tzinfo=datetime.timezone(datetime.timedelta(seconds=7200)))
        """
        local = self._ns + self._offset * _NS
        days, rest = divmod(local, _DAY_NS)
        year, month, day = _civil_from_days(days)
        if not 1 <= year <= 9999:
            raise InvalidTimestamp(f"{self} cannot be represented as a datetime")
        secs, nanos = divmod(rest, _NS)
        tz = _dt.timezone(_dt.timedelta(seconds=self._offset))
        return _dt.datetime(year, month, day, secs // 3600, secs // 60 % 60, secs % 60, nanos // 1000, tz)

    def __str__(self) -> str:
        if self._str is not None:
            return self._str
        text = self._format()
        object.__setattr__(self, "_str", text)
        return text

    def _format(self) -> str:
        local = self._ns + self._offset * _NS
        days, rest = divmod(local, _DAY_NS)
        year, month, day = _civil_from_days(days)
        secs, nanos = divmod(rest, _NS)
        text = f"{year:04d}-{month:02d}-{day:02d}T{secs // 3600:02d}:{secs // 60 % 60:02d}:{secs % 60:02d}"
        if nanos:
            text += "." + f"{nanos:09d}".rstrip("0")
        if self._offset == 0:
            return text + "Z"
        sign = "-" if self._offset < 0 else "+"
        minutes = abs(self._offset) // 60
        return f"{text}{sign}{minutes // 60:02d}:{minutes % 60:02d}"

    def __repr__(self) -> str:
        return f"<Timestamp({str(self)!r})>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Timestamp):
            return self._ns == other._ns
        return NotImplemented

    def __lt__(self, other: Timestamp) -> bool:
        if isinstance(other, Timestamp):
            return self._ns < other._ns
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self._ns)

    def __reduce__(self) -> tuple[object, tuple[int, int, str | None]]:
        return (_restore, (self._ns, self._offset, self._text))


def _restore(unix_nanos: int, utc_offset: int, text: str | None) -> Timestamp:
    result = Timestamp(unix_nanos, utc_offset)
    object.__setattr__(result, "_text", text)
    return result


_SET_NS: Final = vars(Timestamp)["_ns"].__set__  # the slot descriptors
_SET_OFFSET: Final = vars(Timestamp)["_offset"].__set__  # the slot descriptors
_SET_TEXT: Final = vars(Timestamp)["_text"].__set__  # the slot descriptors
_SET_STR: Final = vars(Timestamp)["_str"].__set__  # the slot descriptors


def _shown(text: str) -> str:
    return text if len(text) <= 48 else text[:45] + "…"


def _problem(
    year: int, month: int, day: int, hour: int, minute: int, second: int, offset: tuple[int, int] | None
) -> str | None:
    """Which part of a well-formed timestamp is out of range, if any
    (``offset``: the hours and minutes of a numeric zone)."""
    if not 1 <= month <= 12:
        return "month out of range"
    if not 1 <= day <= (29 if month == 2 and _is_leap(year) else _MONTH_DAYS[month - 1]):
        return "day out of range"
    if hour > 23:
        return "hour out of range"
    if minute > 59:
        return "minute out of range"
    if second > 59:
        return "second out of range"
    if offset is not None and (offset[0] > 23 or offset[1] > 59):
        return "time zone offset out of range"
    return None
