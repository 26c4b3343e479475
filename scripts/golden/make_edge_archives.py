"""Write the hand-made edge-case archives that newer-daemons.sh loads into
real daemons (the daemons' answers are the oracle, not this script):

  no-end-blocks.tar     a docker save whose layer tar is one 512-byte header and
                        23 data bytes: no padding, no end-of-archive blocks
  pre-1.10.tar          a pre-1.10 docker save: `repositories` and
                        <v1 id>/{VERSION,json,layer.tar}, two images (parent chain)
  layer-count.tar       a manifest.json listing 3 layers for a config with 1 diff ID
  oci-ref-*.tar         OCI archives named only by org.opencontainers.image.ref.name,
                        as `skopeo copy ... oci-archive:FILE:NAME` writes them: a bare
                        name, name:tag, a full reference, an invalid upper-case name
  both-*.tar            docker save 25+ layout (index.json and manifest.json) with a
                        blob missing for one of them: the index's manifest, or a
                        layer that only manifest.json names
  two-names*.tar        one image under two names (docker save a b), legacy and 25+
  zero-layer*.tar       no layers at all (docker-archive and OCI archive)
  no-created*.tar       configs without `created` (one layer, zero layers)
  multi-platform.tar    an OCI archive whose one entry is an index of linux/amd64 and
                        linux/arm64 images, named by io.containerd.image.name (the
                        daemons also `docker save` it with and without --platform)

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


def _oci_blobs(config: bytes, layers: list[bytes], oci: bool = True) -> tuple[bytes, list[tuple[str, bytes]]]:
    """An image's manifest and its blobs (config, layers, manifest) as members."""
    kind = "oci.image" if oci else "docker"
    manifest = _json_ordered(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": _sha(config), "size": len(config)},
            "layers": [
                {"mediaType": "application/vnd.oci.image.layer.v1.tar", "digest": _sha(layer), "size": len(layer)}
                for layer in layers
            ],
        }
    )
    assert kind
    members = [(_blob(config), config)] + [(_blob(layer), layer) for layer in layers] + [(_blob(manifest), manifest)]
    return manifest, members


def _json_ordered(value: object) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


def _blob(data: bytes) -> str:
    return "blobs/sha256/" + hashlib.sha256(data).hexdigest()


def _dedupe(members: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    seen: set[str] = set()
    return [(n, d) for n, d in members if not (n in seen or seen.add(n))]  # type: ignore[func-returns-value]


def _index(entries: list[tuple[bytes, dict[str, str]]]) -> bytes:
    return _json_ordered(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.index.v1+json",
            "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": _sha(m), "size": len(m), "annotations": a}
                for m, a in entries
            ],
        }
    )


def _edge_config(name: str, layers: list[bytes], created: bool = True) -> bytes:
    body: dict[str, object] = {
        "architecture": "amd64",
        "os": "linux",
        "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/hello"], "Labels": {"case": name}},
        "rootfs": {"type": "layers", "diff_ids": [_sha(layer) for layer in layers]},
        "history": [{"created_by": f"COPY {name} /"}] if layers else [{"created_by": "LABEL case", "empty_layer": True}],
    }
    if created:
        body["created"] = "2024-01-01T00:00:00Z"
        for entry in body["history"]:  # type: ignore[attr-defined]
            entry["created"] = "2024-01-01T00:00:00Z"
    return _json(body)


