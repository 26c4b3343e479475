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
>>> from imageinspect.model.inspect import ImageInspect
>>> [f.key for f in p.shapes.for_class(ImageInspect).fields][-4:]
['VirtualSize', 'GraphDriver', 'RootFS', 'Metadata']
>>> resolve(Format.docker(daemon="29.1", api="1.52", store="containerd")).style.indent
4
"""

from __future__ import annotations

import warnings
from functools import cache
from typing import Any, Final, Generic, Literal

import attrs
from typing_extensions import TypeVar

from imageinspect.errors import ImageInspectError
from imageinspect.model.config import ContainerConfig, HealthConfig, History
from imageinspect.model.descriptor import Descriptor
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
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values.platform import Platform
from imageinspect.values.style import Style

from .classes import ShapeSet
from .inspect_shapes import (
    ATTESTATION,
    BUILD_IDENTITY,
    DOCKER_IMAGE_ALL,
    GRAPHDRIVER_NAME_FIRST,
    IDENTITY,
    IMAGE_DATA,
    MANIFEST_SIZE,
    MANIFEST_SUMMARY,
    METADATA,
    PODMAN_CONFIG,
    PODMAN_HEALTH,
    PODMAN_IMAGE,
    PODMAN_ROOTFS,
    PULL_IDENTITY,
    ROOTFS_OLD,
    UNPACKED_SIZE,
)
from .rules import (
    CONTAINERD_STORE_SINCE,
    NEWEST_DOCKER,
    NEWEST_PODMAN,
    RELEASES,
    RULES,
    Feature,
    Rule,
    Store,
    apply_gates,
    compare,
    object_rule,
    parse_version,
    release,
)
from .shapes import (
    CONTAINER_CONFIG,
    HEALTH_CONFIG,
    OCI_CONTAINER_CONFIG,
    OCI_DESCRIPTOR,
    OCI_HISTORY,
    OCI_PLATFORM,
    Shape,
)

__all__ = [
    "NEWEST_DOCKER",
    "NEWEST_PODMAN",
    "RULES",
    "Format",
    "ImpossibleFormatWarning",
    "Printer",
    "Profile",
    "Rule",
    "UnknownVersionWarning",
    "profile_of",
    "resolve",
]

Printer = Literal["cli", "api", "json", "template"]


class UnknownVersionWarning(UserWarning):
    """A version newer than the newest the rules table knows: the newest rules
    are used."""


class ImpossibleFormatWarning(UserWarning):
    """A release/API pair no daemon answers: the daemon would refuse the
    request (HTTP 400) with the message this warning carries. The rules are
    still applied, as asked."""


#: The kind of daemon a :class:`Format` names, as a type: ``Format.docker()``
#: is a ``Format[Literal["docker"]]`` and ``Format.podman()`` a
#: ``Format[Literal["podman"]]``, so that ``image.inspect(fmt)`` is typed
#: ``ImageInspect`` or ``PodmanImageInspect``; a bare ``Format`` is either.
Kind = TypeVar("Kind", covariant=True, default=Literal["docker", "podman"])


@attrs.frozen(cache_hash=True)
class Format(Generic[Kind]):
    """A producer of inspect output: who printed it, not how it was laid out
    (a document's exact layout is a :class:`~imageinspect.values.style.Style`,
    which :func:`~imageinspect.codec.inspect.loads` reports as ``out.style``).

    >>> Format.docker(daemon="28.3", api="1.51")
    Format(kind='docker', version='28.3', api='1.51', store='graphdriver', printer='cli', cli=None, go=None)
    >>> Format.podman(version="4.3").kind
    'podman'
    """

    kind: Kind
    version: str | None = None
    api: str | None = None
    store: Store = "graphdriver"
    printer: Printer = "cli"
    #: The docker CLI release whose types re-marshal ``{{json .}}`` output.
    cli: str | None = None
    #: The Go release the daemon (and CLI) was built with: Go >= 1.22 writes
    #: ``\\b``/``\\f`` short. Default: upstream's for that release.
    go: str | None = None

    @classmethod
    def docker(
        cls,
        daemon: str | None = None,
        api: str | None = None,
        store: Store | None = None,
        printer: Printer = "cli",
        cli: str | None = None,
        go: str | None = None,
    ) -> Format[Literal["docker"]]:
        """Docker daemon ``daemon`` (default: the newest known) at API version
        ``api`` (default: the daemon's maximum), ``store`` image store
        (default: what a fresh install of that release uses: the containerd
        store from 29.0, the graphdriver store before), as
        ``printer`` prints it: ``cli`` (``docker image inspect``), ``api``
        (Engine API body), ``json`` (``--format json``), ``template``
        (``--format '{{json .}}'``, re-marshalled by the CLI release ``cli``,
        default the daemon's). ``go`` is the Go release the binaries were built
        with (distribution packages often use a newer one than upstream).
        ``daemon`` may be a full version string (``"26.1.5+dfsg1"``): where
        a daemon prints its own version, that is what it prints.

        >>> Format.docker("20.10", printer="template").printer
        'template'
        >>> Format.docker()
        Format(kind='docker', version='29.7', api=None, store='containerd', printer='cli', cli=None, go=None)
        >>> Format.docker("23.0", store="containerd")
        Traceback (most recent call last):
          ...
        imageinspect.errors.ImageInspectError: $: Docker 23.0 has no containerd image store (it came with 24.0)
        """
        version = NEWEST_DOCKER if daemon is None else daemon
        parsed = parse_version(version, "daemon")
        oldest = RELEASES[0].since
        if compare(parsed, oldest) < 0:
            raise ImageInspectError(f"Docker {version} is older than the oldest release the rules know ({oldest})")
        if api is not None:
            parse_version(api, "API")
        if store is None:
            store = release(parsed).store
        if store not in ("graphdriver", "containerd"):
            raise ImageInspectError(f"unknown image store {store!r}: expected graphdriver or containerd")
        if store == "containerd" and compare(parsed, CONTAINERD_STORE_SINCE) < 0:
            raise ImageInspectError(
                f"Docker {version} has no containerd image store (it came with {CONTAINERD_STORE_SINCE})"
            )
        if printer not in ("cli", "api", "json", "template"):
            raise ImageInspectError(f"unknown printer {printer!r}: expected cli, api, json or template")
        if go is not None:
            parse_version(go, "Go")
        return Format("docker", version, api, store, printer, cli, go)

    @classmethod
    def podman(cls, version: str | None = None) -> Format[Literal["podman"]]:
        """``podman image inspect`` of podman ``version`` (default: the newest).

        >>> resolve(Format.podman("3.4")).style.indent
        4
        """
        if version is not None:
            parse_version(version, "podman")
        return Format("podman", version)


@attrs.frozen
class Profile:
    """A resolved format: shapes, the layout it prints with, and the facts
    that hold for it.

    >>> p = resolve(Format.docker("26.1.5", store="containerd"))
    >>> p.has("zero-container-config"), p.has("oci-config")
    (True, False)
    """

    format: Format
    shapes: ShapeSet
    style: Style
    #: Shapes used when an image goes through 29.x's compat wrapper because
    #: it has a Parent or DockerVersion (API >= 1.52).
    wrapped_shapes: ShapeSet | None = None
    #: What holds for the daemon (release, API version, store).
    features: frozenset[Feature] = frozenset()
    #: Attributes the daemon's router leaves out at this API version: the
    #: CLI's typed re-marshal (``{{json .}}``) writes their zero value.
    dropped: frozenset[str] = frozenset()

    def has(self, feature: Feature) -> bool:
        """Whether ``feature`` holds for the daemon this profile describes."""
        return feature in self.features


def _shape(cls: type[Any], facts: frozenset[str], bases: dict[str, Shape], default: Shape) -> Shape:
    """One class's shape under ``facts``: its base, gates, order and sorting
    (:data:`~imageinspect.codec.rules.GATES`, :data:`~imageinspect.codec.rules.OBJECT_RULES`)."""
    found = object_rule(cls, facts)
    base = bases[found.base] if found.base is not None else default
    fields = apply_gates(cls, base.fields, facts)
    if found.order is not None:
        order = found.order
        fields.sort(key=lambda f: order.index(f.key) if f.key in order else len(order))
    return Shape(tuple(fields), found.sort)


_CONFIG_BASES: Final[dict[str, Shape]] = {"container-config": CONTAINER_CONFIG, "oci-config": OCI_CONTAINER_CONFIG}
#: Shapes that the tables start from, per class.
_DOCKER_DEFAULTS: Final[tuple[tuple[type[Any], Shape], ...]] = (
    (ImageInspect, Shape(DOCKER_IMAGE_ALL)),
    (GraphDriver, GRAPHDRIVER_NAME_FIRST),
    (InspectRootFS, ROOTFS_OLD),
    (Metadata, METADATA),
    (Descriptor, OCI_DESCRIPTOR),
    (Platform, OCI_PLATFORM),
    (ManifestSummary, MANIFEST_SUMMARY),
    (ImageData, IMAGE_DATA),
    (ManifestSize, MANIFEST_SIZE),
    (AttestationData, ATTESTATION),
    (Identity, IDENTITY),
    (PullIdentity, PULL_IDENTITY),
    (BuildIdentity, BUILD_IDENTITY),
    (ContainerConfig, CONTAINER_CONFIG),
    (HealthConfig, HEALTH_CONFIG),
)


def _docker_shapes(facts: frozenset[str]) -> ShapeSet:
    """The shapes one Docker producer writes under ``facts`` (the daemon's
    features, plus ``typed`` for the CLI's re-marshal and ``compat`` for
    29.x's compat wrapper)."""
    defaults = tuple((cls, _shape(cls, facts, _CONFIG_BASES, base)) for cls, base in _DOCKER_DEFAULTS)
    # ContainerConfig is a Go struct (container.Config) in every path, also
    # when 28.3+ or the compat wrapper turn Config into a sorted map.
    no_map = facts - {"compat", "config-map", "oci-config", "oci-config-type"}
    health = _shape(HealthConfig, no_map, {}, HEALTH_CONFIG)
    struct = _shape(ContainerConfig, no_map | {"struct"}, {"container-config": CONTAINER_CONFIG}, CONTAINER_CONFIG)
    named: dict[str, Shape] = {
        "container-config": struct.replace("Healthcheck", shape="struct-health"),
        "struct-health": health,
        "unpacked-size": UNPACKED_SIZE,
    }
    return ShapeSet(defaults, tuple(named.items()))


def _podman_shapes() -> ShapeSet:
    return ShapeSet(
        (
            (PodmanImageInspect, PODMAN_IMAGE),
            (History, OCI_HISTORY),
            (Platform, OCI_PLATFORM),
        ),
        (
            ("podman-config", PODMAN_CONFIG),
            ("podman-health", PODMAN_HEALTH),
            ("graphdriver-name-first", GRAPHDRIVER_NAME_FIRST),
            ("podman-rootfs", PODMAN_ROOTFS),
        ),
    )


@cache
def _check_api(version: tuple[int, ...], api: tuple[int, ...], api_text: str, release_text: str) -> None:
    """Warn, with the daemon's own words, when ``api`` is outside what the
    release accepts (:data:`~imageinspect.codec.rules.RELEASES`)."""
    if compare(version[:2], NEWEST_DOCKER) > 0:
        return
    row = release(version)
    if compare(api, row.api) > 0:
        message = f"client version {api_text} is too new. Maximum supported API version is {row.api}"
    elif compare(api, row.min_api) < 0:
        message = f"client version {api_text} is too old. Minimum supported API version is {row.min_api}"
    else:
        return
    warnings.warn(f"Docker {release_text} would refuse this: {message}", ImpossibleFormatWarning, stacklevel=4)


@cache
def every_key_shapes() -> ShapeSet:
    """The newest Docker's shapes, with ``ImageInspect`` writing every key
    any release writes and ``Config`` every key of Docker's container config
    (for embedders: nothing a model holds is lost).

    >>> from imageinspect.model.inspect import ImageInspect
    >>> "ContainerConfig" in [f.key for f in every_key_shapes().for_class(ImageInspect).fields]
    True
    """
    newest = resolve(Format.docker()).shapes
    full_config = resolve(Format.docker("28.1")).shapes.for_class(ContainerConfig)  # container.Config, all keys
    replaced: dict[type[Any], Shape] = {ImageInspect: Shape(DOCKER_IMAGE_ALL), ContainerConfig: full_config}
    defaults = tuple((name, shape) for name, shape in newest.defaults if name not in replaced)
    return ShapeSet((*replaced.items(), *defaults), newest.named)


def resolve(fmt: Format) -> Profile:
    """Resolve a format into shapes and layout (cached).

    >>> resolve(Format.docker("28.4", api="1.51")).style.escape_html
    True
    """
    profile, found = _resolved(fmt)
    for message, category in found:
        warnings.warn(message, category, stacklevel=3)
    return profile


def profile_of(fmt: Format) -> Profile:
    """:func:`resolve` without its warnings (for code that resolves a format
    the caller resolves too: each warning is given once).

    >>> profile_of(Format.docker("99.1")).format.version
    '99.1'
    """
    return _resolved(fmt)[0]


@cache
def _resolved(fmt: Format) -> tuple[Profile, tuple[tuple[str, type[Warning]], ...]]:
    """:func:`resolve`'s work, done once per format; the warnings it gave
    are kept and given again on every call."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        profile = _resolve(fmt)
    return profile, tuple((str(w.message), w.category) for w in caught)


def _resolve(fmt: Format) -> Profile:
    if fmt.kind == "podman":
        version = fmt.version or NEWEST_PODMAN
        parsed = parse_version(version, "podman")
        if compare(parsed, NEWEST_PODMAN) > 0 and compare(parsed, "6.0") >= 0:
            warnings.warn(
                f"podman {version} is newer than the newest known ({NEWEST_PODMAN}); using its rules",
                UnknownVersionWarning,
                stacklevel=3,
            )
        features = frozenset(r.feature for r in RULES if r.holds("podman", parsed, (0,), "graphdriver"))
        encoder = "podman-encoder" in features
        style = Style("array", 5 if encoder else 4, escape_html=not encoder, short_bf=True, trailing=b"\n")
        return Profile(fmt, _podman_shapes(), style, None, features)
    version_text = fmt.version or NEWEST_DOCKER
    parsed = parse_version(version_text, "daemon")
    if compare(parsed, NEWEST_DOCKER) > 0 and compare(parsed[:2], NEWEST_DOCKER) > 0:
        warnings.warn(
            f"Docker {version_text} is newer than the newest known ({NEWEST_DOCKER}); using its rules",
            UnknownVersionWarning,
            stacklevel=3,
        )
    api_text = fmt.api or release(parsed).api
    api = parse_version(api_text, "API")
    _check_api(parsed, api, api_text, version_text)
    features = frozenset(r.feature for r in RULES if r.holds("docker", parsed, api, fmt.store))
    short_bf = compare(parse_version(fmt.go or release(parsed).go, "Go"), "1.22") >= 0
    if fmt.printer == "template":
        # The CLI decodes the daemon's body (at the negotiated API) into its
        # own types and re-marshals them with an Encoder (no HTML escaping),
        # one compact object per line.
        cli = parse_version(fmt.cli or version_text, "CLI")
        typed: set[str] = {r.feature for r in RULES if r.holds("docker", cli, (99, 0), fmt.store) and not r.api_since}
        typed.add("typed")
        if compare(cli, "28.2") >= 0:
            typed.add("oci-config-type")
        if "container-config" in features:  # the daemon sent one: the CLI holds a non-nil pointer
            typed.add("sent-container-config")
        if fmt.go is None:
            short_bf = compare(parse_version(release(cli).go, "Go"), "1.22") >= 0
        style = Style("lines", None, escape_html=False, short_bf=short_bf, trailing=b"\n")
        sent = {f.attr for f in _docker_shapes(features).for_class(ImageInspect).fields}
        dropped = frozenset(f.attr for f in DOCKER_IMAGE_ALL) - sent
        return Profile(fmt, _docker_shapes(frozenset(typed)), style, None, features, dropped)
    physical: dict[str, tuple[Literal["array", "object", "lines"], int | None]] = {
        "cli": ("array", 4),
        "json": ("array", None),
        "api": ("object", None),
    }
    container, indent = physical[fmt.printer]
    style = Style(container, indent, escape_html="html" in features, short_bf=short_bf, trailing=b"\n")
    facts: frozenset[str] = features | {"compat"} if "compat-wrap" in features else features
    wrapped = _docker_shapes(features | {"compat"}) if "compat-wrap-legacy" in features else None
    return Profile(fmt, _docker_shapes(facts), style, wrapped, features)
