"""What ``docker image inspect`` (and podman) show after loading an archive.

Values come from the image's config, the archive's ``manifest.json`` and the
layer tars, the way the daemon fills them (inspect-shape.md §2.6). Fields only
the host knows -- ``GraphDriver`` (storage paths), ``Metadata.LastTagTime``
(load time), ``RepoDigests`` (only after a pull or push) -- are arguments with
the defaults a fresh ``docker load`` gives.
"""

from __future__ import annotations

from typing import Any

import attrs

from imageinspect.codec.formats import Format, profile_of
from imageinspect.codec.gojson import encode
from imageinspect.codec.write import writer
from imageinspect.errors import ImageInspectError
from imageinspect.model.base import JSONObject
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import GraphDriver, ImageInspect, InspectRootFS, Metadata
from imageinspect.model.manifest import ImageManifest
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values import mediatype as mt
from imageinspect.values.timestamp import Timestamp

from .compression import stream_compression
from .containerd import containerd_target, descriptor_for
from .containerd import names as containerd_names
from .layersize import remembered_content_size
from .loadable import check_loadable
from .stored import DEFAULT_PLATFORM, StoredImage

__all__ = ["inspect_image", "plain", "podman_inspect_image", "synthesized_manifest"]


def plain(obj: Any) -> Any:
    """A model as the daemon re-encodes it: unknown keys dropped, the source
    key order forgotten (recursively), so the format's rules decide the shape.

    >>> from imageinspect.model.config import ContainerConfig
    >>> plain(ContainerConfig(user="u", extra=FrozenMap(x=1))).extra
    FrozenMap({})
    """
    if not isinstance(obj, JSONObject):
        return obj
    changes: dict[str, Any] = {"extra": FrozenMap(), "key_order": None}
    for field in attrs.fields(type(obj)):
        if not field.init or field.name in ("extra", "key_order"):
            continue
        value = getattr(obj, field.name)
        if isinstance(value, JSONObject):
            changes[field.name] = plain(value)
        elif isinstance(value, tuple) and value and isinstance(value[0], JSONObject):
            changes[field.name] = tuple(plain(item) for item in value)
    return attrs.evolve(obj, **changes)


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
    :mod:`imageinspect.sources.containerd`), ``Size`` counts the blobs as
    stored, ``RepoDigests`` pair each repository with that digest, and
    ``Descriptor`` is annotated with ``name`` (the name the inspect request
    used; default the first tag). Docker 24-27's containerd store prints the
    daemon's own version as ``DockerVersion``: the format's version as given
    (``Format.docker("26.1.5+dfsg1", store="containerd")``), or
    ``daemon_version`` when passed.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> graphdriver = Format.docker("28.5")
    >>> with open_image(Path("tests/data/golden/inspect/legacy-multi-layer/docker-save.tar")) as image:
    ...     overlay2, vfs = image.inspect(graphdriver).size, image.inspect(graphdriver, storage_driver="vfs").size
    >>> overlay2 - vfs  # the symlinks' target lengths
    13
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     loaded = image.inspect(Format.docker("28.5", store="containerd"))
    >>> loaded.id[:19], loaded.size, loaded.repo_digests[0][:36]
    ('sha256:608584b7a481', 12735, 'case/legacy-full@sha256:608584b7a481')
    """
    fmt = format or Format.docker()
    _check_names(image)
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
        created=config.created,
        container=config.container,
        container_config=None if config.container_config is None else plain(config.container_config),
        docker_version=config.docker_version,
        author=config.author,
        config=None if config.config is None else plain(config.config),
        architecture=config.architecture,
        variant=config.variant,
        os=config.os,
        os_version=config.os_version,
        size=size,
        virtual_size=size,
        graph_driver=graph_driver or GraphDriver(name=storage_driver, data=None),
        root_fs=_root_fs(image),
        metadata=Metadata(last_tag_time=last_tag_time or Timestamp.zero()),
    )


def _as_loaded_before_25(image: StoredImage) -> StoredImage:
    """A pre-1.10 image as Docker 23.0/24.0 load it: the same v1 image, its
    config made with moby's own history type (another ID)."""
    from imageinspect.codec.documents import parse_config

    from .legacy import is_legacy, legacy_entries

    if not is_legacy(image.tree):
        return image
    for entry in legacy_entries(image.tree, history="docker"):
        if entry.config_name == image.entry.config_name and entry.config_bytes is not None:
            return StoredImage(image.tree, entry, parse_config(entry.config_bytes))
    return image  # pragma: no cover - the same v1 images either way


