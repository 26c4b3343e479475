"""Container platforms (``os/architecture/variant``) and how to pick one.

This follows the rules of containerd's ``platforms`` package: the specifier
syntax, the normalisation table, and the default matcher (``platforms.Only``)
that also accepts older variants a machine can still run.

>>> p = Platform.parse("linux/aarch64")
>>> p
<Platform('linux/aarch64')>
>>> p.normalize()
<Platform('linux/arm64')>
>>> m = PlatformMatcher("linux/arm64")
>>> m.best([Platform("linux", "amd64"), Platform("linux", "arm", "v7"), p])
<Platform('linux/aarch64')>

Unlike containerd, this module never asks the running machine anything: where
a specifier leaves out the operating system it is ``linux``, and where it
leaves out the architecture it is ``amd64``.
"""

from __future__ import annotations

__all__ = ["Platform", "PlatformMatcher"]

import re
from collections.abc import Iterable
from string import hexdigits
from typing import Final

import attrs

from imageinspect.errors import InvalidPlatform

#: What a specifier without an operating system means (``"arm64"`` is
#: ``linux/arm64``); containerd would use the host's OS instead.
_DEFAULT_OS: Final = "linux"
#: What a specifier without an architecture means (``"windows"`` is
#: ``windows/amd64``); containerd would use the host's architecture instead.
_DEFAULT_ARCHITECTURE: Final = "amd64"

# The GOOS and GOARCH lists containerd's isKnownOS / isKnownArch accept.
_KNOWN_OS: Final = frozenset(
    {
        "aix", "android", "darwin", "dragonfly", "freebsd", "hurd", "illumos", "ios", "js",
        "linux", "nacl", "netbsd", "openbsd", "plan9", "solaris", "windows", "zos",
    }
)  # fmt: skip
_KNOWN_ARCHITECTURES: Final = frozenset(
    {
        "386", "amd64", "amd64p32", "arm", "armbe", "arm64", "arm64be", "ppc64", "ppc64le",
        "loong64", "mips", "mipsle", "mips64", "mips64le", "mips64p32", "mips64p32le", "ppc",
        "riscv", "riscv64", "s390", "s390x", "sparc", "sparc64", "wasm",
    }
)  # fmt: skip

_OS_NAME: Final = re.compile(r"[A-Za-z0-9_-]+")
_OS_OPTION: Final = re.compile(r"[A-Za-z0-9_.%-]+")
_COMPONENT: Final = re.compile(r"[A-Za-z0-9_.-]+")
_GO_ATOI: Final = re.compile(r"[+-]?[0-9]+")
_CANONICAL_VARIANT: Final = re.compile(r"v([1-9][0-9]*)")
_DOTTED_NUMBER: Final = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_GO_INT_MAX: Final = 2**63 - 1

# What format_all percent-encodes in an OS version or OS feature: containerd
# encodes % + ( ) and /; we also encode everything else parse would reject.
_OS_OPTION_UNSAFE: Final = re.compile(r"[^A-Za-z0-9_.-]+")

# arm64 variant -> (major, newest minor) pairs it can run, newest first;
# containerd's arm64variantToVersion table.
_ARM64_LADDER: Final[dict[str, tuple[tuple[int, int], ...]]] = {
    **{f"v8.{minor}": ((8, minor),) for minor in range(10)},
    "v8": ((8, 0),),
    "v9": ((9, 0), (8, 5)),
    **{f"v9.{minor}": ((9, minor), (8, min(minor + 5, 9))) for minor in range(8)},
}

# Windows builds that define the stable-ABI compatibility window
# (Windows Server 2022 and 2025), ascending.
_LTSC_2022: Final = 20348
_COMPAT_LTSC_BUILDS: Final = (_LTSC_2022, 26100)


# --------------------------------------------------------------------------
# Normalisation (containerd database.go)


def _normalize_os(os: str) -> str:
    if os == "":
        return _DEFAULT_OS
    os = os.lower()
    return "darwin" if os == "macos" else os


