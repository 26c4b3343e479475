"""Every version rule of inspect output, as rows of data.

Three tables, and the small functions that read them:

:data:`RELEASE_API`
    a Docker release's default (= maximum) API version;
:data:`RULES`
    *features*: a name that holds for a range of daemon releases, API versions
    and an image store (``html`` escaping, ``oci-config``, ...);
:data:`GATES`
    for each top-level key of Docker's ``ImageInspect``: when it is left out
    or written differently, as conditions on those features.

A new Docker release is a row edit here. Rows that a real daemon confirmed are
marked *observed* in ``docs/reference/shapes.md``; the others are read from the
source.

>>> "oci-config" in features("docker", "28.5", "1.51", "graphdriver")
True
>>> parse_version("v28.5.2+dfsg4", "daemon")
(28, 5, 2)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any, Final, Literal

import attrs

from imageinspect.errors import ImageInspectError

__all__ = [
    "DAEMON_DATA",
    "GATES",
    "NEWEST_DOCKER",
    "NEWEST_PODMAN",
    "RELEASE_API",
    "RULES",
    "Gate",
    "Rule",
    "Version",
    "apply_gates",
    "compare",
    "features",
    "go_of_release",
    "parse_version",
    "release_api",
]

Version = tuple[int, ...]
Store = Literal["graphdriver", "containerd"]

#: The newest releases the tables know.
NEWEST_DOCKER: Final = "29.7"
NEWEST_PODMAN: Final = "6.1"

#: Default (= maximum) API version per daemon release (api/common.go).
RELEASE_API: Final[tuple[tuple[str, str], ...]] = (
    ("1.12", "1.24"), ("1.13", "1.25"), ("17.03", "1.26"), ("17.04", "1.28"), ("17.05", "1.29"),
    ("17.06", "1.30"), ("17.07", "1.31"), ("17.09", "1.32"), ("17.10", "1.33"), ("17.11", "1.34"),
    ("17.12", "1.35"), ("18.02", "1.36"), ("18.03", "1.37"), ("18.06", "1.38"), ("18.09", "1.39"),
    ("19.03", "1.40"), ("20.10", "1.41"), ("23.0", "1.42"), ("24.0", "1.43"), ("25.0", "1.44"),
    ("26.0", "1.45"), ("27.0", "1.46"), ("27.2", "1.47"), ("28.0", "1.48"), ("28.1", "1.49"),
    ("28.2", "1.50"), ("28.3", "1.51"), ("29.0", "1.52"), ("29.2", "1.53"), ("29.3", "1.54"),
    ("29.6", "1.55"),
)  # fmt: skip

#: The Go toolchain upstream builds of a release use (Go >= 1.22 writes
#: ``\\b``/``\\f`` short): LTS 25.0.7+ and 27.2.1+.
_UPSTREAM_GO: Final[tuple[tuple[str, str], ...]] = (
    ("", "1.21"),
    ("25.0.7", "1.22"),
    ("26.0", "1.21"),
    ("27.2.1", "1.22"),
)


def parse_version(text: str, what: str) -> Version:
    """``major.minor[.patch]`` with an optional ``v`` and any suffix after
    ``-``, ``+`` or ``~`` (distribution builds).

    >>> parse_version("1.41", "API")
    (1, 41)
    >>> parse_version("latest", "daemon")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ImageInspectError: $: invalid daemon version 'latest': expected e.g. 20.10 or 1.41
    """
    match = re.fullmatch(r"v?(\d+)\.(\d+)(?:\.(\d+))?(?:[-+~].*)?", text, re.ASCII)
    if match is None:
        raise ImageInspectError(f"invalid {what} version {text!r}: expected e.g. 20.10 or 1.41")
    return tuple(int(part) for part in match.groups() if part is not None)


def compare(version: Version, bound: str) -> int:
    """-1, 0 or 1 as ``version`` is below, at or above ``bound`` (missing
    parts count as 0).

    >>> compare((28, 5), "28.5.0"), compare((28, 5, 2), "28.5")
    (0, 1)
    """
    other = tuple(int(p) for p in bound.split("."))
    width = max(len(version), len(other))
    a = version + (0,) * (width - len(version))
    b = other + (0,) * (width - len(other))
    return (a > b) - (a < b)


def release_api(release: str) -> str:
    """The API version a Docker release answers by default (its maximum).

    >>> release_api("26.1.5"), release_api("28.5")
    ('1.45', '1.51')
    """
    version = parse_version(release, "daemon")
    api = "1.24"
    for since, max_api in RELEASE_API:
        if compare(version, since) >= 0:
            api = max_api
    return api


def go_of_release(release: str) -> str:
    """The Go release upstream builds of a Docker release use (distribution
    builds often use a newer one: pass it as ``Format.docker(go=...)``).

    >>> go_of_release("26.1"), go_of_release("28.5")
    ('1.21', '1.22')
    """
    version = parse_version(release, "daemon")
    go = "1.21"
    for since, found in _UPSTREAM_GO:
        if not since or compare(version, since) >= 0:
            go = found
    return go


@attrs.frozen
class Rule:
    """One feature row: ``feature`` holds for releases in ``[since, until)``,
    API versions in ``[api_since, api_until)`` and the given store (``None`` =
    any). Bounds of ``""`` are open.

    >>> Rule("x", since="1.13").holds("docker", (20, 10), (1, 41), "graphdriver")
    True
    """

    feature: str
    since: str = ""
    until: str = ""
    api_since: str = ""
    api_until: str = ""
    store: Store | None = None
    kind: Literal["docker", "podman"] = "docker"

    def holds(self, kind: str, release: Version, api: Version, store: str) -> bool:
        """Whether the rule applies to this producer."""
        if kind != self.kind or (self.store is not None and self.store != store):
            return False
        if self.since and compare(release, self.since) < 0:
            return False
        if self.until and compare(release, self.until) >= 0:
            return False
        if self.api_since and compare(api, self.api_since) < 0:
            return False
        return not (self.api_until and compare(api, self.api_until) >= 0)


#: Every feature, with the releases, API versions and store it holds for.
RULES: Final[tuple[Rule, ...]] = (
    # Escaping: 1.12 wrote without SetEscapeHTML(false); 28.3-28.5 re-marshal
    # the response with json.Marshal (HTML-escaped).
    Rule("html", until="1.13"),
    Rule("html", since="28.3", until="29.0"),
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
    # Container / ContainerConfig: below API 1.45 from 26.0; the containerd
    # store writes a zero ContainerConfig and no Container (26.x), and neither
    # from 28.0 (observed on 26.1 and 28.5).
    Rule("container", until="26.0"),
    Rule("container", since="26.0", api_until="1.45", store="graphdriver"),
    Rule("container-config", until="26.0"),
    Rule("container-config", since="26.0", api_until="1.45", store="graphdriver"),
    Rule("container-config", since="26.0", until="28.0", api_until="1.45", store="containerd"),
    Rule("zero-container-config", since="26.0", until="28.0", store="containerd"),
    Rule("descriptor", since="28.0", api_since="1.48", store="containerd"),
    # The daemon reads the config through the OCI image-config type: Config
    # keeps only the OCI subset (observed: 28.5 both stores, 26.1 containerd).
    Rule("config-from-oci", since="28.2"),
    Rule("config-from-oci", since="24.0", store="containerd"),
    # 28.2+ converts an empty list or map to null on the way; 26.1's
    # containerd store kept it (observed: entrypoint-reset's "Cmd": []).
    Rule("config-from-oci-null", since="28.2"),
    # The containerd store's RepoDigests: one per tag in 26.x, one per
    # repository in 28.5 (observed; the release in between that changed it
    # is not, 28.0 is assumed).
    Rule("repo-digest-per-tag", since="24.0", until="28.0", store="containerd"),
    # A full reference written only as an OCI ref.name tags the loaded image
    # on 28.5 (without a RepoDigest) and not on 26.1 (observed; 28.0 assumed).
    Rule("containerd-ref-name-tags", since="28.0", store="containerd"),
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


#: Features that change the values the daemon holds, not only their shape:
#: ``{{json .}}`` output (re-marshalled by the CLI) shows them too.
DAEMON_DATA: Final = frozenset({"config-from-oci", "config-from-oci-null", "zero-container-config", "virtual-size"})


def features(kind: str, release: str, api: str, store: str) -> frozenset[str]:
    """The features that hold for a producer.

    >>> sorted(features("docker", "26.1", "1.45", "containerd") & {"container", "zero-container-config"})
    ['zero-container-config']
    """
    release_v = parse_version(release, "daemon" if kind == "docker" else kind)
    api_v = parse_version(api, "API") if api else (0,)
    return frozenset(r.feature for r in RULES if r.holds(kind, release_v, api_v, store))


_DROP: Final = "drop"
_UNSET: Final[Any] = object()


@attrs.frozen
class Gate:
    """One row for a top-level ``ImageInspect`` key: when every name in
    ``when`` holds (``!name``: does not hold), the key is dropped, or written
    with ``omit``/``nil`` changed. Besides features, ``when`` can name the
    printer's modes: ``typed`` (the CLI decoded the body into its own types
    and re-marshals them: ``--format '{{json .}}'``) and ``compat`` (29.x's
    compat wrapper re-decodes the object into maps). The first row of a key
    that matches wins; a key with no matching row is written as declared.
    """

    key: str
    when: str = ""
    drop: bool = False
    omit: str | None = None
    nil: Any = _UNSET

    def matches(self, facts: frozenset[str]) -> bool:
        """Whether every condition holds.

        >>> Gate("Os", "typed !compat").matches(frozenset({"typed"}))
        True
        """
        return all((word[1:] not in facts) if word.startswith("!") else (word in facts) for word in self.when.split())


def _g(key: str, when: str = "", *, drop: bool = False, omit: str | None = None, nil: Any = _UNSET) -> Gate:
    return Gate(key, when, drop, omit, nil)


#: Per-key gates, in the order they are tried.
GATES: Final[tuple[Gate, ...]] = (
    _g("Container", "typed types-v1.52", drop=True),
    _g("Container", "typed container-omitempty", omit="empty"),
    _g("Container", "typed"),
    _g("Container", "!container", drop=True),
    _g("Container", "container-omitempty !compat", omit="empty"),
    _g("ContainerConfig", "typed types-v1.52", drop=True),
    # the daemon writes one at this API: the CLI holds a non-nil pointer, and
    # re-marshals a zero one as an object (observed: CLI 20.10 and 28.5 after
    # `docker load` of a BuildKit image into dockerd 20.10)
    _g("ContainerConfig", "typed sent-container-config", omit="struct"),
    _g("ContainerConfig", "typed container-omitempty", omit="nil"),
    _g("ContainerConfig", "typed", omit="never"),
    _g("ContainerConfig", "!container-config", drop=True),
    _g("VirtualSize", "typed types-v1.52", drop=True),
    _g("VirtualSize", "typed virtual-size-omitempty", omit="empty"),
    _g("VirtualSize", "typed"),
    _g("VirtualSize", "!virtual-size", drop=True),
    _g("VirtualSize", "virtual-size-omitempty !compat", omit="empty"),
    _g("Parent", "types-v1.52 !compat", drop=True),
    _g("Parent", "types-v1.52 !compat-wrap", omit="empty"),
    _g("DockerVersion", "types-v1.52 !compat", drop=True),
    _g("DockerVersion", "types-v1.52 !compat-wrap", omit="empty"),
    _g("Comment", "types-v1.52 !compat-wrap", omit="empty"),
    _g("Author", "types-v1.52 !compat-wrap", omit="empty"),
    _g("Created", "created-zero-backfill !typed"),
    _g("Created", "created-omitempty", omit="empty"),
    _g("Created", "created-empty-string", nil=""),
    _g("Created", "typed", nil=""),
    _g("OsVersion", "!os-version", drop=True),
    _g("Variant", "!variant", drop=True),
    _g("Metadata", "!metadata", drop=True),
    _g("Descriptor", "typed !descriptor-field", drop=True),
    _g("Descriptor", "typed"),
    _g("Descriptor", "!descriptor", drop=True),
    _g("Manifests", "!descriptor-field", drop=True),
    _g("Identity", "typed !identity-field", drop=True),
    _g("Identity", "typed"),
    _g("Identity", "!identity", drop=True),
    _g("GraphDriver", "types-v1.52 graphdriver-omitted !compat", drop=True),
    _g("GraphDriver", "types-v1.52", omit="nil"),
    _g("RepoTags", "typed", nil=None),
    _g("RepoTags", "repo-tags-null", nil=None),
    _g("RepoTags", "", nil=()),
    _g("RepoDigests", "typed", nil=None),
    _g("RepoDigests", "repo-tags-null", nil=None),
    _g("RepoDigests", "", nil=()),
)


def apply_gates(fields: Iterable[Any], facts: frozenset[str]) -> list[Any]:
    """The fields (``shapes.Field``) left after the gates, with their changes.

    >>> from imageinspect.codec.shapes import Field
    >>> [f.key for f in apply_gates([Field("Id", "id"), Field("Variant", "variant")], frozenset())]
    ['Id']
    """
    kept = []
    for field in fields:
        for gate in GATES:
            if gate.key == field.key and gate.matches(facts):
                if gate.drop:
                    field = None
                    break
                changes: dict[str, Any] = {}
                if gate.omit is not None:
                    changes["omit"] = gate.omit
                if gate.nil is not _UNSET:
                    changes["nil"] = gate.nil
                field = attrs.evolve(field, **changes)
                break
        if field is not None:
            kept.append(field)
    return kept
