"""What kind an input is, from its first bytes: an image archive, an image
document (config, manifest, index) or docker/podman inspect output.

>>> kind_of(b'[{"Id": "sha256:ab", "RepoTags": []}]'), kind_of(b'{"schemaVersion": 2}'), kind_of(b"ustar")
('inspect output', 'image document', None)
"""

from __future__ import annotations

import os

import orjson

from imageinspect.codec.jsonread import DEFAULT_MAX_SIZE

__all__ = ["head_of", "kind_of", "looks_like_json"]

_ARCHIVE_MAGIC = (b"\x1f\x8b", b"\xfd7zXZ\x00", b"\x28\xb5\x2f\xfd", b"BZh")


def kind_of(data: bytes) -> str | None:
    """``"inspect output"``, ``"image document"``, ``"image archive"`` or
    ``None`` (unknown) for the first bytes of an input (a whole JSON file)."""
    if data.startswith(_ARCHIVE_MAGIC) or data[257:262] == b"ustar":
        return "image archive"
    try:
        value = orjson.loads(data.lstrip(b"\xef\xbb\xbf"))
    except orjson.JSONDecodeError:
        return None
    if isinstance(value, list) and value and isinstance(value[0], dict):
        value = value[0]
    if not isinstance(value, dict):
        return None
    if "Id" in value or "RepoTags" in value or ("Digest" in value and "NamesHistory" in value):
        return "inspect output"
    if {"schemaVersion", "mediaType", "rootfs", "architecture", "manifests", "fsLayers"} & value.keys():
        return "image document"
    return None


def looks_like_json(data: bytes) -> bool:
    """Whether ``data`` starts like JSON (after a byte order mark, UTF-16's
    zero bytes and white space).

    >>> looks_like_json(b"\\xff\\xfe[\\x00"), looks_like_json(b"ustar")
    (True, False)
    """
    return data.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")[:1] in (b"[", b"{")


def head_of(path: str) -> bytes:
    """Enough of a file to tell its kind: the first 64 KiB, or the whole of a
    JSON file; nothing for what is not a readable file.

    >>> from imageinspect import examples
    >>> kind_of(head_of(str(examples.path("config.json")))), head_of("/nonexistent")
    ('image document', b'')
    """
    try:
        if not os.path.isfile(path):
            return b""
        with open(path, "rb") as handle:
            head = handle.read(1 << 16)
            if looks_like_json(head):
                head += handle.read(DEFAULT_MAX_SIZE + 1 - len(head))  # over the limit: loads refuses it
            return head
    except OSError:
        return b""