def _normalize_arch(architecture: str, variant: str) -> tuple[str, str]:
    architecture, variant = architecture.lower(), variant.lower()
    if architecture == "i386":
        return "386", ""
    if architecture in ("x86_64", "x86-64", "amd64"):
        return "amd64", "" if variant == "v1" else variant
    if architecture in ("aarch64", "arm64"):
        if variant in ("8", "v8", "v8.0"):
            variant = ""
        elif variant in ("9", "9.0", "v9.0"):
            variant = "v9"
        return "arm64", variant
    if architecture == "armhf":
        return "arm", "v7"
    if architecture == "armel":
        return "arm", "v6"
    if architecture == "arm":
        if variant in ("", "7"):
            variant = "v7"
        elif variant in ("5", "6", "8"):
            variant = "v" + variant
    return architecture, variant


def _normalize_features(features: tuple[str, ...] | None) -> tuple[str, ...] | None:
    # Sorted and de-duplicated when non-empty; None and () are left alone.
    return tuple(sorted(set(features))) if features else features


# --------------------------------------------------------------------------
# Parsing helpers


def _shown(text: str) -> str:
    return repr(text if len(text) <= 64 else text[:40] + "…")


def _fail(text: str, reason: str) -> InvalidPlatform:
    return InvalidPlatform(f"invalid platform {_shown(text)}: {reason}")


def _check_component(text: str, value: str, what: str, pattern: re.Pattern[str]) -> None:
    if value == "":
        raise _fail(text, f"empty {what}")
    if pattern.fullmatch(value) is None:
        bad = next(c for c in value if pattern.fullmatch(c) is None)
        raise _fail(text, f"invalid character {bad!r} in {what} {_shown(value)}")


def _escape(value: str) -> str:
    return _OS_OPTION_UNSAFE.sub(
        lambda run: "".join(f"%{byte:02X}" for byte in run[0].encode("utf-8", "surrogatepass")),
        value,
    )


def _unescape(text: str, value: str, what: str) -> str:
    """Percent-decode an OS option the way Go's url.PathUnescape does."""
    if "%" not in value:
        return value
    out = bytearray()
    i = 0
    while i < len(value):
        if value[i] == "%":
            pair = value[i + 1 : i + 3]
            if len(pair) != 2 or not all(c in hexdigits for c in pair):
                raise _fail(text, f"invalid percent-encoding in {what} {_shown(value)}")
            out.append(int(pair, 16))
            i += 3
        else:
            out.extend(value[i].encode("ascii"))
            i += 1
    try:
        return out.decode("utf-8")
    except UnicodeDecodeError:
        raise _fail(text, f"{what} {_shown(value)} does not decode to UTF-8") from None


def _parse_os(text: str, part: str) -> tuple[str, str, tuple[str, ...] | None]:
    """Split ``os[(version[+feature]...)]`` into name, version and features."""
    name, paren, options = part.partition("(")
    _check_component(text, name, "operating system", _OS_NAME)
    if not paren:
        return name.lower(), "", None
    if not options.endswith(")"):
        raise _fail(text, "operating system options must end with ')'")
    version, *raw_features = options[:-1].split("+")
    if version:
        _check_component(text, version, "os version", _OS_OPTION)
    features: list[str] = []
    for raw in raw_features:
        _check_component(text, raw, "os feature", _OS_OPTION)
        features.append(_unescape(text, raw, "os feature"))
    return name.lower(), _unescape(text, version, "os version"), tuple(features) or None


# --------------------------------------------------------------------------
# Field validators: a Platform only ever holds strings.


def _validate_str(_instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str):
        raise InvalidPlatform(f"invalid platform: {attribute.name} must be a string, got {type(value).__name__}")


