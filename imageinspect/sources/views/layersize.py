"""The size Docker reports for a layer: what its files take, not the tar.

Docker's graphdriver store sums, per layer, the sizes of the files the layer
adds (``layerdb/<chain>/size``): regular files by their content size, hard
links once, whiteouts and directories as 0, and -- with overlay2, which counts
what ``lstat`` says -- symbolic links by the length of their target (vfs does
not count them). ``Size`` in ``docker image inspect`` is the sum over the
image's layers.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator
from typing import IO

from imageinspect.errors import LimitExceeded
from imageinspect.sources.storage.compression import bounded_decompressor, stream_compression
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarheader import TarEntry, read_entries
from imageinspect.sources.stored import StoredImage, remembered

__all__ = ["counted_size", "layer_content_size", "open_layer_tar", "remembered_content_size"]


def open_layer_tar(stream: IO[bytes], limits: Limits, where: str) -> tuple[Iterator[TarEntry], IO[bytes]]:
    """A layer blob's members, read by the project's own tar reader, and the
    stream they are read from (the blob itself, or its decompression, which
    the caller closes). Compression is told from the first bytes; a plain,
    seekable blob is read header by header (file contents are skipped, not
    read).

    >>> import io, tarfile
    >>> blob = io.BytesIO()
    >>> with tarfile.open(fileobj=blob, mode="w") as tar:
    ...     tar.addfile(tarfile.TarInfo("etc/hostname"))
    >>> entries, inner = open_layer_tar(io.BufferedReader(io.BytesIO(blob.getvalue())), Limits(), "x.tar!l.tar")
    >>> [entry.name for entry in entries]
    ['etc/hostname']
    """
    kind = stream_compression(stream)
    if kind is None:
        return read_entries(stream, where, limits, subject="layer"), stream
    decompressed = bounded_decompressor(kind, stream, limits, where)
    return read_entries(decompressed, where, limits, subject="layer"), decompressed


def counted_size(entry: TarEntry, *, symlinks: bool = True) -> int:
    """What one layer entry adds to the layer's size: a regular (or sparse)
    file its content size, a symbolic link the length of its target (with
    ``symlinks``), whiteouts, directories and the rest nothing.

    >>> counted_size(TarEntry("usr/bin/sh", 3, "symlink", "dash", 0)), counted_size(TarEntry("a/.wh.b", 9, "file", "", 0))
    (4, 0)
    """
    if posixpath.basename(entry.name).startswith(".wh."):
        return 0
    if entry.kind in ("file", "sparse"):
        return entry.size
    if entry.kind == "symlink" and symlinks:
        return len(entry.linkname.encode("utf-8", "surrogateescape"))
    return 0


def layer_content_size(image: StoredImage, index: int, *, symlinks: bool = True) -> int:
    """The content size of layer ``index`` of an open image.

    ``symlinks=True`` is overlay2's rule (symbolic links count the length of
    their target); ``False`` is vfs's. A layer that ends right after its last
    member's data (no padding, no end blocks) is read as Go's reader (and so
    Docker) reads it: complete.
    """
    where = image.tree.where(image.layer_names[index])
    limits = image.tree.limits
    total = 0
    with image.open_layer(index) as stream:
        entries, inner = open_layer_tar(stream, limits, where)
        try:
            for count, entry in enumerate(entries, 1):
                if count > limits.max_layer_entries:
                    raise LimitExceeded(f"more than {limits.max_layer_entries} entries in one layer", where)
                total += counted_size(entry, symlinks=symlinks)
        finally:
            if inner is not stream:
                inner.close()
    return total


def remembered_content_size(image: StoredImage, index: int, *, symlinks: bool = True) -> int:
    """:func:`layer_content_size`, read once per layer blob and rule and
    remembered in the image's memo (an error too: a layer that cannot be read
    says so every time it is asked for).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     remembered_content_size(image, 0) == layer_content_size(image, 0) > 0
    True
    """
    return remembered(
        image,
        ("layer-content-size", image.layer_names[index], symlinks),
        lambda: layer_content_size(image, index, symlinks=symlinks),
    )
