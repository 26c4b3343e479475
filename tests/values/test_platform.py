"""Tests for imageinspect.values.platform.

Most vectors are containerd's (github.com/containerd/platforms: platforms_test.go,
compare_test.go, defaults_windows_test.go, defaults_test.go,
platform_windows_compat_test.go, platforms_windows_test.go), restated for this API.
Where containerd fills a gap from the host, these tests expect linux and amd64.
"""

from __future__ import annotations

import ast
import pickle
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.errors import ImageInspectError, InvalidPlatform
from imageinspect.values.platform import Platform, PlatformMatcher


def P(text: str) -> Platform:
    return Platform.parse(text)


# ---------------------------------------------------------------------------
# Normalisation (database.go normalizeArch / normalizeOS)

NORMALIZE_ARCH = [
    # (architecture, variant) -> (architecture, variant)
    (("i386", ""), ("386", "")),
    (("i386", "v7"), ("386", "")),
    (("386", ""), ("386", "")),
    (("x86_64", ""), ("amd64", "")),
    (("x86-64", ""), ("amd64", "")),
    (("X86_64", "V1"), ("amd64", "")),
    (("amd64", "v1"), ("amd64", "")),
    (("amd64", "v2"), ("amd64", "v2")),
    (("amd64", "V3"), ("amd64", "v3")),
    (("aarch64", ""), ("arm64", "")),
    (("Aarch64", ""), ("arm64", "")),
    (("aarch64", "v8"), ("arm64", "")),
    (("arm64", "8"), ("arm64", "")),
    (("arm64", "v8"), ("arm64", "")),
    (("arm64", "v8.0"), ("arm64", "")),
    (("arm64", "v8.2"), ("arm64", "v8.2")),
    (("arm64", "9"), ("arm64", "v9")),
    (("arm64", "9.0"), ("arm64", "v9")),
    (("arm64", "v9.0"), ("arm64", "v9")),
    (("arm64", "v9"), ("arm64", "v9")),
    (("arm64", "v9.3"), ("arm64", "v9.3")),
    (("armhf", ""), ("arm", "v7")),
    (("armhf", "v6"), ("arm", "v7")),
    (("armel", ""), ("arm", "v6")),
    (("armel", "v7"), ("arm", "v6")),
    (("arm", ""), ("arm", "v7")),
    (("arm", "7"), ("arm", "v7")),
    (("arm", "v7"), ("arm", "v7")),
    (("arm", "5"), ("arm", "v5")),
    (("arm", "6"), ("arm", "v6")),
    (("arm", "8"), ("arm", "v8")),
    (("arm", "4"), ("arm", "4")),
    (("ARM", "V6"), ("arm", "v6")),
    (("s390x", ""), ("s390x", "")),
    (("RISCV64", ""), ("riscv64", "")),
    (("ppc64le", "Power9"), ("ppc64le", "power9")),
]


@pytest.mark.parametrize(("given_", "expected"), NORMALIZE_ARCH)
def test_normalize_architecture(given_: tuple[str, str], expected: tuple[str, str]) -> None:
    normalized = Platform("linux", *given_).normalize()
    assert (normalized.architecture, normalized.variant) == expected


@pytest.mark.parametrize(
    ("os", "expected"),
    [
        ("linux", "linux"),
        ("Linux", "linux"),
        ("macos", "darwin"),
        ("macOS", "darwin"),
        ("darwin", "darwin"),
        ("WINDOWS", "windows"),
        ("", "linux"),  # containerd uses the host OS; we are always linux
        ("plan9", "plan9"),
    ],
)
def test_normalize_os(os: str, expected: str) -> None:
    assert Platform(os, "amd64").normalize().os == expected


def test_normalize_sorts_os_features_and_keeps_the_rest() -> None:
    p = Platform("Windows", "AMD64", "", "10.0.17763", os_features=("b", "a", "b"), features=("x", "x"))
    assert p.normalize() == Platform("windows", "amd64", "", "10.0.17763", os_features=("a", "b"), features=("x", "x"))


@pytest.mark.parametrize("value", [None, ()])
def test_normalize_keeps_none_and_empty_features_apart(value: tuple[str, ...] | None) -> None:
    p = Platform("linux", "amd64", os_features=value, features=value)
    assert p.normalize().os_features == value
    assert p.normalize().features == value


def test_empty_and_absent_features_are_different_platforms() -> None:
    assert Platform("linux", "amd64", features=()) != Platform("linux", "amd64")
    assert Platform("linux", "amd64", os_features=()) != Platform("linux", "amd64")


# ---------------------------------------------------------------------------
# Parse and format (platforms_test.go TestParseSelector)

