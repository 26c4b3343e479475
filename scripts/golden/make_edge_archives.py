"""Write the hand-made edge-case archives that newer-daemons.sh loads into
real daemons (the daemons' answers are the oracle, not this script):

  no-end-blocks.tar     a docker save whose layer tar is one 512-byte header and
                        23 data bytes: no padding, no end-of-archive blocks
  pre-1.10.tar          a pre-1.10 docker save: `repositories` and
                        <v1 id>/{VERSION,json,layer.tar}, two images (parent chain)
  layer-count.tar       a manifest.json listing 3 layers for a config with 1 diff ID

Deterministic: the same bytes on every run (fixed times, owners, order).

Usage: python3 scripts/golden/make_edge_archives.py [OUTDIR]   (default tests/data/golden/edge)
"""

from __future__ import annotations

import hashlib
import io
import json
import sys
import tarfile
from pathlib import Path

MTIME = 1704067200  # 2024-01-01T00:00:00Z


def _member(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode = len(data), MTIME, 0o644
    tar.addfile(info, io.BytesIO(data))


def _archive(path: Path, members: list[tuple[str, bytes]]) -> None:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in members:
            _member(tar, name, data)
    path.write_bytes(buf.getvalue())


def _layer(files: dict[str, bytes], *, end_blocks: bool = True) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.USTAR_FORMAT) as tar:
        for name, data in files.items():
            _member(tar, name, data)
    raw = buf.getvalue()
    if end_blocks:
        return raw
    (name, data), = files.items()
    return raw[: 512 + len(data)]  # the header and the data only


def _sha(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def _json(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":"), sort_keys=True).encode()


def _config(diff_ids: list[str], history: list[dict[str, object]]) -> bytes:
    return _json(
        {
            "architecture": "amd64",
            "os": "linux",
            "created": "2024-01-01T00:00:00Z",
            "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/hello"], "Labels": {"case": "edge"}},
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "history": history,
        }
    )


def no_end_blocks(out: Path) -> None:
    layer = _layer({"hello.txt": b"hello from a short tar\n"}, end_blocks=False)
    config = _config([_sha(layer)], [{"created": "2024-01-01T00:00:00Z", "created_by": "COPY hello.txt /"}])
    cfg = _sha(config).removeprefix("sha256:")
    manifest = [{"Config": f"{cfg}.json", "RepoTags": ["edge/no-end-blocks:latest"], "Layers": ["l1/layer.tar"]}]
    _archive(out / "no-end-blocks.tar", [(f"{cfg}.json", config), ("l1/layer.tar", layer), ("manifest.json", _json(manifest))])


def layer_count(out: Path) -> None:
    layer = _layer({"a.txt": b"a\n"})
    config = _config([_sha(layer)], [{"created": "2024-01-01T00:00:00Z", "created_by": "COPY a.txt /"}])
    cfg = _sha(config).removeprefix("sha256:")
    layers = ["l1/layer.tar", "l1/layer.tar", "l1/layer.tar"]
    manifest = [{"Config": f"{cfg}.json", "RepoTags": ["edge/layer-count:latest"], "Layers": layers}]
    _archive(out / "layer-count.tar", [(f"{cfg}.json", config), ("l1/layer.tar", layer), ("manifest.json", _json(manifest))])


def pre_110(out: Path) -> None:
    base_layer = _layer({"base.txt": b"base\n"})
    top_layer = _layer({"top.txt": b"top layer\n"})
    base_id = hashlib.sha256(b"imageinspect edge pre-1.10 base").hexdigest()
    top_id = hashlib.sha256(b"imageinspect edge pre-1.10 top").hexdigest()
    base_json = _json(
        {
            "id": base_id,
            "created": "2015-06-01T00:00:00.000000001Z",
            "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file:base in /"]},
            "config": {"Env": ["PATH=/usr/bin"], "Cmd": None},
            "docker_version": "1.9.1",
            "architecture": "amd64",
            "os": "linux",
            "Size": 5,
        }
    )
    top_json = _json(
        {
            "id": top_id,
            "parent": base_id,
            "created": "2015-06-02T00:00:00Z",
            "container_config": {"Cmd": ["/bin/sh", "-c", "#(nop) ADD file:top in /"]},
            "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/top"], "Labels": {"case": "pre-1.10"}},
            "docker_version": "1.9.1",
            "author": "edge <edge@example.invalid>",
            "comment": "pre-1.10 top",
            "architecture": "amd64",
            "os": "linux",
            "Size": 10,
        }
    )
    repositories = _json({"edge/pre-1.10": {"latest": top_id}})
    members = []
    for v1_id, body, layer in ((base_id, base_json, base_layer), (top_id, top_json, top_layer)):
        members += [(f"{v1_id}/VERSION", b"1.0"), (f"{v1_id}/json", body), (f"{v1_id}/layer.tar", layer)]
    members.append(("repositories", repositories))
    _archive(out / "pre-1.10.tar", members)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/golden/edge")
    out.mkdir(parents=True, exist_ok=True)
    no_end_blocks(out)
    layer_count(out)
    pre_110(out)


if __name__ == "__main__":
    main()
