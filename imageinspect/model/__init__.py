"""attrs models: documents, layer chains (pure data and pure computation)."""

from imageinspect.model.config import ContainerConfig, HealthConfig, History, ImageConfig, RootFS
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.frozen import FrozenMap, JSONValue
from imageinspect.model.inspect import (
    AttestationData,
    BuildIdentity,
    GraphDriver,
    Identity,
    ImageData,
    ImageInspect,
    InspectRootFS,
    ManifestSize,
    ManifestSummary,
    Metadata,
    PullIdentity,
    human_size,
)
from imageinspect.model.layers import ChainProblem, HistoryRow, Layer, LayerChain, chain_ids
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.model.schema1 import FSLayer, JWSSignature, Schema1History, Schema1Manifest

__all__ = [
    "AttestationData",
    "BuildIdentity",
    "ChainProblem",
    "ContainerConfig",
    "Descriptor",
    "Document",
    "FSLayer",
    "FrozenMap",
    "GraphDriver",
    "HealthConfig",
    "History",
    "HistoryRow",
    "Identity",
    "ImageConfig",
    "ImageData",
    "ImageIndex",
    "ImageInspect",
    "ImageManifest",
    "InspectRootFS",
    "JSONValue",
    "JWSSignature",
    "Layer",
    "LayerChain",
    "ManifestSize",
    "ManifestSummary",
    "Metadata",
    "PodmanImageInspect",
    "PullIdentity",
    "RootFS",
    "Schema1History",
    "Schema1Manifest",
    "chain_ids",
    "human_size",
]
