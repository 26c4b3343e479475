"""Image references such as ``nginx:1.27`` or ``ghcr.io/org/app@sha256:...``.

The grammar and the normalisation rules are those of the Go package
``github.com/distribution/reference``, which Docker uses: a bare ``nginx`` is
short for ``docker.io/library/nginx``, and Docker shows references in that
"familiar" short form while storing the fully-qualified one.

>>> ref = Reference.parse("nginx:1.27")
>>> ref
<Reference('docker.io/library/nginx:1.27')>
>>> ref.domain, ref.path, ref.tag
('docker.io', 'library/nginx', '1.27')
>>> ref.familiar()
'nginx:1.27'
>>> Reference.parse("localhost:5000/app").with_default_tag().familiar()
'localhost:5000/app:latest'
"""

from __future__ import annotations

import functools
import re
from typing import Final, NoReturn

from imageinspect.errors import InvalidDigest, InvalidReference
from imageinspect.values.digest import Digest

__all__ = [
    "DEFAULT_DOMAIN",
    "DEFAULT_TAG",
    "NAME_MAX_LENGTH",
    "Reference",
    "normalized_reference",
    "sort_repo_tags",
]

#: The registry that names without a domain refer to (Docker Hub).
DEFAULT_DOMAIN: Final = "docker.io"

#: The tag that ``docker pull`` assumes when a reference has neither tag nor digest.
DEFAULT_TAG: Final = "latest"

#: The longest repository path (the part after the domain) that is accepted.
NAME_MAX_LENGTH: Final = 255

_LEGACY_DEFAULT_DOMAIN: Final = "index.docker.io"
_OFFICIAL_PREFIX: Final = "library/"
_LOCALHOST: Final = "localhost"

# The grammar of distribution/reference (regexp.go), restricted to ASCII.
_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_PATH = re.compile(rf"{_COMPONENT}(?:/{_COMPONENT})*")
_DOMAIN_LABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = re.compile(rf"(?:{_DOMAIN_LABEL}(?:\.{_DOMAIN_LABEL})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")
_DIGEST = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}")
_IDENTIFIER = re.compile(r"[a-f0-9]{64}")

_SHOWN_MAX = 80


def _shown(text: str) -> str:
    """``repr`` of ``text``, shortened so that error messages stay readable."""
    if len(text) > _SHOWN_MAX:
        text = text[: _SHOWN_MAX - 20] + "…"
    return repr(text)


def _fail(text: str, reason: str) -> NoReturn:
    raise InvalidReference(f"invalid reference {_shown(text)}: {reason}", "$")


def _split_docker_domain(name: str) -> tuple[str, str]:
    """Split a name into (domain, path) the way Docker does (normalize.go).

    The first ``/``-separated component is a registry domain only if it is
    ``localhost``, contains ``.`` or ``:``, or contains an upper-case letter
    (repository paths cannot); otherwise the name is on Docker Hub.  A
    single-component Docker Hub path gets the ``library/`` prefix.
    """
    first, slash, rest = name.partition("/")
    if not slash:
        return DEFAULT_DOMAIN, _OFFICIAL_PREFIX + name
    if first == _LEGACY_DEFAULT_DOMAIN:
        domain, path = DEFAULT_DOMAIN, rest
    elif first == _LOCALHOST or "." in first or ":" in first or first.lower() != first:
        domain, path = first, rest
    else:
        domain, path = DEFAULT_DOMAIN, name
    if domain == DEFAULT_DOMAIN and "/" not in path:
        path = _OFFICIAL_PREFIX + path
    return domain, path


def _check_name(text: str, domain: str, path: str) -> None:
    if path.lower() != path:
        _fail(text, f"repository name ({_shown(path)[1:-1]}) must be lowercase")
    if _DOMAIN.fullmatch(domain) is None:
        _fail(
            text,
            f"invalid reference format: {_shown(domain)} is not a valid registry host[:port]",
        )
    if _PATH.fullmatch(path) is None:
        _fail(
            text,
            f"invalid reference format: repository path {_shown(path)} must be "
            "'/'-separated components of [a-z0-9] joined by '.', '_', '__' or '-'",
        )


def _check_tag(text: str, tag: str) -> str:
    if _TAG.fullmatch(tag) is None:
        _fail(
            text,
            f"invalid tag format {_shown(tag)}: a tag is 1 to 128 of [A-Za-z0-9_.-] and must not start with '.' or '-'",
        )
    return tag


