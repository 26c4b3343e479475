"""Tests for imageinspect.values.reference.

Most tables re-express the test vectors of Go's github.com/distribution/reference
(reference_test.go, normalize_test.go) in terms of the normalised parse that
Docker uses.
"""

from __future__ import annotations

import copy
import pickle
import re
from typing import Any, cast

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from imageinspect.errors import InvalidReference
from imageinspect.values.digest import Digest
from imageinspect.values.reference import (
    DEFAULT_DOMAIN,
    DEFAULT_TAG,
    NAME_MAX_LENGTH,
    Reference,
)

F64 = "sha256:" + "f" * 64
D1 = "sha256:86e0e091d0da6bde2456dbb48306f3956bbeb2eae1b5b9a43045843f69fe4aaa"
D2 = "sha256:e6693c20186f837fc393390135d8a598a96a833917917789d63766cab6c59582"
D3 = "sha256:dbcc1c35ac38df41fd2f5e4130b32ffdb93ebae8b3dbe638c23575912276fc9c"
SHA512 = "sha512:" + "f" * 128
HEX64 = "1a3f5e7d9c1b3a5f7e9d1c3b5a7f9e1d3c5b7a9f1e3d5d7c9b1a3f5e7d9c1b3a"


def raises_invalid(text: object, *, normalize: bool = True) -> InvalidReference:
    with pytest.raises(InvalidReference) as info:
        Reference.parse(cast(Any, text), normalize=normalize)
    error = info.value
    assert error.location == "$"
    assert "\n" not in error.message
    return error


# --------------------------------------------------------------------------
# Parsing: Go's TestReferenceParse vectors, normalised.
# (input, domain, path, tag, digest)

PARSE_OK = [
    ("test_com", "docker.io", "library/test_com", None, None),
    ("test.com:tag", "docker.io", "library/test.com", "tag", None),
    ("test.com:5000", "docker.io", "library/test.com", "5000", None),
    ("test.com/repo:tag", "test.com", "repo", "tag", None),
    ("test:5000/repo", "test:5000", "repo", None, None),
    ("test:5000/repo:tag", "test:5000", "repo", "tag", None),
    (f"test:5000/repo@{F64}", "test:5000", "repo", None, F64),
    (f"test:5000/repo:tag@{F64}", "test:5000", "repo", "tag", F64),
    ("lowercase:Uppercase", "docker.io", "library/lowercase", "Uppercase", None),
    (
        "a/" * 127 + "a:tag-puts-this-over-max",
        "docker.io",
        "a/" * 127 + "a",
        "tag-puts-this-over-max",
        None,
    ),
    ("sub-dom1.foo.com/bar/baz/quux", "sub-dom1.foo.com", "bar/baz/quux", None, None),
    (
        "sub-dom1.foo.com/bar/baz/quux:some-long-tag",
        "sub-dom1.foo.com",
        "bar/baz/quux",
        "some-long-tag",
        None,
    ),
    (
        "b.gcr.io/test.example.com/my-app:test.example.com",
        "b.gcr.io",
        "test.example.com/my-app",
        "test.example.com",
        None,
    ),
    ("xn--n3h.com/myimage:xn--n3h.com", "xn--n3h.com", "myimage", "xn--n3h.com", None),
    (
        f"xn--7o8h.com/myimage:xn--7o8h.com@{F64}",
        "xn--7o8h.com",
        "myimage",
        "xn--7o8h.com",
        F64,
    ),
    ("foo_bar.com:8080", "docker.io", "library/foo_bar.com", "8080", None),
    ("foo/foo_bar.com:8080", "docker.io", "foo/foo_bar.com", "8080", None),
    ("192.168.1.1", "docker.io", "library/192.168.1.1", None, None),
    ("192.168.1.1:tag", "docker.io", "library/192.168.1.1", "tag", None),
    ("192.168.1.1:5000", "docker.io", "library/192.168.1.1", "5000", None),
    ("192.168.1.1/repo", "192.168.1.1", "repo", None, None),
    ("192.168.1.1:5000/repo", "192.168.1.1:5000", "repo", None, None),
    ("192.168.1.1:5000/repo:5050", "192.168.1.1:5000", "repo", "5050", None),
    ("[2001:db8::1]/repo", "[2001:db8::1]", "repo", None, None),
    ("[2001:db8:1:2:3:4:5:6]/repo:tag", "[2001:db8:1:2:3:4:5:6]", "repo", "tag", None),
    ("[2001:db8::1]:5000/repo", "[2001:db8::1]:5000", "repo", None, None),
    ("[2001:db8::1]:5000/repo:tag", "[2001:db8::1]:5000", "repo", "tag", None),
    (f"[2001:db8::1]:5000/repo@{F64}", "[2001:db8::1]:5000", "repo", None, F64),
    (f"[2001:db8::1]:5000/repo:tag@{F64}", "[2001:db8::1]:5000", "repo", "tag", F64),
    ("[2001:db8::]:5000/repo", "[2001:db8::]:5000", "repo", None, None),
    ("[::1]:5000/repo", "[::1]:5000", "repo", None, None),
    ("example.com/" + "a" * 255 + ":tag", "example.com", "a" * 255, "tag", None),
    # Go rejects sha512 only because crypto/sha512 is not linked into its tests.
    (f"validname@{SHA512}", "docker.io", "library/validname", None, SHA512),
    # TestParseReferenceWithTagAndDigest
    (f"busybox:latest@{D1}", "docker.io", "library/busybox", "latest", D1),
]


