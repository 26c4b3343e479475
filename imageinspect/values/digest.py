"""Content digests: ``sha256:<64 hex>`` and ``sha512:<128 hex>``.

>>> d = Digest.of(b"{}")
>>> d
<Digest('sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a')>
>>> d == "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"
True
>>> d.algorithm, d.encoded[:12]
('sha256', '44136fa355b3')
"""

from __future__ import annotations

import hashlib
import re
from typing import Final, Literal

from imageinspect.errors import InvalidDigest

__all__ = ["ALGORITHMS", "Algorithm", "Digest", "Digester"]

Algorithm = Literal["sha256", "sha512"]

#: Registered algorithms and the length of their hex encoding (go-digest's
#: canonical set; sha384 and blake3 are opt-in there and not supported here).
ALGORITHMS: Final[dict[str, int]] = {"sha256": 64, "sha512": 128}

# OCI image-spec descriptor.md: algorithm-component ([a-z0-9]+) separated by [+._-].
_GRAMMAR = re.compile(r"([a-z0-9]+(?:[+._-][a-z0-9]+)*):([a-zA-Z0-9=_-]+)\Z")
_HEX = re.compile(r"[0-9a-f]+\Z")


def _shown(value: str) -> str:
    """A digest as quoted in an error (long ones shortened)."""
    return value if len(value) <= 40 else value[:15] + "…"


class Digest(str):
    """A validated content digest. It *is* a ``str``, so it compares, hashes
    and serialises like the plain string it was made from.

    >>> Digest("sha256:" + "a" * 64).encoded == "a" * 64
    True
    >>> Digest("sha256:" + "A" * 64)
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidDigest: $: invalid digest 'sha256:AAAAAAAA…': sha256 needs 64 lower-case hex digits
    >>> Digest("md5:d41d8cd98f00b204e9800998ecf8427e")
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidDigest: $: invalid digest 'md5:d41d8cd98f00b204e9800998ecf8427e': unsupported algorithm 'md5' (supported: sha256, sha512)
    """

    __slots__ = ()

    def __new__(cls, value: str) -> Digest:
        if type(value) is cls:
            return value
        if not isinstance(value, str):
            raise InvalidDigest(f"expected a digest string, got {type(value).__name__}")
        match = _GRAMMAR.match(value)
        if match is None:
            raise InvalidDigest(f"invalid digest {_shown(value)!r}: expected 'algorithm:hex'")
        algorithm, encoded = match.groups()
        length = ALGORITHMS.get(algorithm)
        if length is None:
            supported = ", ".join(ALGORITHMS)
            raise InvalidDigest(
                f"invalid digest {_shown(value)!r}: unsupported algorithm {algorithm!r} (supported: {supported})"
            )
        if len(encoded) != length or _HEX.match(encoded) is None:
            raise InvalidDigest(f"invalid digest {_shown(value)!r}: {algorithm} needs {length} lower-case hex digits")
        return super().__new__(cls, value)

    @classmethod
    def of(cls, data: bytes | bytearray | memoryview, algorithm: Algorithm = "sha256") -> Digest:
        """The digest of ``data``.

        >>> Digest.of(b"", "sha512").encoded[:16]
        'cf83e1357eefb8bd'
        """
        if algorithm not in ALGORITHMS:
            Digester(algorithm)  # raises the unsupported-algorithm error
        # well-formed by construction: no need to check the grammar again
        return str.__new__(cls, f"{algorithm}:{_HASHES[algorithm](data).hexdigest()}")

    @classmethod
    def from_hex(cls, encoded: str, algorithm: Algorithm = "sha256") -> Digest:
        """Build a digest from its hex part, as found in ``blobs/sha256/<hex>``
        paths or in podman's ``Id``.

        >>> Digest.from_hex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        <Digest('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')>
        """
        return cls(f"{algorithm}:{encoded}")

    @property
    def algorithm(self) -> Algorithm:
        """The algorithm part.

        >>> Digest.of(b"x").algorithm
        'sha256'
        """
        algorithm = self.partition(":")[0]
        return "sha512" if algorithm == "sha512" else "sha256"

    @property
    def encoded(self) -> str:
        """The hex part.

        >>> Digest.of(b"x").encoded[:8]
        '2d711642'
        """
        return self.partition(":")[2]

    @property
    def short(self) -> str:
        """The 12-character short form Docker prints for image IDs.

        >>> Digest.of(b"x").short
        '2d711642b726'
        """
        return self.encoded[:12]

    def verify(self, data: bytes | bytearray | memoryview) -> bool:
        """True when ``data`` hashes to this digest.

        >>> Digest.of(b"abc").verify(b"abc"), Digest.of(b"abc").verify(b"abd")
        (True, False)
        """
        return Digest.of(data, self.algorithm) == self

    def __repr__(self) -> str:
        return f"<Digest({str.__repr__(self)})>"

    def __reduce__(self) -> tuple[type[Digest], tuple[str]]:
        return (Digest, (str(self),))


_HASHES: Final = {"sha256": hashlib.sha256, "sha512": hashlib.sha512}


class Digester:
    """Streaming digest computation; feed it chunks, then ask for the digest.

    >>> d = Digester()
    >>> d.update(b"{")
    >>> d.update(b"}")
    >>> d.digest() == Digest.of(b"{}"), d.size
    (True, 2)
    """

    __slots__ = ("_hash", "algorithm", "size")

    def __init__(self, algorithm: Algorithm = "sha256") -> None:
        if algorithm not in ALGORITHMS:
            supported = ", ".join(ALGORITHMS)
            raise InvalidDigest(f"unsupported algorithm {algorithm!r} (supported: {supported})")
        self.algorithm: Algorithm = algorithm
        self._hash = hashlib.new(algorithm)
        self.size = 0

    def update(self, chunk: bytes | bytearray | memoryview) -> None:
        """Add ``chunk`` to the digest.

        >>> d = Digester()
        >>> d.update(memoryview(b"abc"))
        >>> d.size
        3
        """
        self._hash.update(chunk)
        self.size += len(chunk)

    def digest(self) -> Digest:
        """The digest of everything fed so far (feeding may continue).

        >>> Digester().digest() == Digest.of(b"")
        True
        """
        return str.__new__(Digest, f"{self.algorithm}:{self._hash.hexdigest()}")
