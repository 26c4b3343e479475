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
import tarfile
from typing import IO, TYPE_CHECKING

from imageinspect.errors import ArchiveError, LimitExceeded

from .compression import bounded_decompressor, stream_compression
from .limits import Limits
from .tarindex import bounded_tarinfo

if TYPE_CHECKING:
    from .image import Image

__all__ = ["layer_content_size", "open_layer_tar"]


def open_layer_tar(stream: IO[bytes], limits: Limits, where: str) -> tuple[tarfile.TarFile, IO[bytes]]:
    """Open a layer blob as a tar: compression is told from the first bytes.
    Uncompressed, seekable blobs are read header by header (file contents
    are skipped, not read)."""
    kind = stream_compression(stream)
    tarinfo = bounded_tarinfo(limits.max_extended_header)
    if kind is None:
        try:
            mode = "r:" if stream.seekable() else "r|"
            return tarfile.open(fileobj=stream, mode=mode, tarinfo=tarinfo), stream  # type: ignore[call-overload]
        except (tarfile.TarError, EOFError) as err:
            raise ArchiveError(f"layer is not a tar ({err})", where) from None
    decompressed = bounded_decompressor(kind, stream, limits, where)
    try:
        return tarfile.open(fileobj=decompressed, mode="r|", tarinfo=tarinfo), decompressed
    except tarfile.ReadError as err:
        raise ArchiveError(f"layer is not a {kind}-compressed tar ({err})", where) from None


def _ends_after_data(stream: IO[bytes], last: tarfile.TarInfo | None) -> bool:
    """Whether a layer (plain, or decompressed to its end) ends right after its last member's data: no
    padding to 512 bytes and no end-of-archive blocks. Go's tar reader (and
    so Docker) takes that as the end; Python's calls it truncated."""
    if last is None:
        return False
    if stream.seekable():
        end = stream.seek(0, 2)
    else:  # a decompressed stream read to its end: how much it produced
        produced = getattr(getattr(stream, "raw", None), "produced", None)
        if not isinstance(produced, int):
            return False
        end = produced
    return last.offset_data + last.size <= end < last.offset_data + last.size + tarfile.BLOCKSIZE


def layer_content_size(image: Image, index: int, *, symlinks: bool = True) -> int:
    """The content size of layer ``index`` of an open image.

    ``symlinks=True`` is overlay2's rule (symbolic links count the length of
    their target); ``False`` is vfs's.
    """
    where = image.tree.where(image.layer_names[index])
    total = 0
    with image.open_layer(index) as stream:
        tar, inner = open_layer_tar(stream, image.tree.limits, where)
        last: tarfile.TarInfo | None = None
        limits = image.tree.limits
        entries = 0
        try:
            while True:
                try:
                    info = tar.next()
                except (tarfile.TarError, EOFError) as err:
                    if _ends_after_data(inner, last):
                        break
                    raise ArchiveError(f"corrupt or truncated layer ({err})", where) from None
                if info is None:
                    break
                last = info
                entries += 1
                if entries > limits.max_layer_entries:
                    raise LimitExceeded(f"more than {limits.max_layer_entries} entries in one layer", where)
                if posixpath.basename(info.name).startswith(".wh."):
                    continue
                if info.isreg():
                    total += info.size
                elif info.issym() and symlinks:
                    total += len(info.linkname.encode("utf-8", "surrogateescape"))
        finally:
            tar.close()
            if inner is not stream:
                inner.close()
    return total
