"""Plain pydantic v2 models of docker / podman inspect output, for comparison.

What a user would write by hand to get typed inspect objects from pydantic:
snake_case fields, Docker's CamelCase keys as aliases, ``datetime`` for
timestamps (pydantic truncates Go's nanoseconds to microseconds, so these
models do not round-trip byte for byte -- they are only a speed reference).
Fields cover every key the golden corpus in ``tests/data/golden/inspect``
holds; unknown keys are ignored (pydantic's default).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

_SPECIAL = {"root_fs": "RootFS"}


def docker_key(name: str) -> str:
    """``repo_tags`` -> ``RepoTags``; ``root_fs`` -> ``RootFS``."""
    return _SPECIAL.get(name) or "".join(part.capitalize() for part in name.split("_"))


class DockerModel(BaseModel):
    model_config = ConfigDict(alias_generator=docker_key, populate_by_name=True)


class HealthcheckModel(DockerModel):
    test: list[str] | None = None
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0


class ContainerConfigModel(DockerModel):
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
    healthcheck: HealthcheckModel | None = None
    args_escaped: bool = False
    image: str = ""
    volumes: dict[str, dict[str, Any]] | None = None
    working_dir: str = ""
    entrypoint: list[str] | None = None
    on_build: list[str] | None = None
    labels: dict[str, str] | None = None
    stop_signal: str = ""
    shell: list[str] | None = None


class GraphDriverModel(DockerModel):
    name: str = ""
    data: dict[str, str] | None = None


class RootFSModel(DockerModel):
    type: str = ""
    layers: list[str] | None = None


class MetadataModel(DockerModel):
    last_tag_time: datetime | None = None


class DockerImageModel(DockerModel):
    id: str = ""
    repo_tags: list[str] | None = None
    repo_digests: list[str] | None = None
    parent: str = ""
    comment: str = ""
    created: datetime | None = None
    container: str = ""
    container_config: ContainerConfigModel | None = None
    docker_version: str = ""
    author: str = ""
    config: ContainerConfigModel | None = None
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int | None = None
    graph_driver: GraphDriverModel | None = None
    root_fs: RootFSModel | None = None
    metadata: MetadataModel | None = None


class HistoryModel(BaseModel):
    # podman writes OCI history entries with snake_case keys
    created: datetime | None = None
    created_by: str = ""
    author: str = ""
    comment: str = ""
    empty_layer: bool = False


class PodmanImageModel(DockerModel):
    id: str = ""
    digest: str = ""
    repo_tags: list[str] | None = None
    repo_digests: list[str] | None = None
    parent: str = ""
    comment: str = ""
    created: datetime | None = None
    config: ContainerConfigModel | None = None
    version: str = ""
    author: str = ""
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int = 0
    graph_driver: GraphDriverModel | None = None
    root_fs: RootFSModel | None = None
    labels: dict[str, str] | None = None
    annotations: dict[str, str] | None = None
    manifest_type: str = ""
    user: str = ""
    history: list[HistoryModel] | None = None
    names_history: list[str] | None = None
    healthcheck: HealthcheckModel | None = None
