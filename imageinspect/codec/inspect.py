"""``loads`` / ``dumps``: docker and podman inspect output, byte for byte.

``loads`` detects the exact layout of its input (array or object or one object
per line, indent width, escaping, trailing newline) and keeps each object's key
order, so ``dumps(loads(b)) == b`` for what a real docker or podman printed.
``dumps(images, format=Format.docker(...))`` instead renders the images as
that daemon release at that API version would.

>>> out = loads(b'[\\n    {\\n        "Id": "sha256:aa",\\n        "RepoTags": []\\n    }\\n]\\n')
>>> out[0].id, out.format.printer, out.style.indent
('sha256:aa', 'cli', 4)
>>> dumps(out) == b'[\\n    {\\n        "Id": "sha256:aa",\\n        "RepoTags": []\\n    }\\n]\\n'
True
"""

from __future__ import annotations

import codecs
import functools
import re
from collections.abc import Iterable, Iterator, Sequence
from typing import Any, Final, Union, overload

import attrs
import orjson

from imageinspect.errors import ImageInspectError, InvalidJSON, LimitExceeded, SchemaError
from imageinspect.model.config import ContainerConfig
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.values.style import Container, Style, detect_style
from imageinspect.values.timestamp import Timestamp

from .formats import Format, Printer, Profile, resolve
from .gojson import encode_styled
from .jsonread import BOM_STARTS, as_bytes, decode, decode_error, exactly
from .jsonread import DEFAULT_MAX_SIZE as JSON_MAX_SIZE
from .read import structure
from .rules import Store
from .write import Writer, writer

__all__ = ["DEFAULT_MAX_SIZE", "AnyInspect", "InspectOutput", "daemon_values", "dumps", "loads"]

AnyInspect = Union[ImageInspect, PodmanImageInspect]

#: Largest input ``loads`` accepts by default: the same bound as every other
#: JSON the library reads (:data:`imageinspect.codec.jsonread.DEFAULT_MAX_SIZE`).
DEFAULT_MAX_SIZE: Final = JSON_MAX_SIZE

_PODMAN_KEYS: Final = ("ManifestType", "NamesHistory", "Digest")
#: Keys only Docker writes: an object with any of them is Docker's, whatever
#: else it carries.
_DOCKER_KEYS: Final = ("DockerVersion", "ContainerConfig", "Container", "Metadata", "Descriptor", "Manifests")
_PODMAN_KEY_SET: Final = frozenset(_PODMAN_KEYS)
_DOCKER_KEY_SET: Final = frozenset(_DOCKER_KEYS)


@attrs.frozen
class InspectOutput(Sequence[AnyInspect]):
    """What ``loads`` returns: the inspect objects, in order, the detected
    :class:`~imageinspect.codec.formats.Format` (which tool and printer: kind,
    store, printer) and the exact :class:`~imageinspect.values.style.Style`
    of the bytes (array or lines, indent, escaping, trailing newline).

    >>> out = loads(b"[]\\n")
    >>> len(out), list(out), out.format.kind, out.style.indent
    (0, [], 'docker', None)
    """

    images: tuple[AnyInspect, ...]
    format: Format
    style: Style
    #: The bytes this output was read from (UTF-8, BOM removed), or ``None``
    #: for an output not made by :func:`loads`. Nothing here can change, so
    #: :func:`dumps` of an unchanged output in its own format writes them back.
    _source: bytes | None = attrs.field(default=None, init=False, eq=False, repr=False)

    @overload
    def __getitem__(self, index: int) -> AnyInspect: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[AnyInspect]: ...
    def __getitem__(self, index: int | slice) -> AnyInspect | Sequence[AnyInspect]:
        return self.images[index]

    def __len__(self) -> int:
        return len(self.images)

    def __iter__(self) -> Iterator[AnyInspect]:
        return iter(self.images)


def decode_text(data: bytes) -> bytes:
    r"""Undo byte order marks (PowerShell's ``>`` writes UTF-16 with a BOM and
    CRLF line ends): the input as UTF-8 bytes, as :func:`loads` reads it.

    >>> decode_text(b"\xff\xfe[\x00]\x00\r\x00\n\x00")
    b'[]\n'
    """
    if data[:1] not in BOM_STARTS:
        return data  # the common case: plain UTF-8
    if data.startswith(codecs.BOM_UTF8):
        return data[3:]
    for bom, encoding in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding)
            except UnicodeDecodeError as err:
                raise InvalidJSON(f"invalid {encoding.upper()} at byte {err.start + len(bom)}") from None
            return text.replace("\r\n", "\n").encode("utf-8", "surrogatepass")
    return data