# (input, what parse returns, the normalised platform containerd's Parse gives,
#  formatted with str(), formatted with format_all())
PARSE_VECTORS: list[tuple[str, Platform, Platform, str, str]] = [
    ("linux/arm64", Platform("linux", "arm64"), Platform("linux", "arm64"), "linux/arm64", ""),
    (
        "linux/arm64/v8",
        Platform("linux", "arm64", "v8"),
        Platform("linux", "arm64"),
        "linux/arm64/v8",
        "",
    ),
    ("linux/arm", Platform("linux", "arm"), Platform("linux", "arm", "v7"), "linux/arm", ""),
    (
        "linux/arm/v6",
        Platform("linux", "arm", "v6"),
        Platform("linux", "arm", "v6"),
        "linux/arm/v6",
        "",
    ),
    (
        "linux/arm/v7",
        Platform("linux", "arm", "v7"),
        Platform("linux", "arm", "v7"),
        "linux/arm/v7",
        "",
    ),
    ("arm", Platform("linux", "arm"), Platform("linux", "arm", "v7"), "linux/arm", ""),
    ("armel", Platform("linux", "armel"), Platform("linux", "arm", "v6"), "linux/armel", ""),
    ("armhf", Platform("linux", "armhf"), Platform("linux", "arm", "v7"), "linux/armhf", ""),
    ("Aarch64", Platform("linux", "aarch64"), Platform("linux", "arm64"), "linux/aarch64", ""),
    ("x86_64", Platform("linux", "x86_64"), Platform("linux", "amd64"), "linux/x86_64", ""),
    (
        "Linux/x86_64",
        Platform("linux", "x86_64"),
        Platform("linux", "amd64"),
        "linux/x86_64",
        "",
    ),
    ("i386", Platform("linux", "i386"), Platform("linux", "386"), "linux/i386", ""),
    ("linux", Platform("linux", "amd64"), Platform("linux", "amd64"), "linux/amd64", ""),
    ("s390x", Platform("linux", "s390x"), Platform("linux", "s390x"), "linux/s390x", ""),
    ("linux/s390x", Platform("linux", "s390x"), Platform("linux", "s390x"), "linux/s390x", ""),
    ("macOS", Platform("macos", "amd64"), Platform("darwin", "amd64"), "macos/amd64", ""),
    ("windows", Platform("windows", "amd64"), Platform("windows", "amd64"), "windows/amd64", ""),
    (
        "windows()",
        Platform("windows", "amd64"),
        Platform("windows", "amd64"),
        "windows/amd64",
        "windows/amd64",
    ),
    (
        "windows(10.0.17763)",
        Platform("windows", "amd64", os_version="10.0.17763"),
        Platform("windows", "amd64", os_version="10.0.17763"),
        "windows/amd64",
        "windows(10.0.17763)/amd64",
    ),
    (
        "windows(10.0.17763+win32k)",
        Platform("windows", "amd64", os_version="10.0.17763", os_features=("win32k",)),
        Platform("windows", "amd64", os_version="10.0.17763", os_features=("win32k",)),
        "windows/amd64",
        "windows(10.0.17763+win32k)/amd64",
    ),
    (
        "linux(+gpu)",
        Platform("linux", "amd64", os_features=("gpu",)),
        Platform("linux", "amd64", os_features=("gpu",)),
        "linux/amd64",
        "linux(+gpu)/amd64",
    ),
    (
        "linux(+gpu+simd)",
        Platform("linux", "amd64", os_features=("gpu", "simd")),
        Platform("linux", "amd64", os_features=("gpu", "simd")),
        "linux/amd64",
        "linux(+gpu+simd)/amd64",
    ),
    (
        "linux(+unsorted+erofs)",
        Platform("linux", "amd64", os_features=("unsorted", "erofs")),
        Platform("linux", "amd64", os_features=("erofs", "unsorted")),
        "linux/amd64",
        "linux(+erofs+unsorted)/amd64",
    ),
    (
        "windows(10.0.17763%2Bbuild.42)",
        Platform("windows", "amd64", os_version="10.0.17763+build.42"),
        Platform("windows", "amd64", os_version="10.0.17763+build.42"),
        "windows/amd64",
        "windows(10.0.17763%2Bbuild.42)/amd64",
    ),
    (
        "windows(10.0.17763%2Bbuild.42+win32k)",
        Platform("windows", "amd64", os_version="10.0.17763+build.42", os_features=("win32k",)),
        Platform("windows", "amd64", os_version="10.0.17763+build.42", os_features=("win32k",)),
        "windows/amd64",
        "windows(10.0.17763%2Bbuild.42+win32k)/amd64",
    ),
    (
        "windows(50%25done)",
        Platform("windows", "amd64", os_version="50%done"),
        Platform("windows", "amd64", os_version="50%done"),
        "windows/amd64",
        "windows(50%25done)/amd64",
    ),
    # Case: only os, arch and variant are lower-cased.
    (
        "WINDOWS(10.0.17763+Win32K)/AMD64/V1",
        Platform("windows", "amd64", "v1", "10.0.17763", ("Win32K",)),
        Platform("windows", "amd64", "", "10.0.17763", ("Win32K",)),
        "windows/amd64/v1",
        "windows(10.0.17763+Win32K)/amd64/v1",
    ),
    (
        "unknown/unknown",
        Platform("unknown", "unknown"),
        Platform("unknown", "unknown"),
        "unknown/unknown",
        "",
    ),
    ("plan9/mips", Platform("plan9", "mips"), Platform("plan9", "mips"), "plan9/mips", ""),
    ("linux/amd64/v3", Platform("linux", "amd64", "v3"), Platform("linux", "amd64", "v3"), "", ""),
]


@pytest.mark.parametrize(
    ("text", "parsed", "normalized", "formatted", "formatted_all"),
    PARSE_VECTORS,
    ids=[vector[0] for vector in PARSE_VECTORS],
)
def test_parse(text: str, parsed: Platform, normalized: Platform, formatted: str, formatted_all: str) -> None:
    p = Platform.parse(text)
    assert p == parsed
    assert p.normalize() == normalized
    assert str(p) == (formatted or text)
    assert p.format_all() == (formatted_all or formatted or text)
    # Stable when formatted again.
    assert str(Platform.parse(str(p))) == str(p)
    assert Platform.parse(p.format_all()).format_all() == p.format_all()
    # What containerd's Parse returns is matched by what we parsed, and back
    # (attestation entries match nothing).
    assert p.matches(normalized) is not p.is_attestation
    assert normalized.matches(p) is not p.is_attestation


# platforms_test.go: for each specifier, the platforms NewMatcher accepts.
SPECIFIER_MATCHES = {
    "linux/arm64": ["linux/aarch64", "linux/aarch64/v8", "linux/arm64/v8"],
    "linux/arm64/v8": ["linux/aarch64", "linux/aarch64/v8", "linux/arm64"],
    "linux/arm": ["linux/arm/v7", "linux/armhf", "linux/arm/7"],
    "linux/arm/v6": ["linux/armel"],
    "linux/arm/v7": ["linux/arm", "linux/armhf"],
}


@pytest.mark.parametrize(("text", "others"), SPECIFIER_MATCHES.items())
def test_specifier_matches(text: str, others: list[str]) -> None:
    p = Platform.parse(text)
    for other in others:
        assert p.matches(other)
        assert p.matches(Platform.parse(other))
        assert PlatformMatcher(p, strict=True).match(other)


