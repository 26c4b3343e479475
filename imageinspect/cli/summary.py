"""What ``imageinspect parse`` prints: a JSON-ready summary of a document."""

from __future__ import annotations

from typing import Any

from imageinspect.model.config import ImageConfig
from imageinspect.model.document import Document
from imageinspect.model.layers import LayerChain
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import Schema1Manifest

__all__ = ["describe"]


def describe(doc: Document[Any]) -> dict[str, Any]:
    """A JSON-ready summary of a parsed document.

    >>> from imageinspect import parse
    >>> describe(parse(b'{"schemaVersion":2,"manifests":[]}'))["kind"]
    'index'
    """
    value = doc.value
    summary: dict[str, Any] = {
        "kind": {ImageConfig: "config", ImageManifest: "manifest", ImageIndex: "index"}.get(type(value), "schema1"),
        "mediaType": str(doc.media_type),
        "digest": str(doc.digest),
        "size": doc.size,
    }
    if isinstance(value, ImageConfig):
        chain = LayerChain.build(value)
        summary["platform"] = str(value.platform) if value.os or value.architecture else None
        summary["created"] = None if value.created is None else str(value.created)
        summary["layers"] = len(value.diff_ids)
        summary["chainId"] = None if chain.chain_id is None else str(chain.chain_id)
        summary["history"] = len(value.history or ())
        summary["problems"] = [f"{p.location}: {p.message}" for p in chain.problems]
    elif isinstance(value, ImageManifest):
        summary["config"] = str(value.config.digest)
        summary["layers"] = len(value.layers or ())
        summary["layerBytes"] = sum(layer.size for layer in value.layers or ())
        if value.artifact_type:
            summary["artifactType"] = str(value.artifact_type)
        if value.subject is not None:
            summary["subject"] = str(value.subject.digest)
    elif isinstance(value, ImageIndex):
        summary["manifests"] = [
            {
                "digest": str(entry.digest),
                "mediaType": str(entry.media_type),
                "platform": None if entry.platform is None else str(entry.platform),
                "attestation": entry.platform is not None and entry.platform.is_attestation,
            }
            for entry in value.manifests or ()
        ]
    elif isinstance(value, Schema1Manifest):
        summary["name"] = value.name
        summary["tag"] = value.tag
        summary["signed"] = value.is_signed
        summary["layers"] = len(value.fs_layers)
    return summary