@pytest.mark.parametrize(("text", "domain", "path", "tag", "digest"), PARSE_OK)
def test_parse(text: str, domain: str, path: str, tag: str | None, digest: str | None) -> None:
    ref = Reference.parse(text)
    assert (ref.domain, ref.path, ref.tag, ref.digest) == (domain, path, tag, digest)
    assert ref.name == f"{domain}/{path}"
    assert ref.digest is None or type(ref.digest) is Digest
    assert Reference.parse(str(ref), normalize=False) == ref
    assert Reference.parse(ref.familiar()) == ref


# (input, words the message must contain)
PARSE_ERRORS = [
    ("", "must have at least one component"),
    (":justtag", "invalid reference format"),
    (f"@{F64}", "invalid reference format"),
    ("repo@sha256:" + "f" * 34, "sha256 needs 64 lower-case hex digits"),
    (f"validname@invaliddigest:{'f' * 64}", "unsupported algorithm 'invaliddigest'"),
    ("Uppercase:tag", "repository name (library/Uppercase) must be lowercase"),
    ("test:5000/Uppercase/lowercase:tag", "(Uppercase/lowercase) must be lowercase"),
    ("domain/" + "a" * 256 + ":tag", "must not be more than 255 characters (it has 263)"),
    ("aa/asdf$$^/aa", "invalid reference format"),
    ("[2001:db8::1]", "invalid reference format"),
    ("[2001:db8::1]:5000", "invalid reference format"),
    ("[2001:db8::1]:tag", "invalid reference format"),
    ("[fe80::1%eth0]:5000/repo", "not a valid registry host"),
    ("[fe80::1%@invalidzone]:5000/repo", "invalid"),
    # TestValidateReferenceName, invalid names
    ("https://github.com/docker/docker", "not a valid registry host"),
    ("docker/Docker", "repository name (docker/Docker) must be lowercase"),
    ("-docker", "invalid reference format"),
    ("-docker/docker", "invalid reference format"),
    ("-docker.io/docker/docker", "not a valid registry host"),
    ("docker///docker", "invalid reference format"),
    ("docker.io/docker/Docker", "must be lowercase"),
    ("docker.io/docker///docker", "invalid reference format"),
    ("[fc00::1]", "invalid reference format"),
    ("[fc00::1]:5000", "invalid reference format"),
    ("fc00::1:5000/debian", "not a valid registry host"),
    ("[fe80::1%eth0]:5000/debian", "not a valid registry host"),
    ("[2001:db8:3:4::192.0.2.33]:5000/debian", "not a valid registry host"),
    (HEX64, "cannot specify 64-byte hexadecimal strings"),
    # TestValidateRemoteName, invalid names
    ("docker-/docker", "invalid reference format"),
    ("-docker-/docker", "invalid reference format"),
    ("____/____", "invalid reference format"),
    ("_docker/_docker", "invalid reference format"),
    ("dock..er/docker", "invalid reference format"),
    ("dock_.er/docker", "invalid reference format"),
    ("dock-.er/docker", "invalid reference format"),
    ("docker/", "invalid reference format"),
    ("this_is_not_a_valid_namespace_because_its_lenth_is_greater_than_255" * 4 + "/docker", "255"),
    # TestInvalidReferenceComponents
    ("-foo", "invalid reference format"),
    # Tags and digests.
    ("nginx:", "invalid tag format ''"),
    ("nginx:-x", "invalid tag format '-x'"),
    ("nginx:.x", "invalid tag format '.x'"),
    ("nginx:a+b", "invalid tag format 'a+b'"),
    ("nginx:" + "a" * 129, "invalid tag format"),
    ("nginx:tag\n", "invalid tag format"),
    ("nginx@", "invalid digest ''"),
    ("nginx@sha256:" + "A" * 64, "lower-case hex"),
    ("nginx@md5:d41d8cd98f00b204e9800998ecf8427e", "unsupported algorithm 'md5'"),
    (f"nginx@{F64}@{F64}", "invalid digest"),
    (f"nginx:a:b@{F64}", "invalid reference format"),
    # Our deliberate deviation: Go would silently make "foo_bar.com" part of
    # a domain-less path.
    ("foo_bar.com/x", "'foo_bar.com' is not a valid registry host"),
    # Other odd inputs.
    (" nginx", "invalid reference format"),
    ("nginx ", "invalid reference format"),
    ("ngïnx", "invalid reference format"),
    ("localhost:port/x", "not a valid registry host"),
    ("a.b:/x", "not a valid registry host"),
    ("/nginx", "invalid reference format"),
]


