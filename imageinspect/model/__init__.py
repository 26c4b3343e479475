"""attrs models: documents, layer chains (pure data and pure computation)."""

from imageinspect.model.config import ContainerConfig, HealthConfig, History, ImageConfig, RootFS
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document, TextStyle
from imageinspect.model.frozen import FrozenMap, JSONValue
from imageinspect.model.layers import ChainProblem, HistoryRow, Layer, LayerChain, chain_ids
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import FSLayer, JWSSignature, Schema1History, Schema1Manifest

__all__ = [
    "ChainProblem",
    "ContainerConfig",
    "Descriptor",
    "Document",
    "FSLayer",
    "FrozenMap",
    "HealthConfig",
    "History",
    "HistoryRow",
    "ImageConfig",
    "ImageIndex",
    "ImageManifest",
    "JSONValue",
    "JWSSignature",
    "Layer",
    "LayerChain",
    "RootFS",
    "Schema1History",
    "Schema1Manifest",
    "TextStyle",
    "chain_ids",
]
