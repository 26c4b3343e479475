"""``open_image``: an image on disk -- a ``docker save`` tarball of any era, an
OCI image layout (directory or tar), compressed or not -- as typed documents.

>>> from imageinspect import examples
>>> with open_image(examples.path("hello.tar")) as image:
...     image.repo_tags, len(image.layers), image.image_config.os
(('case/legacy-full:latest',), 2, 'linux')
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal, TypedDict, overload

import attrs
from typing_extensions import Unpack, deprecated

from imageinspect.codec.formats import Format
from imageinspect.errors import ArchiveError
from imageinspect.model.config import ContainerConfig, RuntimeViews
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import GraphDriver, ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.formats import Entry
from imageinspect.sources.formats.catalog import Catalog
from imageinspect.sources.select import choose, positions_named
from imageinspect.sources.storage.limits import Limits
from imageinspect.sources.storage.tarindex import Progress
from imageinspect.sources.storage.tree import Source, open_tree
from imageinspect.sources.stored import StoredImage
from imageinspect.sources.verify import VerifyReport, verify_image
from imageinspect.sources.views.compat import CompatRow, compat
from imageinspect.sources.views.containerd import containerd_target
from imageinspect.sources.views.docker import inspect_image
from imageinspect.sources.views.history import HistoryEntry, image_history
from imageinspect.sources.views.layersize import remembered_content_size
from imageinspect.sources.views.podman import podman_inspect_image
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform, PlatformMatcher
from imageinspect.values.reference import sort_repo_tags
from imageinspect.values.timestamp import Timestamp

__all__ = ["HistoryEntry", "Image", "ImageSummary", "list_images", "open_image", "positions_named", "sort_repo_tags"]


class HostFacts(TypedDict, total=False):
    """What only the host knows, as :meth:`Image.inspect` takes it (each
    keyword is described there)."""

    storage_driver: str | None
    graph_driver: GraphDriver | None
    last_tag_time: Timestamp | None
    repo_digests: tuple[str, ...] | None
    daemon_version: str
    name: str | None
    parent: str


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

    >>> from imageinspect import examples
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     image.manifest is None, image.layers.ok
    (True, True)
    """

    @property
    def platform(self) -> Platform:
        """The platform the image's config names.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.platform
        <Platform('linux/amd64')>
        """
        return self.config_document.value.platform

    def _runtime(self) -> ContainerConfig | None:
        """Where :class:`RuntimeViews` finds ``env`` and ``ports``.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.env[0], image.env_map["SPACED"], image.exposed_ports[:2], image.ports[:1]
        ('PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', 'a  b   c', ('53/udp', '6000/udp'), (('53', 'udp'),))
        """
        return self.config_document.value.config

    @property
    def labels(self) -> FrozenMap[str, str]:
        """``Config.Labels`` (empty when unset).

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     sorted(image.labels)[:1]
        ['org.example.empty']
        """
        runtime = self.config_document.value.config
        return FrozenMap() if runtime is None or runtime.labels is None else runtime.labels

    def layer_content_size(self, index: int, *, symlinks: bool = True) -> int:
        """What layer ``index``'s files take, as Docker counts it (see
        :mod:`imageinspect.sources.views.layersize`); ``symlinks=False`` is vfs's
        rule. Each layer is read once per rule and the answer remembered.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.layer_content_size(0) > 0
        True
        """
        return remembered_content_size(self, index, symlinks=symlinks)

    def history(self, storage_driver: str = "overlay2") -> list[HistoryEntry]:
        """``docker history`` rows, newest first: the top row carries the image
        ID, older ones ``<missing>``; empty layers have size 0; a layer's size
        is its content size by ``storage_driver``'s rule (see ``inspect``);
        see :func:`imageinspect.sources.views.history.image_history`.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     rows = image.history()
        >>> rows[0].id == image.id, rows[-1].id
        (True, '<missing>')
        """
        return image_history(self, storage_driver)

    @overload
    def inspect(self, format: Format[Literal["podman"]], **host: Unpack[HostFacts]) -> PodmanImageInspect: ...
    @overload
    def inspect(self, format: Format[Literal["docker"]] | None = None, **host: Unpack[HostFacts]) -> ImageInspect: ...
    @overload
    def inspect(self, format: Format, **host: Unpack[HostFacts]) -> ImageInspect | PodmanImageInspect: ...
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

        >>> from imageinspect import examples
        >>> from imageinspect import Format
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.inspect(Format.docker("28.5")).id == image.id, image.inspect().id[:19]
        (True, 'sha256:608584b7a481')
        >>> with open_image(examples.path("hello.tar")) as image:
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

    @deprecated("use inspect(Format.podman(...)), typed PodmanImageInspect")
    def podman_inspect(
        self, *, graph_driver: GraphDriver | None = None, storage_driver: str = "overlay", parent: str = ""
    ) -> PodmanImageInspect:
        """Deprecated: ``inspect(Format.podman(), ...)`` says the same, typed
        :class:`~imageinspect.PodmanImageInspect` (editors flag this name;
        calling it warns).

        >>> import warnings
        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image, warnings.catch_warnings(record=True) as caught:
        ...     warnings.simplefilter("always")
        ...     tags = image.podman_inspect().repo_tags
        >>> tags, caught[0].category.__name__
        (('localhost/case/legacy-full:latest',), 'DeprecationWarning')
        """
        return podman_inspect_image(self, None, graph_driver=graph_driver, storage_driver=storage_driver, parent=parent)

    def compat(
        self, formats: Iterable[Format] | None = None, *, storage_driver: str = "overlay2"
    ) -> tuple[CompatRow, ...]:
        """Which daemons load this image's archive, and what each shows: a
        row per Docker release and store and podman release observed
        (``formats``: others, e.g. ``daemon_formats(every_line=True)``); see
        :func:`imageinspect.sources.views.compat.compat`.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     rows = image.compat()
        >>> all(r.loads for r in rows), sorted({(r.daemon, r.store, r.image_id[:19]) for r in rows})
        (True, [('docker', 'containerd', 'sha256:608584b7a481'), ('docker', 'graphdriver', 'sha256:f02662cacf61'), ('podman', 'containers-storage', 'f02662cacf61607f17a')])
        """
        return compat(self, formats, storage_driver=storage_driver)

    def verify(self, progress: Callable[[int, int], object] | None = None) -> VerifyReport:
        """Stream every blob once and check digests, sizes and diff IDs; see
        :func:`imageinspect.sources.verify.verify_image`.

        >>> from imageinspect import examples
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.verify().ok
        True
        """
        return verify_image(self, progress)

    def close(self) -> None:
        """Release the archive.

        >>> from imageinspect import examples
        >>> image = open_image(examples.path("hello.tar"))
        >>> image.close()
        """
        self._tree.close()

    def __enter__(self) -> Image:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def list_images(path: Source, *, limits: Limits | None = None) -> list[ImageSummary]:
    """The images an archive or layout holds (``path`` may also be the
    archive's bytes or a binary file object, as for :func:`open_image`).

    >>> from imageinspect import examples
    >>> [(s.refs, str(s.platform)) for s in list_images(examples.path("hello.tar"))]
    [(('case/legacy-full:latest',), 'linux/amd64')]
    """
    with open_tree(path, limits) as tree:
        catalog = Catalog(tree)
        return [
            ImageSummary(e.refs, e.config_digest, catalog.platform(e), e.source, i)
            for i, e in enumerate(catalog.entries)
        ]


