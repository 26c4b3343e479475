from __future__ import annotations

import datetime as dt
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.errors import InvalidTimestamp
from imageinspect.values.timestamp import Timestamp


@pytest.mark.parametrize(
    "text",
    [
        "2020-07-12T14:30:51.292488962-05:00",
        "2021-06-15T12:34:56.1+02:00",
        "0001-01-01T00:00:00Z",
        "1970-01-01T00:00:00Z",
        "2024-02-29T23:59:59.999999999Z",
        "2019-01-01T01:02:03.5102921Z",
        "2016-09-23T18:08:51.133779867+05:30",
        "9999-12-31T23:59:59Z",
        "0000-01-01T00:00:00Z",
    ],
)
def test_go_text_round_trips(text: str) -> None:
    ts = Timestamp.parse(text)
    assert str(ts) == text
    assert ts.text == text


@pytest.mark.parametrize(
    ("text", "go"),
    [
        ("2024-01-01T00:00:00.000Z", "2024-01-01T00:00:00Z"),
        ("2024-01-01T00:00:00.120+00:00", "2024-01-01T00:00:00.12Z"),
        ("2024-01-01T00:00:00-00:00", "2024-01-01T00:00:00Z"),
        ("2024-01-01T00:00:00.1234567891234Z", "2024-01-01T00:00:00.123456789Z"),
    ],
)
def test_non_go_spellings_print_as_go_but_keep_their_text(text: str, go: str) -> None:
    ts = Timestamp.parse(text)
    assert str(ts) == go
    assert ts.text == text
    assert Timestamp.parse(go) == ts or text.endswith("1234Z")


def test_compares_by_instant_and_keeps_offset() -> None:
    a = Timestamp.parse("2024-01-01T05:30:00+05:30")
    b = Timestamp.parse("2024-01-01T00:00:00Z")
    assert a == b
    assert hash(a) == hash(b)
    assert str(a) != str(b)
    assert Timestamp.parse("2024-01-01T00:00:00.000000001Z") > b
    assert sorted([a, Timestamp.zero()]) == [Timestamp.zero(), a]


def test_zero_time() -> None:
    zero = Timestamp.zero()
    assert str(zero) == "0001-01-01T00:00:00Z"
    assert zero.is_zero
    assert Timestamp.parse("0001-01-01T00:00:00Z").is_zero
    assert zero.to_datetime() == dt.datetime(1, 1, 1, tzinfo=dt.timezone.utc)


def test_to_datetime_is_lossy_but_correct() -> None:
    ts = Timestamp.parse("2024-05-01T12:34:56.123456789-07:00")
    value = ts.to_datetime()
    assert value.microsecond == 123456
    assert value.utcoffset() == dt.timedelta(hours=-7)
    assert Timestamp.from_datetime(value) < ts
    with pytest.raises(InvalidTimestamp, match="cannot be represented"):
        Timestamp.parse("0000-06-01T00:00:00Z").to_datetime()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("2024-13-01T00:00:00Z", "month out of range"),
        ("2024-00-01T00:00:00Z", "month out of range"),
        ("2023-02-29T00:00:00Z", "day out of range"),
        ("1900-02-29T00:00:00Z", "day out of range"),
        ("2024-04-31T00:00:00Z", "day out of range"),
        ("2024-01-01T24:00:00Z", "hour out of range"),
        ("2024-01-01T00:60:00Z", "minute out of range"),
        ("2024-01-01T00:00:60Z", "second out of range"),
        ("2024-01-01T00:00:00+24:00", "time zone offset out of range"),
        ("2024-01-01T00:00:00+01:60", "time zone offset out of range"),
        ("2024-01-01 00:00:00Z", "expected RFC 3339"),
        ("2024-01-01T00:00:00", "expected RFC 3339"),
        ("2024-01-01t00:00:00z", "expected RFC 3339"),
        ("2024-01-01T00:00:00.Z", "expected RFC 3339"),
        ("24-01-01T00:00:00Z", "expected RFC 3339"),
        ("", "expected RFC 3339"),
    ],
)
def test_invalid(text: str, problem: str) -> None:
    with pytest.raises(InvalidTimestamp) as info:
        Timestamp.parse(text)
    assert problem in info.value.message
    assert info.value.location == "$"


def test_constructor_checks() -> None:
    with pytest.raises(InvalidTimestamp):
        Timestamp(0, 30)
    with pytest.raises(InvalidTimestamp):
        Timestamp(0, 86_400)
    with pytest.raises(InvalidTimestamp):
        Timestamp.parse(123)  # type: ignore[arg-type]
    with pytest.raises(AttributeError):
        Timestamp(0).x = 1


def test_pickle_keeps_text() -> None:
    ts = Timestamp.parse("2024-01-01T00:00:00.10+00:00")
    again = pickle.loads(pickle.dumps(ts))
    assert again == ts
    assert again.text == ts.text


timestamps = st.builds(
    Timestamp,
    st.integers(min_value=-62135596800 * 10**9 + 86_400 * 10**9, max_value=253402300799 * 10**9 - 86_400 * 10**9),
    st.integers(min_value=-23 * 60, max_value=23 * 60).map(lambda m: m * 60),
)


@given(timestamps)
def test_parse_str_round_trip(ts: Timestamp) -> None:
    again = Timestamp.parse(str(ts))
    assert again == ts
    assert again.utc_offset == ts.utc_offset
    assert str(again) == str(ts)


fixed_zones = st.integers(-23 * 60 - 59, 23 * 60 + 59).map(lambda m: dt.timezone(dt.timedelta(minutes=m)))


@given(st.datetimes(min_value=dt.datetime(2, 1, 1), max_value=dt.datetime(9998, 12, 31), timezones=fixed_zones))
def test_datetime_round_trip(value: dt.datetime) -> None:
    ts = Timestamp.from_datetime(value)
    assert ts.utc_offset == value.utcoffset().total_seconds()  # type: ignore[union-attr]
    assert ts.to_datetime() == value


def test_years_outside_rfc3339_are_refused() -> None:
    with pytest.raises(InvalidTimestamp, match=r"year outside of range \[0,9999\]"):
        Timestamp.parse("9999-12-31T23:59:59Z").with_offset(3600)
    with pytest.raises(InvalidTimestamp, match="year outside"):
        Timestamp.parse("0000-01-01T00:00:00Z").with_offset(-60)