FORMAT_ALL_VECTORS = [
    (
        Platform("windows", "amd64", os_version="10.0.17763+build.42"),
        "windows(10.0.17763%2Bbuild.42)/amd64",
    ),
    (
        Platform("windows", "amd64", os_version="10.0.17763+build.42", os_features=("win32k",)),
        "windows(10.0.17763%2Bbuild.42+win32k)/amd64",
    ),
    (Platform("windows", "amd64", os_version="50%done"), "windows(50%25done)/amd64"),
    (Platform("windows", "amd64", os_version="1.0(beta)"), "windows(1.0%28beta%29)/amd64"),
    (Platform("windows", "amd64", os_version="a/b"), "windows(a%2Fb)/amd64"),
    (Platform("windows", "amd64", os_version="10.0.17763"), "windows(10.0.17763)/amd64"),
    (Platform("linux", "amd64", os_features=("feat+v2",)), "linux(+feat%2Bv2)/amd64"),
    (Platform("linux", "amd64", os_features=("100%gpu",)), "linux(+100%25gpu)/amd64"),
    (
        Platform("windows", "amd64", os_version="10.0+build", os_features=("feat+1",)),
        "windows(10.0%2Bbuild+feat%2B1)/amd64",
    ),
    # Beyond containerd: what the syntax cannot hold is encoded too, so it parses back.
    (Platform("linux", "amd64", os_version="a b:ç"), "linux(a%20b%3A%C3%A7)/amd64"),
]


@pytest.mark.parametrize(("platform", "expected"), FORMAT_ALL_VECTORS, ids=str)
def test_format_all_encoding(platform: Platform, expected: str) -> None:
    assert platform.format_all() == expected
    assert Platform.parse(expected) == platform


def test_format_all_skips_empty_and_repeated_os_features() -> None:
    p = Platform("linux", "amd64", os_features=("", "simd", "gpu", "", "simd"))
    assert p.format_all() == "linux(+gpu+simd)/amd64"
    assert Platform("linux", "amd64", os_features=("",)).format_all() == "linux/amd64"
    assert Platform("linux", "amd64", os_features=()).format_all() == "linux/amd64"


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        (Platform("linux", "arm64", "v8"), "linux/arm64/v8"),
        (Platform("linux", "amd64"), "linux/amd64"),
        (Platform("windows", "amd64", "", "10.0.17763", ("win32k",)), "windows/amd64"),
        (Platform("", "amd64"), "unknown"),
        (Platform("linux", ""), "linux"),
    ],
)
def test_str_is_containerd_format(platform: Platform, text: str) -> None:
    assert str(platform) == text


def test_format_all_of_empty_os_is_unknown() -> None:
    assert Platform("", "amd64", os_version="1").format_all() == "unknown"


@pytest.mark.parametrize(
    ("platform", "text"),
    [
        (Platform("linux", "arm64", "v8"), "<Platform('linux/arm64/v8')>"),
        (
            Platform("windows", "amd64", os_version="10.0.17763"),
            "<Platform('windows(10.0.17763)/amd64')>",
        ),
        (
            Platform("linux", "amd64", os_features=("b", "a")),
            "<Platform('linux(+a+b)/amd64', os_features=('b', 'a'))>",
        ),
        (
            Platform("linux", "amd64", os_features=("a",)),
            "<Platform('linux(+a)/amd64')>",
        ),
        (
            Platform("linux", "amd64", os_features=(), features=()),
            "<Platform('linux/amd64', os_features=(), features=())>",
        ),
        (Platform("", ""), "<Platform(os='', architecture='')>"),
        (Platform("", "arm", "v7"), "<Platform(os='', architecture='arm', variant='v7')>"),
    ],
)
def test_repr(platform: Platform, text: str) -> None:
    assert repr(platform) == text


def test_platform_is_immutable_hashable_and_picklable() -> None:
    p = Platform("linux", "arm64", "v8", os_features=("a",), features=())
    with pytest.raises(AttributeError):
        p.os = "windows"  # type: ignore[misc]
    assert hash(p) == hash(Platform("linux", "arm64", "v8", os_features=("a",), features=()))
    assert len({p, Platform("linux", "arm64", "v8", os_features=("a",), features=())}) == 1
    assert pickle.loads(pickle.dumps(p)) == p


# ---------------------------------------------------------------------------
# Errors


PARSE_ERRORS = [
    # platforms_test.go TestParseSelectorInvalid
    ("", "invalid platform '': empty platform specifier"),
    ("/linux/arm", "invalid platform '/linux/arm': empty operating system"),
    ("linux/arm/", "invalid platform 'linux/arm/': empty variant"),
    (
        "linux /arm",
        "invalid platform 'linux /arm': invalid character ' ' in operating system 'linux '",
    ),
    ("linux/&arm", "invalid platform 'linux/&arm': invalid character '&' in architecture '&arm'"),
    (
        "linux/arm/foo/bar",
        ("invalid platform 'linux/arm/foo/bar': too many components (expected os/architecture[/variant])"),
    ),
    # and the rest of the grammar
    ("linux//v7", "invalid platform 'linux//v7': empty architecture"),
    ("linux/", "invalid platform 'linux/': empty architecture"),
    ("/", "invalid platform '/': empty operating system"),
    ("linux/arm/v7!", "invalid platform 'linux/arm/v7!': invalid character '!' in variant 'v7!'"),
    (
        "lin.ux/amd64",
        "invalid platform 'lin.ux/amd64': invalid character '.' in operating system 'lin.ux'",
    ),
    ("*", "invalid platform '*': wildcards are not supported"),
    ("linux/*", "invalid platform 'linux/*': wildcards are not supported"),
    ("*/arm64", "invalid platform '*/arm64': wildcards are not supported"),
    ("foo", "invalid platform 'foo': not a known operating system or architecture"),
    ("unknown", "invalid platform 'unknown': not a known operating system or architecture"),
    ("amd64(1.0)", "invalid platform 'amd64(1.0)': not a known operating system or architecture"),
    (
        "windows(10.0/amd64",
        "invalid platform 'windows(10.0/amd64': operating system options must end with ')'",
    ),
    (
        "windows)/amd64",
        "invalid platform 'windows)/amd64': invalid character ')' in operating system 'windows)'",
    ),
    (
        "windows(1(2))/amd64",
        "invalid platform 'windows(1(2))/amd64': invalid character '(' in os version '1(2)'",
    ),
    (
        "windows(1 2)/amd64",
        "invalid platform 'windows(1 2)/amd64': invalid character ' ' in os version '1 2'",
    ),
    ("linux(+)/amd64", "invalid platform 'linux(+)/amd64': empty os feature"),
    ("linux(1.0+)/amd64", "invalid platform 'linux(1.0+)/amd64': empty os feature"),
    ("linux(+a++b)/amd64", "invalid platform 'linux(+a++b)/amd64': empty os feature"),
    (
        "linux(+a:b)/amd64",
        "invalid platform 'linux(+a:b)/amd64': invalid character ':' in os feature 'a:b'",
    ),
    (
        "windows(%zz)/amd64",
        "invalid platform 'windows(%zz)/amd64': invalid percent-encoding in os version '%zz'",
    ),
    (
        "windows(1%4)/amd64",
        "invalid platform 'windows(1%4)/amd64': invalid percent-encoding in os version '1%4'",
    ),
    (
        "linux(+%ff)/amd64",
        "invalid platform 'linux(+%ff)/amd64': os feature '%ff' does not decode to UTF-8",
    ),
    (
        "linux/amd64\n",
        "invalid platform 'linux/amd64\\n': invalid character '\\n' in architecture 'amd64\\n'",
    ),
    (
        "x" * 100,
        ("invalid platform 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…': not a known operating system or architecture"),
    ),
]


