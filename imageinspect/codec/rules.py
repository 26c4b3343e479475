"""Every version fact of inspect output, as typed rows of data.

Four kinds of row, and the small functions that read them:

:data:`RELEASES`
    a Docker release line: its maximum and minimum API version and the Go
    release upstream builds it with (and how the library knows it);
:data:`RULES`
    a :data:`Feature` that holds for a range of releases, API versions and an
    image store (``html`` escaping, ``oci-config``, ``legacy-load`` ...);
:data:`GATES`
    for each inspect class (``ImageInspect``, its ``Config`` and
    ``ContainerConfig``, ``HealthConfig``, ``RootFS``, ``GraphDriver``,
    podman's ``ImageInspect``): when one key is left out, moved or written
    differently, as conditions on features;
:data:`OBJECT_RULES`
    for each inspect class: its base shape, key order and sorting under
    conditions on features.

A feature name is a :data:`Feature` literal: ``mypy`` rejects a row that
names one that does not exist. Version bounds are parsed once, when the row
is made. Adding a Docker release is a row edit here plus its golden files.
Rows that a real daemon confirmed are marked in ``docs/reference/shapes.md``;
the others are read from the source.

>>> "oci-config" in features("docker", "28.5", "1.51", "graphdriver")
True
>>> parse_version("v28.5.2+dfsg4", "daemon")
(28, 5, 2)
"""

from __future__ import annotations

import re
import typing
from collections.abc import Iterable, Mapping
from typing import Any, Final, Literal

import attrs

from imageinspect.errors import ImageInspectError
from imageinspect.model.config import ContainerConfig, HealthConfig
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

from .shapes import Omit

__all__ = [
    "CONTAINERD_STORE_SINCE",
    "FEATURES",
    "GATES",
    "NEWEST_DOCKER",
    "NEWEST_PODMAN",
    "OBJECT_RULES",
    "RELEASES",
    "RULES",
    "Feature",
    "Gate",
    "ObjectRule",
    "Release",
    "Rule",
    "Store",
    "Version",
    "apply_gates",
    "compare",
    "features",
    "go_of_release",
    "object_rule",
    "parse_version",
    "release",
    "release_api",
]

Version = tuple[int, ...]
Store = Literal["graphdriver", "containerd"]

#: Every fact a rule or a gate can name. Daemon facts hold for a release, an
#: API version and a store (:data:`RULES`); the last four are facts of the
#: printer that :func:`~imageinspect.codec.formats.resolve` adds.
Feature = Literal[
    # escaping and layout
    "html",
    "podman-encoder",
    # the ImageInspect type per release
    "os-version",
    "graphdriver-data-first",
    "health-start-period",
    "health-start-interval",
    "metadata",
    "variant",
    "rootfs-type-omitempty",
    "rootfs-base-layer",
    "virtual-size-omitempty",
    "repo-tags-null",
    "created-omitempty",
    "created-empty-string",
    "container-omitempty",
    "descriptor-field",
    "types-v1.52",
    "identity-field",
    # the router's gates per API version
    "virtual-size",
    "created-zero-backfill",
    "container",
    "container-config",
    "descriptor",
    "oci-config",
    "config-last",
    "config-map",
    "compat-wrap",
    "compat-wrap-legacy",
    "graphdriver-omitted",
    "identity",
    # what the daemon holds (also shown by the CLI's typed re-marshal)
    "zero-container-config",
    "config-from-oci",
    "config-from-oci-null",
    "daemon-docker-version",
    "containerd-legacy-empty",
    "containerd-config-plain-oci",
    "containerd-no-created",
    "container-config-pointer",
    "container-config-type-29",
    # loading an archive
    "legacy-load",
    "legacy-moby-history",
    "manifest-json-required",
    "containerd-keeps-unpack-failures",
    "containerd-unpack-error-bare",
    "containerd-plain-tar-only",
    "containerd-unpacks-attestations",
    "repo-digest-per-tag",
    "containerd-ref-name-tags",
    # what docker images lists from the containerd store
    "containerd-list-per-record",
    "containerd-list-per-manifest",
    "containerd-list-skips-layerless",
    "containerd-list-named-first",
    # an index entry whose manifest the archive lacks (containerd store)
    "absent-manifest-load-refused",
    "absent-manifest-no-such-image",
    "absent-manifest-kept-nothing",
    "absent-manifest-no-platform",
    "absent-manifest-configless",
    "configless-config-null",
    # facts of the printer, added when a profile is resolved (``struct``:
    # the ContainerConfig key's Go struct, not the Config key)
    "typed",
    "compat",
    "sent-container-config",
    "oci-config-type",
    "struct",
]
#: Every feature name, for checks at run time.
FEATURES: Final[frozenset[str]] = frozenset(typing.get_args(Feature))