_LEADING_SPACE: Final = re.compile(rb"[ \t\r\n]*")
_PRINTERS: Final[dict[str, Printer]] = {"object": "api", "lines": "template"}


@functools.lru_cache(maxsize=64)
def _detected_format(kind: str, store: Store, printer: Printer) -> Format:
    """The format ``loads`` reports (made once per distinct detection)."""
    if kind == "podman":
        return Format("podman")
    return Format("docker", store=store, printer=printer)


def loads(data: bytes | bytearray | memoryview | str, *, max_size: int = DEFAULT_MAX_SIZE) -> InspectOutput:
    """Read ``docker image inspect`` / ``podman image inspect`` output.

    Accepts the docker CLI's default output, an Engine API body,
    ``--format json``, ``--format '{{json .}}'`` (one object per line), podman
    4+ and podman 2.2-3.4 output; UTF-8 with a BOM and UTF-16 with a BOM
    (PowerShell redirection) are decoded. Bad input raises an
    :class:`~imageinspect.errors.ImageInspectError` with the JSON path (``$[i]``
    is the i-th image); nothing is returned half-parsed.

    >>> loads(b'[{"Id": 5}]')
    Traceback (most recent call last):
      ...
    imageinspect.errors.SchemaError: $[0].Id: expected a string, got number
    """
    raw = as_bytes(data)
    if len(raw) > max_size:
        raise LimitExceeded(f"input is {len(raw)} bytes, over the limit of {max_size}")
    return exactly(lambda: _loads(decode_text(raw)))


def _loads(raw: bytes) -> InspectOutput:
    body = raw  # orjson skips surrounding whitespace itself; no copy needed
    newline = raw.endswith(b"\n")
    start = raw[:1]
    if start not in (b"[", b"{"):
        first = _LEADING_SPACE.match(raw).end()  # type: ignore[union-attr]
        start = raw[first : first + 1]
    values: list[Any]
    if start == b"[":
        try:
            decoded = decode(body)
        except orjson.JSONDecodeError as err:
            raise decode_error(err, body) from None
        if not isinstance(decoded, list):  # pragma: no cover - starts with [
            raise SchemaError("expected an array of inspect objects")
        values = decoded
        container: Container = "array"
    elif start == b"{":
        try:
            values = [decode(body)]
            container = "object"
        except orjson.JSONDecodeError as err:
            lines = [line for line in body.split(b"\n") if line.strip()]
            if len(lines) < 2 or "after document" not in str(getattr(err, "msg", err)):
                raise decode_error(err, body) from None
            values = []
            for index, line in enumerate(lines):
                try:
                    values.append(decode(line))
                except orjson.JSONDecodeError as line_err:
                    raise decode_error(line_err, line, f"$[{index}]") from None
            container = "lines"
    elif not raw.strip() and newline:
        # `--format '{{json .}}'` with nothing found prints one newline.
        return InspectOutput(
            (), Format("docker", printer="template"), Style("lines", escape_html=False, trailing=b"\n")
        )
    elif not raw.strip():
        raise InvalidJSON("empty input: expected inspect output")
    else:
        raise InvalidJSON(f"expected a JSON array or object of inspect output, got {start.decode('latin-1')!r}")
    layout = detect_style(body, container, html_default=False)
    if layout.trailing not in (b"", b"\n"):  # a printer ends with one newline or none
        layout = attrs.evolve(layout, trailing=b"\n" if newline else b"")
    kind = None
    images: list[AnyInspect] = []
    for index, value in enumerate(values):
        if type(value) is not dict:
            raise SchemaError(f"expected an inspect object, got {_json_kind(value)}", _where(container, index))
        if "Id" not in value:
            raise SchemaError(
                "not an inspect object: it has no Id (a manifest, a config, other JSON?)", _where(container, index)
            )
        podman = not _PODMAN_KEY_SET.isdisjoint(value) and _DOCKER_KEY_SET.isdisjoint(value)
        this = "podman" if podman else "docker"
        if kind is not None and this != kind:
            raise SchemaError(
                f"a mix of docker and podman objects: this one is {this}, the first was {kind}",
                _where(container, index),
            )
        kind = this
        try:
            images.append(structure(value, PodmanImageInspect if podman else ImageInspect))
        except ImageInspectError as err:
            raise err.at(_where(container, index)) from None
    if kind == "podman":
        fmt = _detected_format("podman", "graphdriver", "cli")
    else:
        printer: Printer = ("cli" if layout.indent else "json") if container == "array" else _PRINTERS[container]
        fmt = _detected_format("docker", _store_shown(images), printer)
    output = InspectOutput(tuple(images), fmt, layout)
    object.__setattr__(output, "_source", raw)
    return output


