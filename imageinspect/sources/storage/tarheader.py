"""Tar headers read by this project, not trusted to CPython's ``tarfile``.

:func:`read_entries` walks a tar stream once and yields one
:class:`TarEntry` per member: its name, link target, logical size, kind and
the offset of its data. It reads headers only: member data is skipped by
seeking when the stream can seek, else by reading. Time and memory are
linear in the input, every bound is checked before the bytes it guards are
parsed, and every problem is an :class:`~imageinspect.errors.ArchiveError`
(or :class:`~imageinspect.errors.LimitExceeded`) whose location names the
archive and, once known, the member (``image.tar!l/layer.tar!etc/passwd``).

Docker reads image archives and layers with Go's ``archive/tar``; this
reader follows it. Facts taken from Go's source (``src/archive/tar``:
``reader.go``, ``format.go``, ``strconv.go``, read through the project's
code search; the stored ``reader.go`` is an older release, so its newer
``next()``, ``mergePAX``, sparse and ``readSpecialFile`` code was read from
a line-by-line translation of a Go 1.2x ``reader.go``):

- a header's checksum is the unsigned or the signed byte sum, the checksum
  field counted as spaces; the magic tells ustar (``ustar\\0``), GNU
  (``ustar `` + `` \\0``), star (ustar + ``tar\\0`` trailer) or v7;
- an octal field is trimmed of spaces and NULs at both ends, cut at its
  first NUL and must then be octal digits; a field whose first byte has the
  top bit set is base-256 two's complement, refused past 63 bits; mode,
  uid, gid, size, mtime and (for non-v7) the device numbers must parse;
- the name is joined to the ustar prefix (ustar/PAX and star headers; a GNU
  header only when its atime/ctime fields fail to parse, the pre-Go 1.8
  writer bug); a ``\\0`` typeflag is a directory when the final name ends in
  ``/``, else a regular file;
- ``x`` records (``"%d key=value\\n"``: length at least 5, within the data,
  ending in a newline, a ``=``; no NUL in path/linkpath/uname/gname values
  nor in other keys) replace any earlier ``x``; an empty value keeps the
  header's field; ``size``, ``uid``, ``gid`` and the times must parse;
  ``GNU.sparse.offset``/``numbytes`` pairs (PAX sparse 0.0) must alternate
  and hold no comma;
- a GNU long name or link (``L``/``K``) is cut at its first NUL and wins
  over a PAX ``path``/``linkpath``; Go caps each special header at 1 MiB;
- a ``g`` header is parsed (a malformed one is an error) and returned to
  the caller as an entry of its own, never merged into later members
  (moby's ``createTarFile`` then logs "PAX Global Extended Headers found and
  ignored"); here it is read and dropped, and it ends any pending ``x``,
  ``L`` or ``K`` header as it does in Go;
- sparse members: old GNU ``S`` headers (GNU magic only; 4 entries in the
  header, 21 per extension block, an entry whose offset starts with NUL ends
  a block) and PAX sparse 0.0, 0.1 and 1.0 (1.0's map is the head of the
  data, newline-separated decimals, capped at 1 MiB); the logical size is
  ``GNU.sparse.size`` or ``realsize``; entries must be non-negative, in
  order, not overlapping and within the logical size; a header-only type
  with a map is an error; unknown sparse versions are plain files;
- sizes below zero are an error for members with data; links, devices,
  directories and FIFOs (``1``-``6``) carry no data whatever their size;
- the end is two zero blocks, or end-of-file exactly at a header, or inside
  the padding after the last member's data; a zero block followed by
  anything else, a cut header or cut member data is an error.

Where this reader is stricter than Go (by choice, not from a source): a
negative size is refused for every member (Go lets a directory have one;
CPython loops on it); extended headers are held to
``Limits.max_extended_header`` and ``Limits.max_extended_chain`` (Go: 1 MiB
each, no chain bound), old GNU extension blocks to ``max_extended_header``
bytes (Go: none) and declared sparse entries to ``Limits.max_sparse_entries``;
a sparse map whose regions do not add up to the stored data is refused here,
when Go's ``Next`` would accept it and only reading the file (as Docker does
to apply a layer) fails.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import IO, Final

import attrs

from imageinspect.errors import ArchiveError, LimitExceeded
from imageinspect.sources.storage.limits import Limits

__all__ = ["BLOCK_SIZE", "TarEntry", "is_tar_header", "read_entries", "shown"]

#: The size of a tar block: headers and padded member data.
BLOCK_SIZE: Final = 512
_ZERO_BLOCK: Final = bytes(BLOCK_SIZE)
_HIGH_BYTES: Final = bytes(range(0x80, 0x100))
_OCTAL_DIGITS: Final = b"01234567"
_DECIMAL_DIGITS: Final = b"0123456789"
_INT64_LIMIT: Final = 1 << 63
#: Typeflags of members without data: hard link, symlink, devices, dir, FIFO.
_HEADER_ONLY: Final = frozenset(b"123456")
#: Typeflags of headers that describe the member after them.
_EXTENDED: Final = frozenset(b"xLK")
_KIND_OF: Final = {ord("0"): "file", ord("7"): "file", ord("1"): "hardlink", ord("2"): "symlink", ord("5"): "dir"}
_MAGIC_USTAR: Final = b"ustar\x00"
_MAGIC_GNU: Final = b"ustar "
_VERSION_GNU: Final = b" \x00"
_TRAILER_STAR: Final = b"tar\x00"
_READ_CHUNK: Final = 1 << 20
#: Sparse map slots: 4 in an old GNU header, 21 in each extension block.
_GNU_HEADER_SLOTS: Final = (386, 4, 482)
_GNU_EXTENSION_SLOTS: Final = (0, 21, 504)
#: PAX records whose value may not hold a NUL (Go's ``validPAXRecord``).
_NUL_FREE_VALUES: Final = frozenset((b"path", b"linkpath", b"uname", b"gname"))
_SPARSE_OFFSET: Final = b"GNU.sparse.offset"
_SPARSE_NUMBYTES: Final = b"GNU.sparse.numbytes"
_SPARSE_MAP: Final = b"GNU.sparse.map"
_CHECKSUM_MISMATCH: Final = "checksum mismatch"


def shown(name: str) -> str:
    """A member name fit to print: bytes that are not UTF-8 (kept as
    surrogates) as ``\\x`` escapes.

    >>> shown(b"caf\\xe9".decode("utf-8", "surrogateescape"))
    'caf\\\\xe9'
    """
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


@attrs.frozen
class TarEntry:
    """One member of a tar archive as its headers describe it.

    ``name`` and ``linkname`` are as stored (ustar prefix, GNU long name or
    PAX path applied; not normalized), decoded as UTF-8 with undecodable
    bytes kept as surrogates. ``size`` is the logical size (a sparse file's
    full size). ``kind`` is ``file``, ``dir``, ``symlink``, ``hardlink``,
    ``sparse`` or ``other``. ``offset_data`` is where its data starts in the
    stream (after a PAX 1.0 sparse map).

    >>> TarEntry("a.txt", 2, "file", "", 512).kind
    'file'
    """

    name: str
    size: int
    kind: str
    linkname: str
    offset_data: int


class _Problem(Exception):
    """A problem found while parsing; the reader that catches it adds where.

    ``kind`` is ``corrupt`` (a malformed header: the reader names the byte
    where the header starts), ``truncated`` (the stream ends too early),
    ``limit`` (a bound of :class:`Limits`) or ``not-tar`` (the first block's
    checksum is wrong: this is no tar at all).
    """

    def __init__(self, detail: str, kind: str = "corrupt") -> None:
        super().__init__(detail)
        self.detail = detail
        self.kind = kind


# -- fields -------------------------------------------------------------


def _cstring(field: bytes) -> bytes:
    """A NUL-terminated string field (the whole field when it has no NUL)."""
    end = field.find(b"\x00")
    return field if end < 0 else field[:end]


def _parse_octal(field: bytes) -> int:
    """An octal field as Go reads it: spaces and NULs trimmed at both ends,
    cut at the first NUL left, then octal digits (an empty field is 0)."""
    trimmed = field.strip(b" \x00")
    if not trimmed:
        return 0
    text = _cstring(trimmed)
    if not text or text.translate(None, _OCTAL_DIGITS):
        raise _Problem("not an octal number")
    value = int(text, 8)
    if value >= 1 << 64:
        raise _Problem("octal number out of range")
    return value - (1 << 64) if value >= _INT64_LIMIT else value


def _parse_base256(field: bytes) -> int:
    """A base-256 field (GNU binary): two's complement, big-endian, the top
    bit of the first byte only marking the encoding."""
    invert = 0xFF if field[0] & 0x40 else 0x00
    data = bytes(byte ^ invert for byte in field)
    value = int.from_bytes(bytes([data[0] & 0x7F]) + data[1:], "big")
    if value >= _INT64_LIMIT:
        raise _Problem("base-256 number out of range")
    return ~value if invert else value


def _parse_numeric(field: bytes) -> int:
    """A numeric header field: base-256 when the top bit of its first byte
    is set, else octal."""
    if field and field[0] & 0x80:
        return _parse_base256(field)
    return _parse_octal(field)


def _parse_decimal(text: bytes, label: str) -> int:
    """A decimal as Go's ``strconv.ParseInt(text, 10, 64)`` reads it: an
    optional sign, then at least one ASCII digit, within 64 bits; ``label``
    names it in errors."""
    negative = text[:1] == b"-"
    digits = text[1:] if text[:1] in (b"-", b"+") else text
    if not digits or digits.translate(None, _DECIMAL_DIGITS):
        raise _Problem(f"{label} {_quoted(text)} is not a decimal number")
    significant = digits.lstrip(b"0")
    if len(significant) > 19:  # checked before int(): no quadratic conversion
        raise _Problem(f"{label} {_quoted(text)} is out of range")
    value = -int(significant or b"0") if negative else int(significant or b"0")
    if not -_INT64_LIMIT <= value < _INT64_LIMIT:
        raise _Problem(f"{label} {_quoted(text)} is out of range")
    return value


def _quoted(text: bytes) -> str:
    """A short, printable rendering of untrusted bytes for a message."""
    shortened = text if len(text) <= 40 else text[:40] + b"..."
    return repr(shortened.decode("utf-8", "backslashreplace"))


def _checksum_matches(block: bytes) -> bool:
    """Whether the recorded checksum is the unsigned or the signed byte sum
    of the block, its checksum field counted as eight spaces."""
    try:
        recorded = _parse_octal(block[148:156])
    except _Problem:
        return False
    field = block[148:156]
    unsigned = sum(block) - sum(field) + 8 * 0x20
    high = (BLOCK_SIZE - len(block.translate(None, _HIGH_BYTES))) - (8 - len(field.translate(None, _HIGH_BYTES)))
    return recorded in (unsigned, unsigned - 256 * high)


def _format_of(block: bytes) -> str:
    """``ustar``, ``gnu``, ``star`` or ``v7``, from the magic fields."""
    magic = block[257:263]
    if magic == _MAGIC_USTAR:
        return "star" if block[508:512] == _TRAILER_STAR else "ustar"
    if magic == _MAGIC_GNU and block[263:265] == _VERSION_GNU:
        return "gnu"
    return "v7"


# -- one header block -----------------------------------------------------


@attrs.frozen
class _Header:
    """One parsed header block."""

    offset: int
    typeflag: int
    name: bytes
    linkname: bytes
    size: int
    format: str
    block: bytes


def _numeric_field(block: bytes, start: int, end: int, label: str) -> int:
    try:
        return _parse_numeric(block[start:end])
    except _Problem as problem:
        raise _Problem(f"invalid {label} field: {problem.detail}") from None


def _prefix_of(block: bytes, form: str) -> bytes:
    """The ustar/star prefix, or for a GNU header the prefix a pre-Go 1.8
    writer put where atime and ctime belong."""
    if form == "ustar":
        return _cstring(block[345:500])
    if form == "star":
        _numeric_field(block, 476, 488, "atime")
        _numeric_field(block, 488, 500, "ctime")
        return _cstring(block[345:476])
    if form == "gnu" and not _gnu_times_parse(block):
        prefix = _cstring(block[345:500])
        return prefix if prefix.isascii() else b""
    return b""


def _gnu_times_parse(block: bytes) -> bool:
    for start in (345, 357):
        if block[start] != 0:
            try:
                _parse_numeric(block[start : start + 12])
            except _Problem:
                return False
    return True


def _parse_header(block: bytes, offset: int) -> _Header:
    """A header block's fields, checked as Go checks them."""
    if not _checksum_matches(block):
        raise _Problem(_CHECKSUM_MISMATCH)
    form = _format_of(block)
    for start, end, label in ((100, 108, "mode"), (108, 116, "uid"), (116, 124, "gid"), (136, 148, "mtime")):
        _numeric_field(block, start, end, label)
    size = _numeric_field(block, 124, 136, "size")
    if size < 0:
        raise _Problem(f"negative size {size}")
    if form != "v7":
        _numeric_field(block, 329, 337, "devmajor")
        _numeric_field(block, 337, 345, "devminor")
    name = _cstring(block[0:100])
    prefix = _prefix_of(block, form)
    if prefix:
        name = prefix + b"/" + name
    return _Header(offset, block[156], name, _cstring(block[157:257]), size, form, block)


