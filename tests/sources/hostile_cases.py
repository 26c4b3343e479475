"""Hostile and broken archives, built in memory from a real ``docker save``:
one builder per class of bad input (tests/sources/test_hostile.py checks every
one; fuzz/hostile_table.py times them and measures memory)."""

from __future__ import annotations

import bz2
import gzip
import io
import json
import lzma
import tarfile
from collections.abc import Callable

from tests.conftest import DATA

__all__ = ["BASE_PATH", "CASES", "DATA", "LAYER", "base", "compress", "flip", "rebuilt"]

BASE_PATH = DATA / "golden/inspect/legacy-full/docker-save.tar"
#: The first layer of the base archive (replaced by hostile layers).
LAYER = "59493b3eb2d0eb6545a70894ca0bcbdffbbde9256b241e84e42c0a33fd43099b/layer.tar"


def base() -> bytes:
    return BASE_PATH.read_bytes()


def compress(kind: str, data: bytes) -> bytes:
    if kind == "gzip":
        return gzip.compress(data)
    if kind == "xz":
        return lzma.compress(data)
    if kind == "bzip2":
        return bz2.compress(data)
    import zstandard

    return zstandard.ZstdCompressor(write_checksum=True).compress(data)  # as containerd writes them


def flip(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0xFF
    return bytes(out)


def rebuilt(replace: dict[str, bytes | None] | None = None, extra: list[tarfile.TarInfo] | None = None) -> bytes:
    """The base archive with members replaced (``None`` drops one) and
    extra headers (with their data in ``extra_data``) appended."""
    replace = replace or {}
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(base())) as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            data = src.extractfile(member).read() if member.isfile() else None  # type: ignore[union-attr]
            if member.name in replace:
                data = replace[member.name]
                if data is None:
                    continue
                member.size = len(data)
            dst.addfile(member, None if data is None else io.BytesIO(data))
        for info in extra or ():
            dst.addfile(info, io.BytesIO(b"x" * info.size) if info.isreg() else None)
    return out.getvalue()


def claiming_tar(size: int) -> bytes:
    """A layer whose only header claims ``size`` bytes that are not there."""
    info = tarfile.TarInfo("big")
    info.size = size
    return info.tobuf(format=tarfile.GNU_FORMAT) + b"x" * 1024


def many_entries(count: int) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for index in range(count):
            tar.addfile(tarfile.TarInfo(f"f{index}"), io.BytesIO(b""))
    return out.getvalue()


def duplicate_with_dir_between() -> bytes:
    """``manifest.json`` twice, a directory entry of the same name between."""
    manifest = rebuilt()
    with tarfile.open(fileobj=io.BytesIO(manifest)) as tar:
        data = tar.extractfile("manifest.json").read()  # type: ignore[union-attr]
    other = json.loads(data)
    other[0]["RepoTags"] = ["other:1"]
    second = json.dumps(other).encode()
    out = io.BytesIO()
    with tarfile.open(fileobj=io.BytesIO(manifest)) as src, tarfile.open(fileobj=out, mode="w") as dst:
        for member in src.getmembers():
            dst.addfile(member, src.extractfile(member) if member.isfile() else None)
        folder = tarfile.TarInfo("manifest.json")
        folder.type = tarfile.DIRTYPE
        dst.addfile(folder)
        again = tarfile.TarInfo("manifest.json")
        again.size = len(second)
        dst.addfile(again, io.BytesIO(second))
    return out.getvalue()