@pytest.mark.parametrize(("text", "words"), PARSE_ERRORS)
def test_parse_errors(text: str, words: str) -> None:
    error = raises_invalid(text)
    assert words in error.message
    assert error.message.startswith("invalid reference ")
    assert str(error) == f"$: {error.message}"


def test_error_message_names_input() -> None:
    assert raises_invalid("Foo/Bar").message == ("invalid reference 'Foo/Bar': repository name (Bar) must be lowercase")
    long = "x" * 300
    message = raises_invalid(long).message
    assert message.startswith("invalid reference 'xxxx")
    assert "…" in message
    assert len(message) < 250


@pytest.mark.parametrize("value", [None, 5, 1.5, b"nginx", ["nginx"], object()])
def test_parse_non_string(value: object) -> None:
    error = raises_invalid(value)
    assert "expected a string, got" in error.message
    raises_invalid(value, normalize=False)


def test_path_length_limit() -> None:
    # The limit applies to the path (including an added "library/"), not the domain.
    assert len(Reference.parse("a" * (NAME_MAX_LENGTH - 8)).path) == NAME_MAX_LENGTH
    assert "(it has 256)" in raises_invalid("a" * (NAME_MAX_LENGTH - 7)).message
    long_domain = ".".join(["d" * 60] * 5)
    assert len(Reference.parse(f"{long_domain}/{'a' * 255}").name) > 255
    error = raises_invalid("x.io/" + "a" * 300)
    assert "must not be more than 255 characters" in error.message
    assert "repository name (aaa" in error.message


# --------------------------------------------------------------------------
# Validity lists (TestValidateReferenceName, TestValidateRemoteName).

VALID_NAMES = [
    "docker/docker",
    "library/debian",
    "debian",
    "localhost/library/debian",
    "localhost/debian",
    "LOCALDOMAIN/library/debian",
    "LOCALDOMAIN/debian",
    "docker.io/docker/docker",
    "docker.io/library/debian",
    "docker.io/debian",
    "index.docker.io/docker/docker",
    "index.docker.io/library/debian",
    "index.docker.io/debian",
    "127.0.0.1:5000/docker/docker",
    "127.0.0.1:5000/library/debian",
    "127.0.0.1:5000/debian",
    "192.168.0.1",
    "192.168.0.1:80",
    "192.168.0.1:8/debian",
    "192.168.0.2:25000/debian",
    "thisisthesongthatneverendsitgoesonandonandonthisisthesongthatnev",
    "[fc00::1]:5000/docker",
    "[fc00::1]:5000/docker/docker",
    "[fc00:1:2:3:4:5:6:7]:5000/library/debian",
    f"docker.io/{HEX64}",
    "Docker/docker",
    "DOCKER/docker",
    "docker-rules/docker",
    "docker---rules/docker",
    "doc/docker",
    "d/docker",
    "jess/t",
    "dock__er/docker",
    HEX64[:63],
    "dbcc1",
]


@pytest.mark.parametrize("text", VALID_NAMES)
def test_valid_names(text: str) -> None:
    ref = Reference.parse(text)
    assert Reference.parse(str(ref)) == ref
    if ref.familiar() != HEX64:  # as in Go, a bare 64-hex name is taken for an ID
        assert Reference.parse(ref.familiar()) == ref


# --------------------------------------------------------------------------
# Normalisation and familiar forms (TestParseRepositoryInfo).
# (path, familiar name, full name, other spelling or "", domain)