def is_tar_header(block: bytes) -> bool:
    """Whether ``block`` is one valid tar header block (checksum and numeric
    fields as Go's ``archive/tar`` checks them).

    >>> import tarfile
    >>> is_tar_header(tarfile.TarInfo("a").tobuf()), is_tar_header(b"{}" * 256)
    (True, False)
    """
    if len(block) != BLOCK_SIZE or block == _ZERO_BLOCK:
        return False
    try:
        _parse_header(block, 0)
    except _Problem:
        return False
    return True


# -- PAX records ------------------------------------------------------------


def _parse_pax_records(data: bytes, limits: Limits) -> dict[bytes, bytes]:
    """The records of a PAX header (later ones win); PAX sparse 0.0
    offset/numbytes pairs become one ``GNU.sparse.map`` record, as in Go."""
    records: dict[bytes, bytes] = {}
    sparse: list[bytes] = []
    position = 0
    while position < len(data):
        key, value, position = _next_pax_record(data, position)
        if key in (_SPARSE_OFFSET, _SPARSE_NUMBYTES):
            _add_sparse_0_0(sparse, key, value, limits)
        else:
            records[key] = value
    if sparse:
        records[_SPARSE_MAP] = b",".join(sparse)
    return records


def _next_pax_record(data: bytes, position: int) -> tuple[bytes, bytes, int]:
    """The record at ``position``: its key, value and where the next starts."""
    space = data.find(b" ", position)
    if space < 0:
        raise _Problem(f"record at byte {position} has no length")
    length = _parse_decimal(data[position:space], f"record length at byte {position}")
    end = position + length
    if length < 5 or end > len(data) or end <= space + 1:
        raise _Problem(f"record at byte {position} has a bad length ({length})")
    if data[end - 1] != 0x0A:
        raise _Problem(f"record at byte {position} does not end in a newline")
    key, equals, value = data[space + 1 : end - 1].partition(b"=")
    if not equals:
        raise _Problem(f"record at byte {position} has no '='")
    if b"\x00" in (value if key in _NUL_FREE_VALUES else key):
        raise _Problem(f"record {_quoted(key)} holds a NUL")
    return key, value, end


