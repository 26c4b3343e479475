"""Plain ``msgspec.Struct`` models of docker / podman inspect output, for comparison.

The msgspec counterpart of ``pydantic_models.py``, field for field: what a user
would write by hand to get typed inspect objects from msgspec. snake_case
attributes, Docker's CamelCase keys through ``rename``, ``datetime`` for
timestamps (msgspec rounds Go's nanoseconds to microseconds, so these models
do not round-trip byte for byte -- they are only a speed reference). Unknown
keys are ignored (msgspec's default).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

import msgspec
from pydantic_models import docker_key


class HealthcheckStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    test: list[str] | None = None
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0


class ContainerConfigStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    hostname: str = ""
    domainname: str = ""
    user: str = ""
    attach_stdin: bool = False
    attach_stdout: bool = False
    attach_stderr: bool = False
    exposed_ports: dict[str, dict[str, Any]] | None = None
    tty: bool = False
    open_stdin: bool = False
    stdin_once: bool = False
    env: list[str] | None = None
    cmd: list[str] | None = None
    healthcheck: HealthcheckStruct | None = None
    args_escaped: bool = False
    image: str = ""
    volumes: dict[str, dict[str, Any]] | None = None
    working_dir: str = ""
    entrypoint: list[str] | None = None
    on_build: list[str] | None = None
    labels: dict[str, str] | None = None
    stop_signal: str = ""
    shell: list[str] | None = None


class GraphDriverStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    name: str = ""
    data: dict[str, str] | None = None


class RootFSStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    type: str = ""
    layers: list[str] | None = None


class MetadataStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    last_tag_time: datetime | None = None


class DockerImageStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    id: str = ""
    repo_tags: list[str] | None = None
    repo_digests: list[str] | None = None
    parent: str = ""
    comment: str = ""
    created: datetime | None = None
    container: str = ""
    container_config: ContainerConfigStruct | None = None
    docker_version: str = ""
    author: str = ""
    config: ContainerConfigStruct | None = None
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int | None = None
    graph_driver: GraphDriverStruct | None = None
    root_fs: RootFSStruct | None = None
    metadata: MetadataStruct | None = None


class HistoryStruct(msgspec.Struct, kw_only=True):
    # podman writes OCI history entries with snake_case keys
    created: datetime | None = None
    created_by: str = ""
    author: str = ""
    comment: str = ""
    empty_layer: bool = False


class PodmanImageStruct(msgspec.Struct, rename=docker_key, kw_only=True):
    id: str = ""
    digest: str = ""
    repo_tags: list[str] | None = None
    repo_digests: list[str] | None = None
    parent: str = ""
    comment: str = ""
    created: datetime | None = None
    config: ContainerConfigStruct | None = None
    version: str = ""
    author: str = ""
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int = 0
    graph_driver: GraphDriverStruct | None = None
    root_fs: RootFSStruct | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    manifest_type: str = ""
    user: str = ""
    history: list[HistoryStruct] | None = None
    names_history: list[str] | None = None
    healthcheck: HealthcheckStruct | None = None
