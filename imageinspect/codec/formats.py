"""Which daemon printed it: ``Format`` values and the one table of rules.

A :class:`Format` names a producer -- a Docker daemon release at a negotiated
API version with an image store, or a podman version -- and a printer (the
docker CLI's default output, a raw Engine API body, ``--format json``, or
``--format '{{json .}}'``). :func:`resolve` turns it, once, into a
:class:`Profile`: the shapes of every object and the physical layout of the
output. All version knowledge lives in :data:`RULES` (from
``reference/inspect-shape.md`` §2.2-2.5 and §5, which cite moby, docker/cli
and podman sources).

>>> p = resolve(Format.docker(daemon="20.10"))
>>> [f.key for f in p.shapes.for_class("ImageInspect").fields][-4:]
['VirtualSize', 'GraphDriver', 'RootFS', 'Metadata']
>>> resolve(Format.docker(daemon="29.1", api="1.52", store="containerd")).layout.indent
4
"""

from __future__ import annotations

import re
import warnings
from functools import cache
from typing import Final, Literal

import attrs
import orjson

from imageinspect.errors import ImageInspectError

from .shapes import (
    CONTAINER_CONFIG,
    HEALTH_CONFIG,
    OCI_CONTAINER_CONFIG,
    OCI_DESCRIPTOR,
    OCI_HISTORY,
    OCI_PLATFORM,
    Field,
    Shape,
    ShapeSet,
    register,
)

__all__ = [
    "NEWEST_DOCKER",
    "NEWEST_PODMAN",
    "RULES",
    "Format",
    "Layout",
    "Printer",
    "Profile",
    "Rule",
    "UnknownVersionWarning",
    "resolve",
]

Printer = Literal["cli", "api", "json", "template"]
Store = Literal["graphdriver", "containerd"]
Version = tuple[int, ...]

#: The newest releases the table knows.
NEWEST_DOCKER: Final = "29.7"
NEWEST_PODMAN: Final = "5.8"

# Default (= maximum) API version per daemon release (api/common.go, daemon/config).
_API_OF_RELEASE: Final[tuple[tuple[str, str], ...]] = (
    ("1.12", "1.24"), ("1.13", "1.25"), ("17.03", "1.26"), ("17.04", "1.28"), ("17.05", "1.29"),
    ("17.06", "1.30"), ("17.07", "1.31"), ("17.09", "1.32"), ("17.10", "1.33"), ("17.11", "1.34"),
    ("17.12", "1.35"), ("18.02", "1.36"), ("18.03", "1.37"), ("18.06", "1.38"), ("18.09", "1.39"),
    ("19.03", "1.40"), ("20.10", "1.41"), ("23.0", "1.42"), ("24.0", "1.43"), ("25.0", "1.44"),
    ("26.0", "1.45"), ("27.0", "1.46"), ("27.2", "1.47"), ("28.0", "1.48"), ("28.1", "1.49"),
    ("28.2", "1.50"), ("28.3", "1.51"), ("29.0", "1.52"), ("29.2", "1.53"), ("29.3", "1.54"),
    ("29.6", "1.55"),
)  # fmt: skip


class UnknownVersionWarning(UserWarning):
    """A version newer than the newest the rules table knows: the newest rules
    are used."""


def _version(text: str, what: str) -> Version:
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+~].*)?", text)
    if match is None:
        raise ImageInspectError(f"invalid {what} version {text!r}: expected e.g. 20.10 or 1.41")
    return tuple(int(part) for part in match.groups() if part is not None)


def _cmp(version: Version, bound: str) -> int:
    other = tuple(int(p) for p in bound.split("."))
    width = max(len(version), len(other))
    a = version + (0,) * (width - len(version))
    b = other + (0,) * (width - len(other))
    return (a > b) - (a < b)