def _check_digest(text: str, digest: object) -> Digest:
    try:
        checked = Digest(digest)  # type: ignore[arg-type]  # Digest checks the type itself
    except InvalidDigest as error:
        _fail(text, error.message)
    if _DIGEST.fullmatch(checked) is None:  # pragma: no cover - Digest is stricter today
        _fail(text, f"invalid digest format {_shown(checked)}")
    return checked


def _parse(text: object) -> tuple[str, str, str | None, Digest | None]:
    """Parse ``text`` like Go's ``ParseNormalizedNamed``; return the normalised parts."""
    if not isinstance(text, str):
        raise InvalidReference(f"invalid reference: expected a string, got {type(text).__name__}", "$")
    if not text:
        _fail(text, "repository name must have at least one component")
    if _IDENTIFIER.fullmatch(text) is not None:
        _fail(text, "cannot specify 64-byte hexadecimal strings (that is an image ID)")

    # Tags and digests cannot contain "/" or "@", names cannot contain "@", and
    # a ":" in the name only occurs in the domain, which is followed by "/".
    rest, at, digest_text = text.partition("@")
    tag: str | None = None
    colon = rest.rfind(":")
    if colon > rest.rfind("/"):
        rest, tag = rest[:colon], rest[colon + 1 :]

    domain, path = _split_docker_domain(rest)
    _check_name(text, domain, path)
    if tag is not None:
        _check_tag(text, tag)
    digest = _check_digest(text, digest_text) if at else None
    if len(path) > NAME_MAX_LENGTH:
        _fail(
            text,
            f"repository name ({_shown(path)[1:-1]}) must not be more than "
            f"{NAME_MAX_LENGTH} characters (it has {len(path)})",
        )
    return domain, path, tag, digest


