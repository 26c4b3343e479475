"""Compressed blobs and archives: telling the compression from the first
bytes, and decompressing as a stream within :class:`~imageinspect.sources.limits.Limits`.

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

from .limits import Limits

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


class _Zstd(io.RawIOBase):
    """zstd frames one after another; a frame cut short is an error (the
    ``zstandard`` stream reader would end quietly)."""

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._zstandard = zstandard
        self._raw = raw
        self._obj = zstandard.ZstdDecompressor().decompressobj()
        self._pending = b""
        self._started = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        while not self._pending:
            chunk = self._raw.read(1 << 16)
            if not chunk:
                if self._started and not self._obj.eof:
                    raise EOFError("zstd frame ended before its end")
                return 0
            self._started = True
            self._pending = self._feed(chunk)
        n = min(len(buffer), len(self._pending))
        memoryview(buffer)[:n] = self._pending[:n]
        self._pending = self._pending[n:]
        return n

    def _feed(self, chunk: bytes) -> bytes:
        out = []
        while chunk:
            if self._obj.eof:
                self._obj = self._zstandard.ZstdDecompressor().decompressobj()
            out.append(self._obj.decompress(chunk))
            chunk = self._obj.unused_data if self._obj.eof else b""
        return b"".join(out)


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