REPOSITORY_INFO = [
    ("fooo", "localhost/fooo", "localhost/fooo", "", "localhost"),
    ("fooo/bar", "localhost/fooo/bar", "localhost/fooo/bar", "", "localhost"),
    ("fooo", "LOCALDOMAIN/fooo", "LOCALDOMAIN/fooo", "", "LOCALDOMAIN"),
    ("fooo/bar", "LOCALDOMAIN/fooo/bar", "LOCALDOMAIN/fooo/bar", "", "LOCALDOMAIN"),
    ("fooo/bar", "fooo/bar", "docker.io/fooo/bar", "index.docker.io/fooo/bar", "docker.io"),
    ("library/ubuntu", "ubuntu", "docker.io/library/ubuntu", "library/ubuntu", "docker.io"),
    ("nonlibrary/ubuntu", "nonlibrary/ubuntu", "docker.io/nonlibrary/ubuntu", "", "docker.io"),
    ("other/library", "other/library", "docker.io/other/library", "", "docker.io"),
    (
        "private/moonbase",
        "127.0.0.1:8000/private/moonbase",
        "127.0.0.1:8000/private/moonbase",
        "",
        "127.0.0.1:8000",
    ),
    (
        "privatebase",
        "127.0.0.1:8000/privatebase",
        "127.0.0.1:8000/privatebase",
        "",
        "127.0.0.1:8000",
    ),
    (
        "private/moonbase",
        "example.com/private/moonbase",
        "example.com/private/moonbase",
        "",
        "example.com",
    ),
    ("privatebase", "example.com/privatebase", "example.com/privatebase", "", "example.com"),
    (
        "private/moonbase",
        "example.com:8000/private/moonbase",
        "example.com:8000/private/moonbase",
        "",
        "example.com:8000",
    ),
    (
        "privatebasee",
        "example.com:8000/privatebasee",
        "example.com:8000/privatebasee",
        "",
        "example.com:8000",
    ),
    (
        "library/ubuntu-12.04-base",
        "ubuntu-12.04-base",
        "docker.io/library/ubuntu-12.04-base",
        "index.docker.io/library/ubuntu-12.04-base",
        "docker.io",
    ),
    ("library/foo", "foo", "docker.io/library/foo", "docker.io/foo", "docker.io"),
    ("library/foo/bar", "library/foo/bar", "docker.io/library/foo/bar", "", "docker.io"),
    ("store/foo/bar", "store/foo/bar", "docker.io/store/foo/bar", "", "docker.io"),
    ("bar", "Foo/bar", "Foo/bar", "", "Foo"),
    ("bar", "FOO/bar", "FOO/bar", "", "FOO"),
]


@pytest.mark.parametrize(("path", "familiar", "full", "other", "domain"), REPOSITORY_INFO)
def test_repository_info(path: str, familiar: str, full: str, other: str, domain: str) -> None:
    for text in filter(None, (familiar, full, other)):
        ref = Reference.parse(text)
        assert ref.familiar_name == familiar
        assert ref.familiar() == familiar
        assert ref.name == full
        assert str(ref) == full
        assert ref.domain == domain
        assert ref.path == path


# TestNormalizedSplitHostname and TestDomainAndPath: (input, domain, path)
SPLIT = [
    ("test.com/foo", "test.com", "foo"),
    ("test_com/foo", "docker.io", "test_com/foo"),
    ("docker/migrator", "docker.io", "docker/migrator"),
    ("test.com:8080/foo", "test.com:8080", "foo"),
    ("test-com:8080/foo", "test-com:8080", "foo"),
    ("test:8080/foo", "test:8080", "foo"),
    ("foo", "docker.io", "library/foo"),
    ("xn--n3h.com/foo", "xn--n3h.com", "foo"),
    ("xn--n3h.com:18080/foo", "xn--n3h.com:18080", "foo"),
    ("docker.io/foo", "docker.io", "library/foo"),
    ("docker.io/library/foo", "docker.io", "library/foo"),
    ("docker.io/library/foo/bar", "docker.io", "library/foo/bar"),
    ("index.docker.io/foo", "docker.io", "library/foo"),
    ("localhost/foo", "localhost", "foo"),
    ("localhost", "docker.io", "library/localhost"),
    ("localhost:5000", "docker.io", "library/localhost"),
    ("docker.io", "docker.io", "library/docker.io"),
    ("Localhost/foo", "Localhost", "foo"),
    ("LOCALHOST:5000/a/b/c", "LOCALHOST:5000", "a/b/c"),
    ("[::1]/foo", "[::1]", "foo"),
]


@pytest.mark.parametrize(("text", "domain", "path"), SPLIT)
def test_split_domain(text: str, domain: str, path: str) -> None:
    ref = Reference.parse(text)
    assert (ref.domain, ref.path) == (domain, path)