#: The newest releases the tables know.
NEWEST_DOCKER: Final = "29.7"
NEWEST_PODMAN: Final = "6.1"
#: The first release with a containerd image store (24.0, from moby's
#: sources: 23.0 has no ``containerd-snapshotter`` feature).
CONTAINERD_STORE_SINCE: Final = "24.0"


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


def _bound(text: str) -> Version | None:
    """A row's bound, parsed once: ``""`` is open (``None``)."""
    return tuple(int(part) for part in text.split(".")) if text else None


def compare(version: Version, bound: str | Version) -> int:
    """-1, 0 or 1 as ``version`` is below, at or above ``bound`` (missing
    parts count as 0).

    >>> compare((28, 5), "28.5.0"), compare((28, 5, 2), "28.5")
    (0, 1)
    """
    other = _bound(bound) or (0,) if isinstance(bound, str) else bound
    width = max(len(version), len(other))
    a = version + (0,) * (width - len(version))
    b = other + (0,) * (width - len(other))
    return (a > b) - (a < b)


@attrs.frozen
class Release:
    """One Docker release line from ``since`` on: the API versions it
    answers (``api`` is its default and maximum), the Go release upstream
    builds it with (Go >= 1.22 writes ``\\b``/``\\f`` short), and how the
    library knows (``observed``: the build a real daemon was run from, or
    ``""`` when read from the source only).

    >>> release("29.7.2").api, release("29.7.2").min_api
    ('1.55', '1.40')
    """

    since: str
    api: str
    min_api: str
    go: str
    observed: str = ""
    #: The image store a fresh install uses (the containerd store from 29.0).
    store: Store = "graphdriver"
    since_v: Version = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "since_v", parse_version(self.since, "daemon"))


