"""imageinspect: container image metadata as typed, immutable values -- and back
to the exact bytes.

>>> import imageinspect
>>> doc = imageinspect.parse(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
>>> doc.value.platform, doc.media_type
(<Platform('linux/amd64')>, <MediaType('application/vnd.oci.image.config.v1+json')>)
"""

from imageinspect import codec as _codec  # noqa: F401  (installs the document encoder)
from imageinspect.codec.documents import encode_in_style, parse, parse_config, parse_index, parse_manifest
from imageinspect.errors import (
    ArchiveError,
    DigestMismatch,
    DocumentKindError,
    ImageInspectError,
    InvalidDigest,
    InvalidJSON,
    InvalidMediaType,
    InvalidPlatform,
    InvalidReference,
    InvalidTimestamp,
    InvalidValue,
    LimitExceeded,
    SchemaError,
)
from imageinspect.model import (
    ChainProblem,
    ContainerConfig,
    Descriptor,
    Document,
    FrozenMap,
    HealthConfig,
    History,
    HistoryRow,
    ImageConfig,
    ImageIndex,
    ImageManifest,
    Layer,
    LayerChain,
    RootFS,
    Schema1Manifest,
    TextStyle,
    chain_ids,
)
from imageinspect.values import Digest, Digester, MediaType, Platform, PlatformMatcher, Reference, Timestamp

__version__ = "0.1.0"

__all__ = [
    "ArchiveError",
    "ChainProblem",
    "ContainerConfig",
    "Descriptor",
    "Digest",
    "DigestMismatch",
    "Digester",
    "Document",
    "DocumentKindError",
    "FrozenMap",
    "HealthConfig",
    "History",
    "HistoryRow",
    "ImageConfig",
    "ImageIndex",
    "ImageInspectError",
    "ImageManifest",
    "InvalidDigest",
    "InvalidJSON",
    "InvalidMediaType",
    "InvalidPlatform",
    "InvalidReference",
    "InvalidTimestamp",
    "InvalidValue",
    "Layer",
    "LayerChain",
    "LimitExceeded",
    "MediaType",
    "Platform",
    "PlatformMatcher",
    "Reference",
    "RootFS",
    "Schema1Manifest",
    "SchemaError",
    "TextStyle",
    "Timestamp",
    "__version__",
    "chain_ids",
    "encode_in_style",
    "parse",
    "parse_config",
    "parse_index",
    "parse_manifest",
]