def _where(container: Container, index: int) -> str:
    """The JSON path of the ``index``-th image (made only for an error)."""
    return "$" if container == "object" else f"$[{index}]"


def _store_shown(images: Sequence[AnyInspect]) -> Store:
    """``containerd`` when the output shows that store: a ``Descriptor``
    (Docker 28+, API 1.48+) or the ``overlayfs`` snapshotter as the
    ``GraphDriver`` (observed on 26.1 and 28.5); else ``graphdriver``."""
    for image in images:
        if not isinstance(image, ImageInspect):
            continue
        if image.descriptor is not None or (image.graph_driver is not None and image.graph_driver.name == "overlayfs"):
            return "containerd"
    return "graphdriver"


def _json_kind(value: object) -> str:
    if isinstance(value, list):
        return "an array"
    if value is None:
        return "null"
    return f"a {type(value).__name__.replace('str', 'string').replace('int', 'number')}"


def _default_format(images: Sequence[AnyInspect]) -> Format:
    if images and isinstance(images[0], PodmanImageInspect):
        return Format.podman()
    return Format.docker()


_EMPTY_CONFIG: Final = ContainerConfig().oci_subset()


def _configless(image: ImageInspect) -> bool:
    """An image a containerd store keeps without a config (its manifest was
    not loaded): no platform, an empty ``RootFS`` and an empty ``Config``."""
    root_fs = image.root_fs
    return (
        root_fs is not None
        and not root_fs.type
        and not root_fs.layers
        and not (image.os or image.architecture)
        and (image.config is None or image.config.oci_subset() == _EMPTY_CONFIG)
    )


def daemon_values(image: ImageInspect, profile: Profile) -> ImageInspect:
    """The values the daemon (and, for ``{{json .}}``, the CLI) hold before
    writing: the router fills VirtualSize = Size; the containerd store of 26.x
    has a zero ContainerConfig; the CLI's types hold the zero value of every
    key the daemon left out at the negotiated API. (The writer renders these;
    the CLI's ``-f`` templates run on them.)

    >>> from imageinspect.codec.formats import profile_of
    >>> daemon_values(ImageInspect(size=5), profile_of(Format.docker("20.10"))).virtual_size
    5
    """
    changes: dict[str, Any] = {}
    if profile.has("containerd-legacy-empty"):
        # the containerd store keeps no Container, ContainerConfig, or
        # DockerVersion but the daemon's own (24-27)
        version = profile.format.version or "" if profile.has("daemon-docker-version") else ""
        if image.container:
            changes["container"] = ""
        if image.docker_version != version and not (version and image.docker_version):
            changes["docker_version"] = version
    if profile.has("containerd-legacy-empty") or profile.has("zero-container-config"):
        if image.container_config is not None:
            changes["container_config"] = None
    elif profile.has("container-config-pointer") and image.container_config is None:
        # the graphdriver store's is a struct: a pointer to it is never nil
        changes["container_config"] = ContainerConfig()
    configless_null = profile.has("configless-config-null") and not profile.has("compat-wrap") and _configless(image)
    if configless_null and image.config is not None:
        # an image without a config holds a nil one (observed: 28.2.2, 29.0.0)
        changes["config"] = None
    if profile.has("compat-wrap") and image.config is None:
        # the compat wrapper merges the legacy Config keys into a nil Config
        # too (observed on 29.0.0: an image whose manifest was not loaded)
        changes["config"] = ContainerConfig()
    if profile.has("config-from-oci") and not configless_null:
        # the OCI image-config type is a struct: an image without a config
        # shows an empty one (observed on 28.2-28.5: pre-1.10 base images)
        config = changes.get("config", image.config) or ContainerConfig()
        subset = config.oci_subset(empty_as_null=profile.has("config-from-oci-null"))
        if subset != image.config:
            changes["config"] = subset
    if profile.has("repo-tags-null"):
        # 24.0.0 keeps empty names as nil slices (observed: "RepoDigests": null)
        if image.repo_tags == ():
            changes["repo_tags"] = None
        if image.repo_digests == ():
            changes["repo_digests"] = None
    if profile.has("containerd-no-created") and image.created is not None:
        changes["created"] = None
    if profile.has("containerd-config-plain-oci"):
        config = changes.get("config", image.config)
        if config is not None:
            changes["config"] = attrs.evolve(config, healthcheck=None, on_build=None, shell=None, args_escaped=False)
        if image.author:
            changes["author"] = ""
    if profile.format.printer == "template":
        created = changes.get("created", image.created)
        if created is None and not (profile.has("created-omitempty") or profile.has("created-empty-string")):
            # the daemon sent the zero time, which the CLI's string keeps
            changes["created"] = Timestamp.zero()
        fields = attrs.fields_dict(ImageInspect)
        for attr in profile.dropped:
            if getattr(image, attr) != fields[attr].default:
                changes[attr] = fields[attr].default
    elif image.virtual_size is None:
        changes["virtual_size"] = image.size
    return attrs.evolve(image, **changes) if changes else image


