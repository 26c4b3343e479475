"""Docker's legacy schema1 manifest (signed or not)."""

from __future__ import annotations

import attrs

from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.config import ImageConfig
from imageinspect.model.frozen import FrozenMap, JSONValue
from imageinspect.values.digest import Digest

__all__ = ["FSLayer", "JWSSignature", "Schema1History", "Schema1Manifest"]


@attrs.frozen(kw_only=True)
class FSLayer(JSONObject):
    """One ``fsLayers`` entry: the digest of a (compressed) layer blob."""

    blob_sum: Digest


@attrs.frozen(kw_only=True)
class Schema1History(JSONObject):
    """One ``history`` entry. ``v1_compatibility`` is the exact string that is
    written back; ``image`` is its decoded form (filled in by the codec)."""

    v1_compatibility: str
    image: ImageConfig | None = None


@attrs.frozen(kw_only=True)
class JWSSignature(JSONObject):
    """One libtrust JWS signature (``header`` with ``jwk`` and ``alg``,
    ``signature``, and the base64url ``protected`` header that records how
    the payload was cut)."""

    header: FrozenMap[str, JSONValue]
    signature: str
    protected: str


@attrs.frozen(kw_only=True)
class Schema1Manifest(JSONObject, DocumentValue):
    """A schema1 manifest: ``fs_layers`` and ``history`` run top layer first.

    >>> m = Schema1Manifest(name="library/x", tag="1", architecture="amd64")
    >>> m.is_signed, m.to_json().splitlines()[1]
    (False, b'   "schemaVersion": 1,')
    """

    schema_version: int = 1
    name: str = ""
    tag: str = ""
    architecture: str = ""
    fs_layers: tuple[FSLayer, ...] = ()
    history: tuple[Schema1History, ...] = ()
    signatures: tuple[JWSSignature, ...] | None = None

    @property
    def is_signed(self) -> bool:
        """True when the manifest carries JWS signatures.

        >>> Schema1Manifest().is_signed
        False
        """
        return bool(self.signatures)