@attrs.frozen
class Rule:
    """One row of the rules table: ``feature`` holds for daemon releases in
    ``[since, until)``, API versions in ``[api_since, api_until)`` and the
    given store (``None`` = any). Bounds of ``""`` are open."""

    feature: str
    since: str = ""
    until: str = ""
    api_since: str = ""
    api_until: str = ""
    store: Store | None = None
    kind: Literal["docker", "podman"] = "docker"

    def holds(self, kind: str, release: Version, api: Version, store: str) -> bool:
        """Whether the rule applies.

        >>> Rule("x", since="1.13").holds("docker", (20, 10), (1, 41), "graphdriver")
        True
        """
        if kind != self.kind or (self.store is not None and self.store != store):
            return False
        if self.since and _cmp(release, self.since) < 0:
            return False
        if self.until and _cmp(release, self.until) >= 0:
            return False
        if self.api_since and _cmp(api, self.api_since) < 0:
            return False
        return not (self.api_until and _cmp(api, self.api_until) >= 0)


#: Every version gate, in one place. Feature names are explained where they
#: are used in :func:`_docker_shapes`.
RULES: Final[tuple[Rule, ...]] = (
    # Escaping: 1.12 wrote without SetEscapeHTML(false); 28.3-28.5 re-marshal
    # the response with json.Marshal (HTML-escaped).
    Rule("html", until="1.13"),
    Rule("html", since="28.3", until="29.0"),
    # Go >= 1.22 writes \b and \f; upstream builds from 27.2.1, LTS 25.0.7+.
    Rule("short-bf", since="27.2.1"),
    Rule("short-bf", since="25.0.7", until="26.0"),
    # Type changes per release (api/types ImageInspect).
    Rule("os-version", since="1.13"),
    Rule("graphdriver-data-first", since="17.04"),
    Rule("health-start-period", since="17.05"),
    Rule("metadata", since="17.07"),
    Rule("variant", since="20.10"),
    Rule("rootfs-type-omitempty", since="22.06"),
    Rule("rootfs-base-layer", until="22.06"),
    Rule("virtual-size-omitempty", since="24.0"),
    Rule("repo-tags-null", since="24.0", until="24.0.1"),
    Rule("created-omitempty", since="25.0.4"),
    Rule("created-empty-string", since="25.0", until="25.0.4"),
    Rule("health-start-interval", since="25.0"),
    Rule("container-omitempty", since="26.0"),
    Rule("descriptor-field", since="28.0"),
    Rule("types-v1.52", since="29.0"),
    Rule("identity-field", since="29.2"),
    # Router gates per requested API version.
    Rule("virtual-size", until="25.0"),
    Rule("virtual-size", since="25.0", api_until="1.44"),
    Rule("created-zero-backfill", since="25.0.4", api_until="1.44"),
    Rule("container-fields", until="26.0"),
    Rule("container-fields", since="26.0", api_until="1.45"),
    Rule("descriptor", since="28.0", api_since="1.48", store="containerd"),
    # Config: container.Config before 28.2 / API < 1.50; the image-config
    # type after. 28.2 moves the legacy Config last; 28.3-28.5 marshal it as a
    # sorted map with legacy keys back-filled, also last.
    Rule("oci-config", since="28.2", api_since="1.50"),
    Rule("config-last", since="28.2", until="28.3", api_until="1.50"),
    Rule("config-last", since="28.3", until="29.0"),
    Rule("config-map", since="28.3", until="29.0"),
    # 29.x: the compat wrapper re-decodes everything into maps (all keys
    # sorted) for API < 1.52, or when Parent/DockerVersion must be added.
    Rule("compat-wrap", since="29.0", api_until="1.52"),
    Rule("compat-wrap-legacy", since="29.0", api_since="1.52"),
    Rule("graphdriver-omitted", since="29.0", api_since="1.52", store="containerd"),
    Rule("identity", since="29.2", api_since="1.53", store="containerd"),
    # podman: 5-space Encoder without HTML escaping since 4.0.
    Rule("podman-encoder", since="4.0", kind="podman"),
)


