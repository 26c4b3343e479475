"""``ImageBuilder``: consistent images made in memory, for tests.

Deterministic by default: a fixed clock (``2024-01-01T00:00:00Z``, one second
per step), sorted tar entries with fixed owners, gzip without timestamps. The
result is a real :class:`~imageinspect.sources.image.Image` -- its digests,
sizes and diff IDs are all correct, ``verify()`` passes, and ``inspect()``
shows what Docker would after loading it.

>>> from imageinspect.testing import ImageBuilder, Symlink
>>> image = (
...     ImageBuilder()
...     .add_layer({"/app/run.sh": b"#!/bin/sh\\necho hi\\n", "/bin/app": Symlink("/app/run.sh")})
...     .env("MODE", "test").label("org.example.team", "core").expose("8080/tcp")
...     .entrypoint(["/app/run.sh"]).tag("example/app:1")
...     .build()
... )
>>> image.verify().ok, image.repo_tags, image.inspect().config.env
(True, ('example/app:1',), ('MODE=test',))
"""

from __future__ import annotations

import gzip
import io
import posixpath
import random
import tarfile
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Literal, Union

import attrs
import orjson

from imageinspect.codec import OCI_LAYOUT_FILE, encode_document_as, parse, parse_config
from imageinspect.model.config import ContainerConfig, HealthConfig, History, ImageConfig, RootFS
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.frozen import FrozenMap
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.sources.formats import blob_name, discover
from imageinspect.sources.image import Image
from imageinspect.sources.storage.compression import decompressor, stream_compression
from imageinspect.sources.storage.memory import MemoryTree
from imageinspect.values import mediatype as mt
from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp

__all__ = [
    "Dir",
    "File",
    "Hardlink",
    "ImageBuilder",
    "OpaqueWhiteout",
    "Symlink",
    "Whiteout",
    "build_layout",
    "layer_tar",
]

Compression = Literal["none", "gzip", "zstd"]
ManifestKind = Literal["oci", "docker"]
_EPOCH = Timestamp.parse("2024-01-01T00:00:00Z")
_NS = 1_000_000_000


@attrs.frozen
class File:
    """A regular file.

    >>> File(b"x", mode=0o755).mode
    493
    """

    content: bytes = b""
    mode: int = 0o644
    uid: int = 0
    gid: int = 0
    mtime: int | None = None


@attrs.frozen
class Dir:
    """A directory.

    >>> Dir().mode
    493
    """

    mode: int = 0o755
    uid: int = 0
    gid: int = 0
    mtime: int | None = None


@attrs.frozen
class Symlink:
    """A symbolic link to ``target``.

    >>> Symlink("/bin/busybox").target
    '/bin/busybox'
    """

    target: str
    uid: int = 0
    gid: int = 0
    mtime: int | None = None


@attrs.frozen
class Hardlink:
    """A hard link to another path of the same layer.

    >>> Hardlink("/bin/sh").target
    '/bin/sh'
    """

    target: str
    mtime: int | None = None


@attrs.frozen
class Whiteout:
    """Deletes the path from lower layers (an ``.wh.<name>`` entry).

    >>> Whiteout().mode
    384
    """

    mode: int = 0o600


@attrs.frozen
class OpaqueWhiteout:
    """Hides everything lower layers have in this directory (``.wh..wh..opq``).

    >>> OpaqueWhiteout().mode
    384
    """

    mode: int = 0o600


Entry = Union[bytes, str, File, Dir, Symlink, Hardlink, Whiteout, OpaqueWhiteout]


def _clean(path: str) -> str:
    clean = posixpath.normpath("/" + path).lstrip("/")
    if not clean or clean == ".":
        raise ValueError(f"invalid layer path {path!r}")
    return clean


