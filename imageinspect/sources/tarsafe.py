"""Reading tar archives safely: index the headers once, never extract.

A :class:`TarIndex` walks the headers of an archive once (seeking over member
data when the file is seekable), validates every member name, and afterwards
serves members by name: small metadata members as bytes, blobs as streams.
Members are never written to disk. Symbolic and hard links are followed only
inside the archive. Compressed archives (gzip, xz, zstd) are read as a stream:
metadata members are kept in memory during the one indexing pass, and a blob
is read by streaming the archive again.

Every problem raises :class:`~imageinspect.errors.ArchiveError` whose location
names the archive and the member (``image.tar!manifest.json``).
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import posixpath
import tarfile
from typing import IO, Final

import attrs

from imageinspect.errors import ArchiveError, LimitExceeded

__all__ = ["Limits", "Member", "TarIndex", "normalize_member_name"]

_GZIP: Final = b"\x1f\x8b"
_XZ: Final = b"\xfd7zXZ\x00"
_ZSTD: Final = b"\x28\xb5\x2f\xfd"
_BZIP2: Final = b"BZh"


@attrs.frozen
class Limits:
    """Bounds that keep hostile archives from exhausting the machine.

    >>> Limits().max_metadata_size
    16777216
    """

    #: Largest JSON member read into memory (configs, manifests, indexes).
    max_metadata_size: int = 16 * 1024 * 1024
    #: Most members an archive may have.
    max_members: int = 1_000_000
    #: Largest size a decompressed stream may reach, in bytes.
    max_decompressed_size: int = 1 << 40
    #: Largest ratio of decompressed to compressed bytes.
    max_ratio: int = 1000
    #: Most link hops followed to resolve one member.
    max_link_hops: int = 16


@attrs.frozen
class Member:
    """One indexed archive member."""

    name: str
    size: int
    offset_data: int
    kind: str  # "file", "dir", "symlink", "hardlink", "other"
    linkname: str = ""


def normalize_member_name(name: str, archive: str) -> str:
    """A member name as a clean relative path, or an :class:`ArchiveError`
    for absolute paths and ``..`` escapes.

    >>> normalize_member_name("./blobs//sha256/ab", "x.tar")
    'blobs/sha256/ab'
    >>> normalize_member_name("../etc/passwd", "x.tar")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: x.tar!../etc/passwd: member path escapes the archive
    """
    if name.startswith("/") or "\x00" in name:
        raise ArchiveError("absolute member path", f"{archive}!{name}")
    clean = posixpath.normpath(name)
    if clean == "." or clean == "":
        return ""
    if clean.startswith("../") or clean == "..":
        raise ArchiveError("member path escapes the archive", f"{archive}!{name}")
    return clean


def compression_of(head: bytes) -> str | None:
    """The compression the first bytes of a blob show, or ``None`` for none.

    >>> compression_of(b"\\x1f\\x8b\\x08"), compression_of(b"BZh9"), compression_of(b"ustar")
    ('gzip', 'bzip2', None)
    """
    if head.startswith(_GZIP):
        return "gzip"
    if head.startswith(_XZ):
        return "xz"
    if head.startswith(_ZSTD):
        return "zstd"
    if head.startswith(_BZIP2):
        return "bzip2"
    return None


def stream_compression(stream: IO[bytes]) -> str | None:
    """The compression of a buffered stream, told without consuming it
    (``None`` for streams that cannot peek).

    >>> stream_compression(io.BufferedReader(io.BytesIO(b"\\x28\\xb5\\x2f\\xfd...")))
    'zstd'
    """
    peek = getattr(stream, "peek", None)
    return None if peek is None else compression_of(peek(8)[:8])


def decompressor(kind: str, raw: IO[bytes]) -> IO[bytes]:
    """A streaming decompressor for ``kind`` (gzip, xz, zstd, bzip2).

    zstd needs the optional ``zstandard`` package (``pip install
    'imageinspect[zstd]'``).
    """
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if kind == "xz":
        return lzma.LZMAFile(raw, "rb")
    if kind == "bzip2":
        return bz2.BZ2File(raw, "rb")
    if kind == "zstd":
        try:
            import zstandard
        except ImportError:
            raise ArchiveError(
                "zstd-compressed data needs the optional 'zstandard' package: pip install 'imageinspect[zstd]'"
            ) from None
        reader: IO[bytes] = zstandard.ZstdDecompressor().stream_reader(raw, read_across_frames=True)
        return reader
    raise ArchiveError(f"unknown compression {kind!r}")  # pragma: no cover


class _Bounded(io.RawIOBase):
    """A reader that fails once more than ``limit`` bytes came out of a
    decompressor, or the output outgrows ``ratio`` times its input."""

    def __init__(self, inner: IO[bytes], counted: _Counting | None, limits: Limits, where: str) -> None:
        self._inner = inner
        self._counted = counted
        self._limits = limits
        self._where = where
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.produced += n
        if self.produced > self._limits.max_decompressed_size:
            raise LimitExceeded(f"decompressed data exceeds {self._limits.max_decompressed_size} bytes", self._where)
        if self._counted is not None and self.produced > 1 << 20:
            consumed = max(self._counted.consumed, 1)
            if self.produced > consumed * self._limits.max_ratio:
                raise LimitExceeded(
                    f"decompression ratio over {self._limits.max_ratio}:1 (a decompression bomb?)", self._where
                )
        return n


class _Counting(io.RawIOBase):
    """Counts the compressed bytes a decompressor consumed."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def bounded_decompressor(kind: str, raw: IO[bytes], limits: Limits, where: str) -> IO[bytes]:
    """:func:`decompressor` with the size and ratio limits applied."""
    counting = _Counting(raw)
    inner = decompressor(kind, io.BufferedReader(counting, 1 << 16))
    return io.BufferedReader(_Bounded(inner, counting, limits, where), 1 << 16)