@functools.total_ordering
class Reference:
    """A parsed, normalised image reference: ``domain/path[:tag][@digest]``.

    Instances are immutable and hashable; they compare equal when all four
    parts are equal and order by :attr:`sort_key`.  The constructor takes the
    parts of the fully-qualified form and checks that they are valid and
    canonical; :meth:`parse` is the usual way to make one.

    >>> Reference("ghcr.io", "org/app", tag="v1")
    <Reference('ghcr.io/org/app:v1')>
    >>> Reference("docker.io", "nginx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidReference: $: invalid reference 'docker.io/nginx': ... expected 'docker.io/library/nginx'
    """

    __slots__ = ("_digest", "_domain", "_path", "_tag")

    _domain: str
    _path: str
    _tag: str | None
    _digest: Digest | None

    def __init__(
        self,
        domain: str,
        path: str,
        tag: str | None = None,
        digest: str | None = None,
    ) -> None:
        parts: tuple[object, ...] = (domain, path, tag, digest)
        for name, value in zip(("domain", "path", "tag", "digest"), parts, strict=True):
            if not isinstance(value, str) and not (name in ("tag", "digest") and value is None):
                raise InvalidReference(f"invalid reference: {name} must be a string, got {type(value).__name__}", "$")
        text = f"{domain}/{path}"
        # Check each part alone first, so that joining them cannot shift text
        # from one part into another.
        _check_name(text, domain, path)
        if tag is not None:
            _check_tag(f"{text}:{tag}", tag)
            text = f"{text}:{tag}"
        checked = None if digest is None else _check_digest(f"{text}@{digest}", digest)
        if checked is not None:
            text = f"{text}@{checked}"
        parsed = _parse(text)
        if parsed != (domain, path, tag, checked):
            _fail(text, f"repository name must be canonical, expected {_shown(str(self._make(*parsed)))}")
        self._init(domain, path, tag, checked)

    def _init(self, domain: str, path: str, tag: str | None, digest: Digest | None) -> None:
        object.__setattr__(self, "_domain", domain)
        object.__setattr__(self, "_path", path)
        object.__setattr__(self, "_tag", tag)
        object.__setattr__(self, "_digest", digest)

    @classmethod
    def _make(cls, domain: str, path: str, tag: str | None, digest: Digest | None) -> Reference:
        """Build an instance from parts that are already known to be valid."""
        self = object.__new__(cls)
        self._init(domain, path, tag, digest)
        return self

    @property
    def domain(self) -> str:
        """The registry host, with its port if any.

        >>> [Reference.parse(s).domain for s in ("nginx", "localhost:5000/app", "[::1]:5000/app")]
        ['docker.io', 'localhost:5000', '[::1]:5000']
        """
        return self._domain

    @property
    def path(self) -> str:
        """The repository path within the registry.

        >>> Reference.parse("nginx").path, Reference.parse("myorg/app:1").path
        ('library/nginx', 'myorg/app')
        """
        return self._path

    @property
    def tag(self) -> str | None:
        """The tag, or ``None``.

        >>> Reference.parse("nginx:1.27").tag, Reference.parse("nginx").tag
        ('1.27', None)
        """
        return self._tag

    @property
    def digest(self) -> Digest | None:
        """The digest, or ``None``.

        >>> Reference.parse("nginx@sha256:" + "a" * 64).digest.algorithm
        'sha256'
        >>> Reference.parse("nginx:1").digest is None
        True
        """
        return self._digest

    @classmethod
    def parse(cls, text: str, *, normalize: bool = True) -> Reference:
        """Parse a reference as ``docker pull`` would (Go's ``ParseNormalizedNamed``).

        With ``normalize=False`` the text must already be in the canonical,
        fully-qualified form (Go's ``ParseNamed``).

        >>> Reference.parse("nginx")
        <Reference('docker.io/library/nginx')>
        >>> Reference.parse("index.docker.io/myorg/app:1.0@sha256:" + "0" * 64).familiar()[:25]
        'myorg/app:1.0@sha256:0000'
        >>> Reference.parse("[::1]:5000/app").domain
        '[::1]:5000'
        >>> Reference.parse("docker.io/library/nginx", normalize=False).path
        'library/nginx'
        >>> Reference.parse("nginx", normalize=False)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidReference: $: ... must be canonical, expected 'docker.io/library/nginx'
        >>> Reference.parse("MyOrg/app")
        <Reference('MyOrg/app')>
        >>> Reference.parse("myorg/App")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidReference: $: ...: repository name (myorg/App) must be lowercase
        """
        ref = cls._make(*_parse(text))
        if not normalize and str(ref) != text:
            _fail(text, f"repository name must be canonical, expected {_shown(str(ref))}")
        return ref

    @property
    def name(self) -> str:
        """The fully-qualified repository name, without tag or digest.

        >>> Reference.parse("nginx:latest").name
        'docker.io/library/nginx'
        """
        return f"{self.domain}/{self.path}"

    @property
    def familiar_name(self) -> str:
        """The name as Docker shows it: without ``docker.io/``, and without
        ``library/`` for official images (Go's ``FamiliarName``).

        >>> [Reference.parse(s).familiar_name for s in ("nginx", "myorg/app", "localhost:5000/app")]
        ['nginx', 'myorg/app', 'localhost:5000/app']
        >>> Reference.parse("library/a/b").familiar_name
        'library/a/b'
        """
        if self.domain != DEFAULT_DOMAIN:
            return self.name
        path = self.path
        if path.startswith(_OFFICIAL_PREFIX) and "/" not in path[len(_OFFICIAL_PREFIX) :]:
            return path[len(_OFFICIAL_PREFIX) :]
        return path

    @property
    def sort_key(self) -> str:
        """The key Docker sorts ``RepoTags`` and ``RepoDigests`` by: the
        fully-qualified string.

        >>> refs = [Reference.parse(s) for s in ("localhost:5000/x", "app:explicit", "127.0.0.1:5000/x")]
        >>> [r.familiar() for r in sorted(refs)]
        ['127.0.0.1:5000/x', 'app:explicit', 'localhost:5000/x']
        """
        return str(self)

    def familiar(self) -> str:
        """The short form Docker shows, keeping tag and digest (Go's ``FamiliarString``).

        >>> Reference.parse("docker.io/library/nginx:latest").familiar()
        'nginx:latest'
        >>> Reference.parse("ghcr.io/org/app@sha256:" + "f" * 64).familiar()[:30]
        'ghcr.io/org/app@sha256:fffffff'
        """
        return self._suffixed(self.familiar_name)

    def with_tag(self, tag: str) -> Reference:
        """A copy with ``tag`` as the tag; a digest is kept (Go's ``WithTag``).

        >>> Reference.parse("nginx:1").with_tag("2").familiar()
        'nginx:2'
        >>> Reference.parse("nginx").with_tag("-bad")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidReference: $: invalid reference '...:-bad': invalid tag format '-bad': ...
        """
        if not isinstance(tag, str):
            raise InvalidReference(
                f"invalid reference: tag must be a string, got {type(tag).__name__}",
                "$",
            )
        return self._make(self.domain, self.path, _check_tag(f"{self.name}:{tag}", tag), self.digest)

    def with_digest(self, digest: str) -> Reference:
        """A copy with ``digest`` as the digest; a tag is kept (Go's ``WithDigest``).

        >>> Reference.parse("nginx:1").with_digest("sha256:" + "a" * 64).familiar()[:22]
        'nginx:1@sha256:aaaaaaa'
        >>> Reference.parse("nginx").with_digest("sha256:abc")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
          ...
        imageinspect.errors.InvalidReference: $: ...: invalid digest 'sha256:abc': sha256 needs 64 lower-case hex digits
        """
        shown = f"{self.name}@{digest}" if isinstance(digest, str) else self.name
        return self._make(self.domain, self.path, self.tag, _check_digest(shown, digest))

    def name_only(self) -> Reference:
        """A copy without tag and digest (Go's ``TrimNamed``).

        >>> Reference.parse("nginx:1@sha256:" + "a" * 64).name_only()
        <Reference('docker.io/library/nginx')>
        """
        return self._make(self.domain, self.path, None, None)

    def with_default_tag(self) -> Reference:
        """A copy tagged ``latest`` if there is neither tag nor digest, else
        ``self`` (Go's ``TagNameOnly``).

        >>> Reference.parse("nginx").with_default_tag()
        <Reference('docker.io/library/nginx:latest')>
        >>> Reference.parse("nginx@sha256:" + "a" * 64).with_default_tag().tag is None
        True
        """
        if self.tag is None and self.digest is None:
            return self._make(self.domain, self.path, DEFAULT_TAG, None)
        return self

    def docker_ref(self) -> Reference:
        """The reference Docker pulls (Go's ``ParseDockerRef``): the digest
        alone if there is one, else the tag, else ``latest``.

        >>> Reference.parse("busybox").docker_ref()
        <Reference('docker.io/library/busybox:latest')>
        >>> Reference.parse("busybox:1@sha256:" + "a" * 64).docker_ref().tag is None
        True
        """
        if self.digest is not None:
            return self._make(self.domain, self.path, None, self.digest)
        return self.with_default_tag()

    def _suffixed(self, name: str) -> str:
        if self.tag is not None:
            name = f"{name}:{self.tag}"
        if self.digest is not None:
            name = f"{name}@{self.digest}"
        return name

    def __str__(self) -> str:
        return self._suffixed(self.name)

    def __repr__(self) -> str:
        return f"<Reference({str(self)!r})>"

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self.domain, self.path, self.tag, self.digest)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reference):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Reference):
            return NotImplemented
        return self.sort_key < other.sort_key

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"Reference is immutable; cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"Reference is immutable; cannot delete {name!r}")

    def __reduce__(
        self,
    ) -> tuple[type[Reference], tuple[str, str, str | None, str | None]]:
        return (Reference, self._key())


def normalized_reference(text: str) -> str:
    """``text`` as Docker compares references (``app`` is
    ``docker.io/library/app:latest``); text that is no reference as it is.

    >>> normalized_reference("app"), normalized_reference("Not A Ref")
    ('docker.io/library/app:latest', 'Not A Ref')
    """
    try:
        return str(Reference.parse(text).with_default_tag())
    except InvalidReference:
        return text


def sort_repo_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Familiar tags, sorted as Docker sorts ``RepoTags``: by the
    fully-qualified name.

    >>> sort_repo_tags(["localhost:5000/x:1", "app:1", "127.0.0.1:5000/y:2"])
    ('127.0.0.1:5000/y:2', 'app:1', 'localhost:5000/x:1')
    """
    keyed = []
    for tag in tags:
        try:
            ref = Reference.parse(tag)
            keyed.append((ref.sort_key, ref.familiar()))
        except InvalidReference:
            keyed.append((tag, tag))
    return tuple(familiar for _, familiar in sorted(keyed))
