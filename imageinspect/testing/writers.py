"""Writers for archives that real tools load: ``docker save`` layouts (legacy
and Docker 25+) and OCI image layouts (directory or tar).

Deterministic: fixed member order, owners and times, so the same images give
the same bytes. Written atomically: a temporary file next to the target is
renamed into place only when complete.
"""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import tarfile
import tempfile
from collections.abc import Iterable, Sequence
from typing import Literal

from imageinspect.codec import OCI_LAYOUT_FILE, encode, encode_archive_manifest, v1_image_json
from imageinspect.model.archive import ArchiveManifestEntry
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.formats import blob_name
from imageinspect.sources.image import Image
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME, REF_NAME
from imageinspect.values.digest import Digest

from .builder import uncompressed_layers

__all__ = ["write_docker_archive", "write_oci_layout"]


def _tar_bytes(files: Sequence[tuple[str, bytes | str]]) -> bytes:
    """A deterministic tar of (name, bytes) files and (name, str) symlinks."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        dirs: set[str] = set()
        for name, data in files:
            parent = os.path.dirname(name)
            chain = []
            while parent and parent not in dirs:
                chain.append(parent)
                parent = os.path.dirname(parent)
            for directory in reversed(chain):
                info = tarfile.TarInfo(directory)
                info.type, info.mode = tarfile.DIRTYPE, 0o755
                tar.addfile(info)
                dirs.add(directory)
            info = tarfile.TarInfo(name)
            if isinstance(data, str):
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, data, 0o777
                tar.addfile(info)
            else:
                info.size, info.mode = len(data), 0o644
                tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _atomic_write(path: str | os.PathLike[str], data: bytes) -> None:
    target = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(target))
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".imageinspect-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temporary, target)
    except BaseException:
        os.unlink(temporary)
        raise


def write_docker_archive(
    images: Iterable[Image],
    path: str | os.PathLike[str],
    layout: Literal["legacy", "docker25"] = "legacy",
) -> None:
    """Write ``images`` as ``docker save`` does: ``legacy`` (before Docker 25:
    ``manifest.json``, ``repositories``, ``<id>.json``, ``<v1-id>/layer.tar``)
    or ``docker25`` (an OCI layout with uncompressed layers plus
    ``manifest.json`` and ``repositories`` pointing into ``blobs/``).

    >>> import tempfile, os
    >>> from imageinspect.testing import ImageBuilder
    >>> from imageinspect import open_image
    >>> image = ImageBuilder().add_layer({"/hello": b"hi"}).tag("hello:1").build()
    >>> path = os.path.join(tempfile.mkdtemp(), "hello.tar")
    >>> write_docker_archive([image], path)
    >>> with open_image(path) as again:
    ...     again.id == image.id, again.repo_tags, again.verify().ok
    (True, ('hello:1',), True)
    """
    entries = []
    repositories: dict[str, dict[str, str]] = {}
    files: list[tuple[str, bytes | str]] = []
    index_manifests: list[Descriptor] = []
    seen: set[str] = set()
    for image in images:
        config_hex = image.config_document.digest.encoded
        layers = uncompressed_layers(image)
        layer_names = []
        if layout == "legacy":
            config_name = f"{config_hex}.json"
            parent_v1 = ""
            for tar in layers:
                v1 = hashlib.sha256(f"{parent_v1} {Digest.of(tar)}".encode()).hexdigest()
                name = f"{v1}/layer.tar"
                if name not in seen:
                    files += [(f"{v1}/VERSION", b"1.0"), (f"{v1}/json", v1_image_json(v1, parent_v1)), (name, tar)]
                    seen.add(name)
                layer_names.append(name)
                parent_v1 = v1
            top = parent_v1 or config_hex
        else:
            config_name = blob_name(image.config_document.digest)
            diff_ids = []
            for tar in layers:
                digest = Digest.of(tar)
                diff_ids.append(digest)
                name = blob_name(digest)
                if name not in seen:
                    files.append((name, tar))
                    seen.add(name)
                layer_names.append(name)
            manifest = ImageManifest(
                media_type=mt.OCI_MANIFEST,
                config=Descriptor(mt.OCI_CONFIG, image.config_document.digest, image.config_document.size),
                layers=tuple(Descriptor(mt.OCI_LAYER, d, len(tar)) for d, tar in zip(diff_ids, layers, strict=True)),
            )
            raw = manifest.to_json()
            m_digest = Digest.of(raw)
            if blob_name(m_digest) not in seen:
                files.append((blob_name(m_digest), raw))
                seen.add(blob_name(m_digest))
            for tag in image.repo_tags or [""]:
                annotations = (
                    FrozenMap(
                        {
                            CONTAINERD_IMAGE_NAME: _full(tag),
                            REF_NAME: tag.rsplit(":", 1)[-1],
                        }
                    )
                    if tag
                    else None
                )
                index_manifests.append(Descriptor(mt.OCI_MANIFEST, m_digest, len(raw), annotations=annotations))
            top = config_hex
        if config_name not in seen:
            files.append((config_name, image.config_document.raw))
            seen.add(config_name)
        entries.append(
            ArchiveManifestEntry(config=config_name, repo_tags=image.repo_tags or None, layers=tuple(layer_names))
        )
        for tag in image.repo_tags:
            repository, _, label = tag.rpartition(":")
            repositories.setdefault(repository, {})[label] = top
    files.append(("manifest.json", encode_archive_manifest(entries, newline=False)))
    if repositories:
        files.append(("repositories", encode(repositories)))
    if layout == "docker25":
        files.append(("oci-layout", OCI_LAYOUT_FILE))
        files.append(("index.json", ImageIndex(media_type=mt.OCI_INDEX, manifests=tuple(index_manifests)).to_json()))
    _atomic_write(path, _tar_bytes(files))


def _full(tag: str) -> str:
    from imageinspect.values.reference import Reference

    return str(Reference.parse(tag))


def write_oci_layout(images: Iterable[Image], path: str | os.PathLike[str], *, tar: bool = False) -> None:
    """Write ``images`` as an OCI image layout -- a directory, or a tar of one
    (``tar=True``, what ``skopeo copy oci-archive:`` reads). Blobs are copied
    as they are (compressed layers stay compressed); each tag becomes an
    ``index.json`` entry named by ``org.opencontainers.image.ref.name``.

    >>> import tempfile, os
    >>> from imageinspect.testing import ImageBuilder
    >>> from imageinspect import list_images
    >>> image = ImageBuilder().add_layer({"/hello": b"hi"}).tag("hello:1").build()
    >>> folder = os.path.join(tempfile.mkdtemp(), "layout")
    >>> write_oci_layout([image], folder)
    >>> [s.refs for s in list_images(folder)]
    [('docker.io/library/hello:1',)]
    """
    blobs: dict[str, bytes] = {}
    manifests: list[Descriptor] = []
    for image in images:
        if image.manifest is None:
            raise ValueError("write_oci_layout needs images with a manifest (built or read from an OCI layout)")
        blobs[blob_name(image.config_document.digest)] = image.config_document.raw
        for position in range(len(image.layer_names)):
            with image.open_layer(position) as stream:
                data = stream.read()
            blobs[blob_name(Digest.of(data))] = data
        blobs[blob_name(image.manifest.digest)] = image.manifest.raw
        for tag in image.repo_tags or [""]:
            annotations = FrozenMap({REF_NAME: _full(tag)}) if tag else None
            manifests.append(
                Descriptor(
                    image.manifest.media_type, image.manifest.digest, image.manifest.size, annotations=annotations
                )
            )
    index_json = ImageIndex(media_type=mt.OCI_INDEX, manifests=tuple(manifests)).to_json()
    files: list[tuple[str, bytes | str]] = [("oci-layout", OCI_LAYOUT_FILE), ("index.json", index_json)]
    files += sorted(blobs.items())
    if tar:
        _atomic_write(path, _tar_bytes(files))
        return
    target = os.fspath(path)
    temporary = tempfile.mkdtemp(dir=os.path.dirname(os.path.abspath(target)), prefix=".imageinspect-")
    try:
        for name, content in files:
            full = os.path.join(temporary, name)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            with open(full, "wb") as handle:
                handle.write(content if isinstance(content, bytes) else content.encode())
        if os.path.exists(target):
            shutil.rmtree(target)
        os.replace(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