@attrs.frozen
class Layout:
    """The physical shape of the output: how objects are laid out, indented
    and escaped. ``container`` is ``"array"`` (one JSON array), ``"object"``
    (one object per document) or ``"lines"`` (one compact object per line).

    >>> resolve(Format.docker("20.10", printer="json")).layout
    Layout(container='array', indent=None, escape_html=False, short_bf=False, newline=True, fffd_escaped=False)
    """

    container: Literal["array", "object", "lines"] = "array"
    indent: int | None = 4
    escape_html: bool = False
    short_bf: bool = True
    newline: bool = True
    #: ``\\ufffd`` written as an escape (Go's single-pass encoding of invalid
    #: UTF-8) rather than raw.
    fffd_escaped: bool = False


@attrs.frozen
class Format:
    """A producer of inspect output.

    >>> Format.docker(daemon="28.3", api="1.51")
    Format(kind='docker', version='28.3', api='1.51', store='graphdriver', printer='cli', cli=None, layout=None)
    >>> Format.podman(version="4.3").kind
    'podman'
    """

    kind: Literal["docker", "podman"]
    version: str | None = None
    api: str | None = None
    store: Store = "graphdriver"
    printer: Printer = "cli"
    #: The docker CLI release whose types re-marshal ``{{json .}}`` output.
    cli: str | None = None
    #: Set on formats detected by ``loads``: the exact layout of the input.
    layout: Layout | None = None

    @classmethod
    def docker(
        cls,
        daemon: str | None = None,
        api: str | None = None,
        store: Store = "graphdriver",
        printer: Printer = "cli",
        cli: str | None = None,
    ) -> Format:
        """Docker daemon ``daemon`` (default: the newest known) at API version
        ``api`` (default: the daemon's maximum), ``store`` image store, as
        ``printer`` prints it: ``cli`` (``docker image inspect``), ``api``
        (Engine API body), ``json`` (``--format json``), ``template``
        (``--format '{{json .}}'``, re-marshalled by the CLI release ``cli``,
        default the daemon's).

        >>> Format.docker("20.10", printer="template").printer
        'template'
        """
        if daemon is not None:
            _version(daemon, "daemon")
        if api is not None:
            _version(api, "API")
        if store not in ("graphdriver", "containerd"):
            raise ImageInspectError(f"unknown image store {store!r}: expected graphdriver or containerd")
        if printer not in ("cli", "api", "json", "template"):
            raise ImageInspectError(f"unknown printer {printer!r}: expected cli, api, json or template")
        return cls("docker", daemon, api, store, printer, cli)

    @classmethod
    def podman(cls, version: str | None = None) -> Format:
        """``podman image inspect`` of podman ``version`` (default: the newest).

        >>> resolve(Format.podman("3.4")).layout.indent
        4
        """
        if version is not None:
            _version(version, "podman")
        return cls("podman", version)

    @property
    def is_detected(self) -> bool:
        """True for a format found by ``loads`` (it reproduces the input's
        exact layout and key order rather than applying version rules).

        >>> Format.docker().is_detected
        False
        """
        return self.layout is not None


@attrs.frozen
class Profile:
    """A resolved format: shapes, physical layout and data rules."""

    format: Format
    shapes: ShapeSet
    layout: Layout
    #: Shapes used when an image goes through 29.x's compat wrapper because
    #: it has a Parent or DockerVersion (API >= 1.52).
    wrapped_shapes: ShapeSet | None = None
    features: frozenset[str] = frozenset()


def _f(key: str, attr: str, omit: str = "empty", **more: object) -> Field:
    return Field(key, attr, omit, **more)  # type: ignore[arg-type]


# A hashable JSON `{}` for Field.nil (podman forces Annotations to {}).
_EMPTY_OBJECT: Final = orjson.Fragment(b"{}")

