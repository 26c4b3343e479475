"""A tar archive's members by name: headers indexed once, nothing extracted.

A :class:`TarIndex` walks the headers of an archive once (with the
project's own reader, :mod:`~imageinspect.sources.storage.tarheader`), validates every
member name, and afterwards serves members by name: small metadata members as
bytes, blobs as streams read in place. A compressed archive (gzip, xz, zstd,
bzip2) is decompressed once, into an anonymous temporary file, and then read
like a plain one: N layers cost one decompression, not N. Symbolic and hard
links are followed only inside the archive.

Every problem raises :class:`~imageinspect.errors.ArchiveError` whose location
names the archive and the member (``image.tar!manifest.json``).
"""

from __future__ import annotations

import io
import os
import posixpath
import stat
import tempfile
from collections.abc import Callable
from typing import IO

import attrs

from imageinspect.errors import ArchiveError, LimitExceeded
from imageinspect.sources.storage.compression import bounded_decompressor, compression_of
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarheader import read_entries, shown

__all__ = ["Member", "Progress", "TarIndex", "normalize_member_name", "shown"]


#: ``progress(phase, done, total)``: bytes done of ``total`` (0 when unknown)
#: in a phase of long work (``"decompressing"``, ``"reading"``).
Progress = Callable[[str, int, int], object]


@attrs.frozen
class Member:
    """One indexed archive member."""

    name: str
    size: int
    offset_data: int
    kind: str  # "file", "dir", "symlink", "hardlink", "sparse", "other"
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
        raise ArchiveError("absolute member path", f"{archive}!{shown(name)}")
    clean = posixpath.normpath(name)
    if clean == "." or clean == "":
        return ""
    if clean.startswith("../") or clean == "..":
        raise ArchiveError("member path escapes the archive", f"{archive}!{shown(name)}")
    return clean