def test_familiar_keeps_tag_and_digest() -> None:
    ref = Reference.parse(f"docker.io/library/busybox:latest@{D1}")
    assert ref.familiar() == f"busybox:latest@{D1}"
    assert Reference.parse(f"busybox@{D1}").familiar() == f"busybox@{D1}"
    assert Reference.parse("localhost:5000/app:v1").familiar() == "localhost:5000/app:v1"
    assert Reference.parse("library/a/b:x").familiar() == "library/a/b:x"
    assert Reference.parse("docker.io/org/app:x").familiar() == "org/app:x"


# --------------------------------------------------------------------------
# Strict parsing (TestParseNamed).

STRICT = [
    ("test.com/foo", "test.com", "foo"),
    ("test:8080/foo", "test:8080", "foo"),
    ("test_com/foo", None, None),
    ("test.com", None, None),
    ("foo", None, None),
    ("library/foo", None, None),
    ("docker.io/library/foo", "docker.io", "library/foo"),
    ("docker.io/foo", None, None),
    ("index.docker.io/library/foo", None, None),
    ("docker.io/library/foo:latest", "docker.io", "library/foo"),
    (f"localhost:5000/foo:x@{F64}", "localhost:5000", "foo"),
]


@pytest.mark.parametrize(("text", "domain", "path"), STRICT)
def test_parse_strict(text: str, domain: str | None, path: str | None) -> None:
    if domain is None:
        error = raises_invalid(text, normalize=False)
        expected = str(Reference.parse(text))
        assert error.message == (
            f"invalid reference {text!r}: repository name must be canonical, expected {expected!r}"
        )
    else:
        ref = Reference.parse(text, normalize=False)
        assert (ref.domain, ref.path) == (domain, path)
        assert str(ref) == text


@pytest.mark.parametrize(("text", "words"), PARSE_ERRORS[:10])
def test_parse_strict_reports_the_real_error(text: str, words: str) -> None:
    assert words in raises_invalid(text, normalize=False).message


# --------------------------------------------------------------------------
# Tags and digests (TestWithTag, TestWithDigest, TestParseDockerRef).


@pytest.mark.parametrize(
    ("name", "digest", "tag", "combined"),
    [
        ("test.com/foo", None, "tag", "test.com/foo:tag"),
        ("foo", None, "tag2", "docker.io/library/foo:tag2"),
        ("test.com:8000/foo", None, "tag4", "test.com:8000/foo:tag4"),
        ("test.com:8000/foo", None, "TAG5", "test.com:8000/foo:TAG5"),
        ("test.com:8000/foo", D3, "TAG5", f"test.com:8000/foo:TAG5@{D3}"),
        ("test.com:8000/foo:old", None, "new", "test.com:8000/foo:new"),
        ("foo", None, "_" + "x" * 127, "docker.io/library/foo:_" + "x" * 127),
    ],
)
def test_with_tag(name: str, digest: str | None, tag: str, combined: str) -> None:
    ref = Reference.parse(name)
    if digest is not None:
        ref = ref.with_digest(digest)
    assert str(ref.with_tag(tag)) == combined
    assert ref.with_tag(tag).digest == digest


@pytest.mark.parametrize(
    ("name", "tag", "digest", "combined"),
    [
        ("test.com/foo", None, D3, f"test.com/foo@{D3}"),
        ("foo", None, D3, f"docker.io/library/foo@{D3}"),
        ("test.com:8000/foo", None, D3, f"test.com:8000/foo@{D3}"),
        ("test.com:8000/foo", "latest", D3, f"test.com:8000/foo:latest@{D3}"),
        ("test.com:8000/foo", None, SHA512, f"test.com:8000/foo@{SHA512}"),
    ],
)
def test_with_digest(name: str, tag: str | None, digest: str, combined: str) -> None:
    ref = Reference.parse(name)
    if tag is not None:
        ref = ref.with_tag(tag)
    result = ref.with_digest(digest)
    assert str(result) == combined
    assert type(result.digest) is Digest
    assert result.with_digest(Digest(F64)).digest == F64


@pytest.mark.parametrize("tag", ["-foo", "", ".x", "a b", "a:b", "a@b", "x" * 129, "é"])
def test_with_tag_invalid(tag: str) -> None:
    with pytest.raises(InvalidReference) as info:
        Reference.parse("busybox").with_tag(tag)
    assert info.value.location == "$"
    assert "invalid tag format" in info.value.message
    assert "docker.io/library/busybox:" in info.value.message


