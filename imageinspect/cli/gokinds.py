"""The Go kinds of the fields of Docker's and podman's inspect types, for
``-f`` templates (:class:`~imageinspect.gotemplate.GoKinds`), by JSON key.

>>> "RepoTags" in DOCKER.lists, "Created" in DOCKER.times, "Created" in PODMAN.times
(True, False, True)
"""

from __future__ import annotations

import attrs

from imageinspect.codec import inspect_shapes, shapes
from imageinspect.gotemplate import GoKinds

__all__ = ["DOCKER", "PODMAN"]

#: JSON keys of Docker's inspect types that are Go slices or maps: what a
#: left-out or ``null`` one prints as.
_LISTS = frozenset(
    {"Env", "Cmd", "Entrypoint", "RepoTags", "RepoDigests", "Layers", "OnBuild", "Shell", "Test", "Manifests"}
)
_MAPS = frozenset({"Labels", "ExposedPorts", "Volumes", "Data", "Annotations"})
#: Maps whose values are Go's ``struct{}``: printed as ``{}``.
_SETS = frozenset({"ExposedPorts", "Volumes"})
#: Keys of Docker's types that are pointers (``<nil>`` when unset), numbers
#: and booleans; every other key is a string (``""`` when unset).
_POINTERS = frozenset({"Healthcheck", "Config", "ContainerConfig", "Descriptor", "Identity", "Platform"})
_NUMBERS = frozenset({"Size", "VirtualSize", "Retries", "Interval", "Timeout", "StartPeriod", "StartInterval"})
_BOOLEANS = frozenset(
    {"AttachStdin", "AttachStdout", "AttachStderr", "Tty", "OpenStdin", "StdinOnce", "ArgsEscaped", "NetworkDisabled"}
)
#: Fields of Docker's image types that some API versions leave out of the JSON
#: (``omitempty``) and that no shape of ours names.
_OTHER_KEYS = frozenset({"Variant", "OsVersion", "MacAddress", "StopTimeout", "Image", "Domainname", "Hostname"})
#: Fields that are Go ``time.Duration`` (nanoseconds in JSON) and
#: ``time.Time`` (RFC 3339 in JSON) in Docker's types: printed as Go prints them.
_DURATIONS = frozenset({"Interval", "Timeout", "StartPeriod", "StartInterval"})
_TIMES = frozenset({"LastTagTime"})
#: podman's types hold ``Created`` (the image's and each history entry's) as a time.
_PODMAN_TIMES = _TIMES | {"Created", "created"}


def _known_keys() -> frozenset[str]:
    """Every JSON key of every inspect and config shape."""
    keys: set[str] = set()
    for module in (shapes, inspect_shapes):
        for value in vars(module).values():
            for item in value if isinstance(value, tuple) else (value,):
                if isinstance(item, shapes.Shape):
                    keys.update(field.key for field in item.fields)
                elif isinstance(item, shapes.Field):
                    keys.add(item.key)
    return frozenset(keys)


#: Docker's types (the CLI's typed view of an image, and docker history's rows).
DOCKER = GoKinds(
    lists=_LISTS,
    maps=_MAPS,
    sets=_SETS,
    pointers=_POINTERS,
    numbers=_NUMBERS,
    booleans=_BOOLEANS,
    durations=_DURATIONS,
    times=_TIMES,
    known=_known_keys() | _OTHER_KEYS,
)
#: podman's types: Docker's, with ``Created`` a time.
PODMAN = attrs.evolve(DOCKER, times=_PODMAN_TIMES)