def _add_sparse_0_0(sparse: list[bytes], key: bytes, value: bytes, limits: Limits) -> None:
    expected = _SPARSE_OFFSET if len(sparse) % 2 == 0 else _SPARSE_NUMBYTES
    if key != expected or b"," in value:
        raise _Problem("sparse 0.0 offsets and sizes out of order")
    if len(sparse) >= 2 * limits.max_sparse_entries:
        raise _Problem(f"sparse map of more than {limits.max_sparse_entries} entries", "limit")
    sparse.append(value)


def _check_pax_time(value: bytes) -> None:
    """A PAX time (``seconds[.fraction]``) as Go's ``parsePAXTime`` accepts it."""
    seconds, _, fraction = value.partition(b".")
    _parse_decimal(seconds, "PAX time")
    if fraction.translate(None, _DECIMAL_DIGITS):
        raise _Problem(f"{_quoted(value)} is not a PAX time")


# -- sparse maps -------------------------------------------------------------


class _SparseMap:
    """Sparse map entries checked one by one (Go's ``validateSparseEntries``),
    without keeping them: only their count and the data they cover."""

    def __init__(self, size: int, limits: Limits) -> None:
        if size < 0:
            raise _Problem("sparse file with a negative size")
        self.size = size
        self.limit = limits.max_sparse_entries
        self.count = 0
        self.covered = 0
        self._end = 0

    def add(self, offset: int, length: int) -> None:
        self.count += 1
        if self.count > self.limit:
            raise _Problem(f"sparse map of more than {self.limit} entries", "limit")
        if offset < 0 or length < 0:
            raise _Problem("sparse map entry with a negative offset or length")
        if offset + length > self.size:
            raise _Problem(f"sparse map entry ends past the file's {self.size} bytes")
        if offset < self._end:
            raise _Problem("sparse map entries overlap or are out of order")
        self._end = offset + length
        self.covered += length


