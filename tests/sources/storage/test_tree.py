"""Where images are read from: a directory, an archive's path, its bytes, or
a binary file object (a service's upload), compressed or not; a caller's
file is read in place and left open, a stream that cannot seek is copied
once, and every error names where."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import IO, Any, cast

import pytest

from imageinspect import ArchiveError, LimitExceeded, Limits, list_images, open_image
from imageinspect.sources.storage.tree import DirTree, open_tree
from tests.conftest import DATA, REPO

HELLO = REPO / "examples" / "hello.tar"


class _Pipe(io.RawIOBase):
    """A stream that cannot seek, as a socket or a request body."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 1000))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def _pipe(data: bytes) -> IO[bytes]:
    return cast("IO[bytes]", io.BufferedReader(cast(Any, _Pipe(data))))


def _expected() -> tuple[str, ...]:
    with open_image(HELLO) as image:
        return (str(image.id), *image.repo_tags)


@pytest.mark.parametrize(
    "make",
    [
        lambda: HELLO.read_bytes(),
        lambda: bytearray(HELLO.read_bytes()),
        lambda: memoryview(HELLO.read_bytes()),
        lambda: io.BytesIO(HELLO.read_bytes()),
        lambda: _pipe(HELLO.read_bytes()),
        lambda: gzip.compress(HELLO.read_bytes()),
        lambda: _pipe(gzip.compress(HELLO.read_bytes())),
    ],
    ids=["bytes", "bytearray", "memoryview", "BytesIO", "pipe", "gzip-bytes", "gzip-pipe"],
)
def test_every_kind_of_source_opens_the_same_image(make: object) -> None:
    source = make()  # type: ignore[operator]
    with open_image(source) as image:
        assert (str(image.id), *image.repo_tags) == _expected()
        assert image.verify().ok


def test_a_callers_file_is_read_in_place_and_left_open() -> None:
    with HELLO.open("rb") as handle:
        handle.seek(100)  # wherever it was: the archive starts at 0
        with open_image(handle) as image:
            assert image.tree.where("manifest.json") == "hello.tar!manifest.json"
            image.inspect()
        assert not handle.closed
        assert [s.refs for s in list_images(handle)] == [("case/legacy-full:latest",)]


def test_locations_name_the_source() -> None:
    broken = HELLO.read_bytes()[:2000]
    with pytest.raises(ArchiveError) as info:
        open_image(broken)
    assert info.value.location.startswith("<bytes>")
    with pytest.raises(ArchiveError) as stream_info:
        open_image(io.BytesIO(broken))
    assert stream_info.value.location.startswith("<stream>")


def test_a_text_file_is_refused() -> None:
    with HELLO.open("r", encoding="latin-1") as text, pytest.raises(ArchiveError, match="binary file object"):
        open_image(text)  # type: ignore[arg-type]


def test_a_stream_is_copied_within_the_limits() -> None:
    pipe = _pipe(HELLO.read_bytes())
    with pytest.raises(LimitExceeded, match="more than 4096 bytes"):
        open_image(pipe, limits=Limits(max_decompressed_size=4096))


def test_a_directory_is_a_dir_tree() -> None:
    with open_tree(DATA / "golden/layouts/arm64/skopeo-oci") as tree:
        assert isinstance(tree, DirTree)
        assert tree.present("index.json")


def test_paths_still_open() -> None:
    for path in (str(HELLO), Path(HELLO)):
        with open_image(path) as image:
            assert image.tree.where() == "hello.tar"