class TarIndex:
    """The members of one tar archive (plain or compressed), by name.

    Use as a context manager; every handle is closed on exit, errors included.
    """

    def __init__(self, path: str | os.PathLike[str], limits: Limits | None = None) -> None:
        self.path = os.fspath(path)
        self.name = os.path.basename(self.path)
        self.limits = limits or Limits()
        self.members: dict[str, Member] = {}
        self._cache: dict[str, bytes] = {}
        self._file: IO[bytes] | None = None
        try:
            self._file = open(self.path, "rb")  # noqa: SIM115 - closed in close()
        except OSError as err:
            raise ArchiveError(f"cannot open: {err.strerror}", self.path) from None
        try:
            head = self._file.read(8)
            self.compression = compression_of(head)
            self._file.seek(0)
            self._index()
        except BaseException:
            self.close()
            raise

    def where(self, member: str = "") -> str:
        """The location text of a member (``archive.tar!member``)."""
        return f"{self.name}!{member}" if member else self.name

    # -- indexing --------------------------------------------------------

    def _stream(self) -> IO[bytes]:
        assert self._file is not None
        self._file.seek(0)
        if self.compression is None:
            return self._file
        return bounded_decompressor(self.compression, self._file, self.limits, self.name)

    def _open_tar(self, stream: IO[bytes]) -> tarfile.TarFile:
        mode = "r:" if self.compression is None else "r|"
        try:
            return tarfile.open(fileobj=stream, mode=mode)  # type: ignore[call-overload,no-any-return]
        except tarfile.ReadError as err:
            raise ArchiveError(f"not a tar archive ({err})", self.name) from None

    def _index(self) -> None:
        stream = self._stream()
        tar = self._open_tar(stream)
        count = 0
        try:
            while True:
                try:
                    info = tar.next()
                except tarfile.TarError as err:
                    raise ArchiveError(f"corrupt or truncated tar ({err})", self.name) from None
                except EOFError:
                    raise ArchiveError("truncated tar", self.name) from None
                if info is None:
                    break
                count += 1
                if count > self.limits.max_members:
                    raise LimitExceeded(f"more than {self.limits.max_members} members", self.name)
                name = normalize_member_name(info.name, self.name)
                if not name:
                    continue
                kind = (
                    "file" if info.isreg() else "dir" if info.isdir() else "symlink" if info.issym()
                    else "hardlink" if info.islnk() else "other"
                )  # fmt: skip
                if name in self.members and kind != "dir" and self.members[name].kind != "dir":
                    raise ArchiveError("duplicate member", self.where(name))
                self.members[name] = Member(name, info.size, info.offset_data, kind, info.linkname)
                if (
                    self.compression is not None
                    and kind == "file"
                    and _is_metadata(name, info.size, self.limits.max_metadata_size)
                ):
                    extracted = tar.extractfile(info)
                    assert extracted is not None
                    data = extracted.read()
                    if len(data) != info.size:
                        raise ArchiveError("truncated member", self.where(name))
                    self._cache[name] = data
            if self.compression is None:
                assert self._file is not None
                end = os.fstat(self._file.fileno()).st_size
                for member in self.members.values():
                    if member.kind == "file" and member.offset_data + member.size > end:
                        raise ArchiveError("truncated member (archive ends inside it)", self.where(member.name))
        finally:
            tar.close()

    # -- access -----------------------------------------------------------

    def resolve(self, name: str) -> Member:
        """The regular-file member ``name`` refers to, following links that
        stay inside the archive."""
        seen = 0
        current = normalize_member_name(name, self.name)
        while True:
            member = self.members.get(current)
            if member is None:
                raise ArchiveError("missing member", self.where(current))
            if member.kind == "file":
                return member
            if member.kind not in ("symlink", "hardlink"):
                raise ArchiveError(f"expected a regular file, found a {member.kind}", self.where(current))
            seen += 1
            if seen > self.limits.max_link_hops:
                raise ArchiveError("too many link hops (a loop?)", self.where(name))
            target = member.linkname
            if member.kind == "symlink":
                if target.startswith("/"):
                    raise ArchiveError("symlink points outside the archive", self.where(current))
                target = posixpath.join(posixpath.dirname(current), target)
            try:
                current = normalize_member_name(target, self.name)
            except ArchiveError:
                raise ArchiveError("link points outside the archive", self.where(current)) from None

    def present(self, name: str) -> bool:
        """True if the archive has a member called ``name``, of any kind."""
        try:
            return normalize_member_name(name, self.name) in self.members
        except ArchiveError:
            return False

    def size(self, name: str) -> int:
        """The size of the regular file ``name`` refers to."""
        return self.resolve(name).size

    def member_kind(self, name: str) -> str:
        """``file``, ``dir``, ``symlink``, ``hardlink`` or ``other`` (links
        not followed).

        >>> with TarIndex("tests/data/golden/edge/pre-1.10.tar") as tar:
        ...     tar.member_kind("repositories")
        'file'
        """
        member = self.members.get(normalize_member_name(name, self.name))
        if member is None:
            raise ArchiveError("missing member", self.where(name))
        return member.kind

    def names(self) -> list[str]:
        """Every member's (normalized) name, in archive order.

        >>> with TarIndex("tests/data/golden/edge/pre-1.10.tar") as tar:
        ...     tar.names()[-1]
        'repositories'
        """
        return list(self.members)

    def exists(self, name: str) -> bool:
        """True if ``name`` (after following links) is a regular file."""
        try:
            self.resolve(name)
        except ArchiveError:
            return False
        return True

    def read(self, name: str, *, follow_links: bool = True) -> bytes:
        """A small member's bytes (bounded by ``max_metadata_size``). With
        ``follow_links=False`` a link is an error (metadata files must be
        regular files)."""
        member = self.resolve(name) if follow_links else self._plain(name)
        if member.size > self.limits.max_metadata_size:
            raise LimitExceeded(
                f"member is {member.size} bytes, over the metadata limit of {self.limits.max_metadata_size}",
                self.where(member.name),
            )
        cached = self._cache.get(member.name)
        if cached is not None:
            return cached
        with self.open(member.name) as stream:
            data = stream.read(member.size + 1)
        if len(data) != member.size:
            raise ArchiveError("truncated member", self.where(member.name))
        return data

    def _plain(self, name: str) -> Member:
        clean = normalize_member_name(name, self.name)
        member = self.members.get(clean)
        if member is None:
            raise ArchiveError("missing member", self.where(clean))
        if member.kind in ("symlink", "hardlink"):
            raise ArchiveError(f"metadata member is a {member.kind}", self.where(clean))
        if member.kind != "file":
            raise ArchiveError(f"expected a regular file, found a {member.kind}", self.where(clean))
        return member

    def open(self, name: str) -> IO[bytes]:
        """A stream of a member's bytes (following links inside the archive).
        Seekable archives are read in place; compressed ones are streamed."""
        member = self.resolve(name)
        if self.compression is None:
            assert self._file is not None
            return io.BufferedReader(_Slice(self.path, member.offset_data, member.size), 1 << 16)
        stream = self._stream()
        tar = self._open_tar(stream)
        for info in tar:
            if normalize_member_name(info.name, self.name) == member.name:
                extracted = tar.extractfile(info)
                assert extracted is not None
                return io.BufferedReader(_ClosingReader(extracted, tar), 1 << 16)
        tar.close()
        raise ArchiveError("member vanished on the second read", self.where(member.name))  # pragma: no cover

    def close(self) -> None:
        """Close the archive file."""
        if self._file is not None:
            self._file.close()
            self._file = None

    def __enter__(self) -> TarIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_SMALL_BLOB: Final = 1 << 20


