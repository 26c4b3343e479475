"""A ``docker save`` archive's ``manifest.json`` from its bytes, and its bytes
from entries, as moby's loader reads them and its saver writes them
(``encoding/json``: Go's key folding on reading, compact and HTML-escaped on
writing, a newline after the array).

>>> raw = b'[{"Config":"c.json","RepoTags":["app:1"],"Layers":["l/layer.tar"]}]\\n'
>>> entries = parse_archive_manifest(raw)
>>> entries[0].config, entries[0].repo_tags
('c.json', ('app:1',))
>>> encode_archive_manifest(entries) == raw
True
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Final

from imageinspect.errors import ImageInspectError, SchemaError
from imageinspect.model.archive import ArchiveManifestEntry

from .gojson import encode
from .jsonread import DEFAULT_MAX_SIZE, read_json
from .read import structure
from .write import writer

__all__ = ["OCI_LAYOUT_FILE", "encode_archive_manifest", "parse_archive_manifest"]

#: An OCI image layout's ``oci-layout`` file, as image-spec v1.1 and every
#: writer observed (skopeo, containerd, Docker 25+) write it.
OCI_LAYOUT_FILE: Final = b'{"imageLayoutVersion":"1.0.0"}'


def parse_archive_manifest(raw: bytes, *, max_size: int = DEFAULT_MAX_SIZE) -> tuple[ArchiveManifestEntry, ...]:
    """The entries of a ``manifest.json``; every problem is an
    :class:`~imageinspect.errors.ImageInspectError` at its JSON path.

    >>> parse_archive_manifest(b'[{"Config":"c.json","Layers":[1]}]')
    Traceback (most recent call last):
      ...
    imageinspect.errors.SchemaError: $[0].Layers[0]: expected a string, got number
    >>> parse_archive_manifest(b'{}')
    Traceback (most recent call last):
      ...
    imageinspect.errors.SchemaError: $: expected an array of images
    """
    decoded = read_json(raw, max_size=max_size)
    if not isinstance(decoded, list):
        raise SchemaError("expected an array of images", "$")
    entries = []
    for index, item in enumerate(decoded):
        if not isinstance(item, dict):
            raise SchemaError("expected an object", f"$[{index}]")
        try:
            entries.append(structure(item, ArchiveManifestEntry))
        except ImageInspectError as err:
            raise err.at(f"$[{index}]") from None
    return tuple(entries)


def encode_archive_manifest(entries: Iterable[ArchiveManifestEntry], *, newline: bool = True) -> bytes:
    """``manifest.json``'s bytes as ``docker save`` writes them (``newline``:
    its encoder ends the file with one; podman's and go-containerregistry's
    do not): entries read and unchanged keep their bytes' key order; new
    ones are written in moby's field order.

    >>> encode_archive_manifest([ArchiveManifestEntry(config="c.json", layers=())])
    b'[{"Config":"c.json","RepoTags":null,"Layers":[]}]\\n'
    """
    write = writer("docker").write
    return encode([write(entry) for entry in entries], escape_html=True) + (b"\n" if newline else b"")