#: Docker release lines, oldest first; a row holds until the next one. From
#: each tag's sources: the maximum API (api/common.go ``DefaultVersion``, 29.x
#: ``MaxAPIVersion``), the minimum a daemon accepts by default (1.12 until
#: 25.0; ``defaultMinAPIVersion`` after) and the ``GO_VERSION`` of its
#: Dockerfile (the first patch release of the line; 19.03's Dockerfile names
#: none, 1.12 is its first release's).
RELEASES: Final[tuple[Release, ...]] = (
    Release("1.12", "1.24", "1.12", "1.6"),
    Release("1.13", "1.25", "1.12", "1.7"),
    Release("17.03", "1.26", "1.12", "1.7"),
    Release("17.04", "1.28", "1.12", "1.7"),
    Release("17.05", "1.29", "1.12", "1.7"),
    Release("17.06", "1.30", "1.12", "1.8"),
    Release("17.07", "1.31", "1.12", "1.8"),
    Release("17.09", "1.32", "1.12", "1.8"),
    Release("17.10", "1.33", "1.12", "1.8"),
    Release("17.11", "1.34", "1.12", "1.8"),
    Release("17.12", "1.35", "1.12", "1.9"),
    Release("18.02", "1.36", "1.12", "1.9"),
    Release("18.03", "1.37", "1.12", "1.9"),
    Release("18.05", "1.37", "1.12", "1.10"),
    Release("18.06", "1.38", "1.12", "1.10"),
    Release("18.09", "1.39", "1.12", "1.10"),
    Release("19.03", "1.40", "1.12", "1.12"),
    Release("20.10", "1.41", "1.12", "1.13", observed="20.10.24+dfsg1 (Debian bookworm)"),
    Release("23.0", "1.42", "1.12", "1.19", observed="23.0.6 (built from its tags)"),
    Release("24.0", "1.43", "1.12", "1.20", observed="24.0.0 and 24.0.9 (built from their tags)"),
    Release("25.0", "1.44", "1.24", "1.21", observed="25.0.3 and 25.0.5 (built from their tags)"),
    Release("25.0.7", "1.44", "1.24", "1.22"),
    Release("26.0", "1.45", "1.24", "1.21"),
    Release("26.1", "1.45", "1.24", "1.21", observed="26.1.5+dfsg1 (Debian trixie)"),
    Release("27.0", "1.46", "1.24", "1.21"),
    Release("27.2", "1.47", "1.24", "1.21"),
    Release("27.2.1", "1.47", "1.24", "1.22"),
    Release("27.5", "1.47", "1.24", "1.22", observed="27.5.1 (built from its tags)"),
    Release("28.0", "1.48", "1.24", "1.23", observed="28.0.0 (built from its tags)"),
    Release("28.1", "1.49", "1.24", "1.23"),
    Release("28.2", "1.50", "1.24", "1.24", observed="28.2.2 (built from its tags)"),
    Release("28.3", "1.51", "1.24", "1.24"),
    Release("28.4", "1.51", "1.24", "1.24", observed="28.4.0 (built from its tags)"),
    Release("28.5", "1.51", "1.24", "1.24", observed="28.5.2+dfsg4 (Debian sid)"),
    Release("29.0", "1.52", "1.44", "1.25", "29.0.0 (built from its tags)", "containerd"),
    Release("29.2", "1.53", "1.44", "1.25", "29.2.1 (built from its tags)", "containerd"),
    Release("29.3", "1.54", "1.40", "1.25", store="containerd"),
    Release("29.4", "1.54", "1.40", "1.26", store="containerd"),
    Release("29.6", "1.55", "1.40", "1.26", store="containerd"),
    Release("29.7", "1.55", "1.40", "1.26", "29.7.2 (built from its tags)", "containerd"),
)


def release(version: str | Version) -> Release:
    """The release line a Docker version belongs to.

    >>> release("26.1.5+dfsg1").api
    '1.45'
    """
    parsed = parse_version(version, "daemon") if isinstance(version, str) else version
    found = RELEASES[0]
    for row in RELEASES:
        if compare(parsed, row.since_v) >= 0:
            found = row
    return found


def release_api(version: str) -> str:
    """The API version a Docker release answers by default (its maximum).

    >>> release_api("26.1.5"), release_api("28.5")
    ('1.45', '1.51')
    """
    return release(version).api


def go_of_release(version: str) -> str:
    """The Go release upstream builds of a Docker release use (distribution
    builds often use a newer one: pass it as ``Format.docker(go=...)``).

    >>> go_of_release("26.1"), go_of_release("28.5")
    ('1.21', '1.24')
    """
    return release(version).go