def _validate_str_tuple(_instance: object, attribute: attrs.Attribute[tuple[str, ...] | None], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or not all(isinstance(item, str) for item in value):
        raise InvalidPlatform(
            f"invalid platform: {attribute.name} must be a tuple of strings or None, got {type(value).__name__}"
        )


@attrs.frozen(repr=False)
class Platform:
    """An OCI platform: what an image or a manifest-list entry runs on.

    The fields mirror the OCI ``platform`` object: ``os``, ``architecture``,
    ``variant``, ``os.version`` (``os_version``) and ``os.features``
    (``os_features``), plus ``features``, which only Docker manifest lists
    carry. For the two tuples ``None`` means the field is absent and ``()``
    that it is an empty array. Values are kept as written; equality is
    field-by-field, so compare :meth:`normalize` results or use
    :meth:`matches` to treat ``aarch64`` and ``arm64`` as the same.

    >>> p = Platform("linux", "arm64", "v8")
    >>> str(p), p.variant, p.os_features
    ('linux/arm64/v8', 'v8', None)
    >>> p == Platform.parse("linux/arm64/v8")
    True
    >>> p == Platform("linux", "arm64")
    False
    >>> p.matches(Platform("linux", "arm64"))
    True
    """

    os: str = attrs.field(validator=_validate_str)
    architecture: str = attrs.field(validator=_validate_str)
    variant: str = attrs.field(default="", validator=_validate_str)
    os_version: str = attrs.field(default="", validator=_validate_str)
    os_features: tuple[str, ...] | None = attrs.field(default=None, validator=_validate_str_tuple)
    features: tuple[str, ...] | None = attrs.field(default=None, validator=_validate_str_tuple)

    @classmethod
    def parse(cls, text: str) -> Platform:
        """Parse a containerd platform specifier.

        Accepted forms are ``os/arch``, ``os/arch/variant``, a bare
        operating system (the architecture is then ``amd64``) and a bare
        known architecture (the operating system is then ``linux``). The OS
        part may carry options, ``os(version)``, ``os(version+feature+...)``
        or ``os(+feature)``, with ``%``, ``+``, ``(``, ``)`` and ``/``
        percent-encoded inside them.

        The result keeps what was written, lower-cased (the OS version and
        OS features keep their case): use :meth:`normalize` for the
        canonical form.

        >>> Platform.parse("linux/arm/v7")
        <Platform('linux/arm/v7')>
        >>> Platform.parse("Linux/x86_64")
        <Platform('linux/x86_64')>
        >>> Platform.parse("aarch64")
        <Platform('linux/aarch64')>
        >>> Platform.parse("windows(10.0.17763)/amd64").os_version
        '10.0.17763'
        >>> Platform.parse("linux//v7")
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidPlatform: $: invalid platform 'linux//v7': empty architecture
        """
        if not isinstance(text, str):
            raise InvalidPlatform(f"invalid platform: expected a string, got {type(text).__name__}")
        if text == "":
            raise _fail(text, "empty platform specifier")
        if "*" in text:
            raise _fail(text, "wildcards are not supported")
        parts = text.split("/")
        if len(parts) > 3:
            raise _fail(text, "too many components (expected os/architecture[/variant])")
        os, os_version, os_features = _parse_os(text, parts[0])
        names = ("architecture", "variant")
        for what, part in zip(names, parts[1:], strict=False):
            _check_component(text, part, what, _COMPONENT)
        if len(parts) > 1:
            variant = parts[2].lower() if len(parts) == 3 else ""
            return cls(os, parts[1].lower(), variant, os_version, os_features)
        if _normalize_os(os) in _KNOWN_OS:
            return cls(os, _DEFAULT_ARCHITECTURE, "", os_version, os_features)
        if "(" not in text and _normalize_arch(text, "")[0] in _KNOWN_ARCHITECTURES:
            return cls(_DEFAULT_OS, text.lower())
        raise _fail(text, "not a known operating system or architecture")

    def normalize(self) -> Platform:
        """The canonical form containerd compares: lower case, ``aarch64``
        and ``arm64/v8`` become ``arm64``, ``x86_64`` and ``amd64/v1``
        become ``amd64``, ``i386`` becomes ``386``, ``armhf`` and a bare
        ``arm`` become ``arm/v7``, ``armel`` becomes ``arm/v6``, ``macos``
        becomes ``darwin`` and an empty OS becomes ``linux``. OS features
        are sorted and de-duplicated; ``os_version`` and ``features`` are
        kept.

        >>> Platform("linux", "aarch64", "8").normalize()
        <Platform('linux/arm64')>
        >>> Platform("Linux", "armhf").normalize()
        <Platform('linux/arm/v7')>
        >>> Platform("macOS", "x86_64").normalize()
        <Platform('darwin/amd64')>
        """
        architecture, variant = _normalize_arch(self.architecture, self.variant)
        return attrs.evolve(
            self,
            os=_normalize_os(self.os),
            architecture=architecture,
            variant=variant,
            os_features=_normalize_features(self.os_features),
        )

    def format_all(self) -> str:
        """The specifier including the OS version and OS features, as
        containerd's ``FormatAll`` writes it (features sorted, empty and
        repeated ones dropped); :meth:`parse` reads it back. Characters the
        specifier syntax cannot hold are percent-encoded.

        >>> Platform("windows", "amd64", os_version="10.0.17763").format_all()
        'windows(10.0.17763)/amd64'
        >>> Platform("linux", "amd64", os_features=("simd", "gpu", "gpu")).format_all()
        'linux(+gpu+simd)/amd64'
        >>> Platform("windows", "amd64", os_version="1.0+b").format_all()
        'windows(1.0%2Bb)/amd64'
        """
        if not self.os:
            return "unknown"
        version = _escape(self.os_version)
        features = "+".join(_escape(feature) for feature in sorted(set(self.os_features or ()) - {""}))
        os = self.os
        if version or features:
            os += f"({version}{'+' if features else ''}{features})"
        return "/".join(part for part in (os, self.architecture, self.variant) if part)

    @property
    def is_attestation(self) -> bool:
        """True for the ``unknown/unknown`` platform BuildKit gives the
        attestation manifests it puts in an image index. Such entries never
        match any platform.

        >>> Platform("unknown", "unknown").is_attestation
        True
        >>> Platform.parse("linux/amd64").is_attestation
        False
        """
        return self.os == "unknown" and self.architecture == "unknown"

    def matches(self, other: Platform | str) -> bool:
        """True when ``other`` is this platform after normalisation.

        This is containerd's strict match (``OnlyStrict``) with ``self`` as
        the wanted platform: no fallback to older variants. For Windows a
        wanted ``os_version`` accepts the builds that can run on it and an
        empty one accepts any; ``other``'s OS features must be a subset of
        this platform's.

        >>> Platform.parse("linux/arm64/v8").matches("linux/aarch64")
        True
        >>> Platform.parse("linux/arm/v7").matches("linux/arm/v6")
        False
        """
        return PlatformMatcher(self, strict=True).match(other)

    def __str__(self) -> str:
        """``os/architecture[/variant]``, as containerd's ``Format`` writes it.

        >>> str(Platform("linux", "arm", "v7"))
        'linux/arm/v7'
        >>> str(Platform("windows", "amd64", os_version="10.0.17763"))
        'windows/amd64'
        """
        if not self.os:
            return "unknown"
        return "/".join(part for part in (self.os, self.architecture, self.variant) if part)

    def __repr__(self) -> str:
        """Shows :meth:`format_all`, plus any field it cannot express.

        >>> Platform("linux", "amd64", features=("sse4",))
        <Platform('linux/amd64', features=('sse4',))>
        >>> Platform("", "amd64")
        <Platform(os='', architecture='amd64')>
        """
        if not (self.os and self.architecture):
            shown = ("os", "architecture")
            fields = ", ".join(
                f"{field.name}={getattr(self, field.name)!r}"
                for field in attrs.fields(Platform)
                if field.name in shown or getattr(self, field.name) != field.default
            )
            return f"<Platform({fields})>"
        extra = ""
        if self.os_features is not None:
            canonical = tuple(sorted(set(self.os_features) - {""}))
            if not self.os_features or canonical != self.os_features:
                extra += f", os_features={self.os_features!r}"
        if self.features is not None:
            extra += f", features={self.features!r}"
        return f"<Platform({self.format_all()!r}{extra})>"


# --------------------------------------------------------------------------
# Matching (containerd compare.go and platform_windows_compat.go)


def _go_atoi(value: str) -> int | None:
    if _GO_ATOI.fullmatch(value) is None:
        return None
    number = int(value)
    return number if -_GO_INT_MAX - 1 <= number <= _GO_INT_MAX else None


@attrs.frozen
class _Rung:
    """One step of the compatibility ladder: an (architecture, variant), or
    when ``low`` is set the variants ``v{high}`` down to ``v{low}``."""

    architecture: str
    variant: str = ""
    high: int = 0
    low: int | None = None

    @property
    def size(self) -> int:
        return 1 if self.low is None else self.high - self.low + 1

    def offset(self, architecture: str, variant: str) -> int | None:
        if architecture != self.architecture:
            return None
        if self.low is None:
            return 0 if variant == self.variant else None
        if variant == "":
            # amd64/v1 normalises to plain amd64.
            number = 1 if architecture == "amd64" else 0
        else:
            match = _CANONICAL_VARIANT.fullmatch(variant)
            number = int(match.group(1)) if match else 0
        return self.high - number if self.low <= number <= self.high else None


def _ladder(target: Platform, strict: bool) -> tuple[_Rung, ...]:
    """containerd's platformVector for a normalised target, as rungs."""
    arch, variant = target.architecture, target.variant
    exact = _Rung(arch, variant)
    if strict:
        return (exact,)
    if arch == "amd64":
        number = _go_atoi(variant.removeprefix("v"))
        older = (_Rung(arch, high=number - 1, low=1),) if number is not None and number > 1 else ()
        return (exact, *older, _Rung("386"))
    if arch == "arm":
        number = _go_atoi(variant.removeprefix("v"))
        older = (_Rung(arch, high=number - 1, low=5),) if number is not None and number > 5 else ()
        return (exact, *older)
    if arch == "arm64":
        versions = _ARM64_LADDER.get(variant or "v8")
        if versions is None:
            # containerd builds an empty vector here: nothing matches.
            return ()
        rungs = [
            _Rung(*_normalize_arch("arm64", f"v{major}.{minor}" if minor else f"v{major}"))
            for major, newest in versions
            for minor in range(newest, -1, -1)
        ]
        return (*rungs, _Rung("arm", "v8"), _Rung("arm", high=7, low=5))
    return (exact,)


def _windows_version(text: str) -> tuple[int, int, int]:
    """``major.minor.build[...]`` as numbers; (0, 0, 0) when unreadable."""
    if text.count(".") < 2:
        return (0, 0, 0)
    fields = text.split(".", 3)[:3]
    if not all(field.isascii() and field.isdigit() for field in fields):
        return (0, 0, 0)
    major, minor, build = (int(field) for field in fields)
    if major > 0xFF or minor > 0xFF or build > 0xFFFF:
        return (0, 0, 0)
    return (major, minor, build)


def _windows_host_runs(host: tuple[int, int, int], container: tuple[int, int, int]) -> bool:
    if host[:2] != container[:2]:
        return False
    if host[2] < _LTSC_2022:
        return host[2] == container[2]
    # A host runs containers from the newest LTSC release older than itself
    # (LTSC 2022 at the least) up to its own build.
    oldest = max((build for build in _COMPAT_LTSC_BUILDS if build < host[2]), default=_LTSC_2022)
    return oldest <= container[2] <= host[2]


def _version_key(version: str) -> tuple[int, tuple[int, ...], str]:
    if _DOTTED_NUMBER.fullmatch(version):
        return (1, tuple(int(part) for part in version.split(".")), version)
    return (0, (), version)


def _as_platform(value: object) -> Platform:
    if isinstance(value, Platform):
        return value
    if isinstance(value, str):
        return Platform.parse(value)
    raise InvalidPlatform(f"invalid platform: expected a Platform or a string, got {type(value).__name__}")


class PlatformMatcher:
    """containerd's default platform matcher, ``platforms.Only(target)``.

    Besides the target itself (after normalisation) it accepts what the
    target can also run: ``arm64/v9.x`` runs ``v9.0``-``v9.x`` and
    ``v8.0``-``v8.(x+5)`` (at most ``v8.9``), ``arm64/v8.x`` runs
    ``v8.0``-``v8.x``, every arm64 runs ``arm/v8`` down to ``arm/v5``,
    ``arm/vN`` runs ``arm/v(N-1)`` down to ``arm/v5``, ``amd64/vN`` runs
    ``amd64/v(N-1)`` down to ``amd64``, and every amd64 runs ``386``.
    An arm64 variant outside that table matches nothing, as in containerd.

    The OS must be equal. For a Windows target with an ``os_version`` the
    candidate build must run on it (same build before Windows Server 2022;
    afterwards the builds from the previous LTSC release up to the host's);
    a missing version on either side matches. A candidate's OS features
    must be a subset of the target's (for Windows ``win32k`` is ignored).
    BuildKit attestation entries (``unknown/unknown``) never match.

    With ``strict=True`` it is ``platforms.OnlyStrict``: the target only.

    >>> m = PlatformMatcher("linux/arm64")
    >>> m.match("linux/arm/v7"), m.match("linux/amd64")
    (True, False)
    >>> PlatformMatcher("linux/arm64", strict=True).match("linux/arm/v7")
    False
    """

    __slots__ = ("_features", "_host", "_ladder", "_strict", "_target", "_wanted", "_windows")

    def __init__(self, target: Platform | str, *, strict: bool = False) -> None:
        self._target = _as_platform(target)
        self._strict = bool(strict)
        wanted = self._target.normalize()
        self._wanted = wanted
        self._ladder = _ladder(wanted, self._strict)
        self._features = frozenset(wanted.os_features or ())
        self._windows = wanted.os == "windows"
        self._host = _windows_version(wanted.os_version) if self._windows else (0, 0, 0)

    @property
    def target(self) -> Platform:
        """The platform this matcher was made for, as given.

        >>> PlatformMatcher("linux/aarch64").target
        <Platform('linux/aarch64')>
        """
        return self._target

    @property
    def strict(self) -> bool:
        """Whether only the target itself matches (``OnlyStrict``).

        >>> PlatformMatcher("linux/amd64").strict
        False
        """
        return self._strict

    def _position(self, candidate: Platform) -> int | None:
        """Index of the first ladder entry ``candidate`` matches, or None."""
        if candidate.is_attestation:
            return None
        if _normalize_os(candidate.os) != self._wanted.os:
            return None
        if (
            self._windows
            and self._host != (0, 0, 0)
            and candidate.os_version
            and not _windows_host_runs(self._host, _windows_version(candidate.os_version))
        ):
            return None
        features = list(candidate.os_features or ())
        if self._windows and "win32k" in features:
            features.remove("win32k")
        if not self._features.issuperset(features):
            return None
        architecture, variant = _normalize_arch(candidate.architecture, candidate.variant)
        start = 0
        for rung in self._ladder:
            offset = rung.offset(architecture, variant)
            if offset is not None:
                return start + offset
            start += rung.size
        return None

    def match(self, candidate: Platform | str) -> bool:
        """True when the target can run ``candidate``.

        >>> m = PlatformMatcher("linux/amd64/v2")
        >>> [m.match(s) for s in ("linux/amd64", "linux/386", "linux/amd64/v3")]
        [True, True, False]
        >>> m.match(Platform("unknown", "unknown"))
        False
        """
        return self._position(_as_platform(candidate)) is not None

    def rank(self, candidates: Iterable[Platform]) -> list[Platform]:
        """The matching candidates, best first.

        The order is containerd's: the target itself, then each older
        variant in turn (``Only``'s vector); among equals, the one with more
        OS features first. For a Windows target, remaining ties go to the
        newer ``os_version`` (compared numerically), as containerd does on
        a Windows host. Otherwise the input order is kept.

        >>> m = PlatformMatcher("linux/arm/v7")
        >>> m.rank([Platform.parse(s) for s in ("linux/arm/v5", "linux/amd64", "linux/arm")])
        [<Platform('linux/arm')>, <Platform('linux/arm/v5')>]
        """
        scored: list[tuple[int, int, Platform]] = []
        for candidate in candidates:
            if not isinstance(candidate, Platform):
                raise InvalidPlatform(f"invalid platform: expected a Platform, got {type(candidate).__name__}")
            position = self._position(candidate)
            if position is not None:
                scored.append((position, -len(candidate.os_features or ()), candidate))
        if self._windows:
            scored.sort(key=lambda item: _version_key(item[2].os_version), reverse=True)
        scored.sort(key=lambda item: item[:2])
        return [candidate for _, _, candidate in scored]

    def best(self, candidates: Iterable[Platform]) -> Platform | None:
        """The best matching candidate, or None when none matches.

        >>> m = PlatformMatcher("linux/amd64")
        >>> m.best([Platform("linux", "386"), Platform("linux", "x86_64")])
        <Platform('linux/x86_64')>
        >>> print(m.best([Platform("linux", "arm64")]))
        None
        """
        ranked = self.rank(candidates)
        return ranked[0] if ranked else None

    def __repr__(self) -> str:
        """Shows the target and strictness.

        >>> PlatformMatcher("linux/arm64", strict=True)
        PlatformMatcher('linux/arm64', strict=True)
        """
        strict = ", strict=True" if self._strict else ""
        return f"{type(self).__name__}({self._target.format_all()!r}{strict})"
