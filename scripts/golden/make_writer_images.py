#!/usr/bin/env python3
"""make_writer_images.py -- the images that the writers golden corpus feeds to real tools.

Builds four deterministic images with ``imageinspect.testing.ImageBuilder`` and writes
them with every writer of ``imageinspect.testing.writers`` into OUTDIR:

    legacy.tar     write_docker_archive(images, layout="legacy")    (all four images)
    docker25.tar   write_docker_archive(images, layout="docker25")  (all four images)
    oci/           write_oci_layout(images)                         (an OCI layout directory)
    oci.tar        write_oci_layout(images, tar=True)               (the same layout as one tar)
    images.json    what is in them: tags, IDs, platforms, compression, the reference
                   each tool is given (written here so the shell side need not guess)

The images:

    full     two layers (regular files, a directory, a symlink, a hardlink, then a
             whiteout, an opaque whiteout and a new file); ENV/LABEL with <>& and
             unicode, EXPOSE tcp+udp, VOLUME, HEALTHCHECK, ENTRYPOINT/CMD, USER,
             WORKDIR, ONBUILD, SHELL, STOPSIGNAL, author; two tags; gzip layers
    arm64    linux/arm64/v8, one layer; gzip layers
    zstd     one layer, zstd-compressed in the OCI layout (docker archives always
             hold uncompressed layers)
    derived  built on ``full`` (shares its two layers) plus one layer; gzip

Deterministic: running it twice gives identical bytes (ImageBuilder's fixed clock,
the writers' fixed member order/owners/times).

Usage (from the repository root):
    PYTHONPATH=. .venv/bin/python scripts/golden/make_writer_images.py OUTDIR
"""

from __future__ import annotations

import json
import os
import sys

from imageinspect.testing import (
    Dir,
    File,
    Hardlink,
    ImageBuilder,
    OpaqueWhiteout,
    Symlink,
    Whiteout,
    write_docker_archive,
    write_oci_layout,
)
from imageinspect.values.reference import Reference
from imageinspect.values.timestamp import Timestamp