class TarIndex:
    """The members of one tar archive (plain or compressed), by name.

    Use as a context manager; every handle is closed on exit, errors included.

    >>> with TarIndex("tests/data/golden/edge/pre-1.10.tar") as tar:
    ...     tar.compression, tar.size("repositories")
    (None, 95)
    """

    def __init__(
        self,
        source: str | os.PathLike[str] | IO[bytes],
        limits: Limits | None = None,
        progress: Progress | None = None,
        *,
        name: str | None = None,
    ) -> None:
        self._progress = progress
        self._read = 0  # bytes of members read, for progress
        self._total = 0  # the (decompressed) archive's size, once known
        self.limits = limits or Limits()
        self.members: dict[str, Member] = {}
        self.compression: str | None = None
        self._file: IO[bytes] | None = None
        #: Whether closing the index closes the file (not a caller's file object).
        self._owned = True
        if isinstance(source, (str, os.PathLike)):
            self.path = os.fspath(source)
            self.name = name or os.path.basename(self.path)
            self._file = self._open(self.path)
        else:
            self.path = name or _name_of(source)
            self.name = os.path.basename(self.path) or self.path
            self._file, self._owned = self._adopt(source)
        try:
            self.compression = compression_of(self._file.read(8))
            self._file.seek(0)
            if self.compression is not None:
                self._file = self._spool(self._file)
                self._owned = True
            self._index()
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _open(path: str) -> IO[bytes]:
        try:
            info = os.stat(path)
        except OSError as err:
            raise ArchiveError(f"cannot open: {err.strerror}", path) from None
        if not stat.S_ISREG(info.st_mode):
            raise ArchiveError("not a regular file (a FIFO, device or socket is not read)", path)
        try:
            return open(path, "rb")
        except OSError as err:
            raise ArchiveError(f"cannot open: {err.strerror}", path) from None

    def _adopt(self, file: IO[bytes]) -> tuple[IO[bytes], bool]:
        """A caller's binary file object: read in place when it can seek (and
        left open), else copied once into an anonymous temporary file of at
        most ``max_decompressed_size`` bytes."""
        if not hasattr(file, "read") or isinstance(file, io.TextIOBase):
            raise ArchiveError("expected a path, bytes or a binary file object", self.path)
        try:
            seekable = file.seekable()
            if seekable:
                file.seek(0)
        except (OSError, ValueError) as err:
            raise ArchiveError(f"cannot read: {err}", self.path) from None
        if seekable:
            return file, False
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - becomes self._file, closed in close()
        try:
            copied = 0
            while chunk := file.read(1 << 20):
                copied += len(chunk)
                if copied > self.limits.max_decompressed_size:
                    raise LimitExceeded(
                        f"the stream holds more than {self.limits.max_decompressed_size} bytes", self.path
                    )
                spool.write(chunk)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        return spool, True

    def where(self, member: str = "") -> str:
        """The location text of a member (``archive.tar!member``)."""
        return f"{self.name}!{shown(member)}" if member else self.name

    # -- indexing --------------------------------------------------------

    def _spool(self, raw: IO[bytes]) -> IO[bytes]:
        """The decompressed archive, in an anonymous temporary file: the one
        decompression pass."""
        assert self.compression is not None
        spool = tempfile.TemporaryFile()  # noqa: SIM115 - becomes self._file, closed in close()
        try:
            total = _size(raw)
            with bounded_decompressor(self.compression, raw, self.limits, self.name) as stream:
                while chunk := stream.read(1 << 20):
                    spool.write(chunk)
                    if self._progress is not None:
                        self._progress("decompressing", min(raw.tell(), total), total)
            spool.seek(0)
        except BaseException:
            spool.close()
            raise
        finally:
            if self._owned:
                raw.close()
        return spool

    def _index(self) -> None:
        """Every member's header, read once by :func:`read_entries` (data
        skipped by seeking); names validated, duplicates refused."""
        assert self._file is not None
        self._file.seek(0)
        count = 0
        for entry in read_entries(self._file, self.name, self.limits):
            count += 1
            if count > self.limits.max_members:
                raise LimitExceeded(f"more than {self.limits.max_members} members", self.name)
            name = normalize_member_name(entry.name, self.name)
            if not name:
                continue
            known = self.members.get(name)
            if known is not None and not (entry.kind == "dir" and known.kind == "dir"):
                raise ArchiveError("duplicate member", self.where(name))
            self.members[name] = Member(name, entry.size, entry.offset_data, entry.kind, entry.linkname)

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
                raise ArchiveError(f"expected a regular file, found a {member.kind} member", self.where(current))
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
        """``file``, ``dir``, ``symlink``, ``hardlink``, ``sparse`` or
        ``other`` (links not followed).

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
        """A member's bytes, bounded by ``max_metadata_size``. With
        ``follow_links=False`` a link is an error (metadata files must be
        regular files)."""
        member = self.resolve(name) if follow_links else self._plain(name)
        if member.size > self.limits.max_metadata_size:
            raise LimitExceeded(
                f"member is {member.size} bytes, over the metadata limit of {self.limits.max_metadata_size}",
                self.where(member.name),
            )
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
            raise ArchiveError(f"expected a regular file, found a {member.kind} member", self.where(clean))
        return member

    def open(self, name: str) -> IO[bytes]:
        """A stream of a member's bytes (following links inside the archive),
        read in place."""
        member = self.resolve(name)
        if self._file is None:
            raise ArchiveError("the archive is closed", self.where(member.name))
        count = None if self._progress is None else self._count  # nothing added to reads nobody watches
        window = _Slice(self._file, member.offset_data, member.size, self.where(member.name), count)
        return io.BufferedReader(window, 1 << 16)

    def _count(self, n: int) -> None:
        """Report ``n`` more member bytes read (capped at the archive's size:
        a layer read twice does not go past 100%)."""
        if self._progress is not None and self._file is not None:  # (only called with a progress)
            if not self._total:
                self._total = _size(self._file)
            self._read = min(self._read + n, self._total)
            self._progress("reading", self._read, self._total)

    def close(self) -> None:
        """Close the archive file (and drop the decompressed copy)."""
        if self._file is not None:
            if self._owned:
                self._file.close()
            self._file = None

    def __enter__(self) -> TarIndex:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _name_of(file: IO[bytes]) -> str:
    """What locations call a file object: its file's name, else ``<stream>``.

    >>> _name_of(io.BytesIO(b""))
    '<stream>'
    """
    name = getattr(file, "name", None)
    return name if isinstance(name, str) and name else "<stream>"


def _size(file: IO[bytes]) -> int:
    """A seekable file's size (its position kept)."""
    try:
        return os.fstat(file.fileno()).st_size
    except (OSError, ValueError, AttributeError, io.UnsupportedOperation):
        position = file.tell()
        end = file.seek(0, os.SEEK_END)
        file.seek(position)
        return end


class _Slice(io.RawIOBase):
    """A read-only, seekable window on a shared file: every read seeks to its
    own position first, so several windows can be read in turn."""

    def __init__(
        self, file: IO[bytes], start: int, size: int, where: str, count: Callable[[int], None] | None = None
    ) -> None:
        self._file = file
        self._count = count
        self._start = start
        self._size = size
        self._position = 0
        self._where = where

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def tell(self) -> int:
        return self._position

    def seek(self, offset: int, whence: int = 0) -> int:
        base = {0: 0, 1: self._position, 2: self._size}[whence]
        self._position = min(max(base + offset, 0), self._size)
        return self._position

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        left = self._size - self._position
        if left <= 0:
            return 0
        if self._file.closed:
            raise ArchiveError("the archive is closed", self._where)
        self._file.seek(self._start + self._position)
        n = self._file.readinto(memoryview(buffer)[: min(len(buffer), left)])  # type: ignore[attr-defined]
        if not n:
            raise ArchiveError("archive ends inside a member", self._where)
        self._position += n
        if self._count is not None:
            self._count(n)
        return int(n)