@attrs.frozen
class Rule:
    """One feature row: ``feature`` holds for releases in ``[since, until)``,
    API versions in ``[api_since, api_until)`` and the given store (``None`` =
    any). Bounds of ``""`` are open; they are parsed when the row is made.

    >>> Rule("variant", since="20.10").holds("docker", (20, 10), (1, 41), "graphdriver")
    True
    """

    feature: Feature
    since: str = ""
    until: str = ""
    api_since: str = ""
    api_until: str = ""
    store: Store | None = None
    kind: Literal["docker", "podman"] = "docker"
    _bounds: tuple[Version | None, ...] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.feature not in FEATURES:  # rows made at run time (mypy checks the table)
            raise ImageInspectError(f"unknown feature {self.feature!r}")
        bounds = tuple(_bound(text) for text in (self.since, self.until, self.api_since, self.api_until))
        object.__setattr__(self, "_bounds", bounds)

    def holds(self, kind: str, release: Version, api: Version, store: str) -> bool:
        """Whether the rule applies to this producer."""
        if kind != self.kind or (self.store is not None and self.store != store):
            return False
        since, until, api_since, api_until = self._bounds
        if since is not None and compare(release, since) < 0:
            return False
        if until is not None and compare(release, until) >= 0:
            return False
        if api_since is not None and compare(api, api_since) < 0:
            return False
        return not (api_until is not None and compare(api, api_until) >= 0)


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
    Rule("zero-container-config", since="24.0", until="28.0", store="containerd"),
    # 29.x's compat wrapper adds both below API 1.45 for every store; the
    # containerd store keeps neither, nor DockerVersion (observed on
    # 29.7.2: "Container": "", "ContainerConfig": null); ContainerConfig is
    # a pointer there (null when nil; the graphdriver store's never is).
    Rule("container", since="29.0", api_until="1.45", store="containerd"),
    Rule("container-config", since="29.0", api_until="1.45", store="containerd"),
    Rule("container-config-pointer", since="29.0"),
    # moby's api module v29: container.Config lost MacAddress and OnBuild
    # became omitempty (the ContainerConfig struct below API 1.45; observed
    # on 29.7.2)
    Rule("container-config-type-29", since="29.0"),
    Rule("containerd-legacy-empty", since="24.0", store="containerd"),
    Rule("descriptor", since="28.0", api_since="1.48", store="containerd"),
    # The daemon reads the config through the OCI image-config type: Config
    # keeps only the OCI subset (observed: 28.5 both stores, 26.1 containerd).
    Rule("config-from-oci", since="28.2"),
    Rule("config-from-oci", since="24.0", store="containerd"),
    # An empty list or map comes back as null on the way: observed on 28.4
    # and 28.5, not on 28.2.2 nor 26.1's containerd store (entrypoint-reset's
    # "Cmd": []); 28.3 assumed.
    Rule("config-from-oci-null", since="28.3"),
    # 24.x's containerd store reads the config through the plain OCI type:
    # no Healthcheck, OnBuild, Shell nor ArgsEscaped, and no Author
    # (observed on 24.0.9; 25.0.5 shows them).
    Rule("containerd-config-plain-oci", since="24.0", until="25.0", store="containerd"),
    # 24.0.0's containerd store leaves Created at the zero time (observed;
    # 24.0.9 shows it; 24.0.1 assumed, as for repo-tags-null).
    Rule("containerd-no-created", since="24.0", until="24.0.1", store="containerd"),
    # The containerd store's DockerVersion: the daemon's own version on 25.0,
    # 26.1 and 27.5, "" on 24.0 and from 28.0 (observed).
    Rule("daemon-docker-version", since="25.0", until="28.0", store="containerd"),
    # Loading: pre-1.10 archives (graphdriver store only; refused by the
    # containerd store, observed on 26.1 and 28.5; the code is gone in 29.0).
    Rule("legacy-load", until="29.0", store="graphdriver"),
    # The graphdriver store without manifest.json: 26.1-28.5 ask for
    # blobs/json, 29.x says so (observed on 26.1, 28.0, 28.5, 29.0, 29.7).
    Rule("manifest-json-required", since="29.0", store="graphdriver"),
    # ... and the history entries it makes for them use moby's own type
    # before 25.0 (observed: the image IDs of 23.0.6 and 24.0.x).
    Rule("legacy-moby-history", until="25.0", store="graphdriver"),
    # A layer count that differs from the config's: 26.1's containerd store
    # fails the load, 27.5 and 28.x keep the image it could not unpack
    # (observed; 27.0 assumed).
    Rule("containerd-keeps-unpack-failures", since="27.0", store="containerd"),
    # 24.0.0 says it without "failed to unpack loaded image: " (observed;
    # 24.0.9 has the prefix; 24.0.1 assumed)
    Rule("containerd-unpack-error-bare", since="24.0", until="24.0.1", store="containerd"),
    # 24.x's containerd store reads the archive as a plain tar: a compressed
    # one (gzip, xz) fails with "archive/tar: invalid tar header"; 25.0 and
    # later decompress it as the graphdriver store always did (observed on
    # 24.0.0, 24.0.9 / 25.0.3-29.7.2).
    Rule("containerd-plain-tar-only", since="24.0", until="25.0", store="containerd"),
    # 24.0.0's containerd store unpacks an attestation manifest too and fails
    # on its in-toto layer ("failed to get stream processor"); 24.0.9 skips
    # it (observed; 24.0.1 assumed, as for the bare unpack error).
    Rule("containerd-unpacks-attestations", since="24.0", until="24.0.1", store="containerd"),
    # The containerd store's RepoDigests: one per tag on 24.0-26.x, one per
    # repository from 27.5 (observed; 27.0 assumed).
    Rule("repo-digest-per-tag", since="24.0", until="27.0", store="containerd"),
    # A full reference written only as an OCI ref.name tags the loaded image
    # on 28.5 (without a RepoDigest) and not on 26.1 (observed; 28.0 assumed).
    Rule("containerd-ref-name-tags", since="28.0", store="containerd"),
    # docker images on the containerd store (moby's daemon/containerd/
    # image_list.go; the docker CLI keeps a row per tag that parses as a
    # tagged reference, and shows <none>:<none> only when an image has
    # neither tags nor digests). 24.x: a summary per record and per platform
    # manifest present, tagged by that record's name (canonical, else as
    # written; a dangling record none). 25.0: the records of one target are
    # merged, tagged by every name that normalizes, plus the name of one
    # record as written when it is not canonical (so an OCI ref.name "app:v1"
    # lists twice); still a summary per platform manifest present. 26.0: one
    # summary per target (moby#45967). 24.0.0 skips an image without layers
    # (24.0.1: "c8d/list: Show layerless images"). The record whose name is
    # written again is the last by name before 28.1 (a dangling one, when
    # there is one), the last named one from 28.1 (moby#49672). Observed:
    # 24.0.0, 24.0.9, 25.0.3, 25.0.5, 26.1, 27.5.1, 28.0.0, 28.2.2, 28.4.0,
    # 28.5, 29.0.0, 29.2.1, 29.7.2 after loading the corpus's archives;
    # 24.0.1, 26.0 and 28.1 from the sources.
    Rule("containerd-list-per-record", since="24.0", until="25.0", store="containerd"),
    Rule("containerd-list-per-manifest", since="24.0", until="26.0", store="containerd"),
    Rule("containerd-list-skips-layerless", since="24.0", until="24.0.1", store="containerd"),
    Rule("containerd-list-named-first", since="28.1", store="containerd"),
    # An oci-layout archive whose index names a manifest the archive lacks
    # (the image is in manifest.json; or, on 24.x, any manifest a nested
    # index names, as a single-platform containerd export of a
    # multi-platform index has: observed on 24.0.0 and 24.0.9): 24.x
    # refuses the load; 25.0-26.x say
    # "Loaded image" and keep nothing; 27.x lists it but knows no such
    # image; 28.0 finds no platform in it; from 28.2 the store keeps an
    # image without a config (observed on 24.0.0, 24.0.9, 25.0.3, 25.0.5,
    # 26.1, 27.5.1, 28.0.0, 28.2.2, 28.4.0, 28.5, 29.0.0, 29.2.1, 29.7.2;
    # 27.0 and 28.1 assumed).
    Rule("absent-manifest-load-refused", since="24.0", until="25.0", store="containerd"),
    # (25.0-26.x keep nothing, 27.x list a record: both answer "No such image")
    Rule("absent-manifest-no-such-image", since="25.0", until="28.0", store="containerd"),
    Rule("absent-manifest-kept-nothing", since="25.0", until="27.0", store="containerd"),
    Rule("absent-manifest-no-platform", since="28.0", until="28.2", store="containerd"),
    Rule("absent-manifest-configless", since="28.2", store="containerd"),
    # ... whose Config is null on 28.2 and 29.0 (API >= 1.50 / 1.52), left
    # out on 28.3-28.5 and {} from 29.2 (observed; 28.3 and 29.1 assumed).
    Rule("configless-config-null", since="28.2", until="28.3"),
    Rule("configless-config-null", since="29.0", until="29.2"),
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


