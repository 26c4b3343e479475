"""A stored image: what the views of one image read of it -- its blobs and
their sizes, its config document, its manifest and the :class:`Entry` that
found it, and a per-image memo (:func:`remembered`) -- and nothing they compute.

The views (:mod:`~imageinspect.sources.views.docker`,
:mod:`~imageinspect.sources.views.containerd`, :mod:`~imageinspect.sources.views.layersize`,
:mod:`~imageinspect.sources.views.loadable`, :mod:`~imageinspect.sources.verify`,
:mod:`~imageinspect.sources.views.history`) are functions of a :class:`StoredImage`;
:class:`~imageinspect.sources.image.Image`, what
:func:`~imageinspect.sources.image.open_image` returns, is one, with
shortcuts that call them.

>>> from imageinspect import examples
>>> from imageinspect.sources.image import open_image
>>> with open_image(examples.path("hello.tar")) as image:
...     isinstance(image, StoredImage), image.layer_names[0].endswith("/layer.tar")
(True, True)
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import IO, TypeVar, cast

from imageinspect.errors import ArchiveError, ImageInspectError
from imageinspect.model.config import ImageConfig
from imageinspect.model.document import Document
from imageinspect.model.layers import LayerChain
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.formats.catalog import Catalog
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.compression import bounded_decompressor, stream_compression
from imageinspect.sources.storage.tree import Tree
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform
from imageinspect.values.reference import sort_repo_tags

__all__ = ["DEFAULT_PLATFORM", "StoredImage", "remembered"]

#: The platform chosen when an archive holds several and none is asked for
#: (a pure library has no host to ask).
DEFAULT_PLATFORM = Platform("linux", "amd64")

_T = TypeVar("_T")


class StoredImage:
    """One image as stored in a tree: where its config and layers are (its
    :class:`Entry`), its config document (read and checked by whoever makes
    it) and its blobs.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     image.manifest is None, image.layers.ok
    (True, True)
    """

    def __init__(self, tree: Tree, entry: Entry, config: Document[ImageConfig], catalog: Catalog | None = None) -> None:
        self._tree = tree
        self._catalog = catalog
        self.entry = entry
        #: The image configuration document, with its exact bytes; its digest
        #: is the image ID of the graphdriver store.
        self.config_document = config
        #: The manifest the archive holds (OCI layouts, Docker 25+ saves,
        #: containerd exports), or ``None`` for a legacy ``docker save``.
        self.manifest: Document[ImageManifest] | None = entry.manifest
        #: The index the manifest was found through, if any.
        self.index: Document[ImageIndex] | None = entry.index
        #: Layers lined up with the config and history.
        self.layers = LayerChain.build(config.value, None if entry.manifest is None else entry.manifest.value)
        # key -> (True, value) or (False, the error computing it gave): each
        # blob is streamed once, however many views ask for what it holds.
        self._memo: dict[Hashable, tuple[bool, object]] = {}
        self._uncompressed: dict[str, int] = {}

    @property
    def catalog(self) -> Catalog:
        """The images of the tree this one was found in (made on first use
        when the image was made without it).

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     len(image.catalog.entries)
        1
        """
        if self._catalog is None:
            self._catalog = Catalog(self._tree)
        return self._catalog

    @property
    def repo_tags(self) -> tuple[str, ...]:
        """Tags in familiar form, sorted by their fully-qualified name.

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.repo_tags
        ('case/legacy-full:latest',)
        """
        return sort_repo_tags(self.entry.refs)

    @property
    def id(self) -> Digest:
        """The image ID Docker's graphdriver store uses (the config digest).

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.id == image.config_document.digest
        True
        """
        return self.config_document.digest

    @property
    def image_config(self) -> ImageConfig:
        """The image configuration (``config_document.value``): platform,
        history, rootfs and the runtime ``config``.

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.image_config.os, image.image_config.config.user
        ('linux', '1000:1000')
        """
        return self.config_document.value

    @property
    def layer_names(self) -> tuple[str, ...]:
        """The archive members holding the layers, bottom first.

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.layer_names[0].endswith("/layer.tar")
        True
        """
        return self.entry.layer_names

    @property
    def tree(self) -> Tree:
        """Where the image lives (a tar index or a directory).

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.tree.where("manifest.json")
        'hello.tar!manifest.json'
        """
        return self._tree

    def open_layer(self, index: int) -> IO[bytes]:
        """A stream of layer ``index``'s blob as stored (maybe compressed).

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image, image.open_layer(0) as layer:
        ...     len(layer.read(512))
        512
        """
        return self._tree.open(self.entry.layer_names[index])

    def layer_size(self, index: int) -> int:
        """The stored size of layer ``index``'s blob.

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.layer_size(0) % 512
        0
        """
        return self._tree.size(self.entry.layer_names[index])

    def layer_uncompressed_size(self, index: int) -> int:
        """The bytes of layer ``index``'s tar once decompressed (the blob's
        size when stored uncompressed); read once and remembered.

        >>> from pathlib import Path
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(Path("tests/data/golden/layouts/arm64/skopeo-oci")) as image:
        ...     image.layer_size(0) < image.layer_uncompressed_size(0)
        True
        """
        name = self.entry.layer_names[index]
        if name in self._uncompressed:
            return self._uncompressed[name]
        where = self._tree.where(name)
        total = 0
        with self.open_layer(index) as raw:
            kind = stream_compression(raw)
            if kind is None:
                total = self.layer_size(index)
            else:
                with bounded_decompressor(kind, raw, self._tree.limits, where) as stream:
                    try:
                        while chunk := stream.read(1 << 20):
                            total += len(chunk)
                    except (OSError, EOFError, ValueError) as err:
                        raise ArchiveError(f"corrupt {kind} layer ({err})", where) from None
        self._uncompressed[name] = total
        return total

    def layer_member_size(self, index: int) -> int:
        """The size the archive's own entry for layer ``index`` records: 0
        for a symbolic link (``docker save`` links a layer shared with an
        earlier image), else the blob's size.

        >>> from imageinspect import examples
        >>> from imageinspect.sources.image import open_image
        >>> with open_image(examples.path("hello.tar")) as image:
        ...     image.layer_member_size(0) == image.layer_size(0)
        True
        """
        name = self.entry.layer_names[index]
        member_kind = getattr(self._tree, "member_kind", None)
        if member_kind is not None and member_kind(name) in ("symlink", "hardlink"):
            return 0
        return self.layer_size(index)


def remembered(image: StoredImage, key: Hashable, compute: Callable[[], _T]) -> _T:
    """What ``compute()`` gives, computed once for ``image`` and ``key`` (the
    image's memo: a view that streams a blob asks here first); an
    :class:`~imageinspect.errors.ImageInspectError` it raises is remembered
    too, and raised again.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     remembered(image, "answer", lambda: 42), remembered(image, "answer", lambda: 0)
    (42, 42)
    """
    memo = image._memo
    if key not in memo:
        try:
            memo[key] = (True, compute())
        except ImageInspectError as err:
            memo[key] = (False, err)
    ok, found = memo[key]
    if not ok:
        raise cast(ImageInspectError, found)
    return cast(_T, found)
