"""``parse``: image documents from their bytes, and their canonical bytes back.

>>> doc = parse(b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}')
>>> type(doc.value).__name__, doc.media_type, doc.digest.short
('ImageIndex', <MediaType('application/vnd.oci.image.index.v1+json')>, 'dff9de109191')
>>> doc.value.to_json() == doc.raw
True
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

import orjson

from imageinspect.errors import DocumentKindError, ImageInspectError, SchemaError
from imageinspect.model.base import register_encoder
from imageinspect.model.config import ImageConfig
from imageinspect.model.document import AnyDocumentValue, Document
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import Schema1Manifest
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, MediaType
from imageinspect.values.style import Style, detect_style

from .gojson import encode, encode_styled
from .jsonread import DEFAULT_MAX_SIZE, as_bytes, decode, exactly, read_json
from .leaves import interned
from .read import structure
from .shapes import Dialect
from .sniff import Kind, a, sniff
from .write import writer

__all__ = [
    "detect_style",
    "encode_document",
    "encode_document_as",
    "encode_in_style",
    "parse",
    "parse_config",
    "parse_index",
    "parse_manifest",
    "schema1_payload",
]

_MODEL: Final[dict[Kind, type[Any]]] = {
    "config": ImageConfig,
    "manifest": ImageManifest,
    "index": ImageIndex,
    "schema1": Schema1Manifest,
}


def parse(
    raw: bytes | bytearray | memoryview | str,
    media_type: str | None = None,
    *,
    strict: bool = False,
    max_size: int = DEFAULT_MAX_SIZE,
) -> Document[AnyDocumentValue]:
    """Parse an image config, manifest, index, manifest list or schema1 manifest.

    The kind is told from ``media_type`` when given (and must agree with the
    body), else sniffed from the body. ``raw`` is kept byte for byte and the
    digest is computed from it. Unknown fields are kept (``strict=True``
    refuses them instead). Every problem raises an
    :class:`~imageinspect.errors.ImageInspectError` with the JSON path.

    >>> parse(b'{"schemaVersion":2,"config":{"digest":"sha256:00","size":1},"layers":[]}')
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidDigest: $.config.digest: invalid digest 'sha256:00': sha256 needs 64 lower-case hex digits
    """
    data = as_bytes(raw)
    return exactly(lambda: _parse(data, media_type, strict, max_size))


def _parse(data: bytes, media_type: str | None, strict: bool, max_size: int) -> Document[AnyDocumentValue]:
    decoded = read_json(data, max_size=max_size)
    if media_type is not None:
        media_type = MediaType(media_type)
    kind, found_type = sniff(decoded, media_type)
    if kind == "schema1":
        payload = schema1_payload(data, decoded)
        _check_signed(decoded, payload, max_size)
        digest = Digest.of(payload)
    else:
        digest = Digest.of(data)
    value = structure(decoded, _MODEL[kind], strict=strict)
    return Document(value, data, digest, interned(found_type, MediaType))


def encode_in_style(value: AnyDocumentValue, style: Style) -> bytes:
    """Encode ``value`` in ``style`` -- e.g. an edited document in the layout
    of the one it came from (``doc.style``), so tools that rewrite a manifest
    keep its look.

    >>> doc = parse(b'{\\n  "schemaVersion": 2,\\n  "manifests": []\\n}\\n')
    >>> encode_in_style(doc.value, doc.style) == doc.raw
    True
    """
    if isinstance(value, Schema1Manifest):
        return _encode_schema1(value) + style.trailing
    return encode_styled(value, style, models=writer(_dialect(value)))


def parse_config(raw: bytes | str, *, strict: bool = False) -> Document[ImageConfig]:
    """Parse an image config (OCI or Docker); any other kind is an error.

    >>> parse_config(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}').value.os
    'linux'
    """
    doc: Document[ImageConfig] = _parse_kind(raw, "config", strict)
    return doc


def parse_manifest(raw: bytes | str, *, strict: bool = False) -> Document[ImageManifest]:
    """Parse an OCI or Docker schema2 image manifest; any other kind is an error.

    >>> raw = b'{"schemaVersion":2,"config":{"digest":"sha256:' + b"a" * 64 + b'","size":1},"layers":[]}'
    >>> parse_manifest(raw).value.config.size
    1
    """
    doc: Document[ImageManifest] = _parse_kind(raw, "manifest", strict)
    return doc


def parse_index(raw: bytes | str, *, strict: bool = False) -> Document[ImageIndex]:
    """Parse an OCI image index or Docker manifest list; any other kind is an error.

    >>> parse_index(b'{"architecture":"amd64","os":"linux"}')
    Traceback (most recent call last):
      ...
    imageinspect.errors.DocumentKindError: $: expected an index, got a config
    """
    doc: Document[ImageIndex] = _parse_kind(raw, "index", strict)
    return doc


_KIND_OF_MODEL: Final = {model: kind for kind, model in _MODEL.items()}


def _parse_kind(raw: bytes | str, kind: Kind, strict: bool) -> Any:
    doc: Any = parse(raw, strict=strict)
    found = _KIND_OF_MODEL[type(doc.value)]
    if found != kind:
        raise DocumentKindError(f"expected {a(kind)}, got {a(found)}")
    return doc


def _check_signed(decoded: Any, payload: bytes, max_size: int) -> None:
    """A signed schema1 manifest's value must be what was signed: data
    outside the signed payload (a second ``fsLayers`` after it, as in moby's
    ``extra_data_manifest`` fixture) is refused, not read as unsigned
    layers next to the signed digest."""
    if not isinstance(decoded, dict) or not decoded.get("signatures"):
        return
    try:
        signed = read_json(payload, max_size=max_size)
    except ImageInspectError:
        # signatures whose formatLength/formatTail do not cut this layout
        # sign no JSON at all: the digest (of those bytes, as containers/image
        # computes it) matches no registry's, so nothing is vouched for
        return
    unsigned = {key: value for key, value in decoded.items() if key != "signatures"}
    if signed != unsigned:
        changed = sorted(key for key in set(signed) | set(unsigned) if signed.get(key) != unsigned.get(key))
        raise SchemaError(
            f"data outside the signed payload ({', '.join(changed) or 'key order'}): the value would not be what was signed",
            "$",
        )


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def schema1_payload(raw: bytes, decoded: Any = None) -> bytes:
    """The signed payload of a schema1 manifest: the bytes without the JWS
    ``signatures`` (``raw[:formatLength] + formatTail`` from the protected
    header). Registries compute the manifest digest over it. An unsigned
    manifest is its own payload.

    >>> schema1_payload(b'{"schemaVersion":1}')
    b'{"schemaVersion":1}'
    """
    if decoded is None:
        decoded = read_json(raw)
    signatures = decoded.get("signatures") if isinstance(decoded, dict) else None
    if not signatures:
        return raw
    payloads = set()
    for index, signature in enumerate(signatures if isinstance(signatures, list) else [None]):
        where = f"$.signatures[{index}].protected"
        protected = signature.get("protected") if isinstance(signature, dict) else None
        if not isinstance(protected, str):
            raise SchemaError("a JWS signature needs a base64url 'protected' header", where)
        try:
            header = decode(_b64url(protected))
            length = header["formatLength"]
            tail = _b64url(header["formatTail"])
        except (binascii.Error, ValueError, KeyError, TypeError, orjson.JSONDecodeError):
            raise SchemaError(
                "protected header is not base64url JSON with formatLength and formatTail", where
            ) from None
        if type(length) is not int or not 0 < length <= len(raw):
            raise SchemaError(f"formatLength {length!r} does not fit the {len(raw)}-byte manifest", where)
        payloads.add(raw[:length] + tail)
    if len(payloads) != 1:
        raise SchemaError("the signatures disagree about the signed payload", "$.signatures")
    return payloads.pop()


# --- canonical encoding ----------------------------------------------------

_DOCKER_CONFIG_ATTRS: Final = ("container", "container_config", "docker_version", "parent", "id", "comment")


def _config_dialect(config: ImageConfig) -> Dialect:
    docker = any(getattr(config, attr) for attr in _DOCKER_CONFIG_ATTRS) or config.size is not None
    return "docker" if docker or config.throwaway else "oci"


def _dialect(value: AnyDocumentValue) -> Dialect:
    if isinstance(value, ImageConfig):
        return _config_dialect(value)
    if isinstance(value, ImageManifest):
        return "docker" if value.media_type == DOCKER_MANIFEST else "oci"
    if isinstance(value, ImageIndex):
        return "docker" if value.media_type == DOCKER_MANIFEST_LIST else "oci"
    return "docker"


def encode_document_as(value: AnyDocumentValue, dialect: Dialect) -> bytes:
    """A document's canonical bytes in ``dialect``: ``"docker"`` writes a
    config as dockerd stores it (top level sorted, ``container.Config`` in
    full), ``"oci"`` as image-spec's Go types do.

    >>> from imageinspect.model.config import ContainerConfig, ImageConfig
    >>> encode_document_as(ImageConfig(os="linux", config=ContainerConfig(user="u")), "docker")[:40]
    b'{"config":{"Hostname":"","Domainname":""'
    """
    if isinstance(value, Schema1Manifest):
        return _encode_schema1(value)
    indented = dialect == "docker" and not isinstance(value, ImageConfig)
    return encode(value, escape_html=True, indent=3 if indented else None, models=writer(dialect))


def encode_document(value: AnyDocumentValue) -> bytes:
    """The canonical bytes of a document value (see ``to_json``).

    Configs are compact and HTML-escaped (``json.Marshal``; dockerd sorts the
    top level). Docker manifests and lists, and schema1 manifests, are
    indented by 3 spaces (docker/distribution's ``MarshalIndent``); signed
    schema1 keeps libtrust's pretty-JWS layout. OCI manifests and indexes are
    compact.
    """
    if isinstance(value, Schema1Manifest):
        return _encode_schema1(value)
    if not isinstance(value, (ImageConfig, ImageManifest, ImageIndex)):
        raise TypeError(f"not a document value: {type(value).__name__}")
    dialect = _dialect(value)
    indented = dialect == "docker" and not isinstance(value, ImageConfig)
    return encode(value, escape_html=True, indent=3 if indented else None, models=writer(dialect))


def _encode_schema1(value: Schema1Manifest) -> bytes:
    body = dict(writer("docker").write_shared(value))  # shared: copied at the top, never mutated
    signatures = body.pop("signatures", None)
    payload = encode(body, escape_html=True, indent=3)
    if signatures is not None and not signatures:
        return encode({**body, "signatures": signatures}, escape_html=True, indent=3)  # an empty list, kept
    if not signatures:
        return payload
    # libtrust PrettySignature: cut the payload before its final "\n}", add
    # the signatures indented one level, and close with the cut-off tail.
    head, tail = payload[:-2], payload[-2:]
    block = encode(signatures, escape_html=True, indent=3, prefix="   ")
    signed = head + b',\n   "signatures": ' + block + tail
    try:
        # the signatures name their layout (formatLength/formatTail): they
        # ride on this one only if parse still accepts it
        _check_signed(read_json(signed), schema1_payload(signed), len(signed))
    except ImageInspectError:
        return payload  # signed over another layout: written unsigned
    return signed


register_encoder(encode_document)
