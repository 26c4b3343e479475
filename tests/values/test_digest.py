from __future__ import annotations

import hashlib
import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.errors import InvalidDigest
from imageinspect.values.digest import Digest, Digester

HEX64 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


def test_of_matches_hashlib() -> None:
    assert Digest.of(b"") == "sha256:" + HEX64
    assert Digest.of(b"abc", "sha512") == "sha512:" + hashlib.sha512(b"abc").hexdigest()


def test_is_a_str_and_compares_with_plain_strings() -> None:
    d = Digest("sha256:" + HEX64)
    assert isinstance(d, str)
    assert d == "sha256:" + HEX64
    assert {str(d): 1}["sha256:" + HEX64] == 1
    assert hash(d) == hash("sha256:" + HEX64)
    assert d.algorithm == "sha256"
    assert d.encoded == HEX64
    assert d.short == HEX64[:12]
    assert repr(d) == f"<Digest('sha256:{HEX64}')>"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "expected 'algorithm:hex'"),
        ("sha256", "expected 'algorithm:hex'"),
        (":" + HEX64, "expected 'algorithm:hex'"),
        ("sha256:" + HEX64.upper(), "64 lower-case hex"),
        ("sha256:" + HEX64[:-1], "64 lower-case hex"),
        ("sha256:" + HEX64 + "0", "64 lower-case hex"),
        ("sha512:" + HEX64, "128 lower-case hex"),
        ("md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm 'md5'"),
        ("SHA256:" + HEX64, "expected 'algorithm:hex'"),
        ("sha256:" + HEX64 + "\n", "expected 'algorithm:hex'"),
    ],
)
def test_invalid(text: str, fragment: str) -> None:
    with pytest.raises(InvalidDigest) as info:
        Digest(text)
    assert fragment in info.value.message
    assert info.value.location == "$"


def test_non_string() -> None:
    with pytest.raises(InvalidDigest, match="got int"):
        Digest(5)  # type: ignore[arg-type]


def test_streaming_digester_equals_one_shot() -> None:
    digester = Digester("sha512")
    for chunk in (b"a", b"", b"bc" * 1000):
        digester.update(chunk)
    assert digester.digest() == Digest.of(b"a" + b"bc" * 1000, "sha512")
    assert digester.size == 2001
    with pytest.raises(InvalidDigest):
        Digester("md5")  # type: ignore[arg-type]


def test_verify_and_pickle() -> None:
    d = Digest.of(b"data")
    assert d.verify(b"data")
    assert not d.verify(b"Data")
    assert pickle.loads(pickle.dumps(d)) == d
    assert type(pickle.loads(pickle.dumps(d))) is Digest


digests = st.one_of(
    st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: "sha256:" + h),
    st.text("0123456789abcdef", min_size=128, max_size=128).map(lambda h: "sha512:" + h),
)


@given(digests)
def test_parse_str_round_trip(text: str) -> None:
    d = Digest(text)
    assert Digest(str(d)) == d
    assert Digest.from_hex(d.encoded, d.algorithm) == d


@given(st.text(max_size=80))
def test_anything_else_is_invalid_digest_or_valid(text: str) -> None:
    try:
        Digest(text)
    except InvalidDigest as err:
        assert err.location == "$"
