"""Compressed blobs and archives: telling the compression from the first
bytes, and decompressing as a stream within :class:`~imageinspect.sources.storage.limits.Limits`.

Every decompressor's own failure (``BadGzipFile``, ``EOFError``,
``LZMAError``, ``zlib.error``, ``ZstdError``, ``OSError``) becomes an
:class:`~imageinspect.errors.ArchiveError` that names the blob, and a stream
that ends early is an error, not a short read: a reader asked again after
the end (as Python's tarfile does while skipping a member whose size claim
runs past the data) fails at once instead of spinning.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import zlib
from typing import IO, Final

from imageinspect.errors import ArchiveError, ImageInspectError, LimitExceeded, MissingDependency
from imageinspect.sources.storage.limits import Limits

__all__ = ["bounded_decompressor", "compression_of", "decompressor", "stream_compression"]

_GZIP: Final = b"\x1f\x8b"
_XZ: Final = b"\xfd7zXZ\x00"
_ZSTD: Final = b"\x28\xb5\x2f\xfd"
_BZIP2: Final = b"BZh"


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


#: The first bytes of a zstd frame, and of a skippable frame (any last nibble).
_ZSTD_FRAME: Final = 0xFD2FB528
_SKIPPABLE_MASK: Final = 0xFFFFFFF0
_SKIPPABLE: Final = 0x184D2A50


class _Zstd(io.RawIOBase):
    """zstd frames one after another, fed to the decoder one block at a
    time: each step makes at most one block's output (128 KiB by the
    format; the decoder refuses more), so a small frame cannot expand into
    gigabytes before any limit looks, and a frame cut short is an error
    (the ``zstandard`` stream readers end quietly). The frame layout
    (RFC 8878 section 3.1) is read here; the decoding is ``zstandard``'s.
    """

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._zstandard = zstandard
        self._raw = raw
        self._obj: object | None = None
        self._pending = b""
        self._pos = 0
        self._blocks_left = False  # inside a frame: blocks still to come
        self._checksum = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while self._pos >= len(self._pending):
            step = self._next_step()
            if step is None:
                return 0
            self._pending = self._decode(step)
            self._pos = 0
        n = min(len(buffer), len(self._pending) - self._pos)
        memoryview(buffer)[:n] = memoryview(self._pending)[self._pos : self._pos + n]
        self._pos += n
        return n

    def _exactly(self, n: int, *, at_start: bool = False) -> bytes:
        """``n`` bytes of input; ``b""`` at a clean end before a frame."""
        parts: list[bytes] = []
        got = 0
        while got < n:
            chunk = self._raw.read(n - got)
            if not chunk:
                if at_start and got == 0:
                    return b""
                raise EOFError("zstd frame ended before its end")
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def _decode(self, data: bytes) -> bytes:
        if self._obj is None:
            self._obj = self._zstandard.ZstdDecompressor().decompressobj()
        out: bytes = self._obj.decompress(data)  # type: ignore[attr-defined]
        return out

    def _next_step(self) -> bytes | None:
        """The next piece to feed the decoder: a frame's header with its
        first block, or one more block; ``None`` at the end of the input."""
        while not self._blocks_left:
            magic = self._exactly(4, at_start=True)
            if not magic:
                return None
            number = int.from_bytes(magic, "little")
            if number & _SKIPPABLE_MASK == _SKIPPABLE:
                size = int.from_bytes(self._exactly(4), "little")
                self._skip(size)
                continue
            if number != _ZSTD_FRAME:
                raise ValueError("not a zstd frame")
            header = magic + self._frame_header()
            self._obj = None
            self._blocks_left = True
            return header + self._block()
        return self._block()

    def _frame_header(self) -> bytes:
        descriptor = self._exactly(1)
        flags = descriptor[0]
        single_segment = bool(flags & 0x20)
        self._checksum = bool(flags & 0x04)
        size = (0 if single_segment else 1) + (0, 1, 2, 4)[flags & 0x03]
        size += (1 if single_segment else 0, 2, 4, 8)[flags >> 6]
        return descriptor + self._exactly(size)

    def _block(self) -> bytes:
        header = self._exactly(3)
        value = int.from_bytes(header, "little")
        last, kind, size = value & 1, (value >> 1) & 3, value >> 3
        body = self._exactly(1 if kind == 1 else size)
        if last:
            self._blocks_left = False
            return header + body + (self._exactly(4) if self._checksum else b"")
        return header + body

    def _skip(self, size: int) -> None:
        while size:
            chunk = self._raw.read(min(size, 1 << 16))
            if not chunk:
                raise EOFError("zstd skippable frame ended before its end")
            size -= len(chunk)


def decompressor(kind: str, raw: IO[bytes]) -> IO[bytes]:
    """A streaming decompressor for ``kind`` (gzip, xz, zstd, bzip2), with
    the decompressor's own errors (see :func:`bounded_decompressor` for
    located ones).

    zstd needs the optional ``zstandard`` package (``pip install
    'imageinspect[zstd]'``); without it, this is a clear error.

    >>> decompressor("gzip", io.BytesIO(gzip.compress(b"hi"))).read()
    b'hi'
    """
    if kind == "gzip":
        return gzip.GzipFile(fileobj=raw, mode="rb")  # type: ignore[return-value]
    if kind == "xz":
        return lzma.LZMAFile(raw, "rb")
    if kind == "bzip2":
        return bz2.BZ2File(raw, "rb")
    if kind == "zstd":
        try:
            import zstandard  # noqa: F401 - checked here, used by _Zstd
        except ImportError:
            raise MissingDependency(
                "zstd-compressed data needs the optional 'zstandard' package: pip install 'imageinspect[zstd]'"
            ) from None
        return io.BufferedReader(_Zstd(raw), 1 << 16)
    raise ArchiveError(f"unknown compression {kind!r}")  # pragma: no cover


def _decoder_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError, EOFError, ValueError, lzma.LZMAError, zlib.error]
    try:
        import zstandard

        errors.append(zstandard.ZstdError)
    except ImportError:
        pass
    return tuple(errors)


_DECODER_ERRORS: Final = _decoder_errors()
#: Reads at the end a reader answers with b"" before calling it a runaway
#: (buffered readers look a couple of times; a skip loop keeps asking).
_EMPTY_READS: Final = 8


class _Bounded(io.RawIOBase):
    """A decompressor's output within the limits: more than
    ``max_decompressed_size`` bytes, a ratio over ``max_ratio``, a corrupt
    stream, or reading on and on after the end raise located errors."""

    def __init__(self, inner: IO[bytes], counted: _Counting | None, kind: str, limits: Limits, where: str) -> None:
        self._inner = inner
        self._counted = counted
        self._kind = kind
        self._limits = limits
        self._where = where
        self._empty_reads = 0
        self.produced = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._empty_reads >= _EMPTY_READS and len(buffer):
            raise ArchiveError(
                f"{self._kind} data ends inside a member (truncated, or a size claimed beyond the data)", self._where
            )
        try:
            data = self._inner.read(len(buffer))
        except ImageInspectError:
            raise
        except _DECODER_ERRORS as err:
            raise ArchiveError(f"corrupt or truncated {self._kind} data ({err})", self._where) from None
        n = len(data)
        if not n:
            self._empty_reads += 1
            return 0
        self._empty_reads = 0
        memoryview(buffer)[:n] = data
        self.produced += n
        if self.produced > self._limits.max_decompressed_size:
            raise LimitExceeded(f"decompressed data exceeds {self._limits.max_decompressed_size} bytes", self._where)
        if self._counted is not None and self.produced > self._limits.ratio_from:
            consumed = max(self._counted.consumed, 1)
            if self.produced > consumed * self._limits.max_ratio:
                raise LimitExceeded(
                    f"decompression ratio over {self._limits.max_ratio}:1 (a decompression bomb?)", self._where
                )
        return n

    def close(self) -> None:
        self._inner.close()
        super().close()


class _Counting(io.RawIOBase):
    """Counts the compressed bytes a decompressor consumed."""

    def __init__(self, inner: IO[bytes]) -> None:
        self._inner = inner
        self.consumed = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._inner.read(len(buffer))
        memoryview(buffer)[: len(data)] = data
        self.consumed += len(data)
        return len(data)


def bounded_decompressor(kind: str, raw: IO[bytes], limits: Limits, where: str) -> IO[bytes]:
    """:func:`decompressor` within ``limits``, its failures located at
    ``where``.

    >>> stream = bounded_decompressor("gzip", io.BytesIO(gzip.compress(b"hello")[:-4]), Limits(), "x.tar!l")
    >>> stream.read()
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: x.tar!l: corrupt or truncated gzip data (Compressed file ended before the end-of-stream marker was reached)
    """
    counting = _Counting(raw)
    try:
        inner = decompressor(kind, io.BufferedReader(counting, 1 << 16))
    except MissingDependency as err:
        raise MissingDependency(err.message, where) from None
    return io.BufferedReader(_Bounded(inner, counting, kind, limits, where), 1 << 16)