def _check_names(image: StoredImage) -> None:
    """Docker and podman refuse to load an archive that names an image with
    an invalid reference (moby's loader parses every ``RepoTags`` entry)."""
    from imageinspect.errors import InvalidReference
    from imageinspect.values.reference import Reference

    for position, ref in enumerate(image.entry.refs):
        try:
            Reference.parse(ref)
        except InvalidReference as err:
            where = image.tree.where("manifest.json" if image.entry.source == "docker-archive" else "index.json")
            raise InvalidReference(f"image name {position}: {err.message}", where) from None


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
        created=config.created,
        container=config.container,
        container_config=None if config.container_config is None else plain(config.container_config),
        docker_version=daemon_version or (fmt.version or "" if profile.has("daemon-docker-version") else ""),
        author=config.author,
        config=None if config.config is None else plain(config.config),
        architecture=config.architecture,
        variant=config.variant,
        os=config.os,
        os_version=config.os_version,
        size=size,
        virtual_size=size,
        graph_driver=graph_driver or GraphDriver(name="overlayfs", data=None),
        root_fs=_root_fs(image),
        metadata=Metadata(last_tag_time=last_tag_time or Timestamp.zero()),
        descriptor=descriptor_for(image, target, name),
    )


def synthesized_manifest(image: StoredImage) -> bytes:
    """The Docker schema2 manifest containers/image makes up for a
    ``docker save`` archive (it has none): config and layers by their digests
    and sizes, layers labelled gzip although stored uncompressed, digests =
    diff IDs, ``json.Marshal``-compact. podman's ``Digest`` is its digest.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/inspect/legacy-full/docker-save.tar")) as image:
    ...     synthesized_manifest(image)[:60]
    b'{"schemaVersion":2,"mediaType":"application/vnd.docker.distr'
    """
    layers = tuple(
        Descriptor(mt.DOCKER_LAYER_GZIP, diff_id, _podman_layer_size(image, i))
        for i, diff_id in enumerate(image.image_config.diff_ids)
    )
    manifest = ImageManifest(
        media_type=mt.DOCKER_MANIFEST,
        config=Descriptor(mt.DOCKER_CONFIG, image.config_document.digest, image.config_document.size),
        layers=layers,
    )
    body = dict(writer("docker").write(manifest))  # shared writer output: copied, never mutated
    # containers/image's Schema2Descriptor writes "size" even when it is 0
    # (docker/distribution's omits it): a linked layer.tar has size 0.
    body["layers"] = [
        {"mediaType": item["mediaType"], "size": layer.size, "digest": item["digest"]}
        for item, layer in zip(body["layers"], layers, strict=True)
    ]
    return encode(body, escape_html=True)


def _podman_layer_size(image: StoredImage, index: int) -> int:
    """The layer size containers/image's docker-archive source reports: the
    decompressed size of a compressed blob, else the size its tar entry
    records (0 for a layer.tar that is a link to another image's)."""
    if index >= len(image.layer_names):
        return 0
    with image.open_layer(index) as stream:
        compressed = stream_compression(stream) is not None
    return image.layer_uncompressed_size(index) if compressed else image.layer_member_size(index)


def _podman_name(ref: str) -> str:
    """podman qualifies a short name with ``localhost/`` (not docker.io)."""
    from imageinspect.errors import InvalidReference
    from imageinspect.values.reference import Reference

    try:
        parsed = Reference.parse(ref)
    except InvalidReference:
        return ref
    first = ref.split("/", 1)[0]
    if "/" in ref and ("." in first or ":" in first or first == "localhost"):
        return parsed.familiar() if parsed.domain != "docker.io" else str(parsed)
    return "localhost/" + ref if ":" in ref.rsplit("/", 1)[-1] or "@" in ref else f"localhost/{ref}:latest"


def _podman_reads_oci(image: StoredImage) -> bool:
    """``podman load`` tries an OCI archive first: that works when the tree
    has an ``index.json`` listing exactly one image, for the host's platform
    (linux/amd64 here) when it is an index; otherwise it reads the archive
    as a ``docker save`` (observed: an arm64-only containerd export is read
    through its ``manifest.json``)."""
    if image.entry.target is None or not image.tree.present("index.json"):
        return False
    from imageinspect.codec.documents import parse_index

    try:
        top = parse_index(image.tree.read("index.json", follow_links=False))
    except ImageInspectError:
        return False
    if len(top.value.manifests or ()) != 1:
        return False
    if image.index is None or image.entry.target is None or image.entry.target.digest != image.index.digest:
        return True
    # a nested index: containers/image picks the host's platform from it
    from imageinspect.values.platform import PlatformMatcher

    platforms = [d.platform for d in image.index.value.manifests or () if d.platform is not None]
    return PlatformMatcher(DEFAULT_PLATFORM).best(platforms) is not None