def _declared_entries(text: bytes, limits: Limits) -> int:
    count = _parse_decimal(text, "sparse map entry count")
    if count < 0:
        raise _Problem("sparse map with a negative number of entries")
    if count > limits.max_sparse_entries:
        raise _Problem(f"sparse map of {count} entries, over the limit of {limits.max_sparse_entries}", "limit")
    return count


# -- the stream --------------------------------------------------------------


def _remaining(stream: IO[bytes]) -> int | None:
    """How many bytes follow the stream's position, when it can seek."""
    try:
        if not stream.seekable():
            return None
        start = stream.tell()
        end = stream.seek(0, io.SEEK_END)
        stream.seek(start)
    except (OSError, ValueError):
        return None
    return max(end - start, 0)


class _Input:
    """The archive stream with its position; skips by seeking when it can."""

    def __init__(self, stream: IO[bytes]) -> None:
        self._stream = stream
        self.position = 0
        #: Where the stream ends (relative to where reading started), if known.
        self.end = _remaining(stream)

    def read(self, size: int) -> bytes:
        """Up to ``size`` bytes: fewer only at the end of the stream."""
        chunks = []
        left = size
        while left > 0:
            chunk = self._stream.read(min(left, _READ_CHUNK))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        self.position += len(data)
        return data

    def skip(self, size: int) -> int:
        """Skip up to ``size`` bytes; how many were there to skip."""
        if self.end is not None:
            step = max(min(size, self.end - self.position), 0)
            if step:
                self._stream.seek(step, io.SEEK_CUR)
            self.position += step
            return step
        skipped = 0
        while skipped < size:
            chunk = self._stream.read(min(size - skipped, _READ_CHUNK))
            if not chunk:
                break
            skipped += len(chunk)
        self.position += skipped
        return skipped


