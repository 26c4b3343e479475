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
    "ShapeSet",
    "document_shapes",
    "known_keys",
    "layout_nil",
    "register",
    "shape",
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


@attrs.frozen(cache_hash=True)
class ShapeSet:
    """The shapes one producer writes with: a default shape per model class
    and named shapes that fields can ask for. Hashable, so the writers built
    for it are cached.
    """

    defaults: tuple[tuple[str, Shape], ...]
    named: tuple[tuple[str, Shape], ...] = ()

    def for_class(self, class_name: str) -> Shape:
        """The default shape of a class (the documents' shape if not set here)."""
        for name, found in self.defaults:
            if name == class_name:
                return found
        return _SHAPES[class_name]["docker"]

    def named_shape(self, name: str) -> Shape:
        """A shape by the name a :class:`Field` gives."""
        for key, found in self.named:
            if key == name:
                return found
        raise KeyError(name)


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

_SHAPES: Final[dict[str, dict[Dialect, Shape]]] = {
    "ContainerConfig": {"docker": CONTAINER_CONFIG, "oci": OCI_CONTAINER_CONFIG},
    "HealthConfig": {"docker": HEALTH_CONFIG, "oci": HEALTH_CONFIG},
    "History": {"docker": DOCKER_HISTORY, "oci": OCI_HISTORY},
    "RootFS": {"docker": DOCKER_ROOTFS, "oci": OCI_ROOTFS},
    "ImageConfig": {"docker": DOCKER_IMAGE_CONFIG, "oci": OCI_IMAGE_CONFIG},
    "Descriptor": {"docker": DOCKER_DESCRIPTOR, "oci": OCI_DESCRIPTOR},
    "Platform": {"docker": DOCKER_PLATFORM, "oci": OCI_PLATFORM},
    "ImageManifest": {"docker": DOCKER_MANIFEST, "oci": OCI_MANIFEST},
    "ImageIndex": {"docker": DOCKER_INDEX, "oci": OCI_INDEX},
    "Schema1Manifest": {"docker": SCHEMA1_MANIFEST, "oci": SCHEMA1_MANIFEST},
    "FSLayer": {"docker": FS_LAYER, "oci": FS_LAYER},
    "Schema1History": {"docker": SCHEMA1_HISTORY, "oci": SCHEMA1_HISTORY},
    "JWSSignature": {"docker": JWS_SIGNATURE, "oci": JWS_SIGNATURE},
}


# Every other shape a class is written with (inspect shapes per release...):
# reading accepts the union of their keys.
_EXTRA_SHAPES: dict[str, list[Shape]] = {}
_LAYOUT_NIL: dict[tuple[str, str], Any] = {}


def register(class_name: str, *shapes: Shape, layout_nil: dict[str, Any] | None = None) -> None:
    """Make the keys of ``shapes`` known for ``class_name`` (called once at
    import by the modules that define shapes). ``layout_nil`` gives the JSON
    value written for ``None`` when an object is written in its source layout.
    """
    _EXTRA_SHAPES.setdefault(class_name, []).extend(shapes)
    for attr, value in (layout_nil or {}).items():
        _LAYOUT_NIL[(class_name, attr)] = value


def layout_nil(class_name: str, attr: str) -> Any:
    """What ``None`` is written as for a key present in the source layout.

    >>> layout_nil("RootFS", "diff_ids") is None
    True
    """
    return _LAYOUT_NIL.get((class_name, attr))


def shape(class_name: str, dialect: Dialect) -> Shape:
    """The shape of the model class named ``class_name`` in ``dialect``.

    >>> [f.key for f in shape("RootFS", "oci").fields]
    ['type', 'diff_ids']
    """
    return _SHAPES[class_name][dialect]


def document_shapes(dialect: Dialect) -> ShapeSet:
    """The shape set of a document dialect.

    >>> document_shapes("oci").for_class("History").fields[1].key
    'created_by'
    """
    return _DOCUMENT_SETS[dialect]


def known_keys(class_name: str) -> dict[str, str]:
    """Every JSON key any shape uses for the class, mapped to its attribute.

    >>> known_keys("RootFS")["diff_ids"]
    'diff_ids'
    >>> known_keys("Unshaped")
    Traceback (most recent call last):
      ...
    TypeError: no JSON shape is registered for Unshaped
    """
    keys: dict[str, str] = {}
    shapes = list(_SHAPES.get(class_name, {}).values()) + _EXTRA_SHAPES.get(class_name, [])
    if not shapes:
        # a model with no shape would read every key into ``extra`` and fail
        # later: refuse it when its reader is generated
        raise TypeError(f"no JSON shape is registered for {class_name}")
    for one in shapes:
        for field in one.fields:
            keys.setdefault(field.key, field.attr)
    return keys


_DOCUMENT_SETS: Final[dict[Dialect, ShapeSet]] = {
    dialect: ShapeSet(tuple((name, shapes[dialect]) for name, shapes in _SHAPES.items())) for dialect in DIALECTS
}
