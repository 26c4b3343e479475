"""One interface over the places images live: a tar archive or a directory.

>>> import tempfile, pathlib
>>> root = pathlib.Path(tempfile.mkdtemp())
>>> _ = (root / "oci-layout").write_text('{"imageLayoutVersion":"1.0.0"}')
>>> with open_tree(root) as tree:
...     tree.read("oci-layout")
b'{"imageLayoutVersion":"1.0.0"}'
"""

from __future__ import annotations

import io
import os
from typing import IO, Protocol

from imageinspect.errors import ArchiveError, LimitExceeded
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarindex import Progress, TarIndex, normalize_member_name

__all__ = ["DirTree", "Source", "Tree", "open_tree"]


class Tree(Protocol):
    """Files by relative name, read safely."""

    name: str
    limits: Limits

    def where(self, member: str = "") -> str: ...
    def read(self, name: str, *, follow_links: bool = True) -> bytes: ...
    def present(self, name: str) -> bool: ...
    def open(self, name: str) -> IO[bytes]: ...
    def exists(self, name: str) -> bool: ...
    def size(self, name: str) -> int: ...
    def names(self) -> list[str]: ...
    def close(self) -> None: ...
    def __enter__(self) -> Tree: ...
    def __exit__(self, *exc: object) -> None: ...


class DirTree:
    """A directory (an OCI image layout, or skopeo's ``dir:``). Names may not
    leave the directory, also not through symbolic links."""

    def __init__(self, path: str | os.PathLike[str], limits: Limits | None = None) -> None:
        self.path = os.path.realpath(os.fspath(path))
        self.name = os.path.basename(self.path.rstrip("/")) or self.path
        self.limits = limits or Limits()
        if not os.path.isdir(self.path):
            raise ArchiveError("not a directory", os.fspath(path))

    def where(self, member: str = "") -> str:
        """The location text of a file (``layout/blobs/sha256/ab…``)."""
        return f"{self.name}/{member}" if member else self.name

    def _path(self, name: str, follow_links: bool = True) -> str:
        clean = normalize_member_name(name, self.name)
        if not follow_links and os.path.islink(os.path.join(self.path, clean)):
            raise ArchiveError("metadata file is a symbolic link", self.where(clean))
        full = os.path.realpath(os.path.join(self.path, clean))
        if not (full == self.path or full.startswith(self.path + os.sep)):
            raise ArchiveError("path leaves the directory", self.where(clean))
        if not os.path.isfile(full):
            raise ArchiveError("missing file", self.where(clean))
        return full

    def read(self, name: str, *, follow_links: bool = True) -> bytes:
        """A small file's bytes (bounded by ``max_metadata_size``)."""
        full = self._path(name, follow_links)
        limit = self.limits.max_metadata_size
        # bounded by what is read, not by a size looked up before (a file
        # may grow in between, or be a FIFO or a device)
        with open(full, "rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise LimitExceeded(f"file is over the metadata limit of {limit} bytes", self.where(name))
        return data

    def open(self, name: str) -> IO[bytes]:
        """A stream of a file's bytes."""
        return open(self._path(name), "rb")

    def exists(self, name: str) -> bool:
        """True if ``name`` is a regular file inside the directory."""
        try:
            self._path(name)
        except ArchiveError:
            return False
        return True

    def present(self, name: str) -> bool:
        """True if something called ``name`` exists (also a broken link)."""
        try:
            return os.path.lexists(os.path.join(self.path, normalize_member_name(name, self.name)))
        except ArchiveError:
            return False

    def size(self, name: str) -> int:
        """The size of a file."""
        return os.path.getsize(self._path(name))

    def names(self) -> list[str]:
        """Every file's name, relative to the directory (links not followed).

        >>> sorted(DirTree("tests/data/golden/layouts/arm64/skopeo-oci").names())[-2:]
        ['index.json', 'oci-layout']
        """
        out = []
        for root, _, files in os.walk(self.path):
            rel = os.path.relpath(root, self.path)
            out += [name if rel == "." else f"{rel}/{name}".replace(os.sep, "/") for name in files]
        return out

    def close(self) -> None:
        """Nothing to close."""

    def __enter__(self) -> DirTree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


#: Where an image can be read from: a path (an archive or a layout
#: directory), the archive's bytes, or a binary file object holding it (read
#: in place when it can seek, and left open; otherwise copied once).
Source = str | os.PathLike[str] | bytes | bytearray | memoryview | IO[bytes]


def open_tree(source: Source, limits: Limits | None = None, progress: Progress | None = None) -> Tree:
    """A :class:`DirTree` for a directory, a :class:`~imageinspect.sources.storage.tarindex.TarIndex`
    for a file, the bytes of an archive or a binary file object (``progress``
    reports its decompression and member reads).

    >>> open_tree("/nonexistent/image.tar")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: /nonexistent/image.tar: cannot open: No such file or directory
    >>> from pathlib import Path
    >>> with open_tree(Path("examples/hello.tar").read_bytes()) as tree:
    ...     tree.where("manifest.json")
    '<bytes>!manifest.json'
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        return TarIndex(io.BytesIO(bytes(source)), limits, progress, name="<bytes>")
    if isinstance(source, (str, os.PathLike)):
        if os.path.isdir(source):
            return DirTree(source, limits)
        return TarIndex(source, limits, progress)
    return TarIndex(source, limits, progress)
