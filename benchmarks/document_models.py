"""Plain pydantic v2 and msgspec models of image configs, manifests and indexes.

What a user would write by hand to get typed documents from either library,
for the speed comparison in ``bench_documents.py``: the OCI / Docker schema2
fields the corpus in ``tests/data/documents`` holds, camelCase keys (the
container config inside an image config keeps Docker's CamelCase), ``datetime``
for timestamps, unknown keys ignored. Neither keeps the bytes, the key order or
the unknown fields, so neither round-trips a document; they are a speed
reference only. Schema1 manifests have no models here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from msgspec_models import ContainerConfigStruct
from pydantic import BaseModel, ConfigDict, Field
from pydantic.alias_generators import to_camel
from pydantic_models import ContainerConfigModel

# --------------------------------------------------------------------------- pydantic


class _Camel(BaseModel):
    model_config = ConfigDict(alias_generator=to_camel, populate_by_name=True)


class PlatformModel(_Camel):
    architecture: str = ""
    os: str = ""
    os_version: str | None = Field(default=None, alias="os.version")
    os_features: list[str] | None = Field(default=None, alias="os.features")
    variant: str | None = None


class DescriptorModel(_Camel):
    media_type: str = ""
    digest: str = ""
    size: int = 0
    urls: list[str] | None = None
    annotations: dict[str, str] | None = None
    platform: PlatformModel | None = None
    artifact_type: str | None = None


class ManifestModel(_Camel):
    schema_version: int = 2
    media_type: str | None = None
    artifact_type: str | None = None
    config: DescriptorModel
    layers: list[DescriptorModel] = []
    subject: DescriptorModel | None = None
    annotations: dict[str, str] | None = None


class IndexModel(_Camel):
    schema_version: int = 2
    media_type: str | None = None
    artifact_type: str | None = None
    manifests: list[DescriptorModel] = []
    subject: DescriptorModel | None = None
    annotations: dict[str, str] | None = None


class ConfigHistoryModel(BaseModel):
    created: datetime | None = None
    created_by: str | None = None
    author: str | None = None
    comment: str | None = None
    empty_layer: bool | None = None


class ConfigRootFSModel(BaseModel):
    type: str = ""
    diff_ids: list[str] = []


class ImageConfigModel(BaseModel):
    created: datetime | None = None
    author: str | None = None
    architecture: str = ""
    os: str = ""
    os_version: str | None = Field(default=None, alias="os.version")
    variant: str | None = None
    config: ContainerConfigModel | None = None
    container: str | None = None
    container_config: ContainerConfigModel | None = None
    docker_version: str | None = None
    rootfs: ConfigRootFSModel
    history: list[ConfigHistoryModel] | None = None


# --------------------------------------------------------------------------- msgspec


class PlatformStruct(msgspec.Struct, kw_only=True):
    architecture: str = ""
    os: str = ""
    os_version: str | None = msgspec.field(default=None, name="os.version")
    os_features: list[str] | None = msgspec.field(default=None, name="os.features")
    variant: str | None = None


class DescriptorStruct(msgspec.Struct, rename="camel", kw_only=True):
    media_type: str = ""
    digest: str = ""
    size: int = 0
    urls: list[str] | None = None
    annotations: dict[str, str] | None = None
    platform: PlatformStruct | None = None
    artifact_type: str | None = None


class ManifestStruct(msgspec.Struct, rename="camel", kw_only=True):
    schema_version: int = 2
    media_type: str | None = None
    artifact_type: str | None = None
    config: DescriptorStruct
    layers: list[DescriptorStruct] = []
    subject: DescriptorStruct | None = None
    annotations: dict[str, str] | None = None


class IndexStruct(msgspec.Struct, rename="camel", kw_only=True):
    schema_version: int = 2
    media_type: str | None = None
    artifact_type: str | None = None
    manifests: list[DescriptorStruct] = []
    subject: DescriptorStruct | None = None
    annotations: dict[str, str] | None = None


class ConfigHistoryStruct(msgspec.Struct, kw_only=True):
    created: datetime | None = None
    created_by: str | None = None
    author: str | None = None
    comment: str | None = None
    empty_layer: bool | None = None


class ConfigRootFSStruct(msgspec.Struct, kw_only=True):
    type: str = ""
    diff_ids: list[str] = []


class ImageConfigStruct(msgspec.Struct, kw_only=True):
    created: datetime | None = None
    author: str | None = None
    architecture: str = ""
    os: str = ""
    os_version: str | None = msgspec.field(default=None, name="os.version")
    variant: str | None = None
    config: ContainerConfigStruct | None = None
    container: str | None = None
    container_config: ContainerConfigStruct | None = None
    docker_version: str | None = None
    rootfs: ConfigRootFSStruct
    history: list[ConfigHistoryStruct] | None = None


#: kind -> (pydantic model, msgspec Struct)
MODELS: dict[str, tuple[type[BaseModel], type[Any]]] = {
    "configs": (ImageConfigModel, ImageConfigStruct),
    "manifests": (ManifestModel, ManifestStruct),
    "indexes": (IndexModel, IndexStruct),
}