@pytest.mark.parametrize(("text", "message"), PARSE_ERRORS, ids=[e[0][:20] for e in PARSE_ERRORS])
def test_parse_errors(text: str, message: str) -> None:
    with pytest.raises(InvalidPlatform) as info:
        Platform.parse(text)
    error = info.value
    assert type(error) is InvalidPlatform
    assert isinstance(error, ImageInspectError)
    assert isinstance(error, ValueError)
    assert error.location == "$"
    assert error.message == message
    assert str(error) == f"$: {message}"
    assert "\n" not in error.message


@pytest.mark.parametrize(("value", "type_name"), [(None, "NoneType"), (b"linux/amd64", "bytes"), (42, "int")])
def test_parse_rejects_non_strings(value: object, type_name: str) -> None:
    with pytest.raises(InvalidPlatform) as info:
        Platform.parse(value)  # type: ignore[arg-type]
    assert info.value.location == "$"
    assert info.value.message == f"invalid platform: expected a string, got {type_name}"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"os": 1, "architecture": "amd64"}, "invalid platform: os must be a string, got int"),
        (
            {"os": "linux", "architecture": None},
            "invalid platform: architecture must be a string, got NoneType",
        ),
        (
            {"os": "linux", "architecture": "arm", "variant": b"v7"},
            "invalid platform: variant must be a string, got bytes",
        ),
        (
            {"os": "windows", "architecture": "amd64", "os_version": 10},
            "invalid platform: os_version must be a string, got int",
        ),
        (
            {"os": "linux", "architecture": "amd64", "os_features": ["gpu"]},
            "invalid platform: os_features must be a tuple of strings or None, got list",
        ),
        (
            {"os": "linux", "architecture": "amd64", "features": ("sse4", 1)},
            "invalid platform: features must be a tuple of strings or None, got tuple",
        ),
    ],
)
def test_constructor_checks_types(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidPlatform) as info:
        Platform(**kwargs)  # type: ignore[arg-type]
    assert info.value.location == "$"
    assert info.value.message == message


def test_matcher_checks_types() -> None:
    with pytest.raises(InvalidPlatform) as info:
        PlatformMatcher(1)  # type: ignore[arg-type]
    assert info.value.message == "invalid platform: expected a Platform or a string, got int"
    assert info.value.location == "$"
    m = PlatformMatcher("linux/amd64")
    with pytest.raises(InvalidPlatform) as info:
        m.match(1.5)  # type: ignore[arg-type]
    assert info.value.message == "invalid platform: expected a Platform or a string, got float"
    with pytest.raises(InvalidPlatform) as info:
        m.rank(["linux/amd64"])  # type: ignore[list-item]
    assert info.value.message == "invalid platform: expected a Platform, got str"
    with pytest.raises(InvalidPlatform) as info:
        Platform("linux", "amd64").matches(None)  # type: ignore[arg-type]
    assert info.value.message == "invalid platform: expected a Platform or a string, got NoneType"
    with pytest.raises(InvalidPlatform, match="empty architecture"):
        PlatformMatcher("linux//v7")
    with pytest.raises(InvalidPlatform, match="empty architecture"):
        m.match("linux//v7")


# ---------------------------------------------------------------------------
# Matching: compare_test.go TestOnly and TestOnlyStrict

