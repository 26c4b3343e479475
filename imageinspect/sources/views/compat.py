"""Which daemons load an image's archive, and what each then shows: for every
Docker release line the library models (each store it has) and every podman
release observed, whether the load succeeds -- if not, the daemon's own
refusal, as observed -- and the image ID, ``RepoTags``, ``RepoDigests`` and
``Size`` its ``inspect`` shows. The answers are the other views' (the load
refusals of :mod:`~imageinspect.sources.views.loadable`, the inspect output of
:mod:`~imageinspect.sources.views.docker` and
:mod:`~imageinspect.sources.views.podman`), side by side.

>>> from pathlib import Path
>>> from imageinspect.sources.image import open_image
>>> with open_image(Path("tests/data/golden/edge/pre-1.10.tar"), ref="edge/pre-1.10") as image:
...     rows = {(r.daemon, r.release, r.store): r for r in compat(image)}
>>> rows["docker", "28.5.2+dfsg4", "graphdriver"].image_id[:19], rows["docker", "29.7.2", "graphdriver"].message
('sha256:b5fc4c9fc3d2', 'invalid archive: does not contain a manifest.json')
>>> rows["docker", "29.7.2", "containerd"].loads, rows["podman", "5.8", "containers-storage"].loads
(False, False)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final, Literal

import attrs

from imageinspect.codec.formats import Format
from imageinspect.codec.rules import CONTAINERD_STORE_SINCE, RELEASES, compare
from imageinspect.errors import ImageInspectError
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.stored import StoredImage
from imageinspect.sources.views.docker import inspect_image
from imageinspect.sources.views.loadable import load_refusal
from imageinspect.sources.views.podman import podman_inspect_image

__all__ = ["PODMAN_RELEASES", "CompatRow", "compat", "daemon_formats"]

#: The podman releases whose loads and views were observed (Debian's 4.3,
#: and 5.4, 5.8 and 6.1): what podman's rows are made for.
PODMAN_RELEASES: Final = ("4.3", "5.4", "5.8", "6.1")

Store = Literal["graphdriver", "containerd", "containers-storage"]


@attrs.frozen
class CompatRow:
    """What one daemon does with the archive.

    >>> row = CompatRow("docker", "29.7", "containerd", True, True, True)
    >>> row.shows, row.message
    (True, '')
    """

    daemon: Literal["docker", "podman"]
    #: The release line (Docker) or release (podman).
    release: str
    #: The image store: Docker's ``graphdriver`` or ``containerd``, podman's
    #: ``containers-storage``.
    store: Store
    #: Whether the library's rules for it were checked against a real daemon
    #: of the line (not only read from its sources).
    observed: bool
    #: Whether ``docker load`` / ``podman load`` succeeds.
    loads: bool
    #: Whether ``inspect`` then shows the image (a containerd store can keep
    #: an image it cannot show).
    shows: bool
    #: The daemon's own words when it refuses (``""`` when it shows the image).
    message: str = ""
    #: The archive member the refusal is about.
    member: str = ""
    #: What its ``inspect`` shows (empty when it does not show the image).
    image_id: str = ""
    repo_tags: tuple[str, ...] = ()
    repo_digests: tuple[str, ...] = ()
    size: int | None = None

    @property
    def format(self) -> Format:
        """The :class:`~imageinspect.codec.formats.Format` naming the daemon.

        >>> CompatRow("docker", "24.0", "containerd", True, True, True).format.store
        'containerd'
        """
        if self.daemon == "podman":
            return Format.podman(self.release)
        return Format.docker(self.release, store="containerd" if self.store == "containerd" else "graphdriver")


def daemon_formats(every_line: bool = False) -> tuple[Format, ...]:
    """The daemons :func:`compat` answers for, oldest first: each Docker
    release a real daemon was observed for, by its exact version (two
    patch releases of a line can differ: 24.0.0 and 24.0.9 do), with its
    graphdriver store and, from 24.0, its containerd store; with
    ``every_line``, also each release line known from its sources only;
    then each podman release observed.

    >>> [(f.version, f.store) for f in daemon_formats()][:4]
    [('20.10.24+dfsg1', 'graphdriver'), ('23.0.6', 'graphdriver'), ('24.0.0', 'graphdriver'), ('24.0.0', 'containerd')]
    >>> len(daemon_formats(every_line=True)) > len(daemon_formats())
    True
    """
    found: list[Format] = []
    for line in RELEASES:
        versions = _OBSERVED_VERSION.findall(line.observed) or ([line.since] if every_line else [])
        for version in versions:
            found.append(Format.docker(version, store="graphdriver"))
            if compare(line.since_v, CONTAINERD_STORE_SINCE) >= 0:
                found.append(Format.docker(version, store="containerd"))
    found.extend(Format.podman(version) for version in PODMAN_RELEASES)
    return tuple(found)


#: The versions a release line's ``observed`` note names ("24.0.0 and 24.0.9
#: (built from their tags)", "26.1.5+dfsg1 (Debian trixie)").
_OBSERVED_VERSION: Final = re.compile(r"\b\d+\.\d+\.\d+(?:\+[0-9A-Za-z.]+)?")


def _observed(fmt: Format) -> bool:
    if fmt.kind == "podman":
        return fmt.version in PODMAN_RELEASES
    return any(fmt.version in _OBSERVED_VERSION.findall(line.observed) for line in RELEASES)


def compat(
    image: StoredImage, formats: Iterable[Format] | None = None, *, storage_driver: str = "overlay2"
) -> tuple[CompatRow, ...]:
    """One row per daemon of ``formats`` (default :func:`daemon_formats`):
    whether it loads the archive ``image`` came from and what it shows.
    ``storage_driver`` is the graphdriver store's (``overlay2`` or ``vfs``:
    the size counts symlinks or not); fields only the host knows (a pull's
    ``RepoDigests``, the load time) are a fresh load's.
    """
    rows = []
    for fmt in daemon_formats() if formats is None else formats:
        kind = fmt.kind
        store: Store = "containers-storage" if kind == "podman" else fmt.store
        row = CompatRow(kind, fmt.version or "", store, _observed(fmt), loads=True, shows=True)
        refusal = load_refusal(image, fmt)
        if refusal is not None:
            rows.append(
                attrs.evolve(row, loads=refusal.loaded, shows=False, message=refusal.message, member=refusal.member)
            )
            continue
        try:
            shown = _inspect(image, fmt, storage_driver)
        except ImageInspectError as err:  # a name the loader refuses, say
            rows.append(attrs.evolve(row, loads=False, shows=False, message=err.message, member=err.location))
            continue
        rows.append(
            attrs.evolve(
                row,
                image_id=shown.id,
                repo_tags=shown.repo_tags or (),
                repo_digests=shown.repo_digests or (),
                size=shown.size,
            )
        )
    return tuple(rows)


def _inspect(image: StoredImage, fmt: Format, storage_driver: str) -> ImageInspect | PodmanImageInspect:
    if fmt.kind == "podman":
        return podman_inspect_image(image, fmt)
    return inspect_image(image, fmt, storage_driver=storage_driver)
