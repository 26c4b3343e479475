"""Telling which kind of document a JSON object is, and refusing ambiguity.

The rules follow containers/image's ``GuessMIMEType`` and
``ValidateUnambiguousManifestFormat`` (the fix for the OCI type-confusion class
of bugs): the ``mediaType`` field decides when it names a known type, then
``schemaVersion`` 1 means schema1, then the characteristic fields; a document
carrying the fields of another format is rejected.

>>> sniff({"schemaVersion": 2, "manifests": []})
('index', <MediaType('application/vnd.oci.image.index.v1+json')>)
>>> sniff({"architecture": "amd64", "os": "linux", "rootfs": {}})
('config', <MediaType('application/vnd.oci.image.config.v1+json')>)
"""

from __future__ import annotations

import functools
from typing import Any, Final, Literal

from imageinspect.errors import DocumentKindError
from imageinspect.values import mediatype as mt

__all__ = ["Kind", "a", "check_unambiguous", "kind_of_media_type", "sniff"]

Kind = Literal["config", "manifest", "index", "schema1"]

# Fields that must not appear in a document of each kind.
_FORBIDDEN: Final[dict[Kind, tuple[str, ...]]] = {
    "manifest": ("manifests", "fsLayers", "signatures"),
    "index": ("config", "layers", "fsLayers", "signatures"),
    "schema1": ("config", "layers", "manifests"),
    "config": ("manifests", "layers", "fsLayers", "schemaVersion", "mediaType"),
}
_DOCKER_ONLY_CONFIG_KEYS: Final = ("container_config", "docker_version", "container", "parent", "id")


def a(kind: str) -> str:
    """``kind`` with its indefinite article.

    >>> a("index"), a("manifest")
    ('an index', 'a manifest')
    """
    return ("an " if kind[0] in "aeiou" else "a ") + kind


@functools.lru_cache(maxsize=512)  # a handful of media types recur in every document
def kind_of_media_type(media_type: str) -> Kind | None:
    """The document kind a media type names, or ``None`` for other types.

    >>> kind_of_media_type(mt.DOCKER_MANIFEST_LIST), kind_of_media_type("text/plain")
    ('index', None)
    """
    if mt.is_index(media_type):
        return "index"
    if mt.is_manifest(media_type):
        return "manifest"
    if mt.is_schema1(media_type):
        return "schema1"
    if mt.is_config(media_type):
        return "config"
    return None


def _is_descriptor(value: object) -> bool:
    return isinstance(value, dict) and "digest" in value


def _sniff_body(doc: dict[str, Any]) -> tuple[Kind, str] | None:
    declared = doc.get("mediaType")
    if isinstance(declared, str):
        kind = kind_of_media_type(declared)
        if kind is not None and kind != "config":
            return kind, declared
    version = doc.get("schemaVersion")
    if version == 1 or "fsLayers" in doc:
        signed = "signatures" in doc
        return "schema1", mt.DOCKER_SCHEMA1_SIGNED_MANIFEST if signed else mt.DOCKER_SCHEMA1_MANIFEST
    if "manifests" in doc:
        return "index", mt.OCI_INDEX
    if "layers" in doc or _is_descriptor(doc.get("config")):
        return "manifest", mt.OCI_MANIFEST
    docker = any(key in doc for key in _DOCKER_ONLY_CONFIG_KEYS)
    if docker or any(key in doc for key in ("rootfs", "architecture", "os", "history", "config", "created")):
        return "config", mt.DOCKER_CONFIG if docker else mt.OCI_CONFIG
    return None


def check_unambiguous(kind: Kind, doc: dict[str, Any]) -> None:
    """Refuse a document of ``kind`` that carries another format's fields.

    >>> check_unambiguous("manifest", {"config": {}, "layers": [], "manifests": []})
    Traceback (most recent call last):
      ...
    imageinspect.errors.DocumentKindError: $.manifests: ambiguous document: a manifest must not have a 'manifests' field (it would also read as an index)
    """
    others = {
        "manifests": "an index",
        "layers": "a manifest",
        "config": "a manifest or a config",
        "fsLayers": "a schema1 manifest",
        "signatures": "a signed schema1 manifest",
        "schemaVersion": "a manifest",
        "mediaType": "a manifest",
    }
    for key in _FORBIDDEN[kind]:
        if key in doc:
            raise DocumentKindError(
                f"ambiguous document: {a(kind)} must not have a {key!r} field (it would also read as {others[key]})",
                f"$.{key}",
            )


def sniff(doc: Any, media_type: str | None = None) -> tuple[Kind, str]:
    """The kind of ``doc`` and its media type (the declared one if given).

    A declared media type that contradicts the body is an error, and so is a
    body that cannot be told apart.

    >>> sniff({"schemaVersion": 2, "mediaType": mt.OCI_MANIFEST, "config": {}, "layers": []}, mt.OCI_INDEX)
    Traceback (most recent call last):
      ...
    imageinspect.errors.DocumentKindError: $.mediaType: declared media type application/vnd.oci.image.index.v1+json contradicts the document's own mediaType application/vnd.oci.image.manifest.v1+json
    """
    if not isinstance(doc, dict):
        kind_name = "an array" if isinstance(doc, list) else "a scalar"
        raise DocumentKindError(f"expected a JSON object, got {kind_name}")
    body_type = doc.get("mediaType")
    found = _sniff_body(doc)
    if media_type is not None:
        declared_kind = kind_of_media_type(media_type)
        if (
            isinstance(body_type, str)
            and kind_of_media_type(body_type) is not None
            and mt.MediaType(body_type).essence != mt.MediaType(media_type).essence
        ):
            raise DocumentKindError(
                f"declared media type {media_type} contradicts the document's own mediaType {body_type}",
                "$.mediaType",
            )
        if declared_kind is not None:
            if found is not None and found[0] != declared_kind:
                raise DocumentKindError(
                    f"declared media type {media_type} names {a(declared_kind)}, but the document is {a(found[0])}"
                )
            check_unambiguous(declared_kind, doc)
            return declared_kind, media_type
        if found is None:
            raise DocumentKindError(f"cannot tell what kind of document this is (media type {media_type})")
        check_unambiguous(found[0], doc)
        return found[0], media_type
    if found is None:
        raise DocumentKindError(
            "cannot tell what kind of document this is: no mediaType, schemaVersion, manifests, "
            "layers, config or rootfs field"
        )
    check_unambiguous(found[0], doc)
    return found