def corrupt_header_mid_archive() -> bytes:
    data = bytearray(base())
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        members = tar.getmembers()
    victim = members[len(members) // 2]
    data[victim.offset + 148 : victim.offset + 156] = b"9999999\0"  # a wrong checksum
    return bytes(data)


def symlink_non_utf8() -> bytes:
    link = tarfile.TarInfo("l1")
    link.type = tarfile.SYMTYPE
    link.linkname = b"caf\xe9".decode("utf-8", "surrogateescape")
    layer = io.BytesIO()
    with tarfile.open(
        fileobj=layer, mode="w", format=tarfile.GNU_FORMAT, encoding="utf-8", errors="surrogateescape"
    ) as tar:
        tar.addfile(link)
    return rebuilt({LAYER: layer.getvalue()})


def sparse_outer_member() -> bytes:
    """The first layer stored as a GNU sparse member."""
    data = bytearray(rebuilt())
    with tarfile.open(fileobj=io.BytesIO(bytes(data))) as tar:
        member = tar.getmember(LAYER)
    header = bytearray(data[member.offset : member.offset + 512])
    header[156:157] = b"S"
    header[148:156] = b" " * 8
    header[148:155] = f"{sum(header):06o}\0".encode()
    data[member.offset : member.offset + 512] = header
    return bytes(data)


def huge_pax_header() -> bytes:
    info = tarfile.TarInfo("x")
    info.pax_headers = {"comment": "a" * (2 << 20)}
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tar.addfile(info, io.BytesIO(b""))
    return out.getvalue()


def raw_header(name: bytes, size: int = 0, typeflag: bytes = b"0", fields: dict[int, bytes] | None = None) -> bytes:
    """One ustar header block built byte by byte (sizes tarfile refuses to
    write: negative, base-256), with a correct checksum."""
    block = bytearray(512)
    block[0 : len(name)] = name
    block[100:108] = b"0000644\x00"
    block[124:136] = b"%011o\x00" % size
    block[156:157] = typeflag
    block[257:265] = b"ustar\x0000"
    for offset, value in (fields or {}).items():
        block[offset : offset + len(value)] = value
    block[148:156] = b" " * 8
    block[148:156] = b"%06o\x00 " % sum(block)
    return bytes(block)


def extended(data: bytes, typeflag: bytes) -> bytes:
    """An extended header ('x', 'g', 'L', 'K') and its data."""
    return raw_header(b"././@Extended", len(data), typeflag) + data + bytes(-len(data) % 512)


def pax_records(records: dict[bytes, bytes]) -> bytes:
    out = b""
    for key, value in records.items():
        body = b" " + key + b"=" + value + b"\n"
        length = len(body) + 1
        while len(b"%d" % length) + len(body) != length:
            length = len(b"%d" % length) + len(body)
        out += b"%d" % length + body
    return out


def negative(value: int) -> bytes:
    """A base-256 size field holding a negative number."""
    return value.to_bytes(12, "big", signed=True)


def extended_chain(count: int) -> bytes:
    """``count`` GNU long names in a row (CPython recursed once per header)."""
    return extended(b"n" * 200 + b"\x00", b"L") * count


END = bytes(1024)
#: Hostile tar headers (CPython 3.11.7's tarfile failed on each: recursion,
#: IndexError, ValueError, OSError, quadratic PAX parsing, a global header
#: copied into every member, a negative size looping), as a layer and as the
#: outer archive (prepended to the base archive).
HEADER_ATTACKS: dict[str, Callable[[], bytes]] = {
    "extended-header-chain": lambda: extended_chain(300) + raw_header(b"f") + END,
    "pax-header-256k": lambda: extended(pax_records({b"comment": b"a" * (256 << 10)}), b"x") + raw_header(b"f") + END,
    "global-header-256k": lambda: (
        extended(pax_records({b"comment": b"a" * (256 << 10)}), b"g") + raw_header(b"f") + END
    ),
    "gnu-sparse-at-end": lambda: raw_header(
        b"s",
        5,
        b"S",
        {257: b"ustar  \x00", 386: b"00000000000\x0000000000005\x00", 482: b"\x01", 483: b"00000000012\x00"},
    ),
    "pax-sparse-bad-map": lambda: (
        extended(
            pax_records(
                {
                    b"GNU.sparse.major": b"0",
                    b"GNU.sparse.minor": b"1",
                    b"GNU.sparse.numblocks": b"2",
                    b"GNU.sparse.map": b"0,x,5",
                }
            ),
            b"x",
        )
        + raw_header(b"s", 10)
        + b"x" * 512
        + END
    ),
    "pax-sparse-1.0-huge-map": lambda: (
        extended(
            pax_records({b"GNU.sparse.major": b"1", b"GNU.sparse.minor": b"0", b"GNU.sparse.realsize": b"10"}), b"x"
        )
        + raw_header(b"s", 30 << 10)
        + b"1000000000\n"
        + b"0\n" * ((30 << 10) - 6)
        + END
    ),
    "size-2^62": lambda: raw_header(b"big", fields={124: b"\x80" + (1 << 62).to_bytes(11, "big")}) + b"x" * 1024,
    "pax-negative-size": lambda: extended(pax_records({b"size": b"-5"}), b"x") + raw_header(b"f") + END,
    "dot-negative-size": lambda: raw_header(b"./", typeflag=b"5", fields={124: negative(-1)}) + END,
}

CASES: dict[str, Callable[[], bytes]] = {}


def _per_compression(kind: str) -> None:
    def truncated() -> bytes:
        data = compress(kind, base())
        return data[: len(data) // 2]

    def corrupt_middle() -> bytes:
        data = compress(kind, base())
        return flip(data, len(data) // 2)

    def corrupt_tail() -> bytes:
        data = compress(kind, base())
        return flip(data, len(data) - 3)

    def layer_truncated() -> bytes:
        return rebuilt({LAYER: compress(kind, many_entries(50))[:40]})

    def layer_claims() -> bytes:
        return rebuilt({LAYER: compress(kind, claiming_tar(1 << 40))})

    CASES[f"{kind}-truncated"] = truncated
    CASES[f"{kind}-corrupt-middle"] = corrupt_middle
    CASES[f"{kind}-corrupt-tail"] = corrupt_tail
    CASES[f"layer-{kind}-truncated"] = layer_truncated
    CASES[f"layer-{kind}-claims-2^40"] = layer_claims


for _kind in ("gzip", "xz", "bzip2", "zstd"):
    _per_compression(_kind)
CASES["gzip-wrong-magic-after-header"] = lambda: b"\x1f\x8b\x08\x00" + b"\xff" * 300
CASES["gzip-claims-huge-isize"] = lambda: gzip.compress(base())[:-4] + b"\xff\xff\xff\xff"
CASES["layer-plain-claims-2^40"] = lambda: rebuilt({LAYER: claiming_tar(1 << 40)})
CASES["layer-gzip-corrupt-crc"] = lambda: rebuilt({LAYER: flip(gzip.compress(many_entries(5)), -6)})
CASES["duplicate-with-dir-between"] = duplicate_with_dir_between
CASES["duplicate-with-dir-between-gzip"] = lambda: gzip.compress(duplicate_with_dir_between())
CASES["corrupt-header-mid-archive"] = corrupt_header_mid_archive
CASES["symlink-non-utf8-in-layer"] = symlink_non_utf8
CASES["sparse-outer-member"] = sparse_outer_member
CASES["huge-pax-header"] = huge_pax_header
CASES["layer-too-many-entries"] = lambda: rebuilt({LAYER: many_entries(3000)})


def _header_attack(name: str, build: Callable[[], bytes]) -> None:
    def outer() -> bytes:
        """The attack as the archive's first members (its end blocks
        replaced by the base archive), or alone when it is cut short."""
        data = build()
        return data[: -len(END)] + base() if data.endswith(END) else data

    CASES[f"layer-{name}"] = lambda: rebuilt({LAYER: build()})
    CASES[f"outer-{name}"] = outer


for _name, _build in HEADER_ATTACKS.items():
    _header_attack(_name, _build)


# -- round two: keys Go reads otherwise, amplification, lying descriptors -------


def _members() -> dict[str, bytes]:
    with tarfile.open(fileobj=io.BytesIO(base())) as src:
        return {m.name: src.extractfile(m).read() for m in src.getmembers() if m.isfile()}  # type: ignore[union-attr]


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def plain_tar(members: dict[str, bytes]) -> bytes:
    """A ustar archive of ``members`` (name -> bytes), in order."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return out.getvalue()


def with_config(edit: Callable[[dict[str, object]], None], *, layers_times: int = 1) -> bytes:
    """The base archive with its config edited (stored under its new digest,
    manifest.json following), its layer list repeated ``layers_times``."""
    members = _members()
    manifest = json.loads(members["manifest.json"])
    old = manifest[0]["Config"]
    config = json.loads(members.pop(old))
    edit(config)
    raw = json.dumps(config).encode()
    name = _sha(raw) + ".json"
    members[name] = raw
    manifest[0]["Config"] = name
    manifest[0]["Layers"] = manifest[0]["Layers"] * layers_times
    members["manifest.json"] = json.dumps(manifest).encode()
    return plain_tar(members)


def _user_twice(config: dict[str, object]) -> None:
    runtime = config.setdefault("config", {})
    assert isinstance(runtime, dict)
    runtime["User"] = "nobody"
    runtime["U\u017fer"] = "root"  # LONG S: Go reads it as User, and it comes last


def _cmd_twice(config: dict[str, object]) -> None:
    runtime = config.setdefault("config", {})
    assert isinstance(runtime, dict)
    runtime["Cmd"] = ["/safe"]
    runtime["cmd"] = ["/evil"]


def _diff_ids_times(times: int) -> Callable[[dict[str, object]], None]:
    def edit(config: dict[str, object]) -> None:
        rootfs = config["rootfs"]
        assert isinstance(rootfs, dict)
        rootfs["diff_ids"] = list(rootfs["diff_ids"]) * times

    return edit


def manifest_config_twice() -> bytes:
    members = _members()
    manifest = json.loads(members["manifest.json"])
    manifest[0]["config"] = manifest[0]["Config"]  # Go's last wins: the same field, twice
    members["manifest.json"] = json.dumps(manifest).encode()
    return plain_tar(members)


def zstd_frame_bomb() -> bytes:
    """One small zstd frame that inflates to 1 GiB of zeros."""
    import zstandard

    packer = zstandard.ZstdCompressor(level=19).compressobj()
    zeros = b"\0" * (1 << 24)
    return b"".join([packer.compress(zeros) for _ in range(64)] + [packer.flush()])


def _oci(index_entries: Callable[[dict[str, object]], list[dict[str, object]]]) -> bytes:
    """A one-image OCI layout tar, its index made by ``index_entries`` from
    the manifest's descriptor."""
    layer = plain_tar({"hello.txt": b"hello\n"})
    config = json.dumps(
        {"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers", "diff_ids": ["sha256:" + _sha(layer)]}}
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": "sha256:" + _sha(config),
                       "size": len(config)},
            "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": "sha256:" + _sha(layer),
                        "size": len(layer)}],
        }
    ).encode()  # fmt: skip
    descriptor: dict[str, object] = {
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "digest": "sha256:" + _sha(manifest),
        "size": len(manifest),
        "annotations": {"org.opencontainers.image.ref.name": "hostile/oci:1"},
    }
    index = json.dumps({"schemaVersion": 2, "manifests": index_entries(descriptor)}).encode()
    blobs = {f"blobs/sha256/{_sha(blob)}": blob for blob in (layer, config, manifest)}
    return plain_tar({"oci-layout": b'{"imageLayoutVersion":"1.0.0"}', "index.json": index, **blobs})


def _size_lies_without_media_type(descriptor: dict[str, object]) -> list[dict[str, object]]:
    lying = {k: v for k, v in descriptor.items() if k != "mediaType"}
    lying["size"] = int(str(descriptor["size"])) + 1000
    return [lying]


CASES["json-config-user-twice-long-s"] = lambda: with_config(_user_twice)
CASES["json-config-cmd-twice-case"] = lambda: with_config(_cmd_twice)
CASES["json-manifest-json-config-twice"] = manifest_config_twice
CASES["layer-zstd-frame-bomb"] = lambda: rebuilt({LAYER: zstd_frame_bomb()})
CASES["relisted-layers-1000x"] = lambda: with_config(_diff_ids_times(1000), layers_times=1000)
CASES["relisted-oci-manifest-2000x"] = lambda: _oci(lambda descriptor: [descriptor] * 2000)
CASES["oci-size-lies-without-media-type"] = lambda: _oci(_size_lies_without_media_type)