def build_images() -> list[tuple[str, str, object]]:
    """(name, compression, Image) for every image, in archive order."""
    full_builder = (
        ImageBuilder(seed=1)
        .author("Writers Golden <writers@example.invalid>")
        .add_layer(
            {
                "/app/bin": File(b"#!/bin/sh\necho writers\n", mode=0o755),
                "/app/data.txt": b"data <golden> & \xe2\x98\x83\n",
                "/app/hard": Hardlink("/app/data.txt"),
                "/app/dir/nested.txt": b"nested\n",
                "/app/dir/gone.txt": b"hidden by the opaque whiteout\n",
                "/bin/app": Symlink("/app/bin"),
                "/etc/passwd": b"root:x:0:0::/:/app/bin\nwriter:x:1000:1000::/app:/app/bin\n",
                "/tmp": Dir(mode=0o1777),
                "/tmp/old.txt": b"removed in the second layer\n",
            },
            created_by="COPY rootfs / # writers golden",
        )
        .add_layer(
            {
                "/tmp/old.txt": Whiteout(),
                "/app/dir": OpaqueWhiteout(),
                "/app/dir/fresh.txt": b"after the opaque whiteout\n",
                "/app/new.txt": "grüße ☃\n",
            },
            created_by="COPY second / # whiteouts",
            comment="second layer <with> & whiteouts",
        )
        .env("PATH", "/app:/bin")
        .env("GREETING", "héllo <world> & ☃")
        .label("org.example.title", "writers <full> & co")
        .label("org.example.unicode", "héllo wörld ☃ 日本語 𝄞")
        .label("org.example.empty", "")
        .expose("8080/tcp", "53/udp", "9000")
        .volume("/data", "/var/log/app")
        .healthcheck(["CMD", "/app/bin", "--check"], interval=30, timeout=5, start_period=10, retries=3)
        .onbuild("COPY . /onbuild")
        .onbuild('LABEL org.example.child="yes"')
        .shell(["/bin/sh", "-ec"])
        .workdir("/app")
        .user("1000:1000")
        .stop_signal("SIGTERM")
        .entrypoint(["/app/bin", "--flag=<x>&y"])
        .cmd(["--help"])
        .tag("writers/full:1", "localhost:5000/writers/full:latest")
    )
    full = full_builder.build(compression="gzip")

    arm64 = (
        ImageBuilder(seed=2, clock=Timestamp.parse("2024-02-01T00:00:00Z"))
        .platform("linux/arm64/v8")
        .add_layer({"/arm.txt": b"arm64 payload\n", "/lib/ld.so": Symlink("/arm.txt")}, created_by="COPY arm.txt /")
        .label("org.example.platform", "linux/arm64/v8")
        .cmd(["/arm.txt"])
        .tag("writers/arm64:1")
        .build(compression="gzip")
    )

    zstd = (
        ImageBuilder(seed=3, clock=Timestamp.parse("2024-03-01T00:00:00Z"))
        .add_random_layer(files=2, size=512)
        .env("COMPRESSION", "zstd")
        .cmd([])
        .tag("writers/zstd:1")
        .build(compression="zstd")
    )

    derived = (
        ImageBuilder(seed=4, base=full, clock=Timestamp.parse("2024-04-01T00:00:00Z"))
        .add_layer({"/app/derived.txt": b"derived\n"}, created_by="COPY derived.txt /app/")
        .label("org.example.derived", "yes <child>")
        .env("GREETING", "overridden")
        .user("root")
        .tag("writers/derived:1")
        .build(compression="gzip")
    )
    return [("full", "gzip", full), ("arm64", "gzip", arm64), ("zstd", "zstd", zstd), ("derived", "gzip", derived)]


def describe(images: list[tuple[str, str, object]]) -> dict[str, object]:
    out = []
    for name, compression, image in images:
        tags = list(image.repo_tags)
        out.append(
            {
                "name": name,
                "tags": tags,
                "id": str(image.id),
                "platform": str(image.image_config.platform),
                "oci_layer_compression": compression,
                "oci_manifest_digest": str(image.manifest.digest),
                # index.json org.opencontainers.image.ref.name in oci/ and oci.tar
                "oci_ref_names": [str(Reference.parse(t)) for t in tags],
                # index.json org.opencontainers.image.ref.name in docker25.tar (tag only)
                "docker25_ref_names": [t.rsplit(":", 1)[-1] for t in tags],
            }
        )
    return {
        "generator": "scripts/golden/make_writer_images.py",
        "archives": {
            "legacy.tar": 'write_docker_archive(images, path, layout="legacy")',
            "docker25.tar": 'write_docker_archive(images, path, layout="docker25")',
            "oci": "write_oci_layout(images, path)",
            "oci.tar": "write_oci_layout(images, path, tar=True)",
        },
        "images": out,
    }


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("Usage")[-1].strip(), file=sys.stderr)
        return 2
    outdir = argv[1]
    os.makedirs(outdir, exist_ok=True)
    images = build_images()
    for _, _, image in images:
        if not image.verify().ok:
            raise SystemExit(f"built image {image.repo_tags} does not verify")
    only = [image for _, _, image in images]
    write_docker_archive(only, os.path.join(outdir, "legacy.tar"), layout="legacy")
    write_docker_archive(only, os.path.join(outdir, "docker25.tar"), layout="docker25")
    write_oci_layout(only, os.path.join(outdir, "oci"))
    write_oci_layout(only, os.path.join(outdir, "oci.tar"), tar=True)
    with open(os.path.join(outdir, "images.json"), "w", encoding="utf-8") as handle:
        json.dump(describe(images), handle, indent=2, ensure_ascii=False, sort_keys=False)
        handle.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