# podman's own field order (pkg/inspect ImageData, unchanged v3.0 -> HEAD).
PODMAN_IMAGE: Final = Shape(
    (
        _f("Id", "id", "never"),
        _f("Digest", "digest", "never"),
        _f("RepoTags", "repo_tags", "never", nil=()),
        _f("RepoDigests", "repo_digests", "never", nil=()),
        _f("Parent", "parent", "never"),
        _f("Comment", "comment", "never"),
        _f("Created", "created", "never"),
        _f("Config", "config", "never", shape="podman-config"),
        _f("Version", "version", "never"),
        _f("Author", "author", "never"),
        _f("Architecture", "architecture", "never"),
        _f("Os", "os", "never"),
        _f("Size", "size", "never"),
        _f("VirtualSize", "virtual_size", "never"),
        _f("GraphDriver", "graph_driver", "never", shape="graphdriver-name-first"),
        _f("RootFS", "root_fs", "never", shape="podman-rootfs"),
        _f("Labels", "labels", "never"),
        _f("Annotations", "annotations", "never", nil=_EMPTY_OBJECT),
        _f("ManifestType", "manifest_type", "never"),
        _f("User", "user", "never"),
        _f("History", "history", "never"),
        _f("NamesHistory", "names_history", "never"),
        _f("Healthcheck", "healthcheck", "empty", shape="podman-health"),
    )
)
PODMAN_HEALTH: Final = Shape(
    tuple(
        HEALTH_CONFIG.fields[i] for i in (0, 3, 4, 1, 2, 5)
    )  # Test, StartPeriod, StartInterval, Interval, Timeout, Retries
)
# podman's Config is image-spec's ImageConfig: the ten OCI keys only.
PODMAN_CONFIG: Final = OCI_CONTAINER_CONFIG.without("Healthcheck", "OnBuild", "Shell")

GRAPHDRIVER_DATA_FIRST: Final = Shape((_f("Data", "data", "never"), _f("Name", "name", "never")))
GRAPHDRIVER_NAME_FIRST: Final = Shape((_f("Name", "name", "never"), _f("Data", "data", "never")))

# The newest Docker struct order with every field any release had, in
# declaration order (v1.12 ... v29): gates remove what a release lacks.
_DOCKER_IMAGE_ALL: Final = (
    _f("Id", "id", "never"),
    _f("RepoTags", "repo_tags", "never"),
    _f("RepoDigests", "repo_digests", "never"),
    _f("Parent", "parent", "never"),
    _f("Comment", "comment", "never"),
    _f("Created", "created", "never", nil="0001-01-01T00:00:00Z"),
    _f("Container", "container", "never"),
    _f("ContainerConfig", "container_config", "struct", shape="container-config"),
    _f("DockerVersion", "docker_version", "never"),
    _f("Author", "author", "never"),
    _f("Config", "config", "never"),
    _f("Architecture", "architecture", "never"),
    _f("Variant", "variant"),
    _f("Os", "os", "never"),
    _f("OsVersion", "os_version"),
    _f("Size", "size", "never"),
    _f("VirtualSize", "virtual_size", "never"),
    _f("GraphDriver", "graph_driver", "struct"),
    _f("RootFS", "root_fs", "struct"),
    _f("Metadata", "metadata", "struct"),
    _f("Descriptor", "descriptor"),
    _f("Manifests", "manifests"),
    _f("Identity", "identity"),
)