def features(kind: str, release: str, api: str, store: str) -> frozenset[Feature]:
    """The features that hold for a producer.

    >>> sorted(features("docker", "26.1", "1.45", "containerd") & {"container", "zero-container-config"})
    ['zero-container-config']
    """
    release_v = parse_version(release, "daemon" if kind == "docker" else kind)
    api_v = parse_version(api, "API") if api else (0,)
    return frozenset(r.feature for r in RULES if r.holds(kind, release_v, api_v, store))


_UNSET: Final[Any] = object()


def _holds(when: tuple[Feature, ...], unless: tuple[Feature, ...], facts: frozenset[str]) -> bool:
    """A row's conditions: every feature in ``when`` and none in ``unless``."""
    return all(f in facts for f in when) and not any(f in facts for f in unless)


@attrs.frozen
class Gate:
    """One row for a key of an inspect class: when every feature in ``when``
    holds and none in ``unless``, the key is dropped, moved last, or written
    with ``omit``/``nil`` changed. The first row of a key that matches wins;
    a key with no matching row is written as declared.

    >>> Gate("Os", when=("typed",), unless=("compat",)).matches(frozenset({"typed"}))
    True
    """

    key: str
    when: tuple[Feature, ...] = ()
    unless: tuple[Feature, ...] = ()
    drop: bool = False
    omit: Omit | None = None
    nil: Any = _UNSET
    last: bool = False

    def matches(self, facts: frozenset[str]) -> bool:
        """Whether every condition holds."""
        return _holds(self.when, self.unless, facts)