@pytest.mark.parametrize(
    ("digest", "words"),
    [
        ("foo", "expected 'algorithm:hex'"),
        ("sha256:1234567890098765432112345667890098765", "64 lower-case hex"),
        ("md5:" + "0" * 32, "unsupported algorithm"),
        (5, "expected a digest string, got int"),
        (None, "expected a digest string, got NoneType"),
    ],
)
def test_with_digest_invalid(digest: object, words: str) -> None:
    with pytest.raises(InvalidReference) as info:
        Reference.parse("busybox").with_digest(cast(Any, digest))
    assert info.value.location == "$"
    assert words in info.value.message
    assert info.value.message.startswith("invalid reference 'docker.io/library/busybox")


@pytest.mark.parametrize("tag", [None, 5, b"x"])
def test_with_tag_non_string(tag: object) -> None:
    with pytest.raises(InvalidReference) as info:
        Reference.parse("busybox").with_tag(cast(Any, tag))
    assert "tag must be a string" in info.value.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:latest", "docker.io/library/busybox:latest"),
        (f"busybox@{D2}", f"docker.io/library/busybox@{D2}"),
        ("library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/library/busybox", "docker.io/library/busybox:latest"),
        ("docker.io/busybox:latest", "docker.io/library/busybox:latest"),
        ("library/busybox:latest", "docker.io/library/busybox:latest"),
        ("docker.io/library/busybox:latest", "docker.io/library/busybox:latest"),
        ("gcr.io/library/busybox", "gcr.io/library/busybox:latest"),
        (f"gcr.io/library/busybox:latest@{D2}", f"gcr.io/library/busybox@{D2}"),
    ],
)
def test_docker_ref(text: str, expected: str) -> None:
    ref = Reference.parse(text).docker_ref()
    assert str(ref) == expected
    assert Reference.parse(expected, normalize=False) == ref


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("busybox", "docker.io/library/busybox:latest"),
        ("busybox:1", "docker.io/library/busybox:1"),
        (f"busybox@{D2}", f"docker.io/library/busybox@{D2}"),
        (f"busybox:1@{D2}", f"docker.io/library/busybox:1@{D2}"),
    ],
)
def test_with_default_tag(text: str, expected: str) -> None:
    assert str(Reference.parse(text).with_default_tag()) == expected
    assert DEFAULT_TAG == "latest"
    assert DEFAULT_DOMAIN == "docker.io"


def test_name_only() -> None:
    ref = Reference.parse(f"[::1]:5000/a/b:t@{D1}")
    trimmed = ref.name_only()
    assert str(trimmed) == "[::1]:5000/a/b"
    assert (trimmed.tag, trimmed.digest) == (None, None)
    assert trimmed.name == ref.name


# --------------------------------------------------------------------------
# Value semantics.


def test_value_semantics() -> None:
    a = Reference.parse("nginx")
    b = Reference.parse("docker.io/library/nginx")
    assert a == b
    assert hash(a) == hash(b)
    assert a != Reference.parse("nginx:latest")
    assert a != "docker.io/library/nginx"
    assert len({a, b, a.with_default_tag()}) == 2
    assert repr(a.with_default_tag()) == "<Reference('docker.io/library/nginx:latest')>"
    assert str(a) == "docker.io/library/nginx"
    with pytest.raises(AttributeError):
        a.tag = "x"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        del a.domain
    with pytest.raises(AttributeError):
        a.extra = 1
    ref = Reference.parse(f"localhost:5000/app:v1@{D1}")
    assert pickle.loads(pickle.dumps(ref)) == ref
    assert copy.copy(ref) == ref
    assert copy.deepcopy(ref) == ref
    assert type(pickle.loads(pickle.dumps(ref)).digest) is Digest


def test_sort_order() -> None:
    texts = [
        "localhost:5000/app:1",
        "app:explicit",
        "127.0.0.1:5000/x",
        "app",
        f"app@{D1}",
        "myorg/app",
        "Registry/app",
    ]
    refs = sorted(Reference.parse(t) for t in texts)
    assert [str(r) for r in refs] == [
        "127.0.0.1:5000/x",
        "Registry/app",
        "docker.io/library/app",
        "docker.io/library/app:explicit",
        f"docker.io/library/app@{D1}",
        "docker.io/myorg/app",
        "localhost:5000/app:1",
    ]
    assert [r.sort_key for r in refs] == sorted(str(r) for r in refs)
    a, b = Reference.parse("a"), Reference.parse("b")
    assert a < b
    assert a <= b
    assert b > a
    assert b >= a
    assert a <= a
    assert a >= a
    assert not (a < a)
    with pytest.raises(TypeError):
        _ = a < cast(Any, "b")