def oci_ref_names(out: Path) -> None:
    layer = _layer({"ref.txt": b"named by ref.name only\n"})
    for case, name in (("bare", "bare"), ("name-tag", "app:v1"), ("full", "example.com/team/app:v1"), ("upper", "UpperCase")):
        config = _edge_config(f"oci-ref-{case}", [layer])
        manifest, blobs = _oci_blobs(config, [layer])
        index = _index([(manifest, {"org.opencontainers.image.ref.name": name})])
        members = [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", index), *blobs]
        _archive(out / f"oci-ref-{case}.tar", members)


def _docker25(
    names: list[str], config: bytes, layers: list[bytes], drop: tuple[str, ...] = (), extra_layers: tuple[str, ...] = ()
) -> list[tuple[str, bytes]]:
    """A docker save 25+ archive of one image under ``names``."""
    manifest, blobs = _oci_blobs(config, layers)
    entries = []
    for name in names:
        repo, _, tag = name.rpartition(":")
        full = name if "/" in repo and "." in repo.split("/")[0] else "docker.io/" + ("library/" if "/" not in repo else "") + name
        entries.append((manifest, {"io.containerd.image.name": full, "org.opencontainers.image.ref.name": tag}))
    docker_manifest = [
        {
            "Config": _blob(config),
            "RepoTags": names,
            "Layers": [_blob(layer) for layer in layers] + list(extra_layers),
        }
    ]
    members = [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", _index(entries)), *blobs]
    members.append(("manifest.json", _json_ordered(docker_manifest)))
    return [(n, d) for n, d in _dedupe(members) if n not in drop]


def both_missing(out: Path) -> None:
    layer = _layer({"both.txt": b"index.json and manifest.json\n"})
    config = _edge_config("both-index-blob-missing", [layer])
    manifest, _ = _oci_blobs(config, [layer])
    _archive(out / "both-index-blob-missing.tar", _docker25(["edge/both:index"], config, [layer], drop=(_blob(manifest),)))
    config = _edge_config("both-manifest-layer-missing", [layer])
    # manifest.json names a layer the index does not (and the archive lacks):
    # the config's diff IDs are [layer, layer]
    body = json.loads(config)
    body["rootfs"]["diff_ids"].append(_sha(layer))
    config = _json(body)
    members = _docker25(["edge/both:layer"], config, [layer], extra_layers=("blobs/sha256/" + "0" * 64,))
    _archive(out / "both-manifest-layer-missing.tar", members)


def two_names(out: Path) -> None:
    layer = _layer({"two.txt": b"one image, two names\n"})
    config = _edge_config("two-names", [layer])
    cfg = _sha(config).removeprefix("sha256:")
    manifest = [{"Config": f"{cfg}.json", "RepoTags": ["edge/two:a", "edge/other:b"], "Layers": ["l1/layer.tar"]}]
    _archive(out / "two-names.tar", [(f"{cfg}.json", config), ("l1/layer.tar", layer), ("manifest.json", _json(manifest))])
    config = _edge_config("two-names-oci", [layer])
    _archive(out / "two-names-oci.tar", _docker25(["edge/two:a", "edge/other:b"], config, [layer]))


def zero_layers(out: Path) -> None:
    for case, created in (("zero-layer", True), ("no-created-zero-layer", False)):
        config = _edge_config(case, [], created=created)
        cfg = _sha(config).removeprefix("sha256:")
        manifest = [{"Config": f"{cfg}.json", "RepoTags": [f"edge/{case}:latest"], "Layers": []}]
        _archive(out / f"{case}.tar", [(f"{cfg}.json", config), ("manifest.json", _json(manifest))])
    config = _edge_config("zero-layer-oci", [])
    manifest, blobs = _oci_blobs(config, [])
    index = _index([(manifest, {"org.opencontainers.image.ref.name": "edge/zero-layer-oci:latest"})])
    _archive(out / "zero-layer-oci.tar", [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}'), ("index.json", index), *blobs])
    layer = _layer({"nc.txt": b"no created\n"})
    config = _edge_config("no-created", [layer], created=False)
    cfg = _sha(config).removeprefix("sha256:")
    manifest = [{"Config": f"{cfg}.json", "RepoTags": ["edge/no-created:latest"], "Layers": ["l1/layer.tar"]}]
    _archive(out / "no-created.tar", [(f"{cfg}.json", config), ("l1/layer.tar", layer), ("manifest.json", _json(manifest))])


def multi_platform(out: Path) -> None:
    members: list[tuple[str, bytes]] = [("oci-layout", b'{"imageLayoutVersion": "1.0.0"}')]
    entries = []
    for arch in ("amd64", "arm64"):
        layer = _layer({f"{arch}.txt": f"built for {arch}\n".encode()})
        body = json.loads(_edge_config(f"multi-platform-{arch}", [layer]))
        body["architecture"] = arch
        if arch == "arm64":
            body["variant"] = "v8"
        config = _json(body)
        manifest, blobs = _oci_blobs(config, [layer])
        members += blobs
        platform = {"architecture": arch, "os": "linux", **({"variant": "v8"} if arch == "arm64" else {})}
        entries.append(
            {"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": _sha(manifest), "size": len(manifest), "platform": platform}
        )
    nested = _json_ordered({"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json", "manifests": entries})
    members.append((_blob(nested), nested))
    top = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.index.v1+json",
                "digest": _sha(nested),
                "size": len(nested),
                "annotations": {"io.containerd.image.name": "docker.io/edge/multi-platform:1", "org.opencontainers.image.ref.name": "1"},
            }
        ],
    }
    members.insert(1, ("index.json", _json_ordered(top)))
    _archive(out / "multi-platform.tar", members)


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


