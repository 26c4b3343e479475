"""``verify``: stream every blob once and check it against what describes it.

Checks, each reported with its location and never raised one by one: the
config's digest and size, every layer blob's digest and size (manifest
descriptors, or file names that are digests), and every layer's diff ID (the
digest of the uncompressed tar, decompressing gzip and zstd on the fly).
Memory stays constant: blobs are read in chunks.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import IO, TYPE_CHECKING, Any

import attrs

from imageinspect.errors import ImageInspectError, MissingDependency
from imageinspect.sources.storage.compression import bounded_decompressor, stream_compression
from imageinspect.values.digest import Algorithm, Digest, Digester

if TYPE_CHECKING:
    from imageinspect.sources.storage.tree import Tree
    from imageinspect.sources.stored import StoredImage

__all__ = ["Mismatch", "VerifyReport", "verify_image"]

_CHUNK = 1 << 20


@attrs.frozen
class Mismatch:
    """One failed check: where, and what was expected against what was found.

    >>> str(Mismatch("x.tar!l.tar", "Manifest.Layers[0].Size=3 but the blob has 4 bytes"))
    'x.tar!l.tar: Manifest.Layers[0].Size=3 but the blob has 4 bytes'
    """

    location: str
    message: str

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"


@attrs.frozen
class VerifyReport:
    """What :func:`verify_image` found. ``ok`` when every check passed.

    >>> VerifyReport((), 3, 1024).ok
    True
    """

    mismatches: tuple[Mismatch, ...]
    blobs: int
    bytes_read: int

    @property
    def ok(self) -> bool:
        """True when nothing mismatched.

        >>> VerifyReport((Mismatch("a", "b"),), 1, 1).ok
        False
        """
        return not self.mismatches


class _Tee:
    """Reads a stream while digesting what passes through."""

    def __init__(self, inner: IO[bytes], digester: Digester) -> None:
        self._inner = inner
        self.digester = digester

    def read(self, n: int = -1) -> bytes:
        data = self._inner.read(n)
        self.digester.update(data)
        return data

    def readable(self) -> bool:
        return True


def verify_image(image: StoredImage, progress: Callable[[int, int], object] | None = None) -> VerifyReport:
    """Verify ``image`` (an open :class:`~imageinspect.sources.stored.StoredImage`,
    such as an :class:`~imageinspect.sources.image.Image`).

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     report = image.verify()
    >>> report.ok, report.blobs
    (True, 3)

    ``progress(done, total)`` is called after each blob (``total`` blobs).
    """
    tree = image.tree
    found: list[Mismatch] = []
    total = 0
    config = image.config_document
    manifest = None if image.manifest is None else image.manifest.value
    where_config = tree.where(image.entry.config_name)
    if image.entry.config_digest is not None and config.digest != image.entry.config_digest:
        found.append(Mismatch(where_config, f"named {image.entry.config_digest} but SHA256(config)={config.digest}"))
    if manifest is not None:
        if manifest.config.digest != config.digest:
            found.append(
                Mismatch(
                    where_config, f"Manifest.Config.Digest={manifest.config.digest} but SHA256(config)={config.digest}"
                )
            )
        if manifest.config.size != config.size:
            found.append(
                Mismatch(
                    where_config, f"Manifest.Config.Size={manifest.config.size} but the config has {config.size} bytes"
                )
            )
    diff_ids = config.value.diff_ids
    descriptors = () if manifest is None else (manifest.layers or ())
    total_blobs = 1 + len(image.layer_names)
    if progress is not None:
        progress(1, total_blobs)
    # each blob is read and hashed once, however often the image lists it
    hashed: dict[tuple[str, Algorithm], _Hashed | Mismatch] = {}
    for index, name in enumerate(image.layer_names):
        if progress is not None and index:
            progress(index + 1, total_blobs)
        where = tree.where(name)
        descriptor = descriptors[index] if index < len(descriptors) else None
        expected_blob = descriptor.digest if descriptor is not None else None
        algorithm: Algorithm = expected_blob.algorithm if expected_blob is not None else "sha256"
        key = (name, algorithm)
        if key not in hashed:
            hashed[key] = _hash_blob(tree, name, algorithm, where)
        result = hashed[key]
        if isinstance(result, Mismatch):
            found.append(result)
            continue
        size, blob_digest, uncompressed = result.size, result.blob, result.uncompressed
        total += size
        if expected_blob is not None and blob_digest != expected_blob:
            found.append(
                Mismatch(where, f"Manifest.Layers[{index}].Digest={expected_blob} but SHA256(blob)={blob_digest}")
            )
        if descriptor is not None and descriptor.size != size:
            found.append(
                Mismatch(where, f"Manifest.Layers[{index}].Size={descriptor.size} but the blob has {size} bytes")
            )
        named = _named_digest(name)
        if named is not None and named not in (blob_digest, uncompressed) and expected_blob is None:
            found.append(Mismatch(where, f"file name says {named} but SHA256(blob)={blob_digest}"))
        if index < len(diff_ids) and uncompressed != diff_ids[index]:
            found.append(
                Mismatch(
                    where, f"Config.RootFS.DiffIDs[{index}]={diff_ids[index]} but SHA256(uncompressed)={uncompressed}"
                )
            )
    if progress is not None:
        progress(total_blobs, total_blobs)
    if len(image.layer_names) != len(diff_ids):
        found.append(
            Mismatch(where_config, f"{len(image.layer_names)} layer blobs but rootfs.diff_ids has {len(diff_ids)}")
        )
    return VerifyReport(tuple(found), total_blobs, total + config.size)


@attrs.frozen
class _Hashed:
    """One blob, read once: its size and digest as stored, and its
    uncompressed digest (the same for a blob stored uncompressed)."""

    size: int
    blob: Digest
    uncompressed: Digest


def _hash_blob(tree: Tree, name: str, algorithm: Algorithm, where: str) -> _Hashed | Mismatch:
    """Stream ``name`` once: its digests, or why it could not be read."""
    try:
        with tree.open(name) as raw:
            tee = _Tee(raw, Digester(algorithm))
            kind = stream_compression(raw)
            if kind is None:
                stream: Any = tee
                diff_digester = None
            else:
                stream = bounded_decompressor(kind, tee, tree.limits, where)  # type: ignore[arg-type]
                diff_digester = Digester()
            while True:
                chunk = stream.read(_CHUNK)
                if not chunk:
                    break
                if diff_digester is not None:
                    diff_digester.update(chunk)
            if stream is not tee:
                stream.close()
    except MissingDependency:
        raise
    except ImageInspectError as err:
        return Mismatch(err.location or where, err.message)
    except (OSError, EOFError, ValueError) as err:
        return Mismatch(where, f"cannot read the layer ({err})")
    blob_digest = tee.digester.digest()
    uncompressed = blob_digest if diff_digester is None else diff_digester.digest()
    return _Hashed(tee.digester.size, blob_digest, uncompressed)


def _named_digest(name: str) -> Digest | None:
    from imageinspect.sources.formats.docker_archive import digest_from_name

    if name.endswith((".tar", ".tar.gz", "layer.tar")):
        return None
    return digest_from_name(name)