def _is_metadata(name: str, size: int, limit: int) -> bool:
    """Members kept in memory while a compressed archive is indexed: the JSON
    an image is made of, up to the metadata limit ``read()`` enforces (blobs
    only when small; layers are streamed again)."""
    base = posixpath.basename(name)
    if base in ("manifest.json", "index.json", "oci-layout", "repositories", "json", "VERSION"):
        return size <= limit
    return (base.endswith(".json") or name.startswith("blobs/") or ":" in base) and size <= min(_SMALL_BLOB, limit)


class _Slice(io.RawIOBase):
    """A read-only, seekable window on a file: its own handle, so readers do
    not share a file position."""

    def __init__(self, path: str, start: int, size: int) -> None:
        self._file = open(path, "rb")  # noqa: SIM115 - closed in close()
        self._file.seek(start)
        self._start = start
        self._size = size
        self._left = size

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._size - self._left

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._size - self._left, 2: self._size}[whence]
        position = min(max(base + offset, 0), self._size)
        self._file.seek(self._start + position)
        self._left = self._size - position
        return position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._left <= 0:
            return 0
        n = self._file.readinto(memoryview(buffer)[: min(len(buffer), self._left)])
        if not n:
            raise ArchiveError("archive ends inside a member")
        self._left -= n
        return n

    def close(self) -> None:
        self._file.close()
        super().close()


class _ClosingReader(io.RawIOBase):
    def __init__(self, inner: IO[bytes], tar: tarfile.TarFile) -> None:
        self._inner = inner
        self._tar = tar

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._tar.close()
        super().close()
