"""The one exception tree of imageinspect.

Every failure caused by bad input raises a subclass of :class:`ImageInspectError`.
Each error carries a ``location`` that says *where* the problem is -- a JSON path
such as ``$.config.Env[3]``, or an archive member such as
``image.tar!blobs/sha256/ab12...`` -- and a one-line ``message`` that says *what*
was expected:

>>> from imageinspect.values import Digest
>>> Digest("sha256:xyz")
Traceback (most recent call last):
  ...
imageinspect.errors.InvalidDigest: $: invalid digest 'sha256:xyz': sha256 needs 64 lower-case hex digits

The classes are also ``ValueError`` subclasses, so code that already catches
``ValueError`` keeps working.
"""

from __future__ import annotations

__all__ = [
    "AmbiguousImage",
    "ArchiveError",
    "DigestMismatch",
    "DocumentKindError",
    "ImageInspectError",
    "InvalidDigest",
    "InvalidJSON",
    "InvalidMediaType",
    "InvalidPlatform",
    "InvalidReference",
    "InvalidTimestamp",
    "InvalidValue",
    "LimitExceeded",
    "LoadRefused",
    "MissingDependency",
    "SchemaError",
    "join_path",
]


class ImageInspectError(ValueError):
    """Base class of every error raised for bad input.

    ``location`` says where (``$`` is the root of a JSON document), ``message``
    says what. ``str(error)`` is ``"<location>: <message>"``.

    >>> err = ImageInspectError("expected a string, got int", "$.Config.User")
    >>> str(err)
    '$.Config.User: expected a string, got int'
    >>> ImageInspectError("expected a string", "$.User").at("$.Config").location
    '$.Config.User'
    """

    def __init__(self, message: str, location: str = "$") -> None:
        super().__init__(message, location)
        self.message = message
        self.location = location

    def __str__(self) -> str:
        return f"{self.location}: {self.message}"

    def __reduce__(self) -> tuple[type[ImageInspectError], tuple[str, str]]:
        return (type(self), (self.message, self.location))

    def at(self, prefix: str) -> ImageInspectError:
        """Return a copy of this error whose location is nested under ``prefix``.

        A value type raises with location ``$``; the codec that found the value
        at ``$.Config.Env[3]`` re-raises ``error.at("$.Config.Env[3]")``.

        >>> InvalidDigest("bad", "$").at("$.config.digest").location
        '$.config.digest'
        >>> InvalidDigest("bad", "$[2]").at("$.layers").location
        '$.layers[2]'
        """
        return type(self)(self.message, join_path(prefix, self.location))


def join_path(prefix: str, location: str) -> str:
    """Join a JSON-path prefix and a location relative to ``$``.

    >>> join_path("$.a", "$.b[1]")
    '$.a.b[1]'
    >>> join_path("x.tar!manifest.json", "$[0].Config")
    'x.tar!manifest.json$[0].Config'
    """
    if not location.startswith("$"):
        return location
    if "$" in prefix:
        return prefix + location[1:]
    return prefix + location


class InvalidJSON(ImageInspectError):
    """The bytes are not a JSON document we can read: bad syntax, bad encoding,
    trailing data, nesting too deep."""


class SchemaError(ImageInspectError):
    """The JSON is well formed but does not have the expected shape: a value of
    the wrong type, or a required field that is missing."""


class InvalidValue(ImageInspectError):
    """A string that should hold a value of a specific grammar does not."""


class InvalidDigest(InvalidValue):
    """Not a valid OCI content digest (``algorithm:hex``)."""


class InvalidTimestamp(InvalidValue):
    """Not an RFC 3339 timestamp that Go's ``time.Time`` would accept."""


class InvalidPlatform(InvalidValue):
    """Not a platform specifier such as ``linux/arm64/v8``."""


class InvalidReference(InvalidValue):
    """Not an image reference by the distribution/reference grammar."""


class InvalidMediaType(InvalidValue):
    """Not a media type (``type/subtype`` with optional ``+suffix``)."""


class DocumentKindError(ImageInspectError):
    """The document's kind cannot be told, is ambiguous (it mixes fields of two
    formats), or contradicts the media type it was declared with."""


class LimitExceeded(ImageInspectError):
    """The input is larger or deeper than the configured limits allow."""


class ArchiveError(ImageInspectError):
    """An image archive or layout is malformed or unsafe; ``location`` names the
    archive member (``image.tar!manifest.json``)."""


class AmbiguousImage(ArchiveError):
    """An archive holds several images and nothing said which one; ``choices``
    lists them (tags, or ``@N`` for an untagged image) in archive order.

    >>> AmbiguousImage("the archive holds 2 images", "x.tar", ("app:1", "@1")).choices
    ('app:1', '@1')
    """

    def __init__(self, message: str, location: str = "$", choices: tuple[str, ...] = (), summary: str = "") -> None:
        super().__init__(message, location)
        self.choices = choices
        #: The situation without the advice (``the archive holds 2 images``).
        self.summary = summary or message


class LoadRefused(ArchiveError):
    """The daemon a format names would refuse to load the archive, or not
    show the image once loaded; the message is the daemon's own, the
    location the archive member it stumbles on (see
    :func:`imageinspect.sources.views.loadable.check_loadable`)."""


class MissingDependency(ArchiveError):
    """Reading the input needs an optional package that is not installed
    (zstd: ``pip install 'imageinspect[zstd]'``). Not a problem of the input:
    ``verify`` raises it instead of reporting a failed check."""


class DigestMismatch(ImageInspectError):
    """Content does not match the digest or size that describes it."""
