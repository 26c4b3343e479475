"""cattrs for embedders: a tool's own attrs classes that hold imageinspect
values (``ImageInspect``, ``ImageConfig``, ``Descriptor``, ``Digest``,
``Timestamp``, ``Platform``, ...) structure and unstructure through the
tool's cattrs converter, exactly and both ways, in the spirit of
``cattrs.preconf``.

>>> import attrs, cattrs
>>> from imageinspect import Digest, ImageConfig, Timestamp
>>> @attrs.frozen
... class Record:
...     digest: Digest
...     seen: Timestamp
...     config: ImageConfig
>>> _ = attrs.resolve_types(Record, globals())  # (only needed inside this docstring)
>>> conv = configure_converter(cattrs.Converter())
>>> data = {"digest": "sha256:" + "a" * 64, "seen": "2024-01-01T00:00:00.5Z",
...         "config": {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": []}}}
>>> record = conv.structure(data, Record)
>>> record.config.os, str(record.seen)
('linux', '2024-01-01T00:00:00.5Z')
>>> conv.unstructure(record) == data
True
"""

from __future__ import annotations

from typing import Any

import cattrs

from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

from .formats import Format, every_key_shapes, resolve
from .read import structure
from .write import writer

__all__ = ["configure_converter", "make_converter"]


def _is_model(cls: Any) -> bool:
    return isinstance(cls, type) and issubclass(cls, JSONObject)


def _unstructure_model(obj: Any) -> Any:
    """A model's JSON value: what was read, for an object read from JSON;
    otherwise every field it holds, in its kind's canonical layout (inspect
    objects with every key any release writes, so nothing is lost)."""
    if isinstance(obj, DocumentValue):
        from .documents import _dialect

        return writer(_dialect(obj)).write(obj)  # type: ignore[arg-type]
    if isinstance(obj, PodmanImageInspect):
        return writer(resolve(Format.podman()).shapes).write(obj)
    return writer(every_key_shapes()).write(obj)


def _structure_str_value(cls: type[Any]) -> Any:
    def hook(value: Any, _: Any) -> Any:
        return structure(value, cls)

    return hook


def configure_converter(converter: cattrs.Converter) -> cattrs.Converter:
    """Teach ``converter`` imageinspect's types: models (inspect objects,
    documents and their parts) through imageinspect's own reader and writer
    (errors are :class:`~imageinspect.errors.ImageInspectError` with JSON
    paths, wrapped by cattrs as it wraps any hook's error), and ``Digest``,
    ``MediaType``, ``Timestamp`` and ``Platform`` as their JSON strings or
    objects. Returns the converter.

    >>> conv = configure_converter(cattrs.Converter())
    >>> conv.unstructure(Platform.parse("linux/arm64/v8"))
    {'architecture': 'arm64', 'os': 'linux', 'variant': 'v8'}
    """
    converter.register_structure_hook_func(_is_model, lambda value, cls: structure(value, cls))
    converter.register_unstructure_hook_func(_is_model, _unstructure_model)
    for cls in (Digest, MediaType, Timestamp, Platform):
        converter.register_structure_hook(cls, _structure_str_value(cls))
    converter.register_unstructure_hook(Digest, str)
    converter.register_unstructure_hook(MediaType, str)
    converter.register_unstructure_hook(Timestamp, str)
    converter.register_unstructure_hook(Platform, lambda platform: writer("oci")._platform(platform))
    return converter


def make_converter() -> cattrs.Converter:
    """A new ``cattrs.Converter`` configured by :func:`configure_converter`.

    >>> make_converter().structure("sha256:" + "0" * 64, Digest)
    <Digest('sha256:0000000000000000000000000000000000000000000000000000000000000000')>
    """
    return configure_converter(cattrs.Converter())
