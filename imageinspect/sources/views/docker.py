"""What ``docker image inspect`` (and podman) show after loading an archive.

Values come from the image's config, the archive's ``manifest.json`` and the
layer tars, the way the daemon fills them (inspect-shape.md §2.6). Fields only
the host knows -- ``GraphDriver`` (storage paths), ``Metadata.LastTagTime``
(load time), ``RepoDigests`` (only after a pull or push) -- are arguments with
the defaults a fresh ``docker load`` gives.
"""

from __future__ import annotations

from typing import Any

from imageinspect.codec.formats import Format, profile_of
from imageinspect.model.inspect import GraphDriver, ImageInspect, InspectRootFS, Metadata
from imageinspect.sources.stored import StoredImage
from imageinspect.sources.views.containerd import containerd_target, descriptor_for
from imageinspect.sources.views.containerd import names as containerd_names
from imageinspect.sources.views.layersize import remembered_content_size
from imageinspect.sources.views.loadable import check_loadable
from imageinspect.sources.views.loaded import check_names, plain
from imageinspect.values.timestamp import Timestamp

__all__ = ["inspect_image"]


def inspect_image(
    image: StoredImage,
    format: Format | None = None,
    *,
    storage_driver: str = "overlay2",
    graph_driver: GraphDriver | None = None,
    last_tag_time: Timestamp | None = None,
    repo_digests: tuple[str, ...] | None = None,
    daemon_version: str = "",
    name: str | None = None,
) -> ImageInspect:
    """The ``ImageInspect`` Docker shows after ``docker load`` of ``image``.

    ``storage_driver`` decides the ``Size`` rule (``"overlay2"`` counts
    symbolic links, ``"vfs"`` does not) and the default ``GraphDriver``
    (``{"Data": null, "Name": storage_driver}``; overlay2's real ``Data`` holds
    host paths, pass it as ``graph_driver``). ``last_tag_time`` defaults to the
    zero time a loaded image has.

    With a containerd-store format (``Format.docker(..., store="containerd")``)
    the image is named by its target manifest (see
    :mod:`imageinspect.sources.views.containerd`), ``Size`` counts the blobs as
    stored, ``RepoDigests`` pair each repository with that digest, and
    ``Descriptor`` is annotated with ``name`` (the name the inspect request
    used; default the first tag). Docker 24-27's containerd store prints the
    daemon's own version as ``DockerVersion``: the format's version as given
    (``Format.docker("26.1.5+dfsg1", store="containerd")``), or
    ``daemon_version`` when passed.

    >>> from pathlib import Path
    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> graphdriver = Format.docker("28.5")
    >>> with open_image(Path("tests/data/golden/inspect/legacy-multi-layer/docker-save.tar")) as image:
    ...     overlay2, vfs = image.inspect(graphdriver).size, image.inspect(graphdriver, storage_driver="vfs").size
    >>> overlay2 - vfs  # the symlinks' target lengths
    13
    >>> with open_image(examples.path("hello.tar")) as image:
    ...     loaded = image.inspect(Format.docker("28.5", store="containerd"))
    >>> loaded.id[:19], loaded.size, loaded.repo_digests[0][:36]
    ('sha256:608584b7a481', 12735, 'case/legacy-full@sha256:608584b7a481')
    """
    fmt = format or Format.docker()
    check_names(image)
    check_loadable(image, fmt, name=name)
    if profile_of(fmt).has("legacy-moby-history"):
        image = _as_loaded_before_25(image)
    if fmt.store == "containerd":
        return _containerd_inspect(image, fmt, graph_driver, last_tag_time, repo_digests, daemon_version, name)
    config = image.image_config
    comment = config.comment
    if not comment:
        for entry in reversed(config.history or ()):
            comment = entry.comment
            break
    symlinks = storage_driver != "vfs"
    size = sum(remembered_content_size(image, i, symlinks=symlinks) for i in range(len(image.layer_names)))
    return ImageInspect(
        id=str(image.id),
        repo_tags=image.repo_tags,
        repo_digests=repo_digests or (),
        parent=image.entry.parent,
        comment=comment,
        docker_version=config.docker_version,
        size=size,
        virtual_size=size,
        graph_driver=graph_driver or GraphDriver(name=storage_driver, data=None),
        metadata=Metadata(last_tag_time=last_tag_time or Timestamp.zero()),
        **_from_config(image),
    )


def _as_loaded_before_25(image: StoredImage) -> StoredImage:
    """The image as Docker 23.0/24.0 load it: a pre-1.10 image's config made
    with moby's own history type (another ID); any other image as it is."""
    from imageinspect.codec.documents import parse_config

    before = image.entry.before_25
    if before is None or before.config_bytes is None:
        return image
    return StoredImage(image.tree, before, parse_config(before.config_bytes))


def _from_config(image: StoredImage) -> dict[str, Any]:
    """What both stores show of the image config as it is (the runtime
    configs as the daemon re-encodes them: :func:`plain`)."""
    config = image.image_config
    return {
        "created": config.created,
        "container": config.container,
        "container_config": None if config.container_config is None else plain(config.container_config),
        "author": config.author,
        "config": None if config.config is None else plain(config.config),
        "architecture": config.architecture,
        "variant": config.variant,
        "os": config.os,
        "os_version": config.os_version,
        "root_fs": _root_fs(image),
    }


def _root_fs(image: StoredImage) -> InspectRootFS:
    config = image.image_config
    return InspectRootFS(
        type="" if config.rootfs is None else config.rootfs.type,
        layers=tuple(config.diff_ids) if config.diff_ids else None,
    )


def _containerd_inspect(
    image: StoredImage,
    fmt: Format,
    graph_driver: GraphDriver | None,
    last_tag_time: Timestamp | None,
    repo_digests: tuple[str, ...] | None,
    daemon_version: str,
    name: str | None,
) -> ImageInspect:
    config = image.image_config
    target, size = containerd_target(image)
    history = config.history or ()
    profile = profile_of(fmt)
    tags, digests = containerd_names(
        image,
        target,
        malformed_tags=profile.has("containerd-ref-name-tags"),
        per_tag=profile.has("repo-digest-per-tag"),
    )
    if image.entry.absent_target is not None and target.digest == image.entry.absent_target.digest:
        # the record of a manifest the archive lacks: no config, no layers;
        # Size is the descriptor's (observed on 28.2-29.7)
        return ImageInspect(
            id=str(target.digest),
            repo_tags=tags,
            repo_digests=digests if repo_digests is None else repo_digests,
            size=size,
            virtual_size=size,
            graph_driver=graph_driver or GraphDriver(name="overlayfs", data=None),
            root_fs=InspectRootFS(type=""),
            metadata=Metadata(last_tag_time=last_tag_time or Timestamp.zero()),
            descriptor=descriptor_for(image, target, name),
        )
    return ImageInspect(
        id=str(target.digest),
        repo_tags=tags,
        repo_digests=digests if repo_digests is None else repo_digests,
        parent="",
        comment=history[-1].comment if history else "",
        docker_version=daemon_version or (fmt.version or "" if profile.has("daemon-docker-version") else ""),
        size=size,
        virtual_size=size,
        graph_driver=graph_driver or GraphDriver(name="overlayfs", data=None),
        metadata=Metadata(last_tag_time=last_tag_time or Timestamp.zero()),
        descriptor=descriptor_for(image, target, name),
        **_from_config(image),
    )