def dumps(
    images: InspectOutput | AnyInspect | Iterable[AnyInspect],
    format: Format | None = None,
    style: Style | None = None,
) -> bytes:
    """Write inspect output.

    Three ways, by what is given:

    - an :class:`InspectOutput` from :func:`loads` alone (or with its own
      ``out.format``/``out.style``): it is immutable, so these are the bytes it
      was read from;
    - ``style`` (``dumps(edited, out.format, out.style)`` after editing some
      images): each object in that exact layout and its own key order, as
      read -- what an editor of real output wants (``format`` places keys
      the source did not have);
    - otherwise the images rendered by the version rules of ``format``
      (default: the newest Docker, or podman for podman objects).

    Output is always UTF-8: UTF-16 input is written back as UTF-8 with
    ``\\n`` line ends, and a UTF-8 byte order mark is dropped. Written back
    as read, an output keeps whatever its source held that the model does
    not (a duplicated key, CRLF line ends of UTF-8 input); the writer
    (``dumps(list(out), out.format, out.style)``) writes the model's values only.

    >>> img = ImageInspect(id="sha256:" + "a" * 64, repo_tags=("x:1",), os="linux", architecture="amd64")
    >>> print(dumps(img, Format.docker("29.1", api="1.52", store="graphdriver", printer="api")).decode(), end="")
    {"Id":"sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa","RepoTags":["x:1"],"RepoDigests":[],"Config":{},"Architecture":"amd64","Os":"linux","Size":0,"RootFS":{},"Metadata":{"LastTagTime":"0001-01-01T00:00:00Z"}}
    """
    if isinstance(images, InspectOutput):
        as_read = (format is None or format == images.format) and (style is None or style == images.style)
        if images._source is not None and as_read:
            return images._source
        items: Sequence[AnyInspect] = images.images
        if format is None and style is None:
            style = images.style
        fmt = format or images.format
    elif isinstance(images, (ImageInspect, PodmanImageInspect)):
        items = (images,)
        fmt = format or _default_format(items)
    else:
        items = tuple(images)
        fmt = format or _default_format(items)
    expected = PodmanImageInspect if fmt.kind == "podman" else ImageInspect
    for index, image in enumerate(items):
        if not isinstance(image, expected):
            raise ImageInspectError(f"cannot write a {type(image).__name__} with a {fmt.kind} format", f"$[{index}]")
    profile = resolve(fmt)
    if style is not None:
        # as read: each object in its own key order, in the given layout
        return _print(list(items), style, writer(profile.shapes, False))
    models = writer(profile.shapes, True)
    if fmt.kind == "podman":
        return _print(list(items), profile.style, models)
    wrapped = None if profile.wrapped_shapes is None else writer(profile.wrapped_shapes, True).write_shared
    values: list[Any] = []
    for item in items:
        assert isinstance(item, ImageInspect)  # checked above
        image = daemon_values(item, profile)
        if wrapped is not None and (image.parent or image.docker_version):
            values.append(wrapped(image))  # a plain object, written in the other shape set
        else:
            values.append(image)
    return _print(values, profile.style, models)


def _print(values: list[Any], layout: Style, models: Writer) -> bytes:
    """The images (models, or plain objects already written), by ``models``."""
    if layout.container == "array":
        return encode_styled(values, layout, models=models)
    if not values:
        if layout.container == "object":
            raise ImageInspectError("an Engine API body holds exactly one image; there are none")
        return b"\n" if layout.newline else b""  # the CLI's template printer prints an empty line
    # one object per line: lines are always separated; only the last one's
    # newline follows the source (a file cut short of its final newline)
    return encode_styled(values, layout, models=models, container="lines")