@attrs.frozen
class ObjectRule:
    """One row for a whole inspect class: when it matches, the class is
    written from the ``base`` shape (a name :mod:`~imageinspect.codec.formats`
    knows), in the key ``order`` given, or with its keys ``sort``-ed (Go map
    semantics). For each of the three, the first matching row that sets it
    wins.

    >>> ObjectRule(when=("config-map",), sort=True).matches(frozenset({"config-map"}))
    True
    """

    when: tuple[Feature, ...] = ()
    unless: tuple[Feature, ...] = ()
    base: Literal["container-config", "oci-config"] | None = None
    order: tuple[str, ...] | None = None
    sort: bool | None = None

    def matches(self, facts: frozenset[str]) -> bool:
        """Whether every condition holds."""
        return _holds(self.when, self.unless, facts)


_IMAGE_INSPECT_GATES: Final[tuple[Gate, ...]] = (
    Gate("Container", when=("typed", "types-v1.52"), drop=True),
    Gate("Container", when=("typed", "container-omitempty"), omit="empty"),
    Gate("Container", when=("typed",)),
    Gate("Container", unless=("container",), drop=True),
    Gate("Container", when=("container-omitempty",), unless=("compat",), omit="empty"),
    Gate("ContainerConfig", when=("typed", "types-v1.52"), drop=True),
    # the daemon writes one at this API: the CLI holds a non-nil pointer, and
    # re-marshals a zero one as an object (observed: CLI 20.10 and 28.5 after
    # `docker load` of a BuildKit image into dockerd 20.10)
    Gate("ContainerConfig", when=("typed", "sent-container-config"), omit="struct"),
    Gate("ContainerConfig", when=("typed", "container-omitempty"), omit="nil"),
    Gate("ContainerConfig", when=("typed",), omit="never"),
    Gate("ContainerConfig", unless=("container-config",), drop=True),
    Gate("ContainerConfig", when=("container-config-pointer",), omit="never"),
    Gate("VirtualSize", when=("typed", "types-v1.52"), drop=True),
    Gate("VirtualSize", when=("typed", "virtual-size-omitempty"), omit="empty"),
    Gate("VirtualSize", when=("typed",)),
    Gate("VirtualSize", unless=("virtual-size",), drop=True),
    Gate("VirtualSize", when=("virtual-size-omitempty",), unless=("compat",), omit="empty"),
    Gate("Parent", when=("types-v1.52",), unless=("compat",), drop=True),
    Gate("Parent", when=("types-v1.52",), unless=("compat-wrap",), omit="empty"),
    Gate("DockerVersion", when=("types-v1.52",), unless=("compat",), drop=True),
    Gate("DockerVersion", when=("types-v1.52",), unless=("compat-wrap",), omit="empty"),
    Gate("Comment", when=("types-v1.52",), unless=("compat-wrap",), omit="empty"),
    Gate("Author", when=("types-v1.52",), unless=("compat-wrap",), omit="empty"),
    Gate("Created", when=("created-zero-backfill",), unless=("typed",)),
    Gate("Created", when=("created-omitempty",), omit="empty"),
    Gate("Created", when=("created-empty-string",), nil=""),
    Gate("Created", when=("typed",), nil=""),
    Gate("Config", when=("config-last",), unless=("typed",), last=True),
    Gate("OsVersion", unless=("os-version",), drop=True),
    Gate("Variant", unless=("variant",), drop=True),
    Gate("Metadata", unless=("metadata",), drop=True),
    Gate("Descriptor", when=("typed",), unless=("descriptor-field",), drop=True),
    Gate("Descriptor", when=("typed",)),
    Gate("Descriptor", unless=("descriptor",), drop=True),
    Gate("Manifests", unless=("descriptor-field",), drop=True),
    Gate("Identity", when=("typed",), unless=("identity-field",), drop=True),
    Gate("Identity", when=("typed",)),
    Gate("Identity", unless=("identity",), drop=True),
    Gate("GraphDriver", when=("types-v1.52", "graphdriver-omitted"), drop=True),
    Gate("GraphDriver", when=("types-v1.52",), omit="nil"),
    Gate("RepoTags", when=("typed",), nil=None),
    Gate("RepoTags", when=("repo-tags-null",), nil=None),
    Gate("RepoTags", nil=()),
    Gate("RepoDigests", when=("typed",), nil=None),
    Gate("RepoDigests", when=("repo-tags-null",), nil=None),
    Gate("RepoDigests", nil=()),
)