ONLY: dict[str, tuple[list[str], list[str]]] = {
    "linux/amd64": (
        ["linux/amd64", "linux/386"],
        ["linux/amd64/v2", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"],
    ),
    "linux/amd64/v2": (
        ["linux/amd64", "linux/amd64/v1", "linux/amd64/v2", "linux/386"],
        [
            "linux/amd64/v3",
            "linux/amd64/v4",
            "linux/arm/v7",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/386": (
        ["linux/386"],
        ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"],
    ),
    "windows/amd64": (
        ["windows/amd64", "windows(10.0.17763)/amd64"],
        ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    "linux/arm/v8": (
        ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8"],
        ["linux/amd64", "linux/arm/v4", "linux/arm64", "windows/amd64", "windows/arm"],
    ),
    "linux/arm/v7": (
        ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7"],
        [
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm/v6": (
        ["linux/arm/v5", "linux/arm/v6"],
        [
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm/v5": (
        ["linux/arm/v5"],
        [
            "linux/amd64",
            "linux/arm",
            "linux/arm/v4",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm/v4": (
        ["linux/arm/v4"],
        [
            "linux/amd64",
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm64/v9.6": (
        [
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            *(f"linux/arm64/v8.{minor}" for minor in range(1, 10)),
            "linux/arm64/v9",
            *(f"linux/arm64/v9.{minor}" for minor in range(7)),
        ],
        ["linux/amd64", "linux/arm/v4", "windows/amd64", "windows/arm", "linux/arm64/v8.10"],
    ),
    "linux/arm64/v9": (
        [
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            *(f"linux/arm64/v8.{minor}" for minor in range(1, 6)),
            "linux/arm64/v9",
            "linux/arm64/v9.0",
        ],
        ["linux/amd64", "linux/arm/v4", "windows/amd64", "windows/arm", "linux/arm64/v8.6"],
    ),
    "linux/arm64/v8.1": (
        [
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
            "linux/arm64/v8.1",
        ],
        [
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm64": (
        [
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "linux/arm64/v8",
        ],
        [
            "linux/amd64",
            "linux/arm/v4",
            "linux/arm/v9",
            "linux/arm64/v9",
            "windows/amd64",
            "windows/arm",
        ],
    ),
}

_ALL_BUT_ARM = ["linux/amd64", "linux/arm/v4", "windows/amd64", "windows/arm"]
_ARM32 = ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8"]

ONLY_STRICT: dict[str, tuple[list[str], list[str]]] = {
    "linux/amd64": (
        ["linux/amd64"],
        ["linux/386", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"],
    ),
    "linux/386": (
        ["linux/386"],
        ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/amd64", "windows/arm"],
    ),
    "windows/amd64": (
        ["windows/amd64", "windows(10.0.17763)/amd64"],
        ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    "windows(10.0.17763)/amd64": (
        ["windows/amd64", "windows(10.0.17763)/amd64"],
        ["linux/amd64", "linux/arm/v7", "linux/arm64", "windows/arm"],
    ),
    "linux/arm/v8": (
        ["linux/arm/v8"],
        ["linux/arm", "linux/arm/v5", "linux/arm/v6", "linux/arm/v7", "linux/arm64", *_ALL_BUT_ARM],
    ),
    "linux/arm/v7": (
        ["linux/arm", "linux/arm/v7"],
        ["linux/arm/v5", "linux/arm/v6", "linux/arm/v8", "linux/arm64", *_ALL_BUT_ARM],
    ),
    "linux/arm/v6": (
        ["linux/arm/v6"],
        ["linux/arm/v5", "linux/arm", "linux/arm/v7", "linux/arm/v8", "linux/arm64", *_ALL_BUT_ARM],
    ),
    "linux/arm/v5": (
        ["linux/arm/v5"],
        ["linux/arm", "linux/arm/v6", "linux/arm/v7", "linux/arm/v8", "linux/arm64", *_ALL_BUT_ARM],
    ),
    "linux/arm/v4": (
        ["linux/arm/v4"],
        [
            "linux/amd64",
            "linux/arm",
            "linux/arm/v5",
            "linux/arm/v6",
            "linux/arm/v7",
            "linux/arm/v8",
            "linux/arm64",
            "windows/amd64",
            "windows/arm",
        ],
    ),
    "linux/arm64/v9.5": (
        ["linux/arm64/v9.5"],
        [
            *_ARM32,
            "linux/arm64/v8",
            "linux/arm64/v8.1",
            "linux/arm64/v9",
            "linux/arm64/v9.1",
            "linux/arm64/v9.4",
            *_ALL_BUT_ARM,
        ],
    ),
    "linux/arm64/v9": (
        ["linux/arm64/v9", "linux/arm64/v9.0"],
        [*_ARM32, "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v8.1", *_ALL_BUT_ARM],
    ),
    "linux/arm64/v8.1": (
        ["linux/arm64/v8.1"],
        [*_ARM32, "linux/arm/v9", "linux/arm64/v8", "linux/arm64/v9", *_ALL_BUT_ARM],
    ),
    "linux/arm64": (
        ["linux/arm64", "linux/arm64/v8"],
        [*_ARM32, "linux/arm/v9", "linux/arm64/v9", *_ALL_BUT_ARM],
    ),
}


def _check_matches(matcher: PlatformMatcher, yes: list[str], no: list[str]) -> None:
    for text in yes:
        assert matcher.match(text), f"{matcher!r} should match {text}"
        assert matcher.match(Platform.parse(text))
    for text in no:
        assert not matcher.match(text), f"{matcher!r} should not match {text}"


@pytest.mark.parametrize(("target", "cases"), ONLY.items())
def test_only(target: str, cases: tuple[list[str], list[str]]) -> None:
    _check_matches(PlatformMatcher(target), *cases)
    _check_matches(PlatformMatcher(Platform.parse(target)), *cases)


@pytest.mark.parametrize(("target", "cases"), ONLY_STRICT.items())
def test_only_strict(target: str, cases: tuple[list[str], list[str]]) -> None:
    _check_matches(PlatformMatcher(target, strict=True), *cases)
    yes, no = cases
    for text in yes:
        assert Platform.parse(target).matches(text)
    for text in no:
        assert not Platform.parse(target).matches(text)


def test_only_matches_non_canonical_spellings() -> None:
    m = PlatformMatcher("linux/arm64")
    for text in ("Linux/AArch64", "linux/aarch64/8", "linux/arm64/v8.0", "linux/armhf"):
        assert m.match(text)
    assert m.match("linux/armel")
    assert PlatformMatcher("macOS/x86_64").match("darwin/amd64/v1")
    assert PlatformMatcher("linux/x86_64").match("linux/i386")


def test_amd64_variant_number_is_read_like_go_atoi() -> None:
    m = PlatformMatcher(Platform("linux", "amd64", "v+3"))
    assert m.match("linux/amd64/v2")
    assert m.match("linux/amd64")
    assert m.match("linux/386")
    assert not m.match("linux/amd64/v3")  # only the exact "v+3" is the target itself
    assert m.match(Platform("linux", "amd64", "v+3"))


def test_huge_variant_numbers_do_not_build_huge_ladders() -> None:
    start = time.perf_counter()
    m = PlatformMatcher("linux/amd64/v9000000000000000000")
    assert m.match("linux/amd64/v8999999999999999999")
    assert m.match("linux/amd64/v2")
    assert m.match("linux/amd64")
    assert m.match("linux/386")
    assert m.rank([P("linux/386"), P("linux/amd64/v2")]) == [P("linux/amd64/v2"), P("linux/386")]
    # Beyond Go's int range the number does not parse: no older variants.
    m = PlatformMatcher("linux/amd64/v99999999999999999999")
    assert not m.match("linux/amd64/v2")
    assert m.match("linux/386")
    m = PlatformMatcher("linux/arm/v1000000000000")
    assert m.match("linux/arm")
    assert m.match("linux/arm/v5")
    assert not m.match("linux/arm/v4")
    assert time.perf_counter() - start < 1


def test_unknown_arm64_variant_matches_nothing() -> None:
    # containerd's platformVector is empty for an arm64 variant outside its table.
    m = PlatformMatcher("linux/arm64/v10")
    assert not m.match("linux/arm64/v10")
    assert not m.match("linux/arm64")
    assert PlatformMatcher("linux/arm64/v10", strict=True).match("linux/arm64/v10")


def test_os_features_must_be_a_subset_of_the_targets() -> None:
    m = PlatformMatcher("linux(+gpu+simd)/amd64")
    assert m.match("linux/amd64")
    assert m.match("linux(+gpu)/amd64")
    assert m.match("linux(+simd+gpu+gpu)/amd64")
    assert not m.match("linux(+gpu+erofs)/amd64")
    assert not PlatformMatcher("linux/amd64").match("linux(+gpu)/amd64")
    assert PlatformMatcher("linux/amd64").match(Platform("linux", "amd64", os_features=()))


def test_windows_ignores_win32k() -> None:
    assert PlatformMatcher("windows/amd64").match("windows(10.0.17763+win32k)/amd64")
    assert not PlatformMatcher("windows/amd64").match("windows(+win32k+other)/amd64")
    assert PlatformMatcher("windows(+other)/amd64").match("windows(+win32k+other)/amd64")
    assert not PlatformMatcher("linux/amd64").match("linux(+win32k)/amd64")


def test_features_field_is_ignored_by_matching() -> None:
    assert PlatformMatcher("linux/amd64").match(Platform("linux", "amd64", features=("sse4",)))


def test_os_version_is_ignored_outside_windows() -> None:
    assert PlatformMatcher("linux(7.2)/amd64").match("linux(7.1)/amd64")


# ---------------------------------------------------------------------------
# Windows os.version rules (platform_windows_compat.go)

LTSC2019, LTSC2022, WIN11_22H2, V23H2, LTSC2025 = 17763, 20348, 22621, 25398, 26100


@pytest.mark.parametrize(
    ("host", "container", "runs"),
    [
        (LTSC2019, LTSC2019, True),
        (LTSC2019, LTSC2022, False),
        (LTSC2022, LTSC2019, False),
        (LTSC2022, LTSC2022, True),
        (WIN11_22H2, LTSC2019, False),
        (WIN11_22H2, LTSC2022, True),
        (V23H2, LTSC2019, False),
        (V23H2, LTSC2022, True),
        (LTSC2025, LTSC2022, True),
        (LTSC2022, LTSC2025, False),
        (LTSC2022, WIN11_22H2, False),
        (LTSC2025, WIN11_22H2, True),
    ],
)
def test_windows_host_and_container_compatibility(host: int, container: int, runs: bool) -> None:
    target = Platform("windows", "amd64", os_version=f"10.0.{host}")
    candidate = Platform("windows", "amd64", os_version=f"10.0.{container}")
    assert PlatformMatcher(target).match(candidate) is runs
    assert PlatformMatcher(target, strict=True).match(candidate) is runs
    assert target.matches(candidate) is runs


WS2019 = Platform("windows", "amd64", os_version="10.0.17763")
WS2022 = Platform("windows", "amd64", os_version="10.0.20348")
WIN11 = Platform("windows", "amd64", os_version="10.0.22621")
WINDOWS = Platform("windows", "amd64")


@pytest.mark.parametrize(
    ("host", "candidate", "runs"),
    [
        (WS2019, WS2019, True),
        (WS2019, WS2022, False),
        (WS2022, WS2019, False),
        (WS2022, WS2022, True),
        (WIN11, WS2019, False),
        (WIN11, WS2022, True),
        (WINDOWS, WS2019, True),
        (WINDOWS, WINDOWS, True),
        (WINDOWS, WIN11, True),
        # defaults_windows_test.go with a 10.0.17763 host
        (WS2019, Platform("windows", "amd64", os_version="10.0.17763.1"), True),
        (WS2019, Platform("windows", "amd64", os_version="10.0.17763.2"), True),
        (WS2019, Platform("windows", "amd64", os_version="10.0.17762.1"), False),
        (WS2019, Platform("windows", "amd64", os_version="10.0.17764.1"), False),
        (WS2019, WINDOWS, True),
        (WS2019, Platform("linux", "amd64"), False),
        (Platform("linux", "amd64"), WS2019, False),
        (Platform("linux", "amd64"), WINDOWS, False),
        (Platform("linux", "amd64"), Platform("linux", "amd64"), True),
        # An unreadable wanted version accepts every build; an unreadable
        # candidate version is build 0.
        (Platform("windows", "amd64", os_version="99.99.99.99"), WINDOWS, True),
        (Platform("windows", "amd64", os_version="10.0"), WS2022, True),
        (Platform("windows", "amd64", os_version="10.0.x"), WS2022, True),
        (Platform("windows", "amd64", os_version="0.0.0"), WS2022, True),
        (Platform("windows", "amd64", os_version="10.0.70000"), WS2022, True),
        (WS2019, Platform("windows", "amd64", os_version="10.0"), False),
        (WS2019, Platform("windows", "amd64", os_version="10.0.+17763"), False),
        (WS2019, Platform("windows", "amd64", os_version="10.0.17763-beta"), False),
        (
            Platform("windows", "amd64", os_version="0.0.0"),
            Platform("Windows", "AMD64", os_version="0.0.0"),
            True,
        ),
    ],
)
def test_windows_version_matching(host: Platform, candidate: Platform, runs: bool) -> None:
    assert PlatformMatcher(host).match(candidate) is runs


def test_windows_ranking_prefers_newer_builds() -> None:
    # defaults_windows_test.go TestWindowsMatchComparerLess
    m = PlatformMatcher(Platform("windows", "amd64", os_version="10.0.17763.1"))
    candidates = [
        Platform("windows", "amd64", os_version="10.0.17764.1"),
        Platform("windows", "amd64"),
        Platform("windows", "amd64", os_version="10.0.17763.1"),
        Platform("windows", "amd64", os_version="10.0.17763.2"),
        Platform("windows", "amd64", os_version="10.0.17762.1"),
    ]
    assert m.rank(candidates) == [
        Platform("windows", "amd64", os_version="10.0.17763.2"),
        Platform("windows", "amd64", os_version="10.0.17763.1"),
        Platform("windows", "amd64"),
    ]


@pytest.mark.parametrize(
    ("host", "candidates", "best"),
    [
        # platform_windows_compat_test.go Test_PlatformOrder
        ("10.0.20348.3091", ["", "10.0.20348.3091", "10.0.26100.2894"], "10.0.20348.3091"),
        ("10.0.26100.2894", ["", "10.0.20348.3091", "10.0.26100.2894"], "10.0.26100.2894"),
        ("10.0.26100.2894", ["", "10.0.20348.3091", "10.0.26100.3000"], "10.0.26100.3000"),
        # revisions compare as numbers
        ("10.0.17763", ["10.0.17763.999", "10.0.17763.1000", "10.0.17763.99"], "10.0.17763.1000"),
    ],
)
def test_windows_best_build(host: str, candidates: list[str], best: str) -> None:
    m = PlatformMatcher(Platform("windows", "amd64", os_version=host))
    platforms = [
        Platform("windows", "amd64", os_version=version) if version else Platform("linux", "amd64")
        for version in candidates
    ]
    assert m.best(platforms) == Platform("windows", "amd64", os_version=best)


def test_windows_version_breaks_ties_only() -> None:
    m = PlatformMatcher("windows(10.0.20348)/amd64")
    older_arch = Platform("windows", "386", os_version="10.0.20348.9")
    exact = Platform("windows", "amd64", os_version="10.0.20348.1")
    assert m.rank([older_arch, exact]) == [exact, older_arch]


# ---------------------------------------------------------------------------
# Ranking (compare.go Less on an Only / OnlyStrict comparer)


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        (
            "linux/amd64/v3",
            ["linux/amd64/v3", "linux/amd64/v2", "linux/amd64", "linux/386"],
        ),
        (
            "linux/arm64/v9.2",
            [
                "linux/arm64/v9.2",
                "linux/arm64/v9.1",
                "linux/arm64/v9",
                *(f"linux/arm64/v8.{minor}" for minor in range(7, 0, -1)),
                "linux/arm64",
                "linux/arm/v8",
                "linux/arm/v7",
                "linux/arm/v6",
                "linux/arm/v5",
            ],
        ),
        (
            "linux/arm64",
            ["linux/arm64", "linux/arm/v8", "linux/arm", "linux/arm/v6", "linux/arm/v5"],
        ),
        ("linux/arm/v7", ["linux/arm/v7", "linux/arm/v6", "linux/arm/v5"]),
    ],
)
def test_rank_follows_the_compatibility_ladder(target: str, expected: list[str]) -> None:
    m = PlatformMatcher(target)
    noise = ["linux/arm/v4", "windows/amd64", "linux/s390x", "unknown/unknown", "linux/amd64/v4"]
    candidates = [Platform.parse(text) for text in [*reversed(expected), *noise]]
    assert m.rank(candidates) == [Platform.parse(text) for text in expected]
    assert m.best(candidates) == Platform.parse(expected[0])
    assert PlatformMatcher(target, strict=True).rank(candidates) == [Platform.parse(expected[0])]


@pytest.mark.parametrize(
    ("target", "candidates", "expected"),
    [
        # compare_test.go TestCompareOSFeatures; containerd sorts every
        # candidate, rank keeps the matching ones.
        (
            "linux/amd64",
            ["windows/amd64", "linux/amd64", "linux(+other)/amd64", "linux/arm64"],
            ["linux/amd64"],
        ),
        (
            "linux(+none)/amd64",
            ["windows/amd64", "linux/amd64", "linux/arm64", "linux(+other)/amd64"],
            ["linux/amd64"],
        ),
        (
            "linux(+other)/amd64",
            ["windows/amd64", "linux/amd64", "linux/arm64", "linux(+other)/amd64"],
            ["linux(+other)/amd64", "linux/amd64"],
        ),
        (
            "linux(+af+other+zf)/amd64",
            ["windows/amd64", "linux/amd64", "linux/arm64", "linux(+other)/amd64"],
            ["linux(+other)/amd64", "linux/amd64"],
        ),
        (
            "linux(+f1+f2)/amd64",
            ["linux/amd64", "linux(+f2)/amd64", "linux(+f1)/amd64", "linux(+f1+f2)/amd64"],
            ["linux(+f1+f2)/amd64", "linux(+f2)/amd64", "linux(+f1)/amd64", "linux/amd64"],
        ),
        (
            "linux(7.2+other)/amd64",
            ["linux/amd64", "linux(+other)/amd64", "linux(7.1)/amd64", "linux(7.2+other)/amd64"],
            ["linux(+other)/amd64", "linux(7.2+other)/amd64", "linux/amd64", "linux(7.1)/amd64"],
        ),
    ],
)
@pytest.mark.parametrize("strict", [False, True])
def test_rank_prefers_more_os_features(target: str, candidates: list[str], expected: list[str], strict: bool) -> None:
    m = PlatformMatcher(target, strict=strict)
    ranked = m.rank([Platform.parse(text) for text in candidates])
    assert [p.format_all() for p in ranked] == expected


def test_feature_count_only_breaks_ties_within_a_rung() -> None:
    m = PlatformMatcher("linux(+gpu)/amd64")
    with_gpu_386 = P("linux(+gpu)/386")
    plain_amd64 = P("linux/amd64")
    assert m.rank([with_gpu_386, plain_amd64]) == [plain_amd64, with_gpu_386]


def test_rank_keeps_input_order_for_ties() -> None:
    a = Platform("linux", "arm64")
    b = Platform("linux", "aarch64", "v8")
    c = Platform("linux", "arm64", "v8", features=("x",))
    assert PlatformMatcher("linux/arm64").rank([b, a, c]) == [b, a, c]
    assert PlatformMatcher("linux/arm64").rank(iter([c, b, a])) == [c, b, a]


def test_best_of_nothing_is_none() -> None:
    m = PlatformMatcher("linux/amd64")
    assert m.best([]) is None
    assert m.rank([]) == []
    assert m.best([P("linux/arm64"), P("windows/amd64")]) is None


def test_matcher_properties_and_repr() -> None:
    m = PlatformMatcher("Linux/AArch64")
    assert m.target == Platform("linux", "aarch64")
    assert m.strict is False
    assert repr(m) == "PlatformMatcher('linux/aarch64')"
    strict = PlatformMatcher(Platform("windows", "amd64", os_version="10.0.17763"), strict=True)
    assert strict.strict is True
    assert repr(strict) == "PlatformMatcher('windows(10.0.17763)/amd64', strict=True)"


# ---------------------------------------------------------------------------
# Attestation entries

ATTESTATION = Platform("unknown", "unknown")


def test_attestation_entries() -> None:
    assert ATTESTATION.is_attestation
    assert Platform.parse("unknown/unknown").is_attestation
    assert Platform("unknown", "unknown", "v1").is_attestation
    assert not Platform("unknown", "amd64").is_attestation
    assert not Platform("linux", "unknown").is_attestation
    assert not Platform("Unknown", "Unknown").is_attestation


@pytest.mark.parametrize("strict", [False, True])
def test_attestation_entries_never_match(strict: bool) -> None:
    for target in ("linux/amd64", "unknown/unknown", "linux/arm64"):
        m = PlatformMatcher(target, strict=strict)
        assert not m.match(ATTESTATION)
        assert not m.match("unknown/unknown")
        assert m.rank([ATTESTATION, ATTESTATION]) == []
    assert not ATTESTATION.matches(ATTESTATION)
    index = [P("linux/amd64"), P("linux/arm64"), ATTESTATION, ATTESTATION]
    assert PlatformMatcher("linux/arm64", strict=strict).rank(index) == [P("linux/arm64")]
    assert PlatformMatcher("unknown/unknown", strict=strict).best(index) is None


# ---------------------------------------------------------------------------
# Properties

_OS = st.one_of(
    st.sampled_from(["linux", "windows", "darwin", "freebsd", "unknown", "macos"]),
    st.from_regex(r"[a-z0-9_-]{1,12}", fullmatch=True),
)
_ARCH = st.one_of(
    st.sampled_from(["amd64", "arm64", "arm", "386", "aarch64", "x86_64", "armhf", "armel", "i386", "s390x"]),
    st.from_regex(r"[a-z0-9_.-]{1,12}", fullmatch=True),
)
_VARIANT = st.one_of(
    st.sampled_from(["", "v5", "v6", "v7", "v8", "v8.2", "v9", "v9.0", "v9.7", "v1", "v3", "8"]),
    st.from_regex(r"[a-z0-9_.-]{1,8}", fullmatch=True),
)
_FEATURE_LISTS = st.lists(st.text(min_size=1, max_size=8), max_size=4)


@st.composite
def plain_platforms(draw: st.DrawFn) -> Platform:
    return Platform(draw(_OS), draw(_ARCH), draw(_VARIANT))


WINDOWS_VERSIONS = ["10.0.17763", "10.0.20348.1", "10.0.26100.3000"]


@st.composite
def platforms(draw: st.DrawFn) -> Platform:
    features = draw(st.one_of(st.none(), _FEATURE_LISTS.map(tuple)))
    docker = draw(st.one_of(st.none(), _FEATURE_LISTS.map(tuple)))
    return Platform(
        draw(_OS),
        draw(_ARCH),
        draw(_VARIANT),
        draw(st.one_of(st.just(""), st.text(max_size=12), st.sampled_from(WINDOWS_VERSIONS))),
        features,
        docker,
    )


@given(plain_platforms())
def test_str_round_trips(p: Platform) -> None:
    assert Platform.parse(str(p)) == p
    assert Platform.parse(p.format_all()) == p
    assert ast.literal_eval(repr(p)[len("<Platform(") : -len(")>")]) == str(p)


@given(platforms())
def test_format_all_round_trips(p: Platform) -> None:
    canonical = tuple(sorted(set(p.os_features or ()) - {""})) or None
    reparsed = Platform.parse(p.format_all())
    assert reparsed == Platform(p.os, p.architecture, p.variant, p.os_version, canonical)


@given(platforms())
def test_normalize_is_idempotent(p: Platform) -> None:
    assert p.normalize().normalize() == p.normalize()
    assert p.normalize().matches(p) is p.matches(p.normalize())


_ARM64_TABLE = {"", "v9"} | {f"v8.{m}" for m in range(1, 10)} | {f"v9.{m}" for m in range(1, 8)}


@given(platforms())
def test_a_platform_matches_itself(p: Platform) -> None:
    if p.is_attestation:
        assert not p.matches(p)
        return
    assert p.matches(p)
    assert PlatformMatcher(p, strict=True).best([p]) == p
    normalized = p.normalize()
    if normalized.architecture == "arm64" and normalized.variant not in _ARM64_TABLE:
        assert not PlatformMatcher(p).match(p)
    else:
        assert PlatformMatcher(p).rank([p]) == [p]


@given(platforms(), st.lists(platforms(), max_size=6))
def test_rank_is_the_matching_subset(target: Platform, candidates: list[Platform]) -> None:
    for strict in (False, True):
        m = PlatformMatcher(target, strict=strict)
        ranked = m.rank(candidates)
        assert sorted(map(repr, ranked)) == sorted(repr(c) for c in candidates if m.match(c))
        assert m.best(candidates) == (ranked[0] if ranked else None)
        if strict:
            assert all(target.matches(c) for c in ranked)


def _check_parse(text: str) -> None:
    error: InvalidPlatform | None = None
    try:
        p = Platform.parse(text)
    except InvalidPlatform as caught:
        error = caught
    if error is None:
        assert Platform.parse(p.format_all()).normalize() == p.normalize()
    else:
        assert error.location == "$"
        assert error.message.startswith("invalid platform ")
        assert "\n" not in error.message


@given(
    st.from_regex(
        r"[A-Za-z0-9_-]{0,6}(\([A-Za-z0-9_.%+-]{0,10}\))?(/[A-Za-z0-9_.%()-]{0,6}){0,3}",
        fullmatch=True,
    )
)
def test_parse_near_valid_specifiers(text: str) -> None:
    _check_parse(text)


@given(st.text(max_size=40))
def test_parse_raises_only_invalid_platform(text: str) -> None:
    _check_parse(text)
