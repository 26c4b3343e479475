"""JSON <-> model: the converter setup, the Go-JSON writer, shapes and sniffing.

Importing this package installs the document encoder used by ``to_json()``.
The names below are the codec's face for the layers above it that are not
the library's own readers (``imageinspect.testing``; the contract in
``pyproject.toml`` holds it to them): documents parsed and written, inspect
output read and written, ``docker save``'s ``manifest.json`` and v1 image
JSON, Go's JSON encoding, and the Docker releases the formats know.

>>> from imageinspect.codec import parse_config
>>> parse_config(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}').value.os
'linux'
"""

from imageinspect.codec.archive import OCI_LAYOUT_FILE, encode_archive_manifest, parse_archive_manifest
from imageinspect.codec.diff import diff_json
from imageinspect.codec.documents import (
    encode_document,
    encode_document_as,
    encode_in_style,
    parse,
    parse_config,
    parse_index,
    parse_manifest,
)
from imageinspect.codec.formats import Format
from imageinspect.codec.gojson import encode
from imageinspect.codec.inspect import dumps, loads
from imageinspect.codec.rules import compare, parse_version, release, release_api
from imageinspect.codec.v1image import v1_image_json

__all__ = [
    "OCI_LAYOUT_FILE",
    "Format",
    "compare",
    "diff_json",
    "dumps",
    "encode",
    "encode_archive_manifest",
    "encode_document",
    "encode_document_as",
    "encode_in_style",
    "loads",
    "parse",
    "parse_archive_manifest",
    "parse_config",
    "parse_index",
    "parse_manifest",
    "parse_version",
    "release",
    "release_api",
    "v1_image_json",
]
