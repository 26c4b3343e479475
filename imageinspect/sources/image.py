"""``open_image``: an image on disk -- a ``docker save`` tarball of any era, an
OCI image layout (directory or tar), compressed or not -- as typed documents.

>>> from pathlib import Path
>>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
...     image.repo_tags, len(image.layers), image.image_config.os
(('case/legacy-full:latest',), 2, 'linux')
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Collection, Sequence
from typing import overload

import attrs

from imageinspect.codec.documents import parse_config
from imageinspect.codec.formats import Format
from imageinspect.errors import AmbiguousImage, ArchiveError, DigestMismatch, ImageInspectError
from imageinspect.model.config import ContainerConfig, RuntimeViews
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import GraphDriver, ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.formats.discover import Entry, discover
from imageinspect.sources.formats.legacy import is_legacy, legacy_entries
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarindex import Progress
from imageinspect.sources.storage.tree import Tree, open_tree
from imageinspect.sources.stored import DEFAULT_PLATFORM, StoredImage
from imageinspect.sources.verify import VerifyReport, verify_image
from imageinspect.sources.views.containerd import containerd_target
from imageinspect.sources.views.docker import inspect_image
from imageinspect.sources.views.history import HistoryEntry, image_history
from imageinspect.sources.views.layersize import remembered_content_size
from imageinspect.sources.views.podman import podman_inspect_image
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform, PlatformMatcher
from imageinspect.values.reference import normalized_reference, sort_repo_tags
from imageinspect.values.timestamp import Timestamp

__all__ = ["HistoryEntry", "Image", "ImageSummary", "list_images", "open_image", "positions_named", "sort_repo_tags"]


@attrs.frozen
class ImageSummary:
    """One image an archive holds (what :func:`list_images` returns).

    >>> ImageSummary(("x:1",), None, None, "docker-archive", 0).refs
    ('x:1',)
    """

    refs: tuple[str, ...]
    config_digest: Digest | None
    platform: Platform | None
    source: str
    index: int


class Image(StoredImage, RuntimeViews):
    """An image read from disk. Use :func:`open_image`; close it (or use
    ``with``) to release the archive. What it holds (blobs, config,
    manifest) is its :class:`~imageinspect.sources.stored.StoredImage` side;
    ``inspect``, ``history``, ``verify`` and the layer content sizes call the
    views of a stored image.

    >>> from pathlib import Path
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     image.manifest is None, image.layers.ok
    (True, True)
    """

    @property
    def platform(self) -> Platform:
        """The platform the image's config names.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.platform
        <Platform('linux/amd64')>
        """
        return self.config_document.value.platform

    def _runtime(self) -> ContainerConfig | None:
        """Where :class:`RuntimeViews` finds ``env`` and ``ports``.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.env[0], image.env_map["SPACED"], image.exposed_ports[:2], image.ports[:1]
        ('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'a  b   c', ('53/udp', '6000/udp'), (('53', 'udp'),))
        """
        return self.config_document.value.config

    @property
    def labels(self) -> FrozenMap[str, str]:
        """``Config.Labels`` (empty when unset).

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     sorted(image.labels)[:1]
        ['org.example.empty']
        """
        runtime = self.config_document.value.config
        return FrozenMap() if runtime is None or runtime.labels is None else runtime.labels

    def layer_content_size(self, index: int, *, symlinks: bool = True) -> int:
        """What layer ``index``'s files take, as Docker counts it (see
        :mod:`imageinspect.sources.views.layersize`); ``symlinks=False`` is vfs's
        rule. Each layer is read once per rule and the answer remembered.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.layer_content_size(0) > 0
        True
        """
        return remembered_content_size(self, index, symlinks=symlinks)

    def history(self, storage_driver: str = "overlay2") -> list[HistoryEntry]:
        """``docker history`` rows, newest first: the top row carries the image
        ID, older ones ``<missing>``; empty layers have size 0; a layer's size
        is its content size by ``storage_driver``'s rule (see ``inspect``);
        see :func:`imageinspect.sources.views.history.image_history`.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     rows = image.history()
        >>> rows[0].id == image.id, rows[-1].id
        (True, '<missing>')
        """
        return image_history(self, storage_driver)

    @overload
    def inspect(
        self,
        format: None = None,
        *,
        storage_driver: str | None = None,
        graph_driver: GraphDriver | None = None,
        last_tag_time: Timestamp | None = None,
        repo_digests: tuple[str, ...] | None = None,
        daemon_version: str = "",
        name: str | None = None,
        parent: str = "",
    ) -> ImageInspect: ...
    @overload
    def inspect(
        self,
        format: Format,
        *,
        storage_driver: str | None = None,
        graph_driver: GraphDriver | None = None,
        last_tag_time: Timestamp | None = None,
        repo_digests: tuple[str, ...] | None = None,
        daemon_version: str = "",
        name: str | None = None,
        parent: str = "",
    ) -> ImageInspect | PodmanImageInspect: ...
    def inspect(
        self,
        format: Format | None = None,
        *,
        storage_driver: str | None = None,
        graph_driver: GraphDriver | None = None,
        last_tag_time: Timestamp | None = None,
        repo_digests: tuple[str, ...] | None = None,
        daemon_version: str = "",
        name: str | None = None,
        parent: str = "",
    ) -> ImageInspect | PodmanImageInspect:
        """What ``docker image inspect`` (or, with ``Format.podman(...)``,
        ``podman image inspect``) shows after loading this image; without a
        format, what a fresh install of the newest observed Docker shows
        (``Format.docker()``: 29.7 with the containerd store, whose image ID
        is the manifest's digest). The
        keywords are what only the host knows: ``storage_driver`` (Docker's
        ``overlay2`` or ``vfs``, podman's ``overlay``), ``graph_driver``
        (its paths), ``last_tag_time`` (the load time), ``repo_digests``
        (graphdriver store: after a pull or push), ``daemon_version`` (Docker
        26's containerd store prints it), ``name`` (the name the request
        used, for the containerd store's ``Descriptor``) and ``parent``
        (podman's, from the other images in its store); see
        :func:`imageinspect.sources.views.docker.inspect_image` and
        :func:`~imageinspect.sources.views.podman.podman_inspect_image`.

        >>> from pathlib import Path
        >>> from imageinspect import Format
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.inspect(Format.docker("28.5")).id == image.id, image.inspect().id[:19]
        (True, 'sha256:608584b7a481')
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.inspect(Format.podman("5.8")).repo_tags
        ('localhost/case/legacy-full:latest',)
        """
        if format is not None and format.kind == "podman":
            return podman_inspect_image(
                self, format, graph_driver=graph_driver, storage_driver=storage_driver or "overlay", parent=parent
            )
        return inspect_image(
            self,
            format,
            storage_driver=storage_driver or "overlay2",
            graph_driver=graph_driver,
            last_tag_time=last_tag_time,
            repo_digests=repo_digests,
            daemon_version=daemon_version,
            name=name,
        )

    def podman_inspect(
        self, *, graph_driver: GraphDriver | None = None, storage_driver: str = "overlay", parent: str = ""
    ) -> PodmanImageInspect:
        """``inspect(Format.podman(), ...)``, kept for code written against
        0.1.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.podman_inspect().repo_tags
        ('localhost/case/legacy-full:latest',)
        """
        return podman_inspect_image(self, None, graph_driver=graph_driver, storage_driver=storage_driver, parent=parent)

    def verify(self, progress: Callable[[int, int], object] | None = None) -> VerifyReport:
        """Stream every blob once and check digests, sizes and diff IDs; see
        :func:`imageinspect.sources.verify.verify_image`.

        >>> from pathlib import Path
        >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
        ...     image.verify().ok
        True
        """
        return verify_image(self, progress)

    def close(self) -> None:
        """Release the archive.

        >>> from pathlib import Path
        >>> image = open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar"))
        >>> image.close()
        """
        self._tree.close()

    def __enter__(self) -> Image:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _choose(entries: list[Entry], ref: str | None, platform: Platform | str | None, where: str) -> Entry:
    candidates = entries if ref is None else _by_ref(entries, ref, where)
    if len(candidates) == 1:
        return candidates[0]
    with_platform = [e for e in candidates if e.platform is not None]
    if with_platform and len({e.config_digest for e in candidates}) > 1:
        target = Platform.parse(platform) if isinstance(platform, str) else platform or DEFAULT_PLATFORM
        matcher = PlatformMatcher(target)
        best = matcher.best([e.platform for e in with_platform if e.platform is not None])
        if best is not None:
            return next(e for e in with_platform if e.platform == best)
        offered = ", ".join(sorted({str(e.platform) for e in with_platform}))
        raise ArchiveError(f"no image for platform {target} in the archive (it has: {offered})", where)
    if not candidates:
        raise ArchiveError("the archive holds no image", where)
    if len({e.config_digest for e in candidates}) == 1:
        return candidates[0]
    raise _ambiguous(f"the archive holds {len(candidates)} images", entries, candidates, where)


def _ambiguous(summary: str, entries: list[Entry], candidates: list[Entry], where: str) -> AmbiguousImage:
    """The error for several ``candidates``, with how to ask for each: a tag
    that names only it, or its position."""
    tagged: dict[str, int] = {}
    for entry in candidates:
        for tag in set(entry.refs):
            tagged[tag] = tagged.get(tag, 0) + 1
    choices = tuple(
        next((tag for tag in entry.refs if tagged[tag] == 1), f"@{entries.index(entry)}") for entry in candidates
    )
    return AmbiguousImage(
        f"{summary}: choose one by tag, image ID or @index ({', '.join(choices)})", where, choices, summary
    )


def _by_ref(entries: list[Entry], ref: str, where: str) -> list[Entry]:
    """The entries ``ref`` names (see :func:`positions_named`; an OCI layout's
    short ``ref.name``, skopeo's ``oci:LAYOUT:latest``, counts as a tag)."""
    if ref.startswith("@") and ref[1:].isdigit() and int(ref[1:]) >= len(entries):
        raise ArchiveError(f"no image {ref}: the archive holds {len(entries)} (@0 to @{len(entries) - 1})", where)
    tags = [(*e.refs, *_ref_name(e)) for e in entries]
    by_tag = positions_named(ref, tags, [() for _ in entries])  # a tag may name several platforms
    found = [entries[i] for i in by_tag or positions_named(ref, tags, [_ids(e) for e in entries])]
    one_target = len({e.target.digest if e.target is not None else None for e in found}) == 1
    if not by_tag and len({e.config_digest for e in found}) > 1 and not (one_target and found[0].target is not None):
        # (an index's digest names each of its platforms' images: the
        # platform chooses, as a containerd store's image ID does)
        raise _ambiguous(f"{len(found)} images have IDs that start with {ref!r}", entries, found, where)
    if not found:
        known = sorted({r for e in entries for r in e.refs})
        raise ArchiveError(f"no image {ref!r} in the archive (it has: {', '.join(known) or 'no tags'})", where)
    return found


def positions_named(ref: str, tags: Sequence[Collection[str]], ids: Sequence[Collection[str]]) -> list[int]:
    """Which of several images ``ref`` names, as ``docker`` and ``--ref`` take
    it: ``@N`` (the N-th), else a tag (normalised: ``app`` is
    ``docker.io/library/app:latest``), else a full image ID, else a prefix of
    one (at least 4 hex digits, ``sha256:`` optional). ``tags[i]`` and
    ``ids[i]`` are image ``i``'s; IDs are written ``sha256:<hex>``.

    >>> tags, ids = [("app:1",), ("app:2",)], [{"sha256:ab12cd"}, {"sha256:ab34ef"}]
    >>> positions_named("@1", tags, ids), positions_named("app:2", tags, ids), positions_named("ab34", tags, ids)
    ([1], [1], [1])
    >>> positions_named("ab", tags, ids), positions_named("sha256:ab", tags, ids), positions_named("ab1", tags, ids)
    ([], [], [])
    """
    if ref.startswith("@") and ref[1:].isdigit():
        return [int(ref[1:])] if int(ref[1:]) < len(tags) else []
    wanted = normalized_reference(ref)
    found = [i for i, names in enumerate(tags) if ref in names or wanted in {normalized_reference(n) for n in names}]
    if found or not _SHORT_ID.fullmatch(ref):
        return found
    full = ref if ref.startswith("sha256:") else f"sha256:{ref}"
    exact = [i for i, known in enumerate(ids) if full in known]
    return exact or [i for i, known in enumerate(ids) if any(k.startswith(full) for k in known)]


def _ref_name(entry: Entry) -> tuple[str, ...]:
    name = None if entry.target is None else entry.target.annotation(_REF_NAME)
    return () if name is None else (name,)


_REF_NAME = "org.opencontainers.image.ref.name"

#: A short image ID as ``docker`` takes it: hex digits (at least 4 here, so that
#: a short tag-like word is not read as an ID), ``sha256:`` optional.
_SHORT_ID = re.compile(r"(?:sha256:)?[0-9a-f]{4,64}")


def _ids(entry: Entry) -> set[str]:
    found = {str(entry.config_digest)}
    if entry.manifest is not None:
        found.add(str(entry.manifest.digest))
    if entry.target is not None:
        found.add(str(entry.target.digest))
    return found


def list_images(path: str | os.PathLike[str], *, limits: Limits | None = None) -> list[ImageSummary]:
    """The images an archive or layout holds.

    >>> from pathlib import Path
    >>> [s.refs for s in list_images(Path("tests/data/golden/inspect/legacy-multi-tag/docker-save.tar"))][0][:2]
    ('case/legacy-multi-tag:latest', 'case/legacy-multi-tag:v1')
    """
    with open_tree(path, limits) as tree:
        return [
            ImageSummary(e.refs, e.config_digest, e.platform or _config_platform(tree, e), e.source, i)
            for i, e in enumerate(discover(tree))
        ]


def _config_platform(tree: Tree, entry: Entry) -> Platform | None:
    """The platform an image's config names (a ``docker save`` entry has no
    descriptor that says); ``None`` when the config names none."""
    try:
        raw = entry.config_bytes if entry.config_bytes is not None else tree.read(entry.config_name)
        platform = parse_config(raw).value.platform
    except ImageInspectError:  # listed all the same; opening this image reports the problem
        return None
    return platform if platform.os or platform.architecture else None


def open_image(
    path: str | os.PathLike[str],
    ref: str | None = None,
    platform: Platform | str | None = None,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Image:
    """Open one image of a ``docker save`` tarball (any era, also gzip/xz/zstd
    compressed), an OCI image layout directory or tar, or a skopeo ``dir:``
    layout. ``ref`` chooses among several images: a tag, an image ID (config,
    manifest or index digest) or a unique prefix of one as ``docker`` takes
    short IDs, or ``@N`` for the N-th image :func:`list_images` shows; with
    several and no ``ref``, :class:`~imageinspect.errors.AmbiguousImage` lists
    the choices. ``platform`` chooses among platforms (default ``linux/amd64``)
    and is checked against an archive's only image: an arm64 archive does not
    open as ``linux/amd64``. Nothing is extracted; only metadata is read until
    layers are asked for. ``progress(phase, done, total)``, if given, hears
    how many bytes of a tar archive have been decompressed or read.

    >>> from pathlib import Path
    >>> with open_image(Path("tests/data/golden/inspect/legacy-multi-tag/docker-save.tar"), ref="app:explicit") as image:
    ...     image.repo_tags[:2]
    ('127.0.0.1:5000/case/app:1', 'case/legacy-multi-tag:latest')
    >>> open_image(Path("tests/data/golden/inspect/arm64/docker-save.tar"), platform="linux/amd64")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: docker-save.tar: no image for platform linux/amd64 in the archive (its image is linux/arm64)
    """
    tree = open_tree(path, limits, progress)
    try:
        entries = discover(tree)
        if platform is not None and len(entries) > 1:  # a docker save names no platforms: its configs do
            entries = [e if e.platform else attrs.evolve(e, platform=_config_platform(tree, e)) for e in entries]
        try:
            entry = _choose(entries, ref, platform, tree.where())
        except ArchiveError:
            image = _by_containerd_id(tree, entries, ref) or _by_legacy_id(tree, ref)
            if image is None:
                raise
            return image
        image = _open_entry(tree, entry)
        if platform is not None:
            _check_platform(image, platform, ref)
        return image
    except BaseException:
        tree.close()
        raise


def _check_platform(image: Image, platform: Platform | str, ref: str | None) -> None:
    """Refuse an image whose own platform ``platform`` cannot run: an archive
    with one platform does not silently stand in for another, nor does the
    image ``ref`` chose."""
    own = image.image_config.platform
    if not (own.os or own.architecture):
        return
    if not PlatformMatcher(platform).match(own):
        which = "its image" if ref is None else f"image {ref}"
        raise ArchiveError(f"no image for platform {platform} in the archive ({which} is {own})", image.tree.where())


def _by_containerd_id(tree: Tree, entries: list[Entry], ref: str | None) -> Image | None:
    """The image whose containerd-store ID (the manifest containerd's importer
    writes for an archive without one) is ``ref``: computed only when no tag,
    config or manifest digest matched."""
    if ref is None or not ref.startswith("sha256:"):
        return None
    for entry in entries:
        if entry.manifest is not None:
            continue
        image = _open_entry(tree, entry)
        if str(containerd_target(image)[0].digest) == ref:
            return image
    return None


def _by_legacy_id(tree: Tree, ref: str | None) -> Image | None:
    """A pre-1.10 image by the ID Docker 23.0/24.0 give it (their history
    type makes another config; see :mod:`imageinspect.sources.formats.legacy`)."""
    if ref is None or not is_legacy(tree):
        return None
    for entry in legacy_entries(tree, history="docker"):
        if str(entry.config_digest) == ref or str(entry.config_digest).removeprefix("sha256:") == ref:
            return _open_entry(tree, entry)
    return None


def _open_entry(tree: Tree, entry: Entry) -> Image:
    """The image ``entry`` describes, its config read and checked."""
    raw = entry.config_bytes if entry.config_bytes is not None else tree.read(entry.config_name)
    try:
        config = parse_config(raw)
    except ImageInspectError as err:
        raise type(err)(err.message, f"{tree.where(entry.config_name)}{err.location}") from None
    if entry.config_digest is not None and config.digest != entry.config_digest:
        raise DigestMismatch(
            f"config is named {entry.config_digest} but its bytes hash to {config.digest}",
            tree.where(entry.config_name),
        )
    if entry.manifest is not None and entry.manifest.value.config.size != config.size:
        raise DigestMismatch(
            f"manifest says the config has {entry.manifest.value.config.size} bytes, it has {config.size}",
            tree.where(entry.config_name),
        )
    descriptors = () if entry.manifest is None else (entry.manifest.value.layers or ())
    for index, name in enumerate(entry.layer_names):
        optional = index < len(descriptors) and descriptors[index].is_non_distributable
        if not optional and not tree.exists(name):
            tree.read(name)  # raises the precise error: missing, link outside, ...
    return Image(tree, entry, config)
