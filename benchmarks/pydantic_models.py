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
from typing import Any, Optional

from pydantic import BaseModel, ConfigDict

_SPECIAL = {"root_fs": "RootFS"}


def docker_key(name: str) -> str:
    """``repo_tags`` -> ``RepoTags``; ``root_fs`` -> ``RootFS``."""
    return _SPECIAL.get(name) or "".join(part.capitalize() for part in name.split("_"))


class DockerModel(BaseModel):
    model_config = ConfigDict(alias_generator=docker_key, populate_by_name=True)


class HealthcheckModel(DockerModel):
    test: Optional[list[str]] = None
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
    exposed_ports: Optional[dict[str, dict[str, Any]]] = None
    tty: bool = False
    open_stdin: bool = False
    stdin_once: bool = False
    env: Optional[list[str]] = None
    cmd: Optional[list[str]] = None
    healthcheck: Optional[HealthcheckModel] = None
    args_escaped: bool = False
    image: str = ""
    volumes: Optional[dict[str, dict[str, Any]]] = None
    working_dir: str = ""
    entrypoint: Optional[list[str]] = None
    on_build: Optional[list[str]] = None
    labels: Optional[dict[str, str]] = None
    stop_signal: str = ""
    shell: Optional[list[str]] = None


class GraphDriverModel(DockerModel):
    name: str = ""
    data: Optional[dict[str, str]] = None


class RootFSModel(DockerModel):
    type: str = ""
    layers: Optional[list[str]] = None


class MetadataModel(DockerModel):
    last_tag_time: Optional[datetime] = None


class DockerImageModel(DockerModel):
    id: str = ""
    repo_tags: Optional[list[str]] = None
    repo_digests: Optional[list[str]] = None
    parent: str = ""
    comment: str = ""
    created: Optional[datetime] = None
    container: str = ""
    container_config: Optional[ContainerConfigModel] = None
    docker_version: str = ""
    author: str = ""
    config: Optional[ContainerConfigModel] = None
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: Optional[int] = None
    graph_driver: Optional[GraphDriverModel] = None
    root_fs: Optional[RootFSModel] = None
    metadata: Optional[MetadataModel] = None


class HistoryModel(BaseModel):
    # podman writes OCI history entries with snake_case keys
    created: Optional[datetime] = None
    created_by: str = ""
    author: str = ""
    comment: str = ""
    empty_layer: bool = False


class PodmanImageModel(DockerModel):
    id: str = ""
    digest: str = ""
    repo_tags: Optional[list[str]] = None
    repo_digests: Optional[list[str]] = None
    parent: str = ""
    comment: str = ""
    created: Optional[datetime] = None
    config: Optional[ContainerConfigModel] = None
    version: str = ""
    author: str = ""
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int = 0
    graph_driver: Optional[GraphDriverModel] = None
    root_fs: Optional[RootFSModel] = None
    labels: Optional[dict[str, str]] = None
    annotations: Optional[dict[str, str]] = None
    manifest_type: str = ""
    user: str = ""
    history: Optional[list[HistoryModel]] = None
    names_history: Optional[list[str]] = None
    healthcheck: Optional[HealthcheckModel] = None
