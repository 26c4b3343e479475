"""Image configuration: the OCI image config and Docker's superset of it.

Go's ``nil`` and empty are different values here (``None`` and ``()``), because
Docker prints them differently (``null`` and ``[]``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import attrs

from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.frozen import FrozenMap, string_map, strings
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

__all__ = ["ContainerConfig", "HealthConfig", "History", "ImageConfig", "RootFS"]

_NS_PER_US = 1000


def _sorted_set(value: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """Go keeps ExposedPorts and Volumes in maps, which it writes sorted by key;
    the model keeps them sorted and without duplicates for the same reason."""
    if value is None:
        return None
    return tuple(sorted(set(value)))


@attrs.frozen(kw_only=True)
class HealthConfig(JSONObject):
    """A health check; durations are integer nanoseconds, as Go stores them.

    >>> hc = HealthConfig(test=("CMD", "true"), interval=30_000_000_000)
    >>> hc.interval_timedelta
    datetime.timedelta(seconds=30)
    """

    test: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    interval: int = 0
    timeout: int = 0
    start_period: int = 0
    start_interval: int = 0
    retries: int = 0

    @property
    def interval_timedelta(self) -> timedelta:
        """``interval`` as a :class:`~datetime.timedelta` (sub-microsecond part dropped).

        >>> HealthConfig(interval=90_500_000_000).interval_timedelta
        datetime.timedelta(seconds=90, microseconds=500000)
        """
        return timedelta(microseconds=self.interval // _NS_PER_US)

    @property
    def timeout_timedelta(self) -> timedelta:
        """``timeout`` as a :class:`~datetime.timedelta`.

        >>> HealthConfig(timeout=5_000_000_000).timeout_timedelta
        datetime.timedelta(seconds=5)
        """
        return timedelta(microseconds=self.timeout // _NS_PER_US)

    @property
    def start_period_timedelta(self) -> timedelta:
        """``start_period`` as a :class:`~datetime.timedelta`.

        >>> HealthConfig(start_period=1_000).start_period_timedelta
        datetime.timedelta(microseconds=1)
        """
        return timedelta(microseconds=self.start_period // _NS_PER_US)

    @property
    def start_interval_timedelta(self) -> timedelta:
        """``start_interval`` as a :class:`~datetime.timedelta`.

        >>> HealthConfig(start_interval=0).start_interval_timedelta
        datetime.timedelta(0)
        """
        return timedelta(microseconds=self.start_interval // _NS_PER_US)


@attrs.frozen(kw_only=True)
class ContainerConfig(JSONObject):
    """Go's ``container.Config`` (Hostname … Shell): the ``config`` and
    ``container_config`` of an image. OCI configs use the subset ``user`` …
    ``args_escaped`` plus Docker's ``healthcheck``, ``on_build`` and ``shell``.

    >>> c = ContainerConfig(env=("PATH=/bin", "A=b=c"), exposed_ports=("80/tcp", "53/udp"))
    >>> c.env_map["A"], c.ports
    ('b=c', (('53', 'udp'), ('80', 'tcp')))
    """

    hostname: str = ""
    domainname: str = ""
    user: str = ""
    attach_stdin: bool = False
    attach_stdout: bool = False
    attach_stderr: bool = False
    exposed_ports: tuple[str, ...] | None = attrs.field(default=None, converter=_sorted_set)
    tty: bool = False
    open_stdin: bool = False
    stdin_once: bool = False
    env: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    cmd: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    healthcheck: HealthConfig | None = None
    args_escaped: bool = False
    image: str = ""
    volumes: tuple[str, ...] | None = attrs.field(default=None, converter=_sorted_set)
    working_dir: str = ""
    entrypoint: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    network_disabled: bool = False
    mac_address: str = ""
    on_build: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    labels: FrozenMap[str, str] | None = attrs.field(default=None, converter=string_map)
    stop_signal: str = ""
    stop_timeout: int | None = None
    shell: tuple[str, ...] | None = attrs.field(default=None, converter=strings)

    @property
    def env_map(self) -> dict[str, str]:
        """``env`` as an ordered mapping (later duplicates win, as in Docker;
        an entry without ``=`` maps to ``""``).

        >>> ContainerConfig(env=("A=1", "B", "A=2")).env_map
        {'A': '2', 'B': ''}
        """
        result: dict[str, str] = {}
        for entry in self.env or ():
            key, _, value = entry.partition("=")
            result[key] = value
        return result

    def oci_subset(self, *, empty_as_null: bool = True) -> ContainerConfig:
        """The config as a daemon shows it after reading it through the OCI
        image-config type (Docker 28.2+, and the containerd store): only
        ``User``, ``ExposedPorts``, ``Env``, ``Entrypoint``, ``Cmd``,
        ``Volumes``, ``WorkingDir``, ``Labels``, ``StopSignal``,
        ``ArgsEscaped``, ``Healthcheck``, ``OnBuild`` and ``Shell`` survive,
        and (Docker 28.2+) an empty list or map comes back as ``None``;
        Docker 26.1's containerd store keeps it (``empty_as_null=False``).
        Observed on Docker 26.1 (containerd store) and 28.5.

        >>> c = ContainerConfig(hostname="h", image="sha256:aa", env=(), cmd=("x",), attach_stdout=True)
        >>> c.oci_subset() == ContainerConfig(cmd=("x",))
        True
        >>> c.oci_subset(empty_as_null=False).env
        ()
        """

        if self._is_oci_subset(empty_as_null):
            return self  # nothing to drop (the common case when rendering by the newest rules)

        def nil(value: Any) -> Any:
            return value if value or not empty_as_null else None

        return ContainerConfig(
            user=self.user,
            exposed_ports=nil(self.exposed_ports),
            env=nil(self.env),
            entrypoint=nil(self.entrypoint),
            cmd=nil(self.cmd),
            volumes=nil(self.volumes),
            working_dir=self.working_dir,
            labels=nil(self.labels),
            stop_signal=self.stop_signal,
            args_escaped=self.args_escaped,
            healthcheck=self.healthcheck,
            on_build=nil(self.on_build),
            shell=nil(self.shell),
        )

    def _is_oci_subset(self, empty_as_null: bool) -> bool:
        """Whether :meth:`oci_subset` would give an equal config."""
        if (
            self.extra
            or self.hostname
            or self.domainname
            or self.attach_stdin
            or self.attach_stdout
            or self.attach_stderr
            or self.tty
            or self.open_stdin
            or self.stdin_once
            or self.image
            or self.network_disabled
            or self.mac_address
            or self.stop_timeout is not None
        ):
            return False
        if not empty_as_null:
            return True
        return all(
            value is None or len(value) > 0
            for value in (
                self.exposed_ports, self.env, self.entrypoint, self.cmd, self.volumes, self.labels, self.on_build,
                self.shell,
            )
        )  # fmt: skip

    @property
    def ports(self) -> tuple[tuple[str, str], ...]:
        """``exposed_ports`` as ``(port, protocol)`` pairs; ``tcp`` when no
        protocol is written.

        >>> ContainerConfig(exposed_ports=("8080", "53/udp")).ports
        (('53', 'udp'), ('8080', 'tcp'))
        """
        pairs = []
        for spec in self.exposed_ports or ():
            port, _, proto = spec.partition("/")
            pairs.append((port, proto or "tcp"))
        return tuple(pairs)


@attrs.frozen(kw_only=True)
class History(JSONObject):
    """One entry of an image's build history.

    >>> History(created_by="/bin/sh -c #(nop)  CMD sh", empty_layer=True).empty_layer
    True
    """

    created: Timestamp | None = None
    created_by: str = ""
    author: str = ""
    comment: str = ""
    empty_layer: bool = False


@attrs.frozen(kw_only=True)
class RootFS(JSONObject):
    """The config's ``rootfs``: the layer diff IDs, bottom first.

    >>> RootFS().type, RootFS().diff_ids
    ('layers', ())
    """

    type: str = "layers"
    diff_ids: tuple[Digest, ...] | None = ()
    base_layer: str = ""


@attrs.frozen(kw_only=True)
class ImageConfig(JSONObject, DocumentValue):
    """An image configuration: OCI image-spec's ``Image`` plus the fields that
    Docker writes (``container``, ``container_config``, ``docker_version``,
    ``parent``; and ``id``, ``Size``, ``throwaway`` of legacy v1 image JSON).

    >>> cfg = ImageConfig(architecture="arm64", os="linux", variant="v8")
    >>> str(cfg.platform)
    'linux/arm64/v8'
    """

    id: str = ""
    parent: str = ""
    comment: str = ""
    created: Timestamp | None = None
    container: str = ""
    container_config: ContainerConfig | None = None
    docker_version: str = ""
    author: str = ""
    config: ContainerConfig | None = None
    architecture: str = ""
    variant: str = ""
    os: str = ""
    os_version: str = ""
    os_features: tuple[str, ...] | None = attrs.field(default=None, converter=strings)
    size: int | None = None
    throwaway: bool = False
    rootfs: RootFS | None = None
    history: tuple[History, ...] | None = None

    @property
    def platform(self) -> Platform:
        """The platform this image is for.

        >>> ImageConfig(os="windows", architecture="amd64", os_version="10.0.17763.1").platform.os_version
        '10.0.17763.1'
        """
        return Platform(
            os=self.os,
            architecture=self.architecture,
            variant=self.variant,
            os_version=self.os_version,
            os_features=self.os_features,
        )

    @property
    def diff_ids(self) -> tuple[Digest, ...]:
        """The layer diff IDs, bottom first (empty when there is no rootfs).

        >>> ImageConfig().diff_ids
        ()
        """
        if self.rootfs is None or self.rootfs.diff_ids is None:
            return ()
        return self.rootfs.diff_ids


class RuntimeViews:
    """``env``, ``env_map``, ``exposed_ports`` and ``ports`` of a class whose
    runtime configuration is a :class:`ContainerConfig` (or ``None``): one
    meaning per name on :class:`~imageinspect.ImageInspect`,
    :class:`~imageinspect.PodmanImageInspect`, :class:`~imageinspect.Image` and
    :class:`ContainerConfig` itself. A class says where its runtime
    configuration is with ``_runtime()`` (default: its ``config``).

    >>> from imageinspect import ImageInspect
    >>> image = ImageInspect(config=ContainerConfig(env=("A=1", "A=2"), exposed_ports=("80/tcp",)))
    >>> image.env, image.env_map, image.exposed_ports, image.ports
    (('A=1', 'A=2'), {'A': '2'}, ('80/tcp',), (('80', 'tcp'),))
    """

    __slots__ = ()

    def _runtime(self) -> ContainerConfig | None:
        runtime: ContainerConfig | None = getattr(self, "config", None)
        return runtime

    @property
    def env(self) -> tuple[str, ...]:
        """``Config.Env`` as written, duplicates and order kept (``()`` when unset)."""
        runtime = self._runtime()
        return () if runtime is None else runtime.env or ()

    @property
    def env_map(self) -> dict[str, str]:
        """``Config.Env`` as an ordered mapping (later duplicates win, as in Docker)."""
        runtime = self._runtime()
        return {} if runtime is None else runtime.env_map

    @property
    def exposed_ports(self) -> tuple[str, ...]:
        """``Config.ExposedPorts`` as written (``80/tcp``)."""
        runtime = self._runtime()
        return () if runtime is None else runtime.exposed_ports or ()

    @property
    def ports(self) -> tuple[tuple[str, str], ...]:
        """``Config.ExposedPorts`` as ``(port, protocol)`` pairs."""
        runtime = self._runtime()
        return () if runtime is None else runtime.ports