_MANIFEST_SUMMARY: Final = Shape(
    (
        _f("Id", "id", "never"),
        _f("Descriptor", "descriptor", "never"),
        _f("Available", "available", "never"),
        _f("Size", "size", "struct"),
        _f("Kind", "kind", "never"),
        _f("ImageData", "image_data"),
        _f("AttestationData", "attestation_data"),
    )
)
_IMAGE_DATA: Final = Shape(
    (
        _f("Platform", "platform", "never"),
        _f("Identity", "identity"),
        _f("Size", "size", "struct", shape="unpacked-size"),
        _f("Containers", "containers", "never"),
    )
)
_MANIFEST_SIZE: Final = Shape((_f("Content", "content", "never"), _f("Total", "total", "never")))
_UNPACKED_SIZE: Final = Shape((_f("Unpacked", "unpacked", "never"),))
_ATTESTATION: Final = Shape((_f("For", "for_", "never"),))
_IDENTITY: Final = Shape((_f("Signature", "signature", "nil"), _f("Pull", "pull", "nil"), _f("Build", "build", "nil")))
_PULL: Final = Shape((_f("Repository", "repository"),))
_BUILD: Final = Shape((_f("Ref", "ref"), _f("CreatedAt", "created_at", "never", nil="0001-01-01T00:00:00Z")))
_METADATA: Final = Shape((_f("LastTagTime", "last_tag_time", "never", nil="0001-01-01T00:00:00Z"),))
_ROOTFS_OLD: Final = Shape((_f("Type", "type", "never"), _f("Layers", "layers"), _f("BaseLayer", "base_layer")))
_ROOTFS_NEW: Final = Shape((_f("Type", "type"), _f("Layers", "layers")))
_PODMAN_ROOTFS: Final = Shape((_f("Type", "type", "never"), _f("Layers", "layers", "never")))

# Reading accepts every key any of these shapes use.
register("ImageInspect", Shape(_DOCKER_IMAGE_ALL), layout_nil={"created": ""})
register("PodmanImageInspect", PODMAN_IMAGE)
register("GraphDriver", GRAPHDRIVER_DATA_FIRST)
register("InspectRootFS", _ROOTFS_OLD)
register("Metadata", _METADATA)
register("ManifestSummary", _MANIFEST_SUMMARY)
register("ImageData", _IMAGE_DATA)
register("ManifestSize", Shape(_MANIFEST_SIZE.fields + _UNPACKED_SIZE.fields))
register("AttestationData", _ATTESTATION)
register("Identity", _IDENTITY)
register("PullIdentity", _PULL)
register("BuildIdentity", _BUILD)


def _sorted_everywhere(shapes: dict[str, Shape]) -> dict[str, Shape]:
    return {name: one.sorted() for name, one in shapes.items()}


def _health_shape(features: frozenset[str]) -> Shape:
    drop = []
    if "health-start-period" not in features:
        drop.append("StartPeriod")
    if "health-start-interval" not in features:
        drop.append("StartInterval")
    return HEALTH_CONFIG.without(*drop)


