"""One record per model class: everything the codec knows about its JSON.

A :class:`ClassShape` holds, for one class (keyed by the class object): its
key order and omission rules in each document dialect, every other shape it
is written with (inspect output of each release), the keys without which it
means nothing (always, and in strict reading), the fields whose JSON encoding
their Python type does not say, and what ``None`` is written as in a source
layout. The readers and writers are generated from these records; a class
with no record is refused when its reader or writer is generated.

>>> from imageinspect.model.config import RootFS
>>> record = class_shape(RootFS)
>>> record.keys["diff_ids"], [f.key for f in record.dialect("oci").fields]
('diff_ids', ['type', 'diff_ids'])
"""

from __future__ import annotations

from typing import Any, Final

import attrs

from imageinspect.model.archive import ArchiveManifestEntry
from imageinspect.model.config import ContainerConfig, HealthConfig, History, ImageConfig, RootFS
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import thaw
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
)
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.model.schema1 import FSLayer, JWSSignature, Schema1History, Schema1Manifest
from imageinspect.values.platform import Platform

from . import inspect_shapes as inspect
from . import shapes as doc
from .leaves import (
    read_base64,
    read_json_object,
    read_key_set,
    read_time_string,
    write_base64,
    write_key_set,
)
from .shapes import Dialect, Shape
from .typeinfo import StructureHook, WriteHook

__all__ = ["CLASS_SHAPES", "ClassShape", "Encoding", "ShapeSet", "class_shape", "document_shapes"]


@attrs.frozen
class Encoding:
    """How one field is read and written when its Python type does not say
    it; ``write`` is ``None`` where the type's own writer is right."""

    read: StructureHook
    write: WriteHook | None = None
    #: The reader already gives what the field's attrs converter makes (the
    #: generated reader then does not call the converter again).
    converted: bool = False