def _padding(size: int) -> int:
    return -size % BLOCK_SIZE


@attrs.define
class _Pending:
    """What the extended headers read so far say about the next member."""

    chain: int = 0
    records: dict[bytes, bytes] = attrs.Factory(dict)
    long_name: bytes = b""
    long_link: bytes = b""


@attrs.define
class _Member:
    """A member's fields while its headers are combined."""

    name: bytes
    linkname: bytes
    size: int
    typeflag: int
    kind: str = "other"
    stored: int = 0  # bytes of data stored after the headers (and sparse map)


# -- the reader ---------------------------------------------------------------


class _Reader:
    """One pass over one tar stream (see :func:`read_entries`)."""

    def __init__(self, stream: IO[bytes], where: str, limits: Limits, subject: str) -> None:
        self._input = _Input(stream)
        self._where = where
        self._limits = limits
        self._subject = subject
        self._data_left = 0  # data of the last member not yet skipped
        self._padding = 0
        self._current = b""  # the name errors are located at
        self._offset = 0  # where the header being read starts

    def entries(self) -> Iterator[TarEntry]:
        pending = _Pending()
        while True:
            try:
                header = self._next_header()
                if header is None:
                    return
                self._current = header.name
                if header.typeflag == ord("g"):
                    self._read_pax(header)  # parsed for its errors, then dropped, as Docker drops it
                    pending = _Pending()
                    continue
                if header.typeflag in _EXTENDED:
                    self._extend(pending, header)
                    continue
                entry = self._entry(header, pending)
            except _Problem as problem:
                raise self._error(problem) from None
            pending = _Pending()
            yield entry

    # -- errors -----------------------------------------------------------

    def _error(self, problem: _Problem) -> ArchiveError | LimitExceeded:
        name = self._current.decode("utf-8", "surrogateescape")
        where = f"{self._where}!{shown(name)}" if name else self._where
        if problem.kind == "limit":
            return LimitExceeded(problem.detail, where)
        if problem.kind == "truncated":
            return ArchiveError(f"corrupt or truncated {self._subject} ({problem.detail})", where)
        if problem.kind == "not-tar":
            opening = "not a tar archive" if self._subject == "tar" else f"{self._subject} is not a tar"
            return ArchiveError(f"{opening} ({problem.detail})", where)
        return ArchiveError(f"corrupt {self._subject} header at byte {self._offset} ({problem.detail})", where)

    # -- blocks -----------------------------------------------------------

    def _next_header(self) -> _Header | None:
        """The next header block, or ``None`` at the end of the archive."""
        self._skip_data()  # errors here are the last member's
        self._current = b""
        if self._input.skip(self._padding) < self._padding:
            return None  # the stream ends in the last member's padding: Go's end too
        self._padding = 0
        offset = self._input.position
        block = self._read_block()
        if block is None:
            return None
        if block == _ZERO_BLOCK:
            second = self._read_block()
            if second is None or second == _ZERO_BLOCK:
                return None
            self._offset = offset + BLOCK_SIZE
            raise _Problem("after a lone zero block: the end of an archive is two")
        self._offset = offset
        try:
            return _parse_header(block, offset)
        except _Problem as problem:
            if problem.detail != _CHECKSUM_MISMATCH:
                self._current = _cstring(block[0:100])  # the checksum holds: the name is the archive's
            elif offset == 0:
                raise _Problem(f"{_CHECKSUM_MISMATCH} in the header at byte 0", "not-tar") from None
            raise

    def _read_block(self) -> bytes | None:
        """One whole block, or ``None`` at the end of the stream."""
        offset = self._input.position
        block = self._input.read(BLOCK_SIZE)
        if not block:
            return None
        if len(block) < BLOCK_SIZE:
            raise _Problem(f"the stream ends inside the header at byte {offset}", "truncated")
        return block

    def _skip_data(self) -> None:
        left, self._data_left = self._data_left, 0
        if left and self._input.skip(left) < left:
            raise _Problem(f"the member's data runs past the end of the {self._subject}", "truncated")

    def _read_data(self, header: _Header, what: str) -> bytes:
        """The data of an extended header, refused over the limit unread."""
        if header.size > self._limits.max_extended_header:
            raise _Problem(
                f"{what} of {header.size} bytes, over the limit of {self._limits.max_extended_header}", "limit"
            )
        data = self._input.read(header.size)
        if len(data) < header.size:
            raise _Problem(f"the stream ends inside the {what} at byte {header.offset}", "truncated")
        self._padding = _padding(header.size)
        return data

    # -- extended headers ---------------------------------------------------

    def _read_pax(self, header: _Header) -> dict[bytes, bytes]:
        data = self._read_data(header, "PAX header")
        try:
            return _parse_pax_records(data, self._limits)
        except _Problem as problem:
            if problem.kind == "limit":
                raise
            raise _Problem(f"PAX header: {problem.detail}") from None

    def _extend(self, pending: _Pending, header: _Header) -> None:
        pending.chain += 1
        if pending.chain > self._limits.max_extended_chain:
            raise _Problem(
                f"more than {self._limits.max_extended_chain} extended headers in a row (at byte {header.offset})",
                "limit",
            )
        if header.typeflag == ord("x"):
            pending.records = self._read_pax(header)
        elif header.typeflag == ord("L"):
            pending.long_name = _cstring(self._read_data(header, "GNU long name"))
        else:
            pending.long_link = _cstring(self._read_data(header, "GNU long link name"))

    # -- members ------------------------------------------------------------

    def _entry(self, header: _Header, pending: _Pending) -> TarEntry:
        member = _Member(header.name, header.linkname, header.size, header.typeflag)
        self._apply_pax(member, pending.records)
        member.name = pending.long_name or member.name
        member.linkname = pending.long_link or member.linkname
        if member.typeflag == 0:  # a v7 regular file, or a directory by its trailing slash
            member.typeflag = ord("5") if member.name.endswith(b"/") else ord("0")
        self._current = member.name
        if member.size < 0:
            raise _Problem(f"negative size {member.size}")
        member.stored = 0 if member.typeflag in _HEADER_ONLY else member.size
        member.kind = _KIND_OF.get(member.typeflag, "other")
        self._padding = _padding(member.stored)
        if member.typeflag == ord("S"):
            self._old_gnu_sparse(header, member)
        else:
            self._pax_sparse(member, pending.records)
        self._check_data_fits(member)
        self._data_left = member.stored
        return TarEntry(
            member.name.decode("utf-8", "surrogateescape"),
            member.size,
            member.kind,
            member.linkname.decode("utf-8", "surrogateescape"),
            self._input.position,
        )

    def _apply_pax(self, member: _Member, records: dict[bytes, bytes]) -> None:
        """PAX records over the header's fields (Go's ``mergePAX``)."""
        for key, value in records.items():
            if not value:
                continue  # an empty value keeps the header's field
            if key == b"path":
                member.name = value
            elif key == b"linkpath":
                member.linkname = value
            elif key == b"size":
                member.size = _parse_decimal(value, "PAX size")
            elif key in (b"uid", b"gid"):
                _parse_decimal(value, f"PAX {key.decode()}")
            elif key in (b"atime", b"mtime", b"ctime"):
                _check_pax_time(value)

    def _check_data_fits(self, member: _Member) -> None:
        end = self._input.end
        if end is not None and self._input.position + member.stored > end:
            raise _Problem(
                f"the member claims {member.stored} bytes, only {end - self._input.position} follow",
                "truncated",
            )

    # -- sparse members -----------------------------------------------------

    def _old_gnu_sparse(self, header: _Header, member: _Member) -> None:
        """An old GNU sparse member: its map is in the header and in
        extension blocks after it; its size is the header's real size."""
        if header.format != "gnu":
            raise _Problem("old GNU sparse type in a non-GNU header")
        member.size = _numeric_field(header.block, 483, 495, "sparse real size")
        sparse = _SparseMap(member.size, self._limits)
        block, slots = header.block, _GNU_HEADER_SLOTS
        extension_bytes = 0
        while True:
            self._add_gnu_entries(sparse, block, slots)
            if not block[slots[2]]:
                break
            extension_bytes += BLOCK_SIZE
            if extension_bytes > self._limits.max_extended_header:
                raise _Problem(
                    f"old GNU sparse map over {self._limits.max_extended_header} bytes of extension blocks", "limit"
                )
            extension = self._read_block()
            if extension is None:
                raise _Problem("the stream ends before the old GNU sparse map's extension block", "truncated")
            block, slots = extension, _GNU_EXTENSION_SLOTS
        self._check_sparse_data(sparse, member)

    @staticmethod
    def _add_gnu_entries(sparse: _SparseMap, block: bytes, slots: tuple[int, int, int]) -> None:
        start, count, _ = slots
        for index in range(count):
            at = start + 24 * index
            if block[at] == 0:
                break  # as GNU and BSD tar: an empty offset ends this block's entries
            sparse.add(
                _numeric_field(block, at, at + 12, "sparse offset"),
                _numeric_field(block, at + 12, at + 24, "sparse length"),
            )

    def _pax_sparse(self, member: _Member, records: dict[bytes, bytes]) -> None:
        """A PAX sparse member (GNU 0.0, 0.1 or 1.0), when the records say so."""
        version = _pax_sparse_version(records)
        if version is None:
            return
        member.name = records.get(b"GNU.sparse.name") or member.name
        self._current = member.name
        size = records.get(b"GNU.sparse.size") or records.get(b"GNU.sparse.realsize")
        if size:
            member.size = _parse_decimal(size, "sparse file size")
        sparse = _SparseMap(member.size, self._limits)
        if version == "1.0":
            self._read_sparse_1_0(sparse, member)
        else:
            _add_sparse_0_1(sparse, records, self._limits)
        if member.typeflag in _HEADER_ONLY:
            raise _Problem("a sparse map on a member type without data")
        self._check_sparse_data(sparse, member)

    def _read_sparse_1_0(self, sparse: _SparseMap, member: _Member) -> None:
        """A PAX 1.0 map: newline-separated decimals at the head of the
        data, read a block at a time up to the limit."""
        text = bytearray()
        newlines = 0
        needed = 1
        entries: int | None = None
        while newlines < needed:
            if len(text) + BLOCK_SIZE > self._limits.max_extended_header:
                raise _Problem(f"PAX sparse map over {self._limits.max_extended_header} bytes", "limit")
            if member.stored - len(text) < BLOCK_SIZE:
                raise _Problem("PAX sparse map runs past the member's data")
            block = self._read_block()
            if block is None:
                raise _Problem("the stream ends inside a PAX sparse map", "truncated")
            text += block
            newlines += block.count(b"\n")
            if entries is None and newlines >= 1:
                entries = _declared_entries(bytes(text[: text.index(b"\n")]), self._limits)
                needed = 1 + 2 * entries
        member.stored -= len(text)
        tokens = bytes(text).split(b"\n", needed)[1:needed]
        for offset, length in zip(tokens[0::2], tokens[1::2], strict=True):
            sparse.add(_parse_decimal(offset, "sparse offset"), _parse_decimal(length, "sparse length"))

    def _check_sparse_data(self, sparse: _SparseMap, member: _Member) -> None:
        if sparse.covered != member.stored:
            raise _Problem(f"sparse map covers {sparse.covered} bytes but the member stores {member.stored}")
        member.kind = "sparse"


