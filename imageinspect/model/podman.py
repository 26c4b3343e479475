"""``podman image inspect``: podman's own shape (not Docker's)."""

from __future__ import annotations

import attrs

from imageinspect.model.base import JSONObject
from imageinspect.model.config import ContainerConfig, HealthConfig, History, RuntimeViews
from imageinspect.model.frozen import FrozenMap, string_map, strings
from imageinspect.model.inspect import GraphDriver, InspectRootFS, human_size
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

__all__ = ["PodmanImageInspect"]


@attrs.frozen(kw_only=True)
class PodmanImageInspect(RuntimeViews, JSONObject):
    """One element of ``podman image inspect``: ``Id`` without ``sha256:``,
    the manifest ``Digest``, an OCI ``Config``, top-level ``Labels``,
    ``Annotations``, ``ManifestType``, ``User``, ``History``, ``NamesHistory``
    and ``Healthcheck``.

    >>> img = PodmanImageInspect(id="ab" * 32, architecture="amd64", os="linux", size=4101)
    >>> img.short_id, str(img.platform), img.human_size
    ('abababababab', 'linux/amd64', '4.1kB')
    """

    id: str = ""
    digest: str = ""
    repo_tags: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    repo_digests: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    parent: str = ""
    comment: str = ""
    created: Timestamp | None = None
    config: ContainerConfig | None = None
    version: str = ""
    author: str = ""
    architecture: str = ""
    os: str = ""
    size: int = 0
    virtual_size: int = 0
    graph_driver: GraphDriver | None = None
    root_fs: InspectRootFS | None = None
    labels: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)
    annotations: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)
    manifest_type: str = ""
    user: str = ""
    history: tuple[History, ...] | None = None
    names_history: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    healthcheck: HealthConfig | None = None

    @property
    def short_id(self) -> str:
        """The 12-character ID.

        >>> PodmanImageInspect(id="0123456789abcdef").short_id
        '0123456789ab'
        """
        return self.id[:12]

    @property
    def platform(self) -> Platform:
        """``Os``/``Architecture`` as a platform.

        >>> str(PodmanImageInspect(os="linux", architecture="s390x").platform)
        'linux/s390x'
        """
        return Platform(os=self.os, architecture=self.architecture)

    @property
    def human_size(self) -> str:
        """``Size`` as ``podman images`` prints it (same rule as Docker's).

        >>> PodmanImageInspect(size=0).human_size
        '0B'
        """
        return human_size(self.size)