def _podman_names(image: StoredImage, oci: bool) -> tuple[str, ...]:
    """The names ``podman load`` gives. An archive with an ``index.json`` is
    read as an OCI archive (also when it has a ``manifest.json``): the
    entry's ``io.containerd.image.name``, else its ``ref.name`` qualified
    like a short name (a bare ``latest`` becomes ``localhost/latest:latest``).
    A ``docker save`` archive: its ``RepoTags``, qualified. A layout
    directory: none (observed on podman 5.4, 5.8 and 6.1)."""
    from .tree import DirTree

    entry = image.entry
    if isinstance(image.tree, DirTree):
        return ()
    if not oci or entry.target is None:
        return tuple(_podman_name(ref) for ref in entry.refs)
    if entry.index_names:
        if entry.target.annotation("io.containerd.image.name"):
            return tuple(entry.index_names)
        # names from ref.name are qualified like short names (observed on
        # podman 5.4-6.1: edge/x:latest -> localhost/edge/x:latest)
        return tuple(_podman_name(name) for name in entry.index_names)
    ref_name = entry.target.annotation("org.opencontainers.image.ref.name")
    return (_podman_name(ref_name),) if ref_name else ()


def podman_inspect_image(
    image: StoredImage,
    format: Format | None = None,
    *,
    graph_driver: GraphDriver | None = None,
    storage_driver: str = "overlay",
    parent: str = "",
) -> PodmanImageInspect:
    """The ``PodmanImageInspect`` podman shows after ``podman load`` of a
    ``docker save`` archive (podman 4.x): ``Id`` is the config digest's hex,
    ``Digest`` that of :func:`synthesized_manifest` (or the archive's real
    manifest), ``Size`` the layer tars plus the config plus twice the
    manifest, short names qualified with ``localhost/``. ``parent`` is what
    podman computes from the other images in its store (host-only).
    """
    from imageinspect.values.digest import Digest

    from .tree import DirTree

    _check_names(image)
    check_loadable(image, format or Format.podman())
    config = image.image_config
    oci = _podman_reads_oci(image)
    manifest = image.manifest if oci or image.entry.source != "docker-archive" else None
    manifest_bytes = manifest.raw if manifest is not None else synthesized_manifest(image)
    digest = manifest.digest if manifest is not None else Digest.of(manifest_bytes)
    manifest_type = str(manifest.media_type) if manifest is not None else str(mt.DOCKER_MANIFEST)
    layer_bytes = sum(image.layer_uncompressed_size(i) for i in range(len(image.layer_names)))
    size = layer_bytes + image.config_document.size + 2 * len(manifest_bytes)
    nested = (
        manifest is not None
        and image.index is not None
        and image.entry.target is not None
        and image.entry.target.digest == image.index.digest
    )
    if nested and image.index is not None:
        size += image.index.size  # the index is stored too
    # podman records names in archive order (NamesHistory) and lists its
    # RepoTags newest first; RepoDigests are per repository, sorted.
    names = _podman_names(image, oci)
    repositories = {name.rsplit(":", 1)[0] if ":" in name.rsplit("/", 1)[-1] else name for name in names}
    digests = [digest]
    if nested and image.index is not None:
        digests.append(image.index.digest)  # reached through a nested index: both are recorded
        if isinstance(image.tree, DirTree):
            digest = image.index.digest  # observed for a layout directory (one case)
    repo_digests = tuple(sorted(f"{repository}@{d}" for repository in repositories for d in digests))
    inner = None if config.config is None else plain(config.config)
    comment = config.comment
    if manifest is not None and "oci" in manifest_type:
        comment = config.history[0].comment if config.history else ""
    return PodmanImageInspect(
        id=image.id.encoded,
        digest=str(digest),
        repo_tags=tuple(reversed(names)),
        parent=parent,
        repo_digests=repo_digests,
        comment=comment,
        created=config.created,
        config=inner,
        version=config.docker_version,
        author=config.author,
        architecture=config.architecture,
        os=config.os,
        size=size,
        virtual_size=size,
        graph_driver=graph_driver or GraphDriver(name=storage_driver, data=None),
        # diff_ids as the config says: missing is null, empty is [] (observed)
        root_fs=InspectRootFS(
            type="layers", layers=None if config.rootfs is None or config.rootfs.diff_ids is None else config.diff_ids
        ),
        labels=None if inner is None else inner.labels,
        annotations=FrozenMap() if image.manifest is None else (image.manifest.value.annotations or FrozenMap()),
        manifest_type=manifest_type,
        user="" if inner is None else inner.user,
        history=None if config.history is None else tuple(plain(h) for h in config.history),
        names_history=names or None,
        healthcheck=None if inner is None else inner.healthcheck,
    )