def _docker_shapes(features: frozenset[str], wrapped: bool = False, typed: bool = False) -> ShapeSet:
    """The shapes one Docker release writes (see :data:`RULES`).

    ``wrapped``: the image goes through 29.x's compat wrapper (every object
    re-decoded into a map, so sorted; legacy fields added as extras).
    ``typed``: the docker CLI decoded the daemon's body into its own types and
    re-marshals them (``--format '{{json .}}'``): no router gates, every field
    of the CLI's types with their omitempty, pointers written as ``null``.
    """
    has = features.__contains__
    v152 = has("types-v1.52")
    compat = has("compat-wrap") or wrapped
    fields: list[Field] = []
    for field in _DOCKER_IMAGE_ALL:
        key = field.key
        if key == "Container":
            if typed:
                if v152:
                    continue
                if has("container-omitempty"):
                    field = attrs.evolve(field, omit="empty")
            elif not has("container-fields"):
                continue
            elif has("container-omitempty") and not compat:
                field = attrs.evolve(field, omit="empty")
        elif key == "ContainerConfig":
            if typed:
                if v152:
                    continue
                field = attrs.evolve(field, omit="nil" if has("container-omitempty") else "never")
            elif not has("container-fields"):
                continue
        elif key == "VirtualSize":
            if typed:
                if v152:
                    continue
                if has("virtual-size-omitempty"):
                    field = attrs.evolve(field, omit="empty")
            elif not has("virtual-size"):
                continue
            elif has("virtual-size-omitempty") and not compat:
                field = attrs.evolve(field, omit="empty")
        elif key in ("Parent", "DockerVersion"):
            if v152:
                if not compat:
                    continue
                if not has("compat-wrap"):
                    field = attrs.evolve(field, omit="empty")
        elif key in ("Comment", "Author"):
            if v152 and not has("compat-wrap"):
                field = attrs.evolve(field, omit="empty")
        elif key == "Created":
            if has("created-zero-backfill") and not typed:
                pass  # API < 1.44 on 25.0.4+: a missing time is back-filled as the zero time
            elif has("created-omitempty"):
                field = attrs.evolve(field, omit="empty")
            elif has("created-empty-string") or typed:
                field = attrs.evolve(field, nil="")
        elif key == "OsVersion":
            if not has("os-version"):
                continue
        elif key == "Variant":
            if not has("variant"):
                continue
        elif key == "Metadata":
            if not has("metadata"):
                continue
        elif key == "Descriptor":
            if not (has("descriptor-field") if typed else has("descriptor")):
                continue
        elif key == "Manifests":
            if not has("descriptor-field"):
                continue
        elif key == "Identity":
            if not (has("identity-field") if typed else has("identity")):
                continue
        elif key == "GraphDriver":
            if v152:
                if has("graphdriver-omitted") and not compat:
                    continue
                field = attrs.evolve(field, omit="nil")
        elif key in ("RepoTags", "RepoDigests"):
            forced_empty = not typed and not has("repo-tags-null")
            field = attrs.evolve(field, nil=() if forced_empty else None)
        elif key == "Config" and typed:
            field = attrs.evolve(field, omit="never")
        fields.append(field)
    if has("config-last") and not typed:
        config = next(f for f in fields if f.key == "Config")
        fields = [f for f in fields if f.key != "Config"] + [config]
    health = _health_shape(features)
    config_shape = _config_shape(features, wrapped, typed)
    defaults: dict[str, Shape] = {
        "ImageInspect": Shape(tuple(fields)),
        "GraphDriver": GRAPHDRIVER_DATA_FIRST if has("graphdriver-data-first") else GRAPHDRIVER_NAME_FIRST,
        "InspectRootFS": _ROOTFS_NEW if has("rootfs-type-omitempty") else _ROOTFS_OLD,
        "Metadata": _METADATA,
        "Descriptor": OCI_DESCRIPTOR,
        "Platform": OCI_PLATFORM,
        "ManifestSummary": _MANIFEST_SUMMARY,
        "ImageData": _IMAGE_DATA,
        "ManifestSize": _MANIFEST_SIZE,
        "AttestationData": _ATTESTATION,
        "Identity": _IDENTITY,
        "PullIdentity": _PULL,
        "BuildIdentity": _BUILD,
        "ContainerConfig": config_shape,
        "HealthConfig": health.sorted() if config_shape.sort else health,
    }
    # ContainerConfig is a Go struct (container.Config) in every path, also
    # when 28.3+ or the compat wrapper turn Config into a sorted map.
    container_config = CONTAINER_CONFIG.replace("Healthcheck", shape="struct-health")
    named: dict[str, Shape] = {
        "container-config": container_config,
        "struct-health": health,
        "unpacked-size": _UNPACKED_SIZE,
    }
    if compat:
        defaults = _sorted_everywhere(defaults)
    return ShapeSet(tuple(defaults.items()), tuple(named.items()))


def _config_shape(features: frozenset[str], wrapped: bool, typed: bool) -> Shape:
    """``Config`` per release: container.Config, the image-config type, or a
    sorted map with back-filled legacy keys (28.3-28.5, and 29.x's compat
    wrapper below API 1.52)."""
    has = features.__contains__
    if typed:
        return OCI_CONTAINER_CONFIG if has("oci-config-type") else CONTAINER_CONFIG
    oci = has("oci-config")
    if has("config-map") or has("compat-wrap"):
        if oci:
            forced = {"Cmd", "Entrypoint", "Env", "Labels", "OnBuild", "User", "Volumes", "WorkingDir"}
            return Shape(
                tuple(attrs.evolve(f, omit="never") if f.key in forced else f for f in OCI_CONTAINER_CONFIG.fields),
                sort=True,
            )
        return CONTAINER_CONFIG.sorted()
    if wrapped:
        return OCI_CONTAINER_CONFIG.sorted()
    return OCI_CONTAINER_CONFIG if oci else CONTAINER_CONFIG


