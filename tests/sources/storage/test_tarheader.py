"""The project's own tar header reader (imageinspect.sources.storage.tarheader).

(a) on every benign archive of the corpus, and on every layer inside them,
it reads what Python's tarfile reads; (b) so it does on random archives
tarfile writes; (c) every hostile class measured against CPython 3.11.7's
tarfile is refused with a located error, or read as Go's archive/tar reads
it; (d) mutated headers never raise anything but ImageInspectError.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import tarfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import IO

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from imageinspect import ArchiveError, ImageInspectError, LimitExceeded, Limits
from imageinspect.sources.storage import tarheader
from imageinspect.sources.storage.memory import MemoryTree
from imageinspect.sources.storage.tarheader import TarEntry, is_tar_header, read_entries
from imageinspect.sources.views.layersize import layer_content_size
from tests.conftest import DATA, PUBLIC

USTAR = b"ustar\x0000"
GNU = b"ustar  \x00"
V7 = b""
END = bytes(1024)

Row = tuple[str, int, str, str, int]

# -- building archives by hand --------------------------------------------------


def with_checksum(block: bytes | bytearray) -> bytes:
    """The block with a correct (unsigned) checksum."""
    out = bytearray(block)
    out[148:156] = b" " * 8
    out[148:156] = b"%06o\x00 " % sum(out)
    return bytes(out)


def base256(value: int, width: int = 12) -> bytes:
    """A GNU binary (base-256) numeric field."""
    field = bytearray(value.to_bytes(width, "big", signed=True))
    field[0] |= 0x80
    return bytes(field)


def header(
    name: bytes = b"f",
    size: int = 0,
    typeflag: bytes = b"0",
    *,
    linkname: bytes = b"",
    magic: bytes = USTAR,
    size_field: bytes | None = None,
    fields: Mapping[int, bytes] | None = None,
) -> bytes:
    """One header block with a correct checksum; ``fields`` overwrite bytes
    at their offsets before the checksum is computed."""
    block = bytearray(512)
    block[0 : len(name[:100])] = name[:100]
    block[100:108] = b"0000644\x00"
    block[108:116] = b"0000000\x00"
    block[116:124] = b"0000000\x00"
    block[124:136] = size_field if size_field is not None else b"%011o\x00" % size
    block[136:148] = b"00000000000\x00"
    block[156:157] = typeflag
    block[157 : 157 + len(linkname)] = linkname
    block[257 : 257 + len(magic)] = magic
    for offset, value in (fields or {}).items():
        block[offset : offset + len(value)] = value
    return with_checksum(block)


def padded(data: bytes) -> bytes:
    return data + bytes(-len(data) % 512)


def member(name: bytes, data: bytes = b"", typeflag: bytes = b"0", **options: object) -> bytes:
    return header(name, len(data), typeflag, **options) + padded(data)  # type: ignore[arg-type]


def pax_record(key: bytes, value: bytes) -> bytes:
    body = b" " + key + b"=" + value + b"\n"
    length = len(body) + 1
    while len(b"%d" % length) + len(body) != length:
        length = len(b"%d" % length) + len(body)
    return b"%d" % length + body


def pax(records: Iterable[tuple[bytes, bytes]] | Mapping[bytes, bytes], typeflag: bytes = b"x") -> bytes:
    """A PAX extended ('x') or global ('g') header with its records."""
    pairs = records.items() if isinstance(records, Mapping) else records
    data = b"".join(pax_record(key, value) for key, value in pairs)
    return member(b"PaxHeaders/f", data, typeflag)


def raw_pax(data: bytes, typeflag: bytes = b"x") -> bytes:
    return member(b"PaxHeaders/f", data, typeflag)


def long_name(name: bytes, typeflag: bytes = b"L") -> bytes:
    return member(b"././@LongLink", name + b"\x00", typeflag, magic=GNU)


def old_sparse(
    name: bytes, entries: list[tuple[int, int]], realsize: int, stored: int, *, extended: bool = False
) -> bytes:
    fields = {483: b"%011o\x00" % realsize, 482: b"\x01" if extended else b"\x00"}
    for index, (offset, length) in enumerate(entries[:4]):
        fields[386 + 24 * index] = b"%011o\x00%011o\x00" % (offset, length)
    return header(name, stored, b"S", magic=GNU, fields=fields)


# -- reading ------------------------------------------------------------------------


class _OneWay(io.RawIOBase):
    """A stream that cannot seek (like a decompressor's output)."""

    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        chunk = self._data.read(min(len(buffer), 700))  # short reads on purpose
        buffer[: len(chunk)] = chunk
        return len(chunk)


def entries(data: bytes, *, seekable: bool = True, limits: Limits | None = None) -> list[TarEntry]:
    stream: IO[bytes] = io.BufferedReader(io.BytesIO(data) if seekable else _OneWay(data))
    return list(read_entries(stream, "x.tar", limits))


def rows(found: Iterable[TarEntry]) -> list[Row]:
    return [(_stripped(e.name, e.kind), e.size, e.kind, e.linkname, e.offset_data) for e in found]


def _stripped(name: str, kind: str) -> str:
    return name.rstrip("/") if kind == "dir" else name


def _kind(info: tarfile.TarInfo) -> str:
    if info.issparse():
        return "sparse"
    if info.isreg():
        return "file"
    if info.isdir():
        return "dir"
    if info.issym():
        return "symlink"
    if info.islnk():
        return "hardlink"
    return "other"


def tarfile_rows(data: bytes) -> list[Row]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:", encoding="utf-8", errors="surrogateescape") as tar:
        return [(_stripped(i.name, _kind(i)), i.size, _kind(i), i.linkname, i.offset_data) for i in tar.getmembers()]


def both_ways(data: bytes) -> list[Row]:
    """The rows, the same whether the stream seeks or not."""
    seeking = rows(entries(data))
    assert rows(entries(data, seekable=False)) == seeking
    return seeking


# -- (a) every benign archive of the corpus ----------------------------------------


def _decompressed(data: bytes) -> bytes | None:
    if data[:2] == b"\x1f\x8b":
        return gzip.decompress(data)
    if data[:6] == b"\xfd7zXZ\x00":
        return lzma.decompress(data)
    if data[:3] == b"BZh":
        return bz2.decompress(data)
    if data[:4] == b"\x28\xb5\x2f\xfd":
        try:
            import zstandard
        except ImportError:
            return None
        return zstandard.ZstdDecompressor().decompressobj().decompress(data)
    return data


def _corpus(root: Path) -> list[Path]:
    patterns = ("*.tar", "*.tar.gz", "*.tgz", "*.tar.xz")
    return sorted({path for pattern in patterns for path in root.rglob(pattern) if path.is_file()})


def _tarfile_reads(data: bytes) -> bool:
    try:
        tarfile_rows(data)
    except (tarfile.TarError, EOFError):
        return False
    return bool(data)


def _inner_tars(outer: bytes) -> Iterator[tuple[str, bytes]]:
    """Every regular member of an archive that is itself a tar (a layer),
    decompressed."""
    with tarfile.open(fileobj=io.BytesIO(outer)) as tar:
        for info in tar.getmembers():
            if not info.isfile():
                continue
            blob = tar.extractfile(info).read()  # type: ignore[union-attr]
            data = _decompressed(blob)
            if data is not None and _tarfile_reads(data):
                yield info.name, data


def _check_archive(path: Path) -> int:
    """Compare the archive and its layers; how many layers were compared."""
    data = _decompressed(path.read_bytes())
    assert data is not None
    assert both_ways(data) == tarfile_rows(data), path
    layers = 0
    for name, layer in _inner_tars(data):
        assert both_ways(layer) == tarfile_rows(layer), f"{path}!{name}"
        layers += 1
    return layers


@pytest.mark.parametrize("path", _corpus(DATA), ids=lambda path: str(path.relative_to(DATA)))
def test_corpus_archive_reads_as_tarfile_reads_it(path: Path) -> None:
    _check_archive(path)


def test_public_archives_read_as_tarfile_reads_them() -> None:
    if not PUBLIC.is_dir():
        pytest.skip(f"public fixtures not available (no {PUBLIC}); set IMAGEINSPECT_SHARED")
    paths = _corpus(PUBLIC)
    assert paths
    layers = sum(_check_archive(path) for path in paths)
    assert layers >= len(paths) // 2  # some images have no layer


def test_corpus_has_layers() -> None:
    assert sum(_check_archive(path) for path in _corpus(DATA)[:5]) >= 5


# -- (b) random archives tarfile writes --------------------------------------------

_NAME_PART = st.text(alphabet=st.sampled_from("abcXYZ019._-éü中文😀 "), min_size=1, max_size=40).filter(
    lambda part: part not in (".", "..")
)


@st.composite
def archive_members(draw: st.DrawFn) -> list[tarfile.TarInfo]:
    infos = []
    for _ in range(draw(st.integers(1, 6))):
        name = "/".join(draw(st.lists(_NAME_PART, min_size=1, max_size=8)))
        info = tarfile.TarInfo(name)
        kind = draw(st.sampled_from(["file", "dir", "symlink", "hardlink"]))
        if kind == "file":
            info.size = draw(st.integers(0, 1500))
        elif kind == "dir":
            info.type = tarfile.DIRTYPE
        else:
            info.type = tarfile.SYMTYPE if kind == "symlink" else tarfile.LNKTYPE
            info.linkname = "/".join(draw(st.lists(_NAME_PART, min_size=1, max_size=6)))
        infos.append(info)
    return infos


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(archive_members(), st.sampled_from([tarfile.USTAR_FORMAT, tarfile.GNU_FORMAT, tarfile.PAX_FORMAT]))
def test_random_archives_read_as_tarfile_reads_them(infos: list[tarfile.TarInfo], form: int) -> None:
    out = io.BytesIO()
    try:
        with tarfile.open(fileobj=out, mode="w", format=form) as tar:
            for info in infos:
                tar.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
    except ValueError:  # a name or link too long for ustar
        return
    data = out.getvalue()
    assert both_ways(data) == tarfile_rows(data)


# -- valid inputs, read as Go reads them ---------------------------------------------


def test_sparse_members_read_as_tarfile_reads_them() -> None:
    archives = [
        old_sparse(b"old", [(0, 5), (10, 5)], 20, 10) + padded(b"x" * 10) + END,
        pax(
            {
                b"GNU.sparse.major": b"0",
                b"GNU.sparse.minor": b"1",
                b"GNU.sparse.name": b"s01",
                b"GNU.sparse.realsize": b"20",
                b"GNU.sparse.numblocks": b"2",
                b"GNU.sparse.map": b"0,5,10,5",
            }
        )
        + member(b"GNUSparseFile.0/s01", b"x" * 10)
        + END,
        pax(
            [
                (b"GNU.sparse.size", b"20"),
                (b"GNU.sparse.numblocks", b"2"),
                (b"GNU.sparse.offset", b"0"),
                (b"GNU.sparse.numbytes", b"5"),
                (b"GNU.sparse.offset", b"10"),
                (b"GNU.sparse.numbytes", b"5"),
            ]
        )
        + member(b"s00", b"x" * 10)
        + END,
        pax(
            {
                b"GNU.sparse.major": b"1",
                b"GNU.sparse.minor": b"0",
                b"GNU.sparse.name": b"s10",
                b"GNU.sparse.realsize": b"20",
            }
        )
        + member(b"GNUSparseFile.0/s10", padded(b"2\n0\n5\n10\n5\n") + b"x" * 10)
        + END,
    ]
    for data in archives:
        found = both_ways(data)
        assert found == tarfile_rows(data)
        assert found[0][1:3] == (20, "sparse")


def test_global_header_is_not_applied() -> None:
    """CPython copies a global header into every member (156 KB of gzip
    became 1.9 GB); Go returns it as its own entry and Docker ignores it."""
    big = b"a" * (100 << 10)
    data = pax({b"path": b"evil", b"comment": big}, b"g") + b"".join(member(b"f%d" % i) for i in range(2000)) + END
    found = entries(data)
    assert [entry.name for entry in found[:2]] == ["f0", "f1"]
    assert len(found) == 2000


def test_go_endings() -> None:
    one = member(b"a", b"hello")
    assert [e.name for e in entries(one[: 512 + 5])] == ["a"]  # no padding, no end blocks
    assert [e.name for e in entries(one)] == ["a"]  # EOF at a block boundary
    assert [e.name for e in entries(one + bytes(512))] == ["a"]  # one zero block, then EOF
    assert [e.name for e in entries(one + END + b"junk")] == ["a"]  # nothing read after the end
    assert entries(b"") == []
    assert entries(pax({b"path": b"x"})) == []  # an extended header, then EOF: Go's end


def test_go_name_rules() -> None:
    data = (
        long_name(b"gnu-wins")
        + pax({b"path": b"pax-loses"})
        + member(b"short")
        + header(b"old-dir/", typeflag=b"\x00")
        + header(b"v7-file", typeflag=b"\x00", magic=V7)
        + header(b"name", fields={345: b"pre/fix"})
        + header(b"gnu-name", magic=GNU, fields={345: b"not/a/prefix"})  # an atime that fails to parse: a prefix
        + pax({b"path": b"", b"linkpath": b"kept"})
        + header(b"ustar-name", typeflag=b"2", linkname=b"l")
        + END
    )
    assert [(e.name, e.kind, e.linkname) for e in entries(data)] == [
        ("gnu-wins", "file", ""),
        ("old-dir/", "dir", ""),
        ("v7-file", "file", ""),
        ("pre/fix/name", "file", ""),
        ("not/a/prefix/gnu-name", "file", ""),
        ("ustar-name", "symlink", "kept"),
    ]


def test_numeric_fields_as_go_reads_them() -> None:
    tolerant = header(b"a", size_field=b"  12 \x00\x00   \x00\x00") + padded(b"x" * 10)
    binary = header(b"b", size_field=base256(5)) + padded(b"y" * 5)
    signed = bytearray(header(b"\xe9t\xe9", size=3))
    signed[148:156] = b"%06o\x00 " % (sum(signed[:148]) + 256 + sum(signed[156:]) - 256 * 2)
    found = entries(tolerant + binary + bytes(signed) + padded(b"zzz") + END)
    assert [(e.size, e.kind) for e in found] == [(10, "file"), (5, "file"), (3, "file")]
    assert found[2].name == "\udce9t\udce9"


def test_is_tar_header() -> None:
    assert is_tar_header(header())
    assert not is_tar_header(bytes(512))
    assert not is_tar_header(header()[:511])
    assert not is_tar_header(header(fields={100: b"0009644\x00"}))


# -- (c) hostile input ------------------------------------------------------------------


def _chain(count: int) -> bytes:
    kinds = [long_name(b"n" * 200), long_name(b"l" * 200, b"K"), pax({b"path": b"p" * 200})]
    return b"".join(kinds[index % 3] for index in range(count)) + member(b"f") + END


def _pax_1_0(map_text: bytes, stored: int) -> bytes:
    records = {
        b"GNU.sparse.major": b"1",
        b"GNU.sparse.minor": b"0",
        b"GNU.sparse.name": b"s",
        b"GNU.sparse.realsize": b"10",
    }
    data = map_text + bytes(max(stored - len(map_text), 0))
    return pax(records) + header(b"s", stored) + padded(data) + END


def _pax_0_1(numblocks: bytes, sparse_map: bytes, realsize: bytes = b"20", stored: int = 10) -> bytes:
    records = {
        b"GNU.sparse.major": b"0",
        b"GNU.sparse.minor": b"1",
        b"GNU.sparse.realsize": realsize,
        b"GNU.sparse.numblocks": numblocks,
        b"GNU.sparse.map": sparse_map,
    }
    return pax(records) + member(b"s", b"x" * stored) + END


#: name -> (archive, error class, message fragment)
HOSTILE: dict[str, tuple[Callable[[], bytes], type[ImageInspectError], str]] = {
    "300-extended-headers-in-a-row": (lambda: _chain(300), LimitExceeded, "extended headers in a row"),
    "300-gnu-long-names": (lambda: long_name(b"n" * 100) * 300 + member(b"f") + END, LimitExceeded, "in a row"),
    "300-pax-headers": (lambda: pax({b"path": b"p"}) * 300 + member(b"f") + END, LimitExceeded, "in a row"),
    "gnu-sparse-at-end-of-data": (
        lambda: old_sparse(b"s", [(0, 5)], 10, 5, extended=True),
        ArchiveError,
        "truncated",
    ),
    "gnu-sparse-cut-extension": (
        lambda: old_sparse(b"s", [(0, 5)], 10, 5, extended=True) + b"\x00" * 100,
        ArchiveError,
        "truncated",
    ),
    "gnu-sparse-in-ustar-header": (
        lambda: header(b"s", 5, b"S", fields={483: b"00000000012\x00"}) + padded(b"x" * 5) + END,
        ArchiveError,
        "non-GNU header",
    ),
    "gnu-sparse-extension-chain": (
        lambda: old_sparse(b"s", [(0, 1)], 10**9, 1, extended=True) + (bytes(504) + b"\x01" + bytes(7)) * 2000,
        LimitExceeded,
        "extension blocks",
    ),
    "gnu-sparse-overlap": (
        lambda: old_sparse(b"s", [(0, 5), (2, 5)], 10, 10) + padded(b"x" * 10) + END,
        ArchiveError,
        "overlap",
    ),
    "pax-sparse-map-not-numbers": (lambda: _pax_0_1(b"1", b"a,b"), ArchiveError, "not a decimal"),
    "pax-sparse-map-count-mismatch": (lambda: _pax_0_1(b"2", b"0,5,10"), ArchiveError, "3 numbers for 2 entries"),
    "pax-sparse-map-past-size": (lambda: _pax_0_1(b"1", b"15,10"), ArchiveError, "past the file"),
    "pax-sparse-map-negative": (lambda: _pax_0_1(b"1", b"-5,10"), ArchiveError, "negative"),
    "pax-sparse-map-huge-count": (lambda: _pax_0_1(b"9" * 30, b"0,5"), ArchiveError, "out of range"),
    "pax-sparse-map-over-limit": (lambda: _pax_0_1(b"99999999", b"0,5"), LimitExceeded, "over the limit"),
    "pax-sparse-map-no-numblocks": (
        lambda: (
            pax({b"GNU.sparse.major": b"0", b"GNU.sparse.minor": b"1", b"GNU.sparse.map": b"0,5"})
            + member(b"s", b"x" * 5)
            + END
        ),
        ArchiveError,
        "not a decimal",
    ),
    "pax-sparse-map-uncovered-data": (lambda: _pax_0_1(b"1", b"0,5"), ArchiveError, "covers 5 bytes"),
    "pax-sparse-0.0-out-of-order": (
        lambda: pax([(b"GNU.sparse.numbytes", b"5"), (b"GNU.sparse.offset", b"0")]) + member(b"s") + END,
        ArchiveError,
        "out of order",
    ),
    "pax-sparse-negative-size": (lambda: _pax_0_1(b"0", b"", realsize=b"-1", stored=0), ArchiveError, "negative size"),
    "pax-sparse-on-a-directory": (
        lambda: (
            pax({b"GNU.sparse.major": b"0", b"GNU.sparse.minor": b"1", b"GNU.sparse.numblocks": b"0"})
            + header(b"d", typeflag=b"5")
            + END
        ),
        ArchiveError,
        "without data",
    ),
    "pax-1.0-map-in-a-30k-layer": (
        lambda: _pax_1_0(b"100000000000\n" + b"\n" * (30 << 10), 31 << 10),
        LimitExceeded,
        "over the limit",
    ),
    "pax-1.0-map-of-newlines": (
        lambda: _pax_1_0(b"30000\n" + b"00000000\n" * 60001, 600 << 10),
        LimitExceeded,
        "PAX sparse map over",
    ),
    "pax-1.0-map-past-data": (lambda: _pax_1_0(b"3\n", 512), ArchiveError, "runs past the member's data"),
    "pax-1.0-map-garbage": (lambda: _pax_1_0(b"x\n", 1024), ArchiveError, "not a decimal"),
    "size-2^62": (lambda: header(b"big", size_field=base256(1 << 62)) + b"x" * 1024, ArchiveError, "truncated"),
    "size-2^63-overflows": (
        lambda: header(b"big", size_field=b"\x80" + b"\xff" * 11) + END,
        ArchiveError,
        "out of range",
    ),
    "extended-header-2^62": (
        lambda: header(b"x", typeflag=b"x", size_field=base256(1 << 62)) + END,
        LimitExceeded,
        "over the limit",
    ),
    "pax-header-256k": (
        lambda: pax({b"comment": b"a" * (256 << 10)}) + member(b"f") + END,
        LimitExceeded,
        "PAX header of",
    ),
    "gnu-long-name-256k": (lambda: long_name(b"n" * (256 << 10)) + member(b"f") + END, LimitExceeded, "GNU long name"),
    "global-header-256k": (
        lambda: pax({b"comment": b"a" * (256 << 10)}, b"g") + member(b"f") + END,
        LimitExceeded,
        "PAX header of",
    ),
    "global-header-malformed": (
        lambda: raw_pax(b"12 path\n", b"g") + member(b"f") + END,
        ArchiveError,
        "PAX header: record",
    ),
    "pax-size-negative": (lambda: pax({b"size": b"-5"}) + member(b"f") + END, ArchiveError, "negative size"),
    "pax-size-not-a-number": (lambda: pax({b"size": b"1e3"}) + member(b"f") + END, ArchiveError, "not a decimal"),
    "pax-mtime-bad": (lambda: pax({b"mtime": b"12.3x"}) + member(b"f") + END, ArchiveError, "PAX time"),
    "pax-length-runs-past": (lambda: raw_pax(b"99 path=a\n") + member(b"f") + END, ArchiveError, "bad length"),
    "pax-length-huge": (lambda: raw_pax(b"9" * 5000 + b" path=a\n") + member(b"f") + END, ArchiveError, "out of range"),
    "pax-no-newline": (lambda: raw_pax(b"11 path=abc") + member(b"f") + END, ArchiveError, "newline"),
    "pax-nul-in-path": (lambda: pax({b"path": b"a\x00b"}) + member(b"f") + END, ArchiveError, "NUL"),
    "dot-dir-negative-size": (
        lambda: header(b"./", typeflag=b"5", size_field=base256(-1)) + END,
        ArchiveError,
        "negative size",
    ),
    "file-negative-size": (lambda: header(b"f", size_field=base256(-(1 << 40))) + END, ArchiveError, "negative size"),
    "bad-checksum-mid-archive": (
        lambda: member(b"a") + header(b"b")[:148] + b"0000000\x00" + header(b"b")[156:] + END,
        ArchiveError,
        "corrupt tar header at byte 512",
    ),
    "not-a-tar": (lambda: b"{}" * 512, ArchiveError, "not a tar archive"),
    "bad-octal": (lambda: header(b"f", size_field=b"0000000008\x00\x00") + END, ArchiveError, "invalid size field"),
    "lone-zero-block": (
        lambda: member(b"a") + bytes(512) + member(b"b") + END,
        ArchiveError,
        "header at byte 1024 (after a lone zero block",
    ),
    "cut-header": (lambda: member(b"a") + header(b"b")[:300], ArchiveError, "inside the header"),
    "cut-data": (lambda: header(b"a", 5000) + b"x" * 600, ArchiveError, "truncated"),
}


@pytest.mark.parametrize("seekable", [True, False], ids=["seekable", "stream"])
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_input_is_refused_with_a_location(case: str, seekable: bool) -> None:
    build, error, fragment = HOSTILE[case]
    with pytest.raises(error) as raised:
        entries(build(), seekable=seekable)
    assert fragment in raised.value.message
    assert raised.value.location.startswith("x.tar"), raised.value.location


def test_member_is_named_in_the_location() -> None:
    with pytest.raises(ArchiveError) as raised:
        entries(pax({b"size": b"-5"}) + member(b"dir/victim") + END)
    assert raised.value.location == "x.tar!dir/victim"
    with pytest.raises(ArchiveError) as raised:
        entries(header(b"big", 5000) + b"x" * 600, seekable=False)
    assert raised.value.location == "x.tar!big"
    with pytest.raises(ArchiveError) as raised:
        entries(member(b"a") + header(b"./", typeflag=b"5", size_field=base256(-1)) + END)
    assert (raised.value.location, raised.value.message) == (
        "x.tar!./",
        "corrupt tar header at byte 512 (negative size -1)",
    )


def test_oversized_pax_header_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def parse(data: bytes, limits: Limits) -> dict[bytes, bytes]:
        raise AssertionError("parsed")

    monkeypatch.setattr(tarheader, "_parse_pax_records", parse)
    with pytest.raises(LimitExceeded, match="PAX header of 262"):
        entries(pax({b"comment": b"a" * (256 << 10)}) + member(b"f") + END)


def test_limits_are_configurable() -> None:
    data = _chain(4)
    assert [e.name for e in entries(data)] == ["n" * 200]
    with pytest.raises(LimitExceeded):
        entries(data, limits=Limits(max_extended_chain=3))
    with pytest.raises(LimitExceeded):
        entries(pax({b"comment": b"a" * 2000}) + member(b"f") + END, limits=Limits(max_extended_header=1024))


class _Image:
    """What layer_content_size reads of an image."""

    def __init__(self, layer: bytes) -> None:
        self.tree = MemoryTree({"l/layer.tar": layer}, name="image.tar", limits=Limits(max_layer_entries=100))
        self.layer_names = ("l/layer.tar",)

    def open_layer(self, index: int) -> IO[bytes]:
        return self.tree.open(self.layer_names[index])


@pytest.mark.parametrize("compressed", [False, True], ids=["plain", "gzip"])
def test_layer_errors_name_archive_layer_and_path(compressed: bool) -> None:
    layer = member(b"ok", b"12") + pax({b"size": b"-5"}) + member(b"etc/victim") + END
    with pytest.raises(ArchiveError) as raised:
        layer_content_size(_Image(gzip.compress(layer) if compressed else layer), 0)  # type: ignore[arg-type]
    assert raised.value.location == "image.tar!l/layer.tar!etc/victim"
    assert raised.value.message.startswith("corrupt layer header")


def test_layer_sizes_follow_docker() -> None:
    layer = (
        member(b"a", b"12345")
        + header(b"d/", typeflag=b"\x00")
        + header(b"link", typeflag=b"2", linkname=b"target")
        + header(b"hard", typeflag=b"1", linkname=b"a")
        + member(b"x/.wh.gone", b"zz")
        + pax({b"comment": b"c"}, b"g")
        + old_sparse(b"sparse", [(0, 5)], 50, 5)
        + padded(b"x" * 5)
        + END
    )
    assert layer_content_size(_Image(layer), 0) == 5 + 6 + 50  # type: ignore[arg-type]
    assert layer_content_size(_Image(layer), 0, symlinks=False) == 5 + 50  # type: ignore[arg-type]


def test_layer_entry_limit_counts_members_not_headers() -> None:
    layer = b"".join(pax({b"path": b"p%d" % i}) + member(b"f") for i in range(100))
    assert layer_content_size(_Image(layer + END), 0) == 0  # type: ignore[arg-type]
    with pytest.raises(LimitExceeded, match="more than 100 entries"):
        layer_content_size(_Image(layer + member(b"one-more") + END), 0)  # type: ignore[arg-type]


# -- (d) header-level fuzz --------------------------------------------------------------

_SEEDS: list[tuple[bytes, list[int]]] = []


def _seed(*parts: bytes) -> None:
    """An archive and the offsets of its header blocks."""
    offsets, position = [], 0
    for part in parts:
        offsets.append(position)
        position += len(part)
    _SEEDS.append((b"".join(parts) + END, offsets))


_seed(member(b"a", b"hello"), header(b"d/", typeflag=b"5"), header(b"l", typeflag=b"2", linkname=b"a"))
_seed(long_name(b"n" * 150), long_name(b"k" * 150, b"K"), header(b"x", typeflag=b"1", magic=GNU))
_seed(pax({b"path": b"p" * 150, b"size": b"7", b"mtime": b"1.5"}), member(b"f", b"1234567"))
_seed(pax({b"comment": b"global"}, b"g"), member(b"g", b"x"))
_seed(old_sparse(b"s", [(0, 5), (10, 5)], 20, 10), padded(b"x" * 10))
_seed(_pax_0_1(b"2", b"0,5,10,5")[:-1024])
_seed(_pax_1_0(b"1\n0\n10\n", 522)[:-1024])
_seed(_chain(4)[:-1024])

_INTERESTING = [b"0", b"-1", b"+3", b"9" * 25, b"", b"1,2", b"a\x00b", b"12.5", b"\n", b"%d" % (1 << 62)]
_KEYS = [
    b"path",
    b"linkpath",
    b"size",
    b"uid",
    b"mtime",
    b"GNU.sparse.map",
    b"GNU.sparse.numblocks",
    b"GNU.sparse.major",
    b"GNU.sparse.minor",
    b"GNU.sparse.offset",
    b"GNU.sparse.numbytes",
    b"GNU.sparse.realsize",
    b"GNU.sparse.name",
    b"=",
    b"k",
]


@st.composite
def mutated_archive(draw: st.DrawFn) -> bytes:
    data, offsets = draw(st.sampled_from(_SEEDS))
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.sampled_from(offsets))
        if at + 512 > len(out):
            break
        action = draw(st.sampled_from(["field", "size", "typeflag", "bytes", "records", "sparse", "cut", "zeros"]))
        if action == "field":
            start = draw(st.sampled_from([100, 108, 116, 124, 136, 148, 329, 337, 345, 386, 482, 483]))
            out[at + start : at + start + 12] = draw(st.binary(min_size=12, max_size=12))
        elif action == "size":
            value = draw(st.integers(-(1 << 64), 1 << 64))
            octal = b"%011o\x00" % abs(value) if abs(value) < 8**11 else b"7" * 12
            out[at + 124 : at + 136] = draw(st.sampled_from([base256(value), octal]))
        elif action == "typeflag":
            out[at + 156] = draw(st.sampled_from(b"0125x7gLKS\x00AV"))
        elif action == "bytes":
            position = at + draw(st.integers(0, 511))
            out[position : position + 4] = draw(st.binary(min_size=4, max_size=4))
        elif action == "records":
            records = draw(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_INTERESTING)), max_size=5))
            text = b"".join(pax_record(key, value) for key, value in records)
            out[at + 512 : at + 512 + len(text)] = text
        elif action == "sparse":
            out[at + 482] = draw(st.integers(0, 255))
        elif action == "cut":
            del out[draw(st.integers(0, len(out))) :]
            break
        else:
            out[at : at + 512] = bytes(512)
        if at + 512 <= len(out) and draw(st.booleans()):
            out[at : at + 512] = with_checksum(out[at : at + 512])
    return bytes(out)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_archive(), st.booleans())
def test_mutated_headers_raise_only_imageinspect_errors(data: bytes, seekable: bool) -> None:
    try:
        found = entries(data, seekable=seekable, limits=Limits(max_extended_header=4096))
    except ImageInspectError as err:
        assert err.location.startswith("x.tar")
        return
    for entry in found:
        assert entry.size >= 0
        assert entry.offset_data <= len(data)
        assert entry.kind in ("file", "dir", "symlink", "hardlink", "sparse", "other")