#: Keys of the image-config type that 28.3-28.5's map (and 29.x's compat
#: wrapper) write even when empty: the legacy keys it back-fills.
_BACKFILLED: Final = ("Cmd", "Entrypoint", "Env", "Labels", "OnBuild", "User", "Volumes", "WorkingDir")

_BACKFILL_GATES: Final[tuple[Gate, ...]] = tuple(
    Gate(key, when=("oci-config", "config-map"), unless=("typed",), omit="never") for key in _BACKFILLED
) + tuple(Gate(key, when=("oci-config", "compat-wrap"), unless=("typed",), omit="never") for key in _BACKFILLED)

_CONFIG_GATES: Final[tuple[Gate, ...]] = (
    *_BACKFILL_GATES,
    # ContainerConfig (the struct, not the Config key) in 29.x
    Gate("OnBuild", when=("container-config-type-29", "struct"), omit="empty"),
    Gate("MacAddress", when=("container-config-type-29", "struct"), drop=True),
)

_HEALTH_GATES: Final[tuple[Gate, ...]] = (
    Gate("StartPeriod", unless=("health-start-period",), drop=True),
    Gate("StartInterval", unless=("health-start-interval",), drop=True),
)

_ROOT_FS_GATES: Final[tuple[Gate, ...]] = (
    Gate("Type", when=("rootfs-type-omitempty",), omit="empty"),
    Gate("BaseLayer", unless=("rootfs-base-layer",), drop=True),
)

#: Per inspect class (the key of its table), the gates of its keys.
GATES: Final[Mapping[type[Any], tuple[Gate, ...]]] = {
    ImageInspect: _IMAGE_INSPECT_GATES,
    ContainerConfig: _CONFIG_GATES,
    HealthConfig: _HEALTH_GATES,
    InspectRootFS: _ROOT_FS_GATES,
    GraphDriver: (),
    PodmanImageInspect: (),
}