def _podman_shapes() -> ShapeSet:
    return ShapeSet(
        (
            ("PodmanImageInspect", PODMAN_IMAGE),
            ("History", OCI_HISTORY),
            ("Platform", OCI_PLATFORM),
        ),
        (
            ("podman-config", PODMAN_CONFIG),
            ("podman-health", PODMAN_HEALTH),
            ("graphdriver-name-first", GRAPHDRIVER_NAME_FIRST),
            ("podman-rootfs", _PODMAN_ROOTFS),
        ),
    )


def _release_api(release: str) -> str:
    version = _version(release, "daemon")
    api = "1.24"
    for since, max_api in _API_OF_RELEASE:
        if _cmp(version, since) >= 0:
            api = max_api
    return api


@cache
def resolve(fmt: Format) -> Profile:
    """Resolve a format into shapes and layout (cached).

    >>> resolve(Format.docker("28.4", api="1.51")).layout.escape_html
    True
    """
    if fmt.kind == "podman":
        version = fmt.version or NEWEST_PODMAN
        parsed = _version(version, "podman")
        if _cmp(parsed, NEWEST_PODMAN) > 0 and _cmp(parsed, "6.0") >= 0:
            warnings.warn(
                f"podman {version} is newer than the newest known ({NEWEST_PODMAN}); using its rules",
                UnknownVersionWarning,
                stacklevel=3,
            )
        features = frozenset(r.feature for r in RULES if r.holds("podman", parsed, (0,), "graphdriver"))
        encoder = "podman-encoder" in features
        layout = fmt.layout or Layout("array", 5 if encoder else 4, escape_html=not encoder)
        return Profile(fmt, _podman_shapes(), layout, None, features)
    release = fmt.version or NEWEST_DOCKER
    parsed = _version(release, "daemon")
    if _cmp(parsed, NEWEST_DOCKER) > 0 and _cmp(parsed[:2], NEWEST_DOCKER) > 0:
        warnings.warn(
            f"Docker {release} is newer than the newest known ({NEWEST_DOCKER}); using its rules",
            UnknownVersionWarning,
            stacklevel=3,
        )
    api_text = fmt.api or _release_api(release)
    api = _version(api_text, "API")
    if fmt.printer == "template":
        # The CLI decodes into its own types and re-marshals them with an
        # Encoder (no HTML escaping), one compact object per line.
        cli_release = fmt.cli or release
        cli = _version(cli_release, "CLI")
        typed = frozenset(r.feature for r in RULES if r.holds("docker", cli, (99, 0), fmt.store) and not r.api_since)
        if _cmp(cli, "28.2") >= 0:
            typed |= {"oci-config-type"}
        short_bf = "short-bf" in typed
        layout = fmt.layout or Layout("lines", None, escape_html=False, short_bf=short_bf)
        return Profile(fmt, _docker_shapes(typed, typed=True), layout, None, typed)
    features = frozenset(r.feature for r in RULES if r.holds("docker", parsed, api, fmt.store))
    physical: dict[str, tuple[Literal["array", "object", "lines"], int | None]] = {
        "cli": ("array", 4),
        "json": ("array", None),
        "api": ("object", None),
    }
    container, indent = physical[fmt.printer]
    layout = fmt.layout or Layout(container, indent, escape_html="html" in features, short_bf="short-bf" in features)
    wrapped = _docker_shapes(features, wrapped=True) if "compat-wrap-legacy" in features else None
    return Profile(fmt, _docker_shapes(features), layout, wrapped, features)