@attrs.frozen
class ClassShape:
    """The JSON rules of one model class (see the module docs)."""

    cls: type[Any]
    #: Key order and omission rules in each document dialect (empty for
    #: classes that appear only in inspect output).
    dialects: tuple[tuple[Dialect, Shape], ...] = ()
    #: Every other shape the class is written with: reading accepts their keys.
    others: tuple[Shape, ...] = ()
    #: Attributes whose key must be present.
    required: tuple[str, ...] = ()
    #: Attributes whose key must be present when reading strictly.
    strict_required: tuple[str, ...] = ()
    #: Per-attribute encodings the Python type does not say.
    encodings: tuple[tuple[str, Encoding], ...] = ()
    #: What ``None`` is written as for a key present in the source layout.
    layout_nils: tuple[tuple[str, Any], ...] = ()
    #: Every JSON key any of the shapes uses, mapped to its attribute.
    keys: dict[str, str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        keys: dict[str, str] = {}
        for one in (*(s for _, s in self.dialects), *self.others):
            for field in one.fields:
                keys.setdefault(field.key, field.attr)
        if not keys:
            raise TypeError(f"{self.cls.__name__}: a class shape needs at least one shape")
        object.__setattr__(self, "keys", keys)

    def dialect(self, dialect: Dialect) -> Shape:
        """The shape in a document dialect."""
        for name, found in self.dialects:
            if name == dialect:
                return found
        raise KeyError(f"{self.cls.__name__} has no {dialect} document shape")

    def encoding(self, attr: str) -> Encoding | None:
        """The special encoding of an attribute, if it has one.

        >>> class_shape(ContainerConfig).encoding("volumes").write(("/b", "/a"))
        {'/a': {}, '/b': {}}
        >>> class_shape(ContainerConfig).encoding("env") is None
        True
        """
        for name, found in self.encodings:
            if name == attr:
                return found
        return None

    def layout_nil(self, attr: str) -> Any:
        """What ``None`` is written as for a key present in the source layout
        (``null`` unless said otherwise).

        >>> class_shape(ImageInspect).layout_nil("created"), class_shape(RootFS).layout_nil("diff_ids")
        ('', None)
        """
        for name, value in self.layout_nils:
            if name == attr:
                return value
        return None


def _both(docker: Shape, oci: Shape | None = None) -> tuple[tuple[Dialect, Shape], ...]:
    return (("docker", docker), ("oci", docker if oci is None else oci))


# read sorted and unique: what ContainerConfig's converter makes of them
_KEY_SET: Final = Encoding(read_key_set, write_key_set, converted=True)

#: Every model class the codec reads and writes, by class.
CLASS_SHAPES: Final[dict[type[Any], ClassShape]] = {
    record.cls: record
    for record in (
        # --- documents
        ClassShape(
            ContainerConfig,
            _both(doc.CONTAINER_CONFIG, doc.OCI_CONTAINER_CONFIG),
            encodings=(("exposed_ports", _KEY_SET), ("volumes", _KEY_SET)),
        ),
        ClassShape(HealthConfig, _both(doc.HEALTH_CONFIG)),
        ClassShape(History, _both(doc.DOCKER_HISTORY, doc.OCI_HISTORY)),
        ClassShape(RootFS, _both(doc.DOCKER_ROOTFS, doc.OCI_ROOTFS)),
        ClassShape(ImageConfig, _both(doc.DOCKER_IMAGE_CONFIG, doc.OCI_IMAGE_CONFIG)),
        # Docker distribution writes a descriptor's size with omitempty, so a
        # 0-byte blob has none: lenient reading takes 0 (as Go does), strict
        # reading requires it (as the OCI spec).
        ClassShape(
            Descriptor,
            _both(doc.DOCKER_DESCRIPTOR, doc.OCI_DESCRIPTOR),
            required=("digest",),
            strict_required=("size", "media_type"),
            encodings=(("data", Encoding(read_base64, write_base64)),),
        ),
        ClassShape(Platform, _both(doc.DOCKER_PLATFORM, doc.OCI_PLATFORM)),
        ClassShape(ImageManifest, _both(doc.DOCKER_MANIFEST, doc.OCI_MANIFEST), required=("config",)),
        ClassShape(ImageIndex, _both(doc.DOCKER_INDEX, doc.OCI_INDEX)),
        ClassShape(Schema1Manifest, _both(doc.SCHEMA1_MANIFEST)),
        ClassShape(FSLayer, _both(doc.FS_LAYER), required=("blob_sum",)),
        ClassShape(Schema1History, _both(doc.SCHEMA1_HISTORY), required=("v1_compatibility",)),
        ClassShape(
            JWSSignature,
            _both(doc.JWS_SIGNATURE),
            required=("header", "signature", "protected"),
            # a JWS header is kept as the JSON object it is
            encodings=(("header", Encoding(read_json_object, thaw)),),
        ),
        # --- docker save archives
        ClassShape(ArchiveManifestEntry, _both(doc.ARCHIVE_MANIFEST_ENTRY), required=("config",)),
        # --- inspect output
        ClassShape(
            ImageInspect,
            others=(Shape(inspect.DOCKER_IMAGE_ALL),),
            # a Go *string* holding a time: "" means none
            encodings=(("created", Encoding(read_time_string)),),
            layout_nils=(("created", ""),),
        ),
        ClassShape(PodmanImageInspect, others=(inspect.PODMAN_IMAGE,)),
        ClassShape(GraphDriver, others=(inspect.GRAPHDRIVER_DATA_FIRST,)),
        ClassShape(InspectRootFS, others=(inspect.ROOTFS_OLD,)),
        ClassShape(Metadata, others=(inspect.METADATA,)),
        ClassShape(ManifestSummary, others=(inspect.MANIFEST_SUMMARY,)),
        ClassShape(ImageData, others=(inspect.IMAGE_DATA,)),
        ClassShape(ManifestSize, others=(Shape(inspect.MANIFEST_SIZE.fields + inspect.UNPACKED_SIZE.fields),)),
        ClassShape(AttestationData, others=(inspect.ATTESTATION,)),
        ClassShape(Identity, others=(inspect.IDENTITY,)),
        ClassShape(PullIdentity, others=(inspect.PULL_IDENTITY,)),
        ClassShape(BuildIdentity, others=(inspect.BUILD_IDENTITY,)),
    )
}


def class_shape(cls: type[Any]) -> ClassShape:
    """The record of a model class; a class without one is refused (it would
    read every key into ``extra`` and fail later).

    >>> import attrs
    >>> from imageinspect.model.base import JSONObject
    >>> @attrs.frozen
    ... class Unshaped(JSONObject):
    ...     name: str = ""
    >>> class_shape(Unshaped)
    Traceback (most recent call last):
      ...
    TypeError: no JSON shape is registered for Unshaped
    """
    found = CLASS_SHAPES.get(cls)
    if found is None:
        raise TypeError(f"no JSON shape is registered for {cls.__name__}")
    return found


@attrs.frozen(cache_hash=True)
class ShapeSet:
    """The shapes one producer writes with: a shape per model class (the
    class's docker document shape where not set here) and named shapes that
    fields can ask for. Hashable, so the writers built for it are cached.

    >>> ShapeSet(((RootFS, doc.OCI_ROOTFS),)).for_class(RootFS) is doc.OCI_ROOTFS
    True
    """

    defaults: tuple[tuple[type[Any], Shape], ...]
    named: tuple[tuple[str, Shape], ...] = ()

    def for_class(self, cls: type[Any]) -> Shape:
        """The shape of a class in this set."""
        for key, found in self.defaults:
            if key is cls:
                return found
        return class_shape(cls).dialect("docker")

    def named_shape(self, name: str) -> Shape:
        """A shape by the name a :class:`~imageinspect.codec.shapes.Field` gives."""
        for key, found in self.named:
            if key == name:
                return found
        raise KeyError(name)


_DOCUMENT_SETS: Final[dict[Dialect, ShapeSet]] = {
    dialect: ShapeSet(tuple((cls, record.dialect(dialect)) for cls, record in CLASS_SHAPES.items() if record.dialects))
    for dialect in doc.DIALECTS
}


def document_shapes(dialect: Dialect) -> ShapeSet:
    """The shape set of a document dialect.

    >>> [f.key for f in document_shapes("oci").for_class(History).fields][:2]
    ['created', 'created_by']
    """
    return _DOCUMENT_SETS[dialect]
