"""The JSON shapes of ``docker image inspect`` and ``podman image inspect``
objects: every key any release wrote, in declaration order, with Go's
omission rules. Which of them one release writes is decided by the rules
(:mod:`imageinspect.codec.rules`, applied in :mod:`imageinspect.codec.formats`).

>>> [f.key for f in GRAPHDRIVER_DATA_FIRST.fields]
['Data', 'Name']
"""

from __future__ import annotations

from typing import Final

import orjson

from .shapes import HEALTH_CONFIG, OCI_CONTAINER_CONFIG, Field, Shape

__all__ = [
    "ATTESTATION",
    "BUILD_IDENTITY",
    "DOCKER_IMAGE_ALL",
    "GRAPHDRIVER_DATA_FIRST",
    "GRAPHDRIVER_NAME_FIRST",
    "IDENTITY",
    "IMAGE_DATA",
    "MANIFEST_SIZE",
    "MANIFEST_SUMMARY",
    "METADATA",
    "PODMAN_CONFIG",
    "PODMAN_HEALTH",
    "PODMAN_IMAGE",
    "PODMAN_ROOTFS",
    "PULL_IDENTITY",
    "ROOTFS_NEW",
    "ROOTFS_OLD",
    "UNPACKED_SIZE",
]


def _f(key: str, attr: str, omit: str = "empty", **more: object) -> Field:
    return Field(key, attr, omit, **more)  # type: ignore[arg-type]


# A hashable JSON `{}` for Field.nil (podman forces Annotations to {}).
_EMPTY_OBJECT: Final = orjson.Fragment(b"{}")

# podman's own field order (pkg/inspect ImageData, unchanged v3.0 -> HEAD).
PODMAN_IMAGE: Final = Shape(
    (
        _f("Id", "id", "never"),
        _f("Digest", "digest", "never"),
        _f("RepoTags", "repo_tags", "never", nil=()),
        _f("RepoDigests", "repo_digests", "never", nil=()),
        _f("Parent", "parent", "never"),
        _f("Comment", "comment", "never"),
        _f("Created", "created", "never"),
        _f("Config", "config", "never", shape="podman-config"),
        _f("Version", "version", "never"),
        _f("Author", "author", "never"),
        _f("Architecture", "architecture", "never"),
        _f("Os", "os", "never"),
        _f("Size", "size", "never"),
        _f("VirtualSize", "virtual_size", "never"),
        _f("GraphDriver", "graph_driver", "never", shape="graphdriver-name-first"),
        _f("RootFS", "root_fs", "never", shape="podman-rootfs"),
        _f("Labels", "labels", "never"),
        _f("Annotations", "annotations", "never", nil=_EMPTY_OBJECT),
        _f("ManifestType", "manifest_type", "never"),
        _f("User", "user", "never"),
        _f("History", "history", "never"),
        _f("NamesHistory", "names_history", "never"),
        _f("Healthcheck", "healthcheck", "empty", shape="podman-health"),
    )
)
PODMAN_HEALTH: Final = Shape(
    tuple(
        HEALTH_CONFIG.fields[i] for i in (0, 3, 4, 1, 2, 5)
    )  # Test, StartPeriod, StartInterval, Interval, Timeout, Retries
)
# podman's Config is image-spec's ImageConfig: the ten OCI keys only.
PODMAN_CONFIG: Final = OCI_CONTAINER_CONFIG.without("Healthcheck", "OnBuild", "Shell")

GRAPHDRIVER_DATA_FIRST: Final = Shape((_f("Data", "data", "never"), _f("Name", "name", "never")))
GRAPHDRIVER_NAME_FIRST: Final = Shape((_f("Name", "name", "never"), _f("Data", "data", "never")))

# The newest Docker struct order with every field any release had, in
# declaration order (v1.12 ... v29): gates remove what a release lacks.
DOCKER_IMAGE_ALL: Final = (
    _f("Id", "id", "never"),
    _f("RepoTags", "repo_tags", "never"),
    _f("RepoDigests", "repo_digests", "never"),
    _f("Parent", "parent", "never"),
    _f("Comment", "comment", "never"),
    _f("Created", "created", "never", nil="0001-01-01T00:00:00Z"),
    _f("Container", "container", "never"),
    _f("ContainerConfig", "container_config", "struct", shape="container-config"),
    _f("DockerVersion", "docker_version", "never"),
    _f("Author", "author", "never"),
    _f("Config", "config", "never"),
    _f("Architecture", "architecture", "never"),
    _f("Variant", "variant"),
    _f("Os", "os", "never"),
    _f("OsVersion", "os_version"),
    _f("Size", "size", "never"),
    _f("VirtualSize", "virtual_size", "never"),
    _f("GraphDriver", "graph_driver", "struct"),
    _f("RootFS", "root_fs", "struct"),
    _f("Metadata", "metadata", "struct"),
    _f("Descriptor", "descriptor"),
    _f("Manifests", "manifests"),
    _f("Identity", "identity"),
)

MANIFEST_SUMMARY: Final = Shape(
    (
        _f("Id", "id", "never"),
        _f("Descriptor", "descriptor", "never"),
        _f("Available", "available", "never"),
        _f("Size", "size", "struct"),
        _f("Kind", "kind", "never"),
        _f("ImageData", "image_data"),
        _f("AttestationData", "attestation_data"),
    )
)
IMAGE_DATA: Final = Shape(
    (
        _f("Platform", "platform", "never"),
        _f("Identity", "identity"),
        _f("Size", "size", "struct", shape="unpacked-size"),
        _f("Containers", "containers", "never"),
    )
)
MANIFEST_SIZE: Final = Shape((_f("Content", "content", "never"), _f("Total", "total", "never")))
UNPACKED_SIZE: Final = Shape((_f("Unpacked", "unpacked", "never"),))
ATTESTATION: Final = Shape((_f("For", "for_", "never"),))
IDENTITY: Final = Shape((_f("Signature", "signature", "nil"), _f("Pull", "pull", "nil"), _f("Build", "build", "nil")))
PULL_IDENTITY: Final = Shape((_f("Repository", "repository"),))
BUILD_IDENTITY: Final = Shape((_f("Ref", "ref"), _f("CreatedAt", "created_at", "never", nil="0001-01-01T00:00:00Z")))
METADATA: Final = Shape((_f("LastTagTime", "last_tag_time", "never", nil="0001-01-01T00:00:00Z"),))
ROOTFS_OLD: Final = Shape((_f("Type", "type", "never"), _f("Layers", "layers"), _f("BaseLayer", "base_layer")))
ROOTFS_NEW: Final = Shape((_f("Type", "type"), _f("Layers", "layers")))
PODMAN_ROOTFS: Final = Shape((_f("Type", "type", "never"), _f("Layers", "layers", "never")))