def _pax_sparse_version(records: dict[bytes, bytes]) -> str | None:
    """``0.x`` or ``1.0`` when the records make a PAX sparse member, else
    ``None`` (unknown versions are plain files, as in Go)."""
    major = records.get(b"GNU.sparse.major", b"")
    minor = records.get(b"GNU.sparse.minor", b"")
    if major == b"0" and minor in (b"0", b"1"):
        return "0.x"
    if major == b"1" and minor == b"0":
        return "1.0"
    if major or minor:
        return None
    return "0.x" if records.get(_SPARSE_MAP) else None


def _add_sparse_0_1(sparse: _SparseMap, records: dict[bytes, bytes], limits: Limits) -> None:
    """A PAX 0.0/0.1 map: ``GNU.sparse.numblocks`` pairs in ``GNU.sparse.map``."""
    entries = _declared_entries(records.get(b"GNU.sparse.numblocks", b""), limits)
    text = records.get(_SPARSE_MAP, b"")
    numbers = text.count(b",") + 1 if text else 0
    if numbers != 2 * entries:
        raise _Problem(f"sparse map of {numbers} numbers for {entries} entries")
    if not entries:
        return
    values = text.split(b",")
    for offset, length in zip(values[0::2], values[1::2], strict=True):
        sparse.add(_parse_decimal(offset, "sparse offset"), _parse_decimal(length, "sparse length"))


def read_entries(
    stream: IO[bytes], where: str, limits: Limits | None = None, *, subject: str = "tar"
) -> Iterator[TarEntry]:
    """The members of the tar archive ``stream`` holds, read from its
    current position: one :class:`TarEntry` each, headers only (data is
    skipped). ``where`` locates errors (``image.tar`` or
    ``image.tar!l/layer.tar``); ``subject`` names the archive in messages
    (``tar`` or ``layer``).

    >>> import tarfile
    >>> out = io.BytesIO()
    >>> with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
    ...     tar.addfile(tarfile.TarInfo("d" * 120))
    >>> [(entry.name[:3], entry.kind, entry.offset_data) for entry in read_entries(io.BytesIO(out.getvalue()), "x.tar")]
    [('ddd', 'file', 1536)]
    >>> list(read_entries(io.BytesIO(b"x" * 1024), "x.tar"))
    Traceback (most recent call last):
      ...
    imageinspect.errors.ArchiveError: x.tar: not a tar archive (checksum mismatch in the header at byte 0)
    """
    return _Reader(stream, where, limits or Limits(), subject).entries()