# --------------------------------------------------------------------------
# The constructor.


def test_constructor() -> None:
    ref = Reference("ghcr.io", "org/app", "v1", D1)
    assert ref == Reference.parse(f"ghcr.io/org/app:v1@{D1}")
    assert type(ref.digest) is Digest
    assert Reference("docker.io", "library/nginx") == Reference.parse("nginx")
    assert Reference("LOCAL", "x").domain == "LOCAL"
    assert Reference("[::1]:5000", "x").name == "[::1]:5000/x"


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (("docker.io", "nginx"), "must be canonical, expected 'docker.io/library/nginx'"),
        (("index.docker.io", "library/nginx"), "must be canonical"),
        (("myorg", "app"), "must be canonical, expected 'docker.io/myorg/app'"),
        (("a_b.com", "app"), "not a valid registry host"),
        (("", "app"), "not a valid registry host"),
        (("a.com", ""), "invalid reference format"),
        (("a.com", "App"), "must be lowercase"),
        (("a.com", "a:b"), "invalid reference format"),
        (("a.com", "a@b"), "invalid reference format"),
        (("a.com", "x", "-t"), "invalid tag format"),
        (("a.com", "x", "t@" + F64), "invalid tag format"),
        (("a.com", "x", None, "sha256:x"), "invalid digest"),
        (("a.com", "a" * 256), "must not be more than 255"),
        ((5, "x"), "domain must be a string, got int"),
        (("a.com", None), "path must be a string, got NoneType"),
        (("a.com", "x", 1), "tag must be a string, got int"),
        (("a.com", "x", None, b"sha256:"), "digest must be a string, got bytes"),
    ],
)
def test_constructor_errors(args: tuple[Any, ...], words: str) -> None:
    with pytest.raises(InvalidReference) as info:
        Reference(*args)
    assert info.value.location == "$"
    assert words in info.value.message


# --------------------------------------------------------------------------
# Properties.

_LABEL = st.from_regex(r"[a-zA-Z0-9]([a-zA-Z0-9-]{0,8}[a-zA-Z0-9])?", fullmatch=True)
_PORT = st.integers(0, 65535).map(lambda p: f":{p}")
_HOSTNAME = st.lists(_LABEL, min_size=2, max_size=4).map(".".join)
_IPV4 = st.tuples(*[st.integers(0, 255)] * 4).map(lambda t: ".".join(map(str, t)))
# Without a ":" (or ".") the first component is not taken for a domain.
_IPV6 = st.from_regex(r"\[[a-fA-F0-9:]{0,19}:[a-fA-F0-9:]{0,19}\]", fullmatch=True)
_UPPER = st.from_regex(r"[a-z0-9]{0,5}[A-Z][a-zA-Z0-9]{0,5}", fullmatch=True)
DOMAINS = st.one_of(
    st.sampled_from(["docker.io", "localhost", "ghcr.io", "quay.io"]),
    st.tuples(st.one_of(_HOSTNAME, _IPV4, _IPV6, st.just("localhost"), _UPPER), _PORT).map("".join),
    _HOSTNAME,
    _IPV4,
    _IPV6,
    _UPPER,
    _LABEL.map(lambda label: f"{label}:5000"),
)
_COMPONENT = st.from_regex(r"[a-z0-9]{1,6}(?:(?:[._]|__|-{1,3})[a-z0-9]{1,6}){0,3}", fullmatch=True)
PATHS = st.lists(_COMPONENT, min_size=1, max_size=6).map("/".join)
TAGS = st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}", fullmatch=True)
DIGESTS = st.one_of(
    st.binary(max_size=8).map(Digest.of),
    st.binary(max_size=8).map(lambda b: Digest.of(b, "sha512")),
)


@st.composite
def references(draw: st.DrawFn) -> Reference:
    domain = draw(DOMAINS)
    path = draw(PATHS)
    assume(domain != "index.docker.io" and len(path) <= NAME_MAX_LENGTH)
    if domain == "docker.io" and "/" not in path:
        path = "library/" + path
    tag = draw(st.none() | TAGS)
    digest = draw(st.none() | DIGESTS)
    return Reference(domain, path, tag, digest)


def _looks_like_domain(familiar_name: str) -> bool:
    """As in Go, a Docker Hub path whose first component looks like a host
    ("docker.io/0.0/app", "docker.io/localhost/app") has a familiar form that
    does not parse back to it."""
    first, slash, _ = familiar_name.partition("/")
    return bool(slash) and (first == "localhost" or "." in first or ":" in first)