def layer_tar(files: Mapping[str, Entry], mtime: int = 0) -> bytes:
    """A deterministic layer tar: parent directories added, entries sorted,
    owners and times fixed, whiteouts as Docker writes them.

    >>> import tarfile, io
    >>> names = tarfile.open(fileobj=io.BytesIO(layer_tar({"/a/b.txt": b"hi", "/a/old": Whiteout()}))).getnames()
    >>> names
    ['a', 'a/.wh.old', 'a/b.txt']
    """
    entries: dict[str, Entry] = {}
    for path, entry in files.items():
        clean = _clean(path)
        parent = posixpath.dirname(clean)
        while parent:
            entries.setdefault(parent, Dir())
            parent = posixpath.dirname(parent)
        if isinstance(entry, Whiteout):
            entries[posixpath.join(posixpath.dirname(clean), ".wh." + posixpath.basename(clean))] = File(
                b"", entry.mode
            )
        elif isinstance(entry, OpaqueWhiteout):
            entries[posixpath.join(clean, ".wh..wh..opq")] = File(b"", entry.mode)
            entries.setdefault(clean, Dir())
        else:
            entries[clean] = (
                File(entry) if isinstance(entry, bytes) else File(entry.encode()) if isinstance(entry, str) else entry
            )
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for name in sorted(entries):
            entry = entries[name]
            info = tarfile.TarInfo(name)
            own_mtime: int | None = getattr(entry, "mtime", None)
            info.mtime = mtime if own_mtime is None else own_mtime
            info.uname = info.gname = ""
            data = None
            if isinstance(entry, File):
                info.mode, info.uid, info.gid, info.size = entry.mode, entry.uid, entry.gid, len(entry.content)
                data = io.BytesIO(entry.content)
            elif isinstance(entry, Dir):
                info.type, info.mode, info.uid, info.gid = tarfile.DIRTYPE, entry.mode, entry.uid, entry.gid
            elif isinstance(entry, Symlink):
                info.type, info.linkname, info.mode = tarfile.SYMTYPE, entry.target, 0o777
                info.uid, info.gid = entry.uid, entry.gid
            elif isinstance(entry, Hardlink):
                info.type, info.linkname, info.mode = tarfile.LNKTYPE, _clean(entry.target), 0o644
            tar.addfile(info, data)
    return out.getvalue()


def _compress(data: bytes, compression: Compression) -> bytes:
    if compression == "gzip":
        return gzip.compress(data, compresslevel=6, mtime=0)
    if compression == "zstd":
        import zstandard

        return zstandard.ZstdCompressor(level=3, write_checksum=True).compress(data)
    return data


_LAYER_TYPES: dict[tuple[ManifestKind, Compression], mt.MediaType] = {
    ("oci", "none"): mt.OCI_LAYER,
    ("oci", "gzip"): mt.OCI_LAYER_GZIP,
    ("oci", "zstd"): mt.OCI_LAYER_ZSTD,
    ("docker", "none"): mt.DOCKER_LAYER,
    ("docker", "gzip"): mt.DOCKER_LAYER_GZIP,
    ("docker", "zstd"): mt.DOCKER_LAYER_ZSTD,
}


@attrs.frozen
class _Layer:
    tar: bytes
    created_by: str
    comment: str