#: 29.x's compat wrapper re-decodes the whole object into maps: every
#: object in it has its keys sorted (but ContainerConfig, which it adds as
#: a Go struct: a named shape of its own).
_COMPAT_SORTED: Final = ObjectRule(when=("compat",), sort=True)

#: Per inspect class, its base shape, order and sorting.
OBJECT_RULES: Final[Mapping[type[Any], tuple[ObjectRule, ...]]] = {
    ImageInspect: (_COMPAT_SORTED,),
    Metadata: (_COMPAT_SORTED,),
    Descriptor: (_COMPAT_SORTED,),
    Platform: (_COMPAT_SORTED,),
    ManifestSummary: (_COMPAT_SORTED,),
    ImageData: (_COMPAT_SORTED,),
    ManifestSize: (_COMPAT_SORTED,),
    AttestationData: (_COMPAT_SORTED,),
    Identity: (_COMPAT_SORTED,),
    PullIdentity: (_COMPAT_SORTED,),
    BuildIdentity: (_COMPAT_SORTED,),
    ContainerConfig: (
        # the CLI's own types: container.Config before 28.2, then the OCI one
        ObjectRule(when=("typed", "oci-config-type"), base="oci-config", sort=False),
        ObjectRule(when=("typed",), base="container-config", sort=False),
        ObjectRule(when=("oci-config",), base="oci-config"),
        ObjectRule(when=("config-map",), sort=True),
        ObjectRule(when=("compat",), sort=True),
        ObjectRule(base="container-config"),
    ),
    HealthConfig: (ObjectRule(when=("config-map",), unless=("typed",), sort=True), _COMPAT_SORTED),
    InspectRootFS: (_COMPAT_SORTED,),
    GraphDriver: (
        _COMPAT_SORTED,
        ObjectRule(when=("graphdriver-data-first",), order=("Data", "Name")),
        ObjectRule(order=("Name", "Data")),
    ),
    PodmanImageInspect: (),
}


@attrs.frozen
class ObjectShape:
    """What :func:`object_rule` decides for one class."""

    base: str | None = None
    order: tuple[str, ...] | None = None
    sort: bool = False


def object_rule(cls: type[Any], facts: frozenset[str]) -> ObjectShape:
    """The base shape, order and sorting of ``cls`` under ``facts``.

    >>> object_rule(GraphDriver, frozenset({"graphdriver-data-first"})).order
    ('Data', 'Name')
    """
    base: str | None = None
    order: tuple[str, ...] | None = None
    sort: bool | None = None
    for row in OBJECT_RULES.get(cls, ()):
        if not row.matches(facts):
            continue
        if base is None and row.base is not None:
            base = row.base
        if order is None and row.order is not None:
            order = row.order
        if sort is None and row.sort is not None:
            sort = row.sort
    return ObjectShape(base, order, bool(sort))


def apply_gates(cls: type[Any], fields: Iterable[Any], facts: frozenset[str]) -> list[Any]:
    """The fields (``shapes.Field``) of ``cls`` left after its gates, with
    their changes, in order (keys a gate moves ``last`` at the end).

    >>> from imageinspect.codec.shapes import Field
    >>> [f.key for f in apply_gates(ImageInspect, [Field("Id", "id"), Field("Variant", "variant")], frozenset())]
    ['Id']
    """
    kept: list[Any] = []
    moved: list[Any] = []
    gates = GATES.get(cls, ())
    for field in fields:
        last = False
        for gate in gates:
            if gate.key != field.key or not gate.matches(facts):
                continue
            if gate.drop:
                field = None
                break
            changes: dict[str, Any] = {}
            if gate.omit is not None:
                changes["omit"] = gate.omit
            if gate.nil is not _UNSET:
                changes["nil"] = gate.nil
            field = attrs.evolve(field, **changes) if changes else field
            last = gate.last
            break
        if field is not None:
            (moved if last else kept).append(field)
    return kept + moved
