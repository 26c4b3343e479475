"""Which command fits an input: the hint printed when a file was given to
the wrong one (``parse`` on inspect output, ``inspect`` on a JSON file,
``check`` on a manifest).

>>> kind_of(b'[{"Id": "sha256:ab", "RepoTags": []}]'), kind_of(b'{"schemaVersion": 2}'), kind_of(b"ustar")
('inspect output', 'image document', None)
"""

from __future__ import annotations

import os

import orjson

from imageinspect.codec.jsonread import DEFAULT_MAX_SIZE

__all__ = ["head_of", "hint", "kind_of", "looks_like_json"]

#: What to type for each kind of input.
_COMMANDS = {
    "inspect output": "imageinspect check {name} (or imageinspect diff)",
    "image document": "imageinspect parse {name}",
    "image archive": "imageinspect inspect {name}",
}

#: Which command takes which kind.
_TAKES = {
    "parse": "image document",
    "check": "inspect output",
    "inspect": "image archive",
    "history": "image archive",
    "layers": "image archive",
    "verify": "image archive",
    "images": "image archive",
}

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


def hint(command: str, name: str, data: bytes) -> str | None:
    """A line suggesting the right command, when ``data`` is a kind of input
    that ``command`` does not take.

    >>> hint("parse", "out.json", b'[{"Id": "sha256:ab"}]')
    'hint: out.json is docker/podman inspect output: try imageinspect check out.json (or imageinspect diff)'
    >>> hint("parse", "config.json", b'{"architecture": "amd64"}') is None
    True
    """
    kind = kind_of(data)
    if kind is None or _TAKES.get(command) == kind:
        return None
    described = "docker/podman inspect output" if kind == "inspect output" else f"an {kind}"
    subject = "standard input" if name == "-" else name
    return f"hint: {subject} is {described}: try {_COMMANDS[kind].format(name=name)}"


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

    >>> kind_of(head_of("examples/config.json")), head_of("/nonexistent")
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