def pre_10_reencoded(out: Path) -> None:
    """pre-1.0.tar: a pre-1.10 save whose v1 JSONs say docker_version 1.6.2,
    which Docker decodes into its V1Image type and writes back before hashing.
    Hand-written bytes: keys out of order, extra whitespace, an unknown key,
    "Author" for author, a string Cmd, ExposedPorts and Volumes without a
    Healthcheck, created times with trailing fraction zeros, two images."""
    base_layer = _layer({"base10.txt": b"base 1.0\n"})
    top_layer = _layer({"top10.txt": b"top 1.0\n"})
    base_id = hashlib.sha256(b"imageinspect edge pre-1.0 base").hexdigest()
    top_id = hashlib.sha256(b"imageinspect edge pre-1.0 top").hexdigest()
    base_json = (
        '{\n  "os" : "linux",\n  "id": "BASE",\n  "docker_version": "1.6.2",\n'
        '  "created": "2015-05-01T10:20:30.120000000Z",\n'
        '  "container_config": {"Cmd": "/bin/sh -c #(nop) ADD file:base10 in /", "Hostname": "b10"},\n'
        '  "Size": 9,   "architecture": "amd64"\n}\n'
    )
    top_json = (
        '{"parent": "BASE", "id": "TOP",\n'
        ' "Author": "edge <edge@example.invalid>",\n'
        ' "created": "2015-05-02T03:04:05.500000000+02:00",\n'
        ' "x_unknown": {"kept": false},\n'
        ' "docker_version": "1.6.2", "comment": "pre-1.0 top",\n'
        ' "container_config": {"Cmd": "/bin/sh -c #(nop) EXPOSE 80/tcp", "Image": "BASE"},\n'
        ' "config": {"Env": ["PATH=/usr/bin"], "Cmd": ["/top"],\n'
        '            "ExposedPorts": {"80/tcp": {}, "443/tcp": {}}, "Volumes": {"/data": {}},\n'
        '            "WorkingDir": "/", "Labels": {"case": "pre-1.0"}},\n'
        ' "architecture": "amd64", "os": "linux", "Size": 10}'
    )
    repositories = _json({"edge/pre-1.0": {"latest": top_id}})
    members = []
    for v1_id, body, layer in ((base_id, base_json, base_layer), (top_id, top_json, top_layer)):
        raw = body.replace("BASE", base_id).replace("TOP", top_id).encode()
        members += [(f"{v1_id}/VERSION", b"1.0"), (f"{v1_id}/json", raw), (f"{v1_id}/layer.tar", layer)]
    members.append(("repositories", repositories))
    _archive(out / "pre-1.0.tar", members)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "tests/data/golden/edge")
    out.mkdir(parents=True, exist_ok=True)
    no_end_blocks(out)
    layer_count(out)
    pre_110(out)
    pre_10_reencoded(out)
    oci_ref_names(out)
    both_missing(out)
    two_names(out)
    zero_layers(out)
    multi_platform(out)


if __name__ == "__main__":
    main()