def open_image(
    path: Source,
    ref: str | None = None,
    platform: Platform | str | None = None,
    *,
    limits: Limits | None = None,
    progress: Progress | None = None,
) -> Image:
    """Open one image of a ``docker save`` tarball (any era, also gzip/xz/zstd
    compressed), an OCI image layout directory or tar, or a skopeo ``dir:``
    layout: a path, or an archive's bytes, or a binary file object holding
    one (a service reading an upload needs no temporary file of its own: a
    file object that can seek is read in place and left open -- its position
    moves; one that cannot is copied once into an anonymous temporary file;
    locations then name ``<bytes>``, the file's name or ``<stream>``). ``ref`` chooses among several images: a tag, an image ID (config,
    manifest or index digest) or a unique prefix of one as ``docker`` takes
    short IDs, or ``@N`` for the N-th image :func:`list_images` shows; with
    several and no ``ref``, :class:`~imageinspect.errors.AmbiguousImage` lists
    the choices. ``platform`` chooses among platforms (default ``linux/amd64``)
    and is checked against an archive's only image: an arm64 archive does not
    open as ``linux/amd64``. Nothing is extracted; only metadata is read until
    layers are asked for. ``progress(phase, done, total)``, if given, hears
    how many bytes of a tar archive have been decompressed or read.

    >>> from imageinspect import examples
    >>> with open_image(examples.path("hello.tar"), ref="case/legacy-full") as image:
    ...     image.repo_tags, image.image_config.os
    (('case/legacy-full:latest',), 'linux')
    >>> with open_image(examples.read("hello.tar")) as image:  # bytes, e.g. an upload
    ...     image.repo_tags, image.tree.where("manifest.json")
    (('case/legacy-full:latest',), '<bytes>!manifest.json')
    >>> open_image(examples.path("hello.tar"), platform="linux/arm64")
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: hello.tar: no image for platform linux/arm64 in the archive (its image is linux/amd64)
    """
    tree = open_tree(path, limits, progress)
    try:
        catalog = Catalog(tree)
        entries = catalog.entries
        if platform is not None and len(entries) > 1:  # a docker save names no platforms: its configs do
            entries = [e if e.platform else attrs.evolve(e, platform=catalog.platform(e)) for e in entries]
        try:
            entry = choose(entries, ref, platform, tree.where())
        except ArchiveError:
            image = _by_containerd_id(catalog, entries, ref) or _by_legacy_id(catalog, entries, ref)
            if image is None:
                raise
            return image
        image = _open_entry(catalog, entry)
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


