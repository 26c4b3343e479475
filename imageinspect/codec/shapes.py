"""JSON shapes: which key each model attribute has, in which order it is
written, and when it is left out -- per dialect. This is the only place where
JSON key names of documents live.

A *dialect* is the set of Go types one producer serialises with:

``docker``
    dockerd's stored image config (``image.Image``: top-level keys sorted by
    its ``MarshalJSON``, ``container.Config`` inside) and docker/distribution
    v2 manifests and manifest lists (descriptor order ``mediaType, size,
    digest``; Docker's ``platform.features``).
``oci``
    opencontainers/image-spec v1.1 ``specs-go`` with moby's
    ``DockerOCIImageConfig`` extension (``Healthcheck``, ``OnBuild``, ``Shell``).

Omission rules: ``never`` (always written; Go ``nil`` as ``null``), ``empty``
(Go ``omitempty``: ``false``, ``0``, ``""``, ``nil`` and empty collections are
left out), ``nil`` (``omitempty`` on a Go pointer: only ``None`` is left out,
so a pointer to ``0`` is written), ``struct`` (a Go struct value: always written, ``None`` written as
the zero struct).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import attrs

__all__ = [
    "DIALECTS",
    "Dialect",
    "Field",
    "Omit",
    "Shape",
]

Omit = Literal["never", "empty", "nil", "struct"]
Dialect = Literal["docker", "oci"]
DIALECTS: Final[tuple[Dialect, ...]] = ("docker", "oci")


@attrs.frozen(cache_hash=True)
class Field:
    """One JSON key of an object shape.

    ``shape`` names the shape of a nested object when it is not the class's
    default in the shape set; ``nil`` is the JSON value Go writes for ``None``
    (``null`` for pointers, slices and maps; ``""`` for a string field that the
    model keeps as an optional value, e.g. inspect's ``Created``).
    """

    key: str
    attr: str
    omit: Omit = "empty"
    shape: str | None = None
    nil: Any = None


@attrs.frozen(cache_hash=True)
class Shape:
    """The ordered keys of one object kind in one dialect."""

    fields: tuple[Field, ...]
    #: Keys are written in byte order (Go map semantics) instead of field order.
    sort: bool = False

    def replace(self, key: str, **changes: Any) -> Shape:
        """A copy with the field ``key`` changed.

        >>> RootFS = Shape((Field("type", "type"),))
        >>> RootFS.replace("type", omit="never").fields[0].omit
        'never'
        """
        return Shape(tuple(attrs.evolve(f, **changes) if f.key == key else f for f in self.fields), self.sort)

    def without(self, *keys: str) -> Shape:
        """A copy without the given keys.

        >>> Shape((Field("a", "a"), Field("b", "b"))).without("a").fields[0].key
        'b'
        """
        return Shape(tuple(f for f in self.fields if f.key not in keys), self.sort)

    def sorted(self) -> Shape:
        """A copy whose keys are written in byte order.

        >>> Shape((Field("b", "b"),)).sorted().sort
        True
        """
        return Shape(self.fields, True)


def _f(spec: str, omit: Omit = "empty", **more: Any) -> Field:
    key, _, attr = spec.partition(":")
    return Field(key, attr, omit, **more)


def _shape(*fields: Field, sort: bool = False) -> Shape:
    return Shape(tuple(fields), sort)


# --- image configuration -------------------------------------------------

# Go container.Config (moby api/types/container/config.go, v1.12 ... v28.5).
CONTAINER_CONFIG: Final = _shape(
    _f("Hostname:hostname", "never"),
    _f("Domainname:domainname", "never"),
    _f("User:user", "never"),
    _f("AttachStdin:attach_stdin", "never"),
    _f("AttachStdout:attach_stdout", "never"),
    _f("AttachStderr:attach_stderr", "never"),
    _f("ExposedPorts:exposed_ports"),
    _f("Tty:tty", "never"),
    _f("OpenStdin:open_stdin", "never"),
    _f("StdinOnce:stdin_once", "never"),
    _f("Env:env", "never"),
    _f("Cmd:cmd", "never"),
    _f("Healthcheck:healthcheck"),
    _f("ArgsEscaped:args_escaped"),
    _f("Image:image", "never"),
    _f("Volumes:volumes", "never"),
    _f("WorkingDir:working_dir", "never"),
    _f("Entrypoint:entrypoint", "never"),
    _f("NetworkDisabled:network_disabled"),
    _f("MacAddress:mac_address"),
    _f("OnBuild:on_build", "never"),
    _f("Labels:labels", "never"),
    _f("StopSignal:stop_signal"),
    _f("StopTimeout:stop_timeout", "nil"),
    _f("Shell:shell"),
)

# image-spec ImageConfig + moby/docker-image-spec DockerOCIImageConfigExt.
OCI_CONTAINER_CONFIG: Final = _shape(
    _f("User:user"),
    _f("ExposedPorts:exposed_ports"),
    _f("Env:env"),
    _f("Entrypoint:entrypoint"),
    _f("Cmd:cmd"),
    _f("Volumes:volumes"),
    _f("WorkingDir:working_dir"),
    _f("Labels:labels"),
    _f("StopSignal:stop_signal"),
    _f("ArgsEscaped:args_escaped"),
    _f("Healthcheck:healthcheck"),
    _f("OnBuild:on_build"),
    _f("Shell:shell"),
)

HEALTH_CONFIG: Final = _shape(
    _f("Test:test"),
    _f("Interval:interval"),
    _f("Timeout:timeout"),
    _f("StartPeriod:start_period"),
    _f("StartInterval:start_interval"),
    _f("Retries:retries"),
)

# moby image.History (<= v24): Created is a time.Time value (always written).
DOCKER_HISTORY: Final = _shape(
    _f("created:created", "never"),
    _f("author:author"),
    _f("created_by:created_by"),
    _f("comment:comment"),
    _f("empty_layer:empty_layer"),
)
OCI_HISTORY: Final = _shape(
    _f("created:created"),
    _f("created_by:created_by"),
    _f("author:author"),
    _f("comment:comment"),
    _f("empty_layer:empty_layer"),
)

DOCKER_ROOTFS: Final = _shape(_f("type:type", "never"), _f("diff_ids:diff_ids"), _f("base_layer:base_layer"))
OCI_ROOTFS: Final = _shape(_f("type:type", "never"), _f("diff_ids:diff_ids", "never"))

# moby image.V1Image + image.Image; Image.MarshalJSON sorts the top level.
DOCKER_IMAGE_CONFIG: Final = _shape(
    _f("id:id"),
    _f("parent:parent"),
    _f("comment:comment"),
    _f("created:created", "never"),
    _f("container:container"),
    _f("container_config:container_config", "struct"),
    _f("docker_version:docker_version"),
    _f("author:author"),
    _f("config:config"),
    _f("architecture:architecture"),
    _f("variant:variant"),
    _f("os:os"),
    _f("Size:size"),
    _f("throwaway:throwaway"),
    _f("rootfs:rootfs"),
    _f("history:history"),
    _f("os.version:os_version"),
    _f("os.features:os_features"),
    sort=True,
)
OCI_IMAGE_CONFIG: Final = _shape(
    _f("created:created"),
    _f("author:author"),
    _f("architecture:architecture", "never"),
    _f("os:os", "never"),
    _f("os.version:os_version"),
    _f("os.features:os_features"),
    _f("variant:variant"),
    _f("config:config"),
    _f("rootfs:rootfs", "struct"),
    _f("history:history"),
)

# --- descriptors, manifests, indexes -------------------------------------

OCI_DESCRIPTOR: Final = _shape(
    _f("mediaType:media_type", "never"),
    _f("digest:digest", "never"),
    _f("size:size", "never"),
    _f("urls:urls"),
    _f("annotations:annotations"),
    _f("data:data"),
    _f("platform:platform"),
    _f("artifactType:artifact_type"),
)
# docker/distribution v2.8 distribution.Descriptor (+ ManifestDescriptor.platform).
DOCKER_DESCRIPTOR: Final = _shape(
    _f("mediaType:media_type"),
    _f("size:size"),
    _f("digest:digest"),
    _f("urls:urls"),
    _f("annotations:annotations"),
    _f("platform:platform"),
)

# image-spec has no `features` (it reserves the name); it is written only when
# set, so a Docker list's platform survives conversion to an OCI index.
OCI_PLATFORM: Final = _shape(
    _f("architecture:architecture", "never"),
    _f("os:os", "never"),
    _f("os.version:os_version"),
    _f("os.features:os_features"),
    _f("variant:variant"),
    _f("features:features"),
)
DOCKER_PLATFORM: Final = _shape(
    _f("architecture:architecture", "never"),
    _f("os:os", "never"),
    _f("os.version:os_version"),
    _f("os.features:os_features"),
    _f("variant:variant"),
    _f("features:features"),
)

OCI_MANIFEST: Final = _shape(
    _f("schemaVersion:schema_version", "never"),
    _f("mediaType:media_type"),
    _f("artifactType:artifact_type"),
    _f("config:config", "never"),
    _f("layers:layers", "never"),
    _f("subject:subject"),
    _f("annotations:annotations"),
)
DOCKER_MANIFEST: Final = _shape(
    _f("schemaVersion:schema_version", "never"),
    _f("mediaType:media_type"),
    _f("config:config", "never"),
    _f("layers:layers", "never"),
)
OCI_INDEX: Final = _shape(
    _f("schemaVersion:schema_version", "never"),
    _f("mediaType:media_type"),
    _f("artifactType:artifact_type"),
    _f("manifests:manifests", "never"),
    _f("subject:subject"),
    _f("annotations:annotations"),
)
DOCKER_INDEX: Final = _shape(
    _f("schemaVersion:schema_version", "never"),
    _f("mediaType:media_type"),
    _f("manifests:manifests", "never"),
)

# --- schema1 -------------------------------------------------------------

SCHEMA1_MANIFEST: Final = _shape(
    _f("schemaVersion:schema_version", "never"),
    _f("name:name", "never"),
    _f("tag:tag", "never"),
    _f("architecture:architecture", "never"),
    _f("fsLayers:fs_layers", "never"),
    _f("history:history", "never"),
    _f("signatures:signatures"),
)
FS_LAYER: Final = _shape(_f("blobSum:blob_sum", "never"))
SCHEMA1_HISTORY: Final = _shape(_f("v1Compatibility:v1_compatibility", "never"))
JWS_SIGNATURE: Final = _shape(
    _f("header:header", "never"), _f("signature:signature", "never"), _f("protected:protected", "never")
)


# --- docker save archives --------------------------------------------------

# moby's manifestItem (image/tarexport/tarexport.go, v1.10 ... v29): Go field
# names as keys; Parent and LayerSources omitempty, RepoTags and Layers
# written as null when nil.
ARCHIVE_MANIFEST_ENTRY: Final = _shape(
    _f("Config:config", "never"),
    _f("RepoTags:repo_tags", "never"),
    _f("Layers:layers", "never"),
    _f("Parent:parent"),
    _f("LayerSources:layer_sources"),
)
