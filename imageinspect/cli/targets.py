"""What an image argument names: ``ARCHIVE``, ``ARCHIVE:REF``, ``ARCHIVE:@N``
(skopeo's ``docker-archive:`` forms, transport prefix optional) or ``-`` for an
archive on standard input.

>>> from imageinspect import examples
>>> hello = str(examples.path("hello.tar"))
>>> split_target(f"{hello}:hello:latest") == (hello, "hello:latest")
True
>>> split_target(f"docker-archive:{hello}:@0") == (hello, "@0")
True
>>> split_target(hello) == (hello, None)
True
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from typing import IO, BinaryIO

from imageinspect.errors import ArchiveError, LimitExceeded
from imageinspect.sources.image import Image, open_image
from imageinspect.sources.storage.compression import bounded_decompressor, compression_of
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarheader import BLOCK_SIZE, is_tar_header
from imageinspect.sources.storage.tarindex import Progress

__all__ = ["open_target", "split_target", "stdin_archive"]

#: skopeo / podman transport names that may prefix an archive argument.
_TRANSPORTS = ("docker-archive:", "oci-archive:", "oci:")


def split_target(text: str) -> tuple[str, str | None]:
    """Split ``ARCHIVE[:REF|:@N]`` at the first colon after which the part
    before it exists on disk; a path that exists as given is never split.

    >>> split_target("-")
    ('-', None)
    >>> split_target("/nonexistent/x.tar:app:1")
    ('/nonexistent/x.tar:app:1', None)
    """
    if text == "-" or os.path.lexists(text):
        return text, None
    for transport in _TRANSPORTS:
        if text.startswith(transport) and os.path.lexists(text[len(transport) :].partition(":")[0]):
            text = text[len(transport) :]
            break
    if os.path.lexists(text):
        return text, None
    position = text.find(":")
    while position > 0:
        if os.path.lexists(text[:position]):
            return text[:position], text[position + 1 :] or None
        position = text.find(":", position + 1)
    return text, None


def open_target(
    text: str, ref: str | None, platform: str | None, stdin: BinaryIO | None, progress: Progress | None = None
) -> contextlib.AbstractContextManager[Image]:
    """The image ``text`` (and ``--ref``) name, opened; ``-`` reads the archive
    from ``stdin``. Naming the image twice is refused, not guessed."""
    path, named = split_target(text)
    if named is not None and ref is not None and named != ref:
        raise ArchiveError(f"the image is named twice: {named!r} in the path and {ref!r} by --ref", "--ref")
    return _opened(path, named or ref, platform, stdin, progress)


@contextlib.contextmanager
def _opened(
    path: str, ref: str | None, platform: str | None, stdin: BinaryIO | None, progress: Progress | None
) -> Iterator[Image]:
    with contextlib.ExitStack() as stack:
        if path == "-":
            if stdin is None:
                raise ArchiveError("standard input is closed", "stdin")
            path = stack.enter_context(stdin_archive(stdin, progress))
        image = stack.enter_context(open_image(path, ref=ref, platform=platform, progress=progress))
        yield image


@contextlib.contextmanager
def stdin_archive(stdin: BinaryIO, progress: Progress | None = None, limits: Limits | None = None) -> Iterator[str]:
    """A path that reads what ``stdin`` holds: ``/dev/stdin`` itself when it is
    a regular file (``< image.tar``: a link to it, nothing is copied),
    otherwise (a pipe) a temporary copy, decompressed on the way in when the
    stream is compressed; either is named ``stdin`` and removed on exit.

    >>> import io
    >>> from imageinspect import examples
    >>> archive = examples.read("hello.tar")
    >>> with stdin_archive(io.BytesIO(archive)) as path, open(path, "rb") as spooled:
    ...     os.path.basename(path), spooled.read() == archive
    ('stdin', True)
    >>> with stdin_archive(io.BytesIO(bytes(4096))) as path:
    ...     pass
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: stdin: not an image archive (no tar header at the start of standard input)
    """
    try:
        regular = stat.S_ISREG(os.fstat(stdin.fileno()).st_mode)
    except (OSError, ValueError, AttributeError):
        regular = False
    limits = limits or Limits()
    with tempfile.TemporaryDirectory(prefix="imageinspect-") as directory:
        path = os.path.join(directory, "stdin")  # locations read ``stdin!manifest.json``
        if regular and os.path.isdir("/proc/self/fd"):  # opened anew through the link: nothing copied
            os.symlink(f"/proc/self/fd/{stdin.fileno()}", path)
            yield path
            return
        head = stdin.read(8)
        if not head:
            raise ArchiveError("nothing on standard input (expected an image archive)", "stdin")
        kind = compression_of(head)
        if kind is None:  # a plain tar: its first header is checked before anything is copied
            head += stdin.read(BLOCK_SIZE - len(head))
            _check_tar_header(head)
        source: IO[bytes] = io.BufferedReader(_Prefixed(head, stdin), 1 << 20)
        # the copy is a file without a name (unlinked from the start): no
        # signal, not even SIGKILL, can leave it behind
        with tempfile.TemporaryFile(prefix="imageinspect-stdin-") as spool:
            with contextlib.ExitStack() as stack:
                if kind is not None:  # decompressed on the way in: one copy, not two
                    source = stack.enter_context(bounded_decompressor(kind, source, limits, "stdin"))
                _copy(source, spool, limits.max_decompressed_size, progress)
            spool.flush()
            if os.path.isdir("/proc/self/fd"):
                os.symlink(f"/proc/self/fd/{spool.fileno()}", path)
            else:  # pragma: no cover - no /proc: a named copy, removed on exit
                spool.seek(0)
                with open(path, "wb") as named:
                    shutil.copyfileobj(spool, named)
            yield path


def _check_tar_header(block: bytes) -> None:
    """Refuse stdin that does not start with a tar header (``< /dev/zero``,
    a JSON file): before copying gigabytes of it."""
    if not is_tar_header(block):
        raise ArchiveError("not an image archive (no tar header at the start of standard input)", "stdin")


def _copy(source: IO[bytes], spool: IO[bytes], bound: int, progress: Progress | None) -> None:
    done = 0
    while chunk := source.read(1 << 20):
        done += len(chunk)
        if done > bound:
            raise LimitExceeded(f"more than {bound} bytes on standard input", "stdin")
        spool.write(chunk)
        if progress is not None:
            progress("reading stdin", done, 0)


class _Prefixed(io.RawIOBase):
    """``head`` (already read from ``rest``) followed by the rest of ``rest``."""

    def __init__(self, head: bytes, rest: BinaryIO) -> None:
        self._head = head
        self._rest = rest

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        if self._head:
            n = min(len(buffer), len(self._head))
            buffer[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self._rest.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