def _by_containerd_id(catalog: Catalog, entries: list[Entry], ref: str | None) -> Image | None:
    """The image whose containerd-store ID (the manifest containerd's importer
    writes for an archive without one) is ``ref``: computed only when no tag,
    config or manifest digest matched."""
    if ref is None or not ref.startswith("sha256:"):
        return None
    for entry in entries:
        if entry.manifest is not None:
            continue
        image = _open_entry(catalog, entry)
        if str(containerd_target(image)[0].digest) == ref:
            return image
    return None


def _by_legacy_id(catalog: Catalog, entries: list[Entry], ref: str | None) -> Image | None:
    """A pre-1.10 image by the ID Docker 23.0/24.0 give it (their history
    type makes another config; see :mod:`imageinspect.sources.formats.legacy`)."""
    if ref is None:
        return None
    for entry in entries:
        before = entry.before_25
        if before is not None and ref in (str(before.config_digest), str(before.config_digest).removeprefix("sha256:")):
            return _open_entry(catalog, before)
    return None


def _open_entry(catalog: Catalog, entry: Entry) -> Image:
    """The image ``entry`` describes, its config read and checked once, its
    layers there (or foreign)."""
    config = catalog.config(entry)
    tree = catalog.tree
    descriptors = () if entry.manifest is None else (entry.manifest.value.layers or ())
    for index, name in enumerate(entry.layer_names):
        optional = index < len(descriptors) and descriptors[index].is_non_distributable
        if not optional and not tree.exists(name):
            tree.read(name)  # raises the precise error: missing, link outside, ...
    return Image(tree, entry, config, catalog)
