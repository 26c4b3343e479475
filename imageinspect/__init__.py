"""imageinspect: container image metadata as typed, immutable values -- and back
to the exact bytes.

>>> import imageinspect
>>> doc = imageinspect.parse(b'{"architecture":"amd64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}')
>>> doc.value.platform, doc.media_type
(<Platform('linux/amd64')>, <MediaType('application/vnd.oci.image.config.v1+json')>)
"""

from imageinspect.codec.accel import accelerated
from imageinspect.codec.diff import Diff, Difference, diff
from imageinspect.codec.documents import encode_in_style, parse, parse_config, parse_index, parse_manifest
from imageinspect.codec.embed import configure_converter, make_converter
from imageinspect.codec.formats import Format, ImpossibleFormatWarning, UnknownVersionWarning
from imageinspect.codec.inspect import InspectOutput, dumps, loads
from imageinspect.errors import (
    AmbiguousImage,
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
    LoadRefused,
    MissingDependency,
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
    chain_ids,
)
from imageinspect.model.inspect import (
    GraphDriver,
    Identity,
    ImageInspect,
    InspectRootFS,
    ManifestSummary,
    Metadata,
    human_size,
)
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.image import HistoryEntry, Image, ImageSummary, list_images, open_image
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.verify import Mismatch, VerifyReport
from imageinspect.sources.views.compat import CompatRow, daemon_formats
from imageinspect.values import Digest, Digester, MediaType, Platform, PlatformMatcher, Reference, Timestamp
from imageinspect.values.style import Style, detect_style

__version__ = "0.1.0"

__all__ = [
    "AmbiguousImage",
    "ArchiveError",
    "ChainProblem",
    "CompatRow",
    "ContainerConfig",
    "Descriptor",
    "Diff",
    "Difference",
    "Digest",
    "DigestMismatch",
    "Digester",
    "Document",
    "DocumentKindError",
    "Format",
    "FrozenMap",
    "GraphDriver",
    "HealthConfig",
    "History",
    "HistoryEntry",
    "HistoryRow",
    "Identity",
    "Image",
    "ImageConfig",
    "ImageIndex",
    "ImageInspect",
    "ImageInspectError",
    "ImageManifest",
    "ImageSummary",
    "ImpossibleFormatWarning",
    "InspectOutput",
    "InspectRootFS",
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
    "Limits",
    "LoadRefused",
    "ManifestSummary",
    "MediaType",
    "Metadata",
    "Mismatch",
    "MissingDependency",
    "Platform",
    "PlatformMatcher",
    "PodmanImageInspect",
    "Reference",
    "RootFS",
    "Schema1Manifest",
    "SchemaError",
    "Style",
    "Timestamp",
    "UnknownVersionWarning",
    "VerifyReport",
    "__version__",
    "accelerated",
    "chain_ids",
    "configure_converter",
    "daemon_formats",
    "detect_style",
    "diff",
    "dumps",
    "encode_in_style",
    "human_size",
    "list_images",
    "loads",
    "make_converter",
    "open_image",
    "parse",
    "parse_config",
    "parse_index",
    "parse_manifest",
]
