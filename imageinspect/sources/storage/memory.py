"""An in-memory tree: images built in a test live here, behind the same
interface as archives on disk, so everything :class:`Image` offers works.

>>> tree = MemoryTree({"oci-layout": b"{}"})
>>> tree.read("oci-layout"), tree.where("oci-layout")
(b'{}', 'memory!oci-layout')
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import IO

from imageinspect.errors import ArchiveError
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarindex import normalize_member_name

__all__ = ["MemoryTree"]


class MemoryTree:
    """Files by name, in memory."""

    def __init__(self, files: Mapping[str, bytes], name: str = "memory", limits: Limits | None = None) -> None:
        self.name = name
        self.limits = limits or Limits()
        self.files = {normalize_member_name(key, name): value for key, value in files.items()}

    def where(self, member: str = "") -> str:
        """The location text of a file."""
        return f"{self.name}!{member}" if member else self.name

    def _get(self, name: str) -> bytes:
        clean = normalize_member_name(name, self.name)
        if clean not in self.files:
            raise ArchiveError("missing member", self.where(clean))
        return self.files[clean]

    def read(self, name: str, *, follow_links: bool = True) -> bytes:
        """A file's bytes."""
        return self._get(name)

    def open(self, name: str) -> IO[bytes]:
        """A stream of a file's bytes."""
        return io.BufferedReader(io.BytesIO(self._get(name)))

    def exists(self, name: str) -> bool:
        """True if the file exists."""
        return normalize_member_name(name, self.name) in self.files

    def present(self, name: str) -> bool:
        """Same as :meth:`exists` (memory trees have no links)."""
        return self.exists(name)

    def size(self, name: str) -> int:
        """A file's size."""
        return len(self._get(name))

    def names(self) -> list[str]:
        """Every file's name.

        >>> MemoryTree({"a": b"", "b/c": b"x"}).names()
        ['a', 'b/c']
        """
        return list(self.files)

    def close(self) -> None:
        """Nothing to release."""

    def __enter__(self) -> MemoryTree:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