class ImageBuilder:
    """Build an image step by step; every method returns the builder.

    ``seed`` makes generated content (``add_random_layer``) reproducible;
    ``clock`` is the time of the first step (each step adds one second).
    """

    def __init__(self, *, seed: int = 0, clock: Timestamp | None = None, base: Image | None = None) -> None:
        self._random = random.Random(seed)
        self._clock = clock or _EPOCH
        self._step = 0
        self._layers: list[_Layer] = []
        self._history: list[History] = []
        self._base_layers: list[bytes] = []
        self._tags: list[str] = []
        self._author = ""
        self._created: Timestamp | None = None
        self._platform = Platform("linux", "amd64")
        base_config = ContainerConfig()
        if base is not None:
            config = base.image_config
            base_config = config.config or ContainerConfig()
            self._history = list(config.history or ())
            self._platform = config.platform
            self._base_layers = uncompressed_layers(base)
        self._config = attrs.evolve(base_config, extra=FrozenMap(), key_order=None)

    # -- time ---------------------------------------------------------------

    def _now(self) -> Timestamp:
        moment = Timestamp(self._clock.unix_nanos + self._step * _NS, self._clock.utc_offset)
        self._step += 1
        return moment

    # -- layers and history ---------------------------------------------------

    def add_layer(
        self, files: Mapping[str, Entry], *, created_by: str | None = None, comment: str = ""
    ) -> ImageBuilder:
        """Add a layer with ``files`` (bytes, str, or :class:`File`,
        :class:`Dir`, :class:`Symlink`, :class:`Hardlink`, :class:`Whiteout`,
        :class:`OpaqueWhiteout`); records a history entry."""
        moment = self._now()
        tar = layer_tar(files, mtime=moment.unix_nanos // _NS)
        text = created_by or f"COPY {' '.join(sorted(files))} / # imageinspect"
        self._layers.append(_Layer(tar, text, comment))
        self._history.append(History(created=moment, created_by=text, comment=comment))
        return self

    def add_random_layer(self, files: int = 3, size: int = 1024) -> ImageBuilder:
        """A layer of ``files`` files with ``size`` seeded-random bytes each."""
        content = {f"/data/file{i}.bin": self._random.randbytes(size) for i in range(files)}
        return self.add_layer(content, created_by=f"COPY data ({files} files) /data # random")

    def history(self, created_by: str, *, comment: str = "", author: str = "") -> ImageBuilder:
        """Record a metadata-only step (``empty_layer``)."""
        self._history.append(
            History(created=self._now(), created_by=created_by, comment=comment, author=author, empty_layer=True)
        )
        return self

    # -- config -----------------------------------------------------------------

    def _set(self, record: str | None = None, **changes: Any) -> ImageBuilder:
        self._config = attrs.evolve(self._config, **changes)
        if record is not None:
            self.history(f"/bin/sh -c #(nop)  {record}")
        return self

    def env(self, name: str, value: str) -> ImageBuilder:
        """Set an environment variable (replacing an earlier value)."""
        kept = tuple(e for e in self._config.env or () if e.partition("=")[0] != name)
        return self._set(f"ENV {name}={value}", env=(*kept, f"{name}={value}"))

    def label(self, name: str, value: str) -> ImageBuilder:
        """Set a label."""
        labels = self._config.labels or FrozenMap()
        return self._set(f"LABEL {name}={value}", labels=labels.set(name, value))

    def user(self, user: str) -> ImageBuilder:
        """Set the user."""
        return self._set(f"USER {user}", user=user)

    def workdir(self, path: str) -> ImageBuilder:
        """Set the working directory."""
        return self._set(f"WORKDIR {path}", working_dir=path)

    def expose(self, *ports: str) -> ImageBuilder:
        """Expose ports (``80/tcp``, ``53/udp``; a bare number means tcp)."""
        specs = tuple(p if "/" in p else f"{p}/tcp" for p in ports)
        return self._set(f"EXPOSE {' '.join(specs)}", exposed_ports=(*(self._config.exposed_ports or ()), *specs))

    def volume(self, *paths: str) -> ImageBuilder:
        """Declare volumes."""
        return self._set(f"VOLUME {list(paths)}", volumes=(*(self._config.volumes or ()), *paths))

    def entrypoint(self, argv: Sequence[str] | None) -> ImageBuilder:
        """Set the entrypoint (``None`` clears it)."""
        return self._set(
            f"ENTRYPOINT {orjson.dumps(list(argv or ())).decode()}", entrypoint=None if argv is None else tuple(argv)
        )

    def cmd(self, argv: Sequence[str] | None) -> ImageBuilder:
        """Set the command (``[]`` and ``None`` differ, as in Docker)."""
        return self._set(f"CMD {orjson.dumps(list(argv or ())).decode()}", cmd=None if argv is None else tuple(argv))

    def shell(self, argv: Sequence[str]) -> ImageBuilder:
        """Set the shell."""
        return self._set(f"SHELL {orjson.dumps(list(argv)).decode()}", shell=tuple(argv))

    def stop_signal(self, signal: str) -> ImageBuilder:
        """Set the stop signal."""
        return self._set(f"STOPSIGNAL {signal}", stop_signal=signal)

    def healthcheck(
        self,
        test: Sequence[str],
        *,
        interval: float = 0,
        timeout: float = 0,
        start_period: float = 0,
        start_interval: float = 0,
        retries: int = 0,
    ) -> ImageBuilder:
        """Set the health check; durations in seconds."""
        check = HealthConfig(
            test=tuple(test),
            interval=round(interval * _NS),
            timeout=round(timeout * _NS),
            start_period=round(start_period * _NS),
            start_interval=round(start_interval * _NS),
            retries=retries,
        )
        return self._set(f"HEALTHCHECK {list(test)}", healthcheck=check)

    def onbuild(self, instruction: str) -> ImageBuilder:
        """Add an ONBUILD trigger."""
        return self._set(f"ONBUILD {instruction}", on_build=(*(self._config.on_build or ()), instruction))

    def platform(self, platform: Platform | str) -> ImageBuilder:
        """Set the platform (``linux/arm64/v8``)."""
        self._platform = Platform.parse(platform) if isinstance(platform, str) else platform
        return self

    def created(self, moment: Timestamp | str) -> ImageBuilder:
        """Set the image's creation time (default: the time of the last step)."""
        self._created = Timestamp.parse(moment) if isinstance(moment, str) else moment
        return self

    def author(self, author: str) -> ImageBuilder:
        """Set the author."""
        self._author = author
        return self

    def tag(self, *refs: str) -> ImageBuilder:
        """Name the image (``app:1``); tags go into written archives."""
        self._tags.extend(refs)
        return self

    # -- output -------------------------------------------------------------------

    def config_document(self) -> ImageConfig:
        """The image config as it stands (without rootfs until :meth:`build`)."""
        return self._image_config(())

    def _image_config(self, diff_ids: Iterable[Digest]) -> ImageConfig:
        created = self._created
        if created is None:
            created = self._history[-1].created if self._history and self._history[-1].created else self._clock
        return ImageConfig(
            created=created,
            author=self._author,
            architecture=self._platform.architecture,
            os=self._platform.os,
            variant=self._platform.variant,
            os_version=self._platform.os_version,
            config=self._config,
            rootfs=RootFS(type="layers", diff_ids=tuple(diff_ids)),
            history=tuple(self._history),
        )

    def files(self, compression: Compression = "gzip", manifest: ManifestKind = "oci") -> dict[str, bytes]:
        """The image as an OCI image layout: file name -> bytes."""
        return _layout([self], compression, manifest)

    def build(self, compression: Compression = "gzip", manifest: ManifestKind = "oci") -> Image:
        """The image: layer blobs compressed with ``compression``, an OCI or
        Docker schema2 manifest, the config -- all digests and sizes right."""
        tree = MemoryTree(self.files(compression, manifest), name="built")
        entry = discover(tree)[0]
        return Image(tree, entry, parse_config(tree.read(entry.config_name)))


def uncompressed_layers(image: Image) -> list[bytes]:
    """Every layer of ``image`` as an uncompressed tar, in memory (images
    the kit builds on or rewrites are small)."""
    out = []
    for index in range(len(image.layer_names)):
        with image.open_layer(index) as stream:
            kind = stream_compression(stream)
            out.append(stream.read() if kind is None else decompressor(kind, stream).read())
    return out


def _manifest_for(
    builder: ImageBuilder, compression: Compression, kind: ManifestKind
) -> tuple[dict[str, bytes], Descriptor]:
    files: dict[str, bytes] = {}
    layer_tars = [*builder._base_layers, *(layer.tar for layer in builder._layers)]
    descriptors = []
    diff_ids = []
    for tar in layer_tars:
        diff_ids.append(Digest.of(tar))
        blob = _compress(tar, compression)
        digest = Digest.of(blob)
        files[blob_name(digest)] = blob
        descriptors.append(Descriptor(_LAYER_TYPES[(kind, compression)], digest, len(blob)))
    config = builder._image_config(diff_ids)
    # docker: what dockerd stores (container.Config in full, Cmd [] stays [],
    # the top level sorted, HTML-escaped)
    config_bytes = encode_document_as(config, "docker") if kind == "docker" else config.to_json()
    config_digest = Digest.of(config_bytes)
    files[blob_name(config_digest)] = config_bytes
    manifest = ImageManifest(
        media_type=mt.OCI_MANIFEST if kind == "oci" else mt.DOCKER_MANIFEST,
        config=Descriptor(mt.OCI_CONFIG if kind == "oci" else mt.DOCKER_CONFIG, config_digest, len(config_bytes)),
        layers=tuple(descriptors),
    )
    manifest_bytes = manifest.to_json()
    manifest_digest = Digest.of(manifest_bytes)
    files[blob_name(manifest_digest)] = manifest_bytes
    platform = builder._platform
    descriptor = Descriptor(manifest.media_type, manifest_digest, len(manifest_bytes), platform=platform)
    return files, descriptor


def _layout(builders: Sequence[ImageBuilder], compression: Compression, kind: ManifestKind) -> dict[str, bytes]:
    files: dict[str, bytes] = {"oci-layout": OCI_LAYOUT_FILE}
    entries = []
    for builder in builders:
        blobs, descriptor = _manifest_for(builder, compression, kind)
        files.update(blobs)
        entries.append((builder, descriptor))
    manifests: list[Descriptor] = []
    if len(entries) > 1:
        # several platforms: one nested index, tagged as a whole
        nested = ImageIndex(
            media_type=mt.OCI_INDEX if kind == "oci" else mt.DOCKER_MANIFEST_LIST,
            manifests=tuple(descriptor for _, descriptor in entries),
        )
        raw = nested.to_json()
        digest = Digest.of(raw)
        files[blob_name(digest)] = raw
        tags = [t for builder in builders for t in builder._tags] or [""]
        for tag in dict.fromkeys(tags):
            annotations = FrozenMap({CONTAINERD_IMAGE_NAME: tag}) if tag else None
            manifests.append(Descriptor(nested.media_type, digest, len(raw), annotations=annotations))
    else:
        builder, descriptor = entries[0]
        for tag in builder._tags or [""]:
            annotations = FrozenMap({CONTAINERD_IMAGE_NAME: tag}) if tag else None
            manifests.append(attrs.evolve(descriptor, annotations=annotations))
    index = ImageIndex(media_type=mt.OCI_INDEX, manifests=tuple(manifests))
    files["index.json"] = index.to_json()
    parse(files["index.json"])  # sanity: what we write reads back
    return files


def build_layout(
    builders: Sequence[ImageBuilder], compression: Compression = "gzip", manifest: ManifestKind = "oci"
) -> MemoryTree:
    """Several builders (one per platform) as one multi-platform OCI layout in
    memory; :func:`~imageinspect.sources.formats.discover` finds one image
    per platform in it.

    >>> arm = ImageBuilder().add_layer({"/a": b"1"}).platform("linux/arm64/v8").tag("multi:1")
    >>> amd = ImageBuilder().add_layer({"/a": b"1"}).platform("linux/amd64").tag("multi:1")
    >>> tree = build_layout([amd, arm])
    >>> sorted(str(e.platform) for e in discover(tree))
    ['linux/amd64', 'linux/arm64/v8']
    """
    return MemoryTree(_layout(builders, compression, manifest), name="built")
