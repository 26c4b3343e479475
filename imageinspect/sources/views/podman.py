"""What ``podman image inspect`` shows after ``podman load`` of an archive."""

from __future__ import annotations

from imageinspect.codec.formats import Format
from imageinspect.codec.gojson import encode
from imageinspect.codec.write import writer
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.inspect import GraphDriver, InspectRootFS
from imageinspect.model.manifest import ImageManifest
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.sources.storage.compression import stream_compression
from imageinspect.sources.stored import DEFAULT_PLATFORM, StoredImage
from imageinspect.sources.views.loadable import check_loadable
from imageinspect.sources.views.loaded import check_names, plain
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME, REF_NAME

__all__ = ["podman_inspect_image", "synthesized_manifest"]


def synthesized_manifest(image: StoredImage) -> bytes:
    """The Docker schema2 manifest containers/image makes up for a
    ``docker save`` archive (it has none): config and layers by their digests
    and sizes, layers labelled gzip although stored uncompressed, digests =
    diff IDs, ``json.Marshal``-compact. podman's ``Digest`` is its digest.

    >>> from imageinspect import examples
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(examples.path("hello.tar")) as image:
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
    top = image.entry.holding.top_index
    if image.entry.target is None or top is None:
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
    from imageinspect.sources.storage.tree import DirTree

    entry = image.entry
    if isinstance(image.tree, DirTree):
        return ()
    if not oci or entry.target is None:
        return tuple(_podman_name(ref) for ref in entry.refs)
    if entry.index_names:
        if entry.target.annotation(CONTAINERD_IMAGE_NAME):
            return tuple(entry.index_names)
        # names from ref.name are qualified like short names (observed on
        # podman 5.4-6.1: edge/x:latest -> localhost/edge/x:latest)
        return tuple(_podman_name(name) for name in entry.index_names)
    ref_name = entry.target.annotation(REF_NAME)
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
    from imageinspect.sources.storage.tree import DirTree
    from imageinspect.values.digest import Digest

    check_names(image)
    check_loadable(image, format or Format.podman())
    config = image.image_config
    oci = _podman_reads_oci(image)
    manifest = image.manifest if oci or not image.entry.docker_save else None
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
