"""Choosing one image of several: ``@N``, tags (normalised), image IDs and
short ones, platforms; and the errors that say how to ask instead."""

from __future__ import annotations

import pytest

from imageinspect.errors import AmbiguousImage, ArchiveError
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.select import choose, positions_named
from imageinspect.values.digest import Digest
from imageinspect.values.platform import Platform

A = Digest.of(b"a")
B = Digest.of(b"b")


def _entry(config: Digest | None, *refs: str, platform: str | None = None) -> Entry:
    return Entry(
        "docker-archive",
        refs,
        f"{config}.json",
        config,
        (),
        platform=None if platform is None else Platform.parse(platform),
    )


def test_by_position_tag_and_id() -> None:
    entries = [_entry(A, "app:1"), _entry(B, "docker.io/library/app:2")]
    assert choose(entries, "@1", None, "x.tar") is entries[1]
    assert choose(entries, "app:2", None, "x.tar") is entries[1]  # normalised
    assert choose(entries, str(A), None, "x.tar") is entries[0]
    assert choose(entries, A.encoded[:6], None, "x.tar") is entries[0]


def test_several_without_a_ref_lists_how_to_ask() -> None:
    entries = [_entry(A, "app:1"), _entry(B)]
    with pytest.raises(AmbiguousImage) as info:
        choose(entries, None, None, "x.tar")
    assert info.value.choices == ("app:1", "@1")
    assert info.value.location == "x.tar"


def test_unknown_names_and_positions() -> None:
    entries = [_entry(A, "app:1")]
    with pytest.raises(ArchiveError, match=r"no image 'nope' in the archive \(it has: app:1\)"):
        choose(entries, "nope", None, "x.tar")
    with pytest.raises(ArchiveError, match=r"the archive holds 1 \(@0 to @0\)"):
        choose(entries, "@3", None, "x.tar")


def test_platform_chooses_among_a_tags_images() -> None:
    entries = [_entry(A, "app:1", platform="linux/amd64"), _entry(B, "app:1", platform="linux/arm64/v8")]
    assert choose(entries, "app:1", "linux/arm64", "x.tar") is entries[1]
    assert choose(entries, "app:1", None, "x.tar") is entries[0]  # the default platform
    with pytest.raises(ArchiveError, match="no image for platform linux/s390x"):
        choose(entries, "app:1", "linux/s390x", "x.tar")


def test_short_ids_need_four_hex_digits() -> None:
    tags, ids = [(), ()], [{str(A)}, {str(B)}]
    assert positions_named(A.encoded[:4], tags, ids) == [0]
    assert positions_named(A.encoded[:3], tags, ids) == []
    assert positions_named("@2", tags, ids) == []