def test_familiar_form_can_be_ambiguous() -> None:
    ref = Reference.parse("docker.io/example.com/app")
    assert ref.familiar() == "example.com/app"
    assert Reference.parse(ref.familiar()).domain == "example.com"
    assert Reference.parse("docker.io/localhost/app").familiar() == "localhost/app"


@given(references())
@example(Reference.parse(f"[::1]:5000/a__b.c---d/e:T.1@{D1}"))
@example(Reference.parse("LOCALHOST/library/x"))
@example(Reference.parse("docker.io/library/a/b"))
def test_round_trip(ref: Reference) -> None:
    assert Reference.parse(str(ref)) == ref
    assert Reference.parse(str(ref), normalize=False) == ref
    if not _looks_like_domain(ref.familiar_name):
        assert Reference.parse(ref.familiar()) == ref
        assert Reference.parse(ref.familiar_name) == ref.name_only()
    assert Reference(ref.domain, ref.path, ref.tag, ref.digest) == ref
    assert ref.with_tag("x").tag == "x"
    assert ref.name_only().with_default_tag().tag == "latest"
    assert pickle.loads(pickle.dumps(ref)) == ref


@given(st.one_of(st.text(), st.binary(), st.integers(), st.none()))
def test_parse_never_raises_anything_else(value: object) -> None:
    for normalize in (True, False):
        try:
            ref = Reference.parse(cast(Any, value), normalize=normalize)
        except InvalidReference as error:
            failure: InvalidReference | None = error
        else:
            failure = None
            assert Reference.parse(str(ref)) == ref
        assert failure is None or failure.location == "$"


# A transliteration of Go's ParseNormalizedNamed, built on the single anchored
# regular expression of regexp.go, as an oracle for the hand-written parser.
_GO_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*"
_GO_REMOTE = rf"{_GO_COMPONENT}(?:/{_GO_COMPONENT})*"
_GO_DLABEL = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_GO_DOMAIN = rf"(?:{_GO_DLABEL}(?:\.{_GO_DLABEL})*|\[(?:[a-fA-F0-9:]+)\])(?::[0-9]+)?"
_GO_DIGEST = r"[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}"
_GO_TAG = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"
_GO_REFERENCE = re.compile(rf"((?:{_GO_DOMAIN}/)?{_GO_REMOTE})(?::({_GO_TAG}))?(?:@({_GO_DIGEST}))?")
_GO_NAME = re.compile(rf"(?:({_GO_DOMAIN})/)?({_GO_REMOTE})")


def _go_parse_normalized(s: str) -> tuple[str, str, str | None, str | None] | None:
    if re.fullmatch(r"[a-f0-9]{64}", s):
        return None
    first, slash, rest = s.partition("/")
    if not slash:
        domain, remainder = "docker.io", "library/" + s
    else:
        if first == "localhost" or ("." in first or ":" in first) or first.lower() != first:
            domain, remainder = first, rest
        else:
            domain, remainder = "docker.io", s
        if first == "index.docker.io":
            domain = "docker.io"
        if domain == "docker.io" and "/" not in remainder:
            remainder = "library/" + remainder
    remote = remainder.split(":", 1)[0]
    if remote.lower() != remote:
        return None
    match = _GO_REFERENCE.fullmatch(f"{domain}/{remainder}")
    if match is None:
        return None
    name, tag, digest = match.groups()
    name_match = _GO_NAME.fullmatch(name)
    assert name_match is not None
    go_domain, path = name_match.groups()
    if len(path) > 255:
        return None
    if digest is not None:
        try:
            Digest(digest)
        except ValueError:
            return None
    return (go_domain or "", path, tag, digest)


_TOKENS = st.sampled_from(
    [
        *"aAz09:._-/@[]",
        "__",
        "--",
        "docker.io",
        "index.docker.io",
        "localhost",
        "library",
        "ex.com",
        ":5000",
        "[::1]",
        "latest",
        F64,
        SHA512,
        HEX64,
        "sha256:",
    ]
)


@given(st.lists(_TOKENS, max_size=12).map("".join))
@example("foo_bar.com/x")
@example("a.b_c/d:e")
@example(f"foo@SHA256:{'a' * 64}")
def test_agrees_with_go_grammar(text: str) -> None:
    expected = _go_parse_normalized(text)
    try:
        ref = Reference.parse(text)
    except InvalidReference:
        # The one deliberate difference: a first component that contains a
        # "." but is not a valid host ("foo_bar.com") is rejected, where Go
        # quietly returns a reference with an empty domain.
        assert expected is None or expected[0] == ""
    else:
        assert expected == (ref.domain, ref.path, ref.tag, ref.digest)
