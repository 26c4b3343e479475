#!/usr/bin/env python3
"""Write meta.json for one inspect case, or README.md for the whole corpus.

Used by inspect-cases.sh (sourced by make-golden.sh); kept in Python so that
meta.json is written by the json module, never by hand-made string gluing.
It only READS tool outputs; it never rewrites them.

    meta.py case   CASEDIR METADIR LAYERDB   -> CASEDIR/meta.json
    meta.py readme GOLDENDIR                 -> GOLDENDIR/README.md

METADIR holds small text files the shell wrote while building the case:
    description.txt builder.txt refs.txt (one per line) docker_ref.txt
    podman_ref.txt image_id.txt commands.txt Dockerfile notes.txt
Each is optional.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys


def _read(path: str) -> str | None:
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except FileNotFoundError:
        return None


def _lines(path: str) -> list[str]:
    text = _read(path)
    return [line for line in (text or "").splitlines() if line]


def chain_ids(diff_ids: list[str]) -> list[str]:
    """ChainID(L0) = DiffID(L0); ChainID(Ln) = sha256(ChainID(Ln-1) + " " + DiffID(Ln))."""
    out: list[str] = []
    for diff in diff_ids:
        if not out:
            out.append(diff)
        else:
            out.append("sha256:" + hashlib.sha256(f"{out[-1]} {diff}".encode()).hexdigest())
    return out


def layerdb_info(config_path: str, layerdb: str) -> dict[str, object]:
    """The image's layers as dockerd's LayerDB (layerdb/sha256/<chain>/...) holds them."""
    with open(config_path, "rb") as f:
        cfg = json.loads(f.read())
    diff_ids = (cfg.get("rootfs") or {}).get("diff_ids") or []
    layers = []
    for diff, chain in zip(diff_ids, chain_ids(diff_ids)):
        d = os.path.join(layerdb, "sha256", chain.split(":", 1)[1])
        entry: dict[str, object] = {"chain_id": chain, "diff_id": diff, "in_layerdb": os.path.isdir(d)}
        if os.path.isdir(d):
            stored_diff = _read(os.path.join(d, "diff"))
            entry["layerdb_diff"] = stored_diff
            entry["layerdb_diff_matches"] = stored_diff == diff
            entry["cache_id"] = _read(os.path.join(d, "cache-id"))
            size = _read(os.path.join(d, "size"))
            entry["size"] = int(size) if size is not None else None
            entry["parent"] = _read(os.path.join(d, "parent"))
        layers.append(entry)
    return {
        "layerdb_dir": layerdb,
        "layers": layers,
        "chain_to_diff": {entry["chain_id"]: entry["diff_id"] for entry in layers},
        "top_chain_id": layers[-1]["chain_id"] if layers else None,
        "size_sum": sum(int(e.get("size") or 0) for e in layers),  # type: ignore[call-overload]
    }


def case_meta(casedir: str, metadir: str, layerdb: str) -> None:
    name = os.path.basename(os.path.normpath(casedir))
    meta: dict[str, object] = {
        "case": name,
        "description": (_read(os.path.join(metadir, "description.txt")) or "").strip(),
        "builder": (_read(os.path.join(metadir, "builder.txt")) or "").strip(),
        "refs": _lines(os.path.join(metadir, "refs.txt")),
        "docker_ref": (_read(os.path.join(metadir, "docker_ref.txt")) or "").strip() or None,
        "podman_ref": (_read(os.path.join(metadir, "podman_ref.txt")) or "").strip() or None,
        "image_id": (_read(os.path.join(metadir, "image_id.txt")) or "").strip() or None,
        "dockerfile": _read(os.path.join(metadir, "Dockerfile")),
        "commands": _lines(os.path.join(metadir, "commands.txt")),
        "notes": _lines(os.path.join(metadir, "notes.txt")),
    }
    cfg = os.path.join(casedir, "config.json")
    meta["layerdb"] = layerdb_info(cfg, layerdb) if os.path.isfile(cfg) else None
    files = {}
    failures = {}
    for fn in sorted(os.listdir(casedir)):
        if fn == "meta.json":
            continue
        files[fn] = os.path.getsize(os.path.join(casedir, fn))
        if fn.endswith(".rc"):
            failures[fn[:-3]] = int((_read(os.path.join(casedir, fn)) or "0").strip())
    meta["files"] = files
    meta["failures"] = failures
    with open(os.path.join(casedir, "meta.json"), "w", encoding="utf-8") as f:
        json.dump(meta, f, indent=2, ensure_ascii=False)
        f.write("\n")


README_HEAD = """\
# tests/data/golden -- real `docker image inspect` / `podman image inspect` output

Everything here was printed by real tools on this machine, inside a private mount
namespace, by `scripts/golden/make-golden.sh` (section "inspect corpus", code in
`scripts/golden/inspect-cases.sh`). **Do not edit these files by hand**; regenerate:

    bash scripts/golden/make-golden.sh                      # as root; rebuilds everything
    GOLDEN_INSTALL=inspect bash scripts/golden/make-golden.sh   # same run, but only installs tests/data/golden

All images are FROM scratch (no RUN, no network). IDs, timestamps and hostnames change
on every run. Exact tool versions: `TOOLS.txt` (printed by the tools themselves).

## File kinds (one directory per case)

| file | printed by | command |
|---|---|---|
| `cli-default.json` | Docker CLI 20.10.24 (`/usr/bin/docker`) | `docker image inspect REF` |
| `cli28-default.json` | Docker CLI 28.2.2 (`/usr/local/bin/docker`, API 1.41 negotiated) | `docker image inspect REF` |
| `template.json` | Docker CLI 20.10.24 | `docker image inspect --format '{{json .}}' REF` (`.jsonl` in multi/: one line per image) |
| `cli28-template.json` | Docker CLI 28.2.2 | `docker image inspect --format '{{json .}}' REF` |
| `cli28-json.json` | Docker CLI 28.2.2 | `docker image inspect --format json REF` |
| `engine-v1.41.json` | dockerd 20.10.24 (vfs) | `curl -s --unix-socket /run/docker.sock http://localhost/v1.41/images/REF/json` (raw body) |
| `engine-v1.24.json` | dockerd 20.10.24 | same with `/v1.24/` (only some cases) |
| `podman.json` | podman 4.3.1 (vfs) | `podman image inspect REF` (image from `podman load` of `docker-save.tar`, `podman pull`, or podman's own build; see meta.json) |
| `history.jsonl` | Docker CLI 20.10.24 | `docker history --no-trunc --format '{{json .}}' REF` |
| `cli28-history.jsonl` | Docker CLI 28.2.2 | same |
| `engine-after-load-vfs.json` | a FRESH dockerd 20.10.24 (vfs; data root `/var/lib/docker-vfs`, socket `/run/docker-vfs.sock`) | `docker load -i docker-save.tar` (`podman-save.tar` for the podman cases) into it, then `curl -s --unix-socket /run/docker-vfs.sock http://localhost/v1.41/images/REF/json` (REF = the case's tag, or the image ID when the archive has no tag, e.g. `dangling`) |
| `engine-after-load-overlay2.json` | a FRESH dockerd 20.10.24 (overlay2; `/var/lib/docker-overlay2`, `/run/docker-overlay2.sock`) | the same load and request (`GraphDriver.Data` holds that daemon's overlay2 paths) |
| `history-after-load.jsonl` | Docker CLI 20.10.24 against the fresh vfs dockerd | `docker history --no-trunc --format '{{json .}}' REF` after the load |
| `config.json` | dockerd 20.10.24 | exact bytes of `/var/lib/docker/image/vfs/imagedb/content/sha256/<id>` |
| `podman-config.json` | podman 4.3.1 storage | `skopeo inspect --raw --config containers-storage:REF` (podman cases) |
| `docker-save.tar` | dockerd 20.10.24 | `docker save -o docker-save.tar REF...` (kept only if < 200 KB) |
| `podman-save.tar` | podman 4.3.1 | `podman save -o podman-save.tar REF` (docker-archive; podman cases) |
| `podman-save.oci-archive.tar` | podman 4.3.1 | `podman save --format oci-archive` (podman-oci) |
| `meta.json` | this script (python `json`) | refs, builder, Dockerfile, commands, LayerDB chain IDs, file sizes, failures |
| `X.stderr` | the tool that printed `X` | its stderr, kept when non-empty |
| `X.rc` | -- | exit status of the command that printed `X`, written only when non-zero (stdout `X` is still kept) |
| `X.http_status` | curl | HTTP status, written only when not 200 |

In `multi/`: `parent-chain.tar` is `docker save case/legacy-full:latest
case/legacy-derived:latest <the untagged intermediate images on legacy-derived's Parent
chain>` (its manifest.json has `Parent` links); `parent-chain-after-load-legacy-full.json`
and `parent-chain-after-load-legacy-derived.json` are the raw `/v1.41/images/REF/json`
bodies after loading it into a fresh vfs dockerd (`/var/lib/docker-chain`).
With `docker save` of just the two tags the archive has no `Parent` (its manifest.json
bytes are quoted in `multi/meta.json` notes): the legacy builder's `Parent` of
legacy-derived is the intermediate image of its previous build step, not legacy-full.
The zero-layer cases have no after-load files (no docker-save.tar). The fresh daemons are
started and stopped by the script; their data is removed afterwards.

Image layouts written by skopeo (`oci:`, `oci-archive:`, `dir:`) and umoci are in
`layouts/` (see `layouts/README.md`).

Every stdout was written by shell redirection (`> file`) or `curl -o`; nothing was
re-encoded. `meta.json` is NOT tool output: it is written by `scripts/golden/meta.py`.
Its `layerdb` block maps each layer's chain ID to its diff ID as read from
`/var/lib/docker/image/vfs/layerdb/sha256/<chain>/{diff,cache-id,size,parent}`;
`top_chain_id` is the key dockerd uses for the image's rootfs.

## What did not work (kept as failures, or not possible here)

* `docker save` of a zero-layer image fails on 20.10: `Error response from daemon: empty
  export - not implemented` (`zero-layer`, `buildkit-zero-layer`: see
  `docker-save.tar.stderr` / `.rc`). Their `podman.json` therefore comes from a push to
  the local registry + `podman pull` (after every docker printer had run).
  Podman 4.3 gotcha: inspecting a zero-layer image fails when the store also holds a
  podman manifest list (`Error: fetching target platform image selected from image
  index: ... locating item named "manifest-sha256:..."`), even by image ID; the script
  removes make-golden.sh's own list (`localhost/golden/multi:1`) first.
* Only dockerd 20.10 is available offline, so every engine body is API <= 1.41 (the
  `/v1.24/` and `/v1.41/` bodies are byte-identical). CLI 28 output is CLI 28 talking to
  that daemon (API 1.41 negotiated), not a newer daemon.
* CLI 28 has no buildx, so every build uses the 20.10 CLI; CLI 28 only prints.
* The 20.10 CLI has no `--format json`: it treats `json` as a literal template
  (`multi/cli-format-json.txt` prints `json` once per image).

## Cases
"""


def readme(golden: str) -> None:
    rows = []
    for name in sorted(os.listdir(golden)):
        mpath = os.path.join(golden, name, "meta.json")
        if not os.path.isfile(mpath):
            continue
        with open(mpath, encoding="utf-8") as f:
            meta = json.load(f)
        files = meta["files"]
        printers = [
            k
            for k in ("cli-default.json", "cli28-default.json", "engine-v1.41.json", "engine-v1.24.json",
                      "template.json", "cli28-template.json", "cli28-json.json", "podman.json",
                      "docker-save.tar", "podman-save.tar",
                      "engine-after-load-vfs.json", "engine-after-load-overlay2.json")
            if k in files and k not in meta["failures"]
        ]
        failed = ", ".join(f"`{k}` rc={v}" for k, v in sorted(meta["failures"].items())) or "--"
        desc = meta["description"].replace("|", "\\|")
        rows.append(
            f"| `{name}` | {desc} | {meta['builder']} | "
            f"{', '.join('`' + os.path.splitext(p)[0] + '`' for p in printers)} | {failed} |"
        )
    with open(os.path.join(golden, "README.md"), "w", encoding="utf-8") as f:
        f.write(README_HEAD)
        f.write("\n| case | what | built with | outputs | failed (kept) |\n|---|---|---|---|---|\n")
        f.write("\n".join(rows) + "\n")


def main() -> None:
    if sys.argv[1] == "case":
        case_meta(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "readme":
        readme(sys.argv[2])
    else:
        raise SystemExit(f"usage: {sys.argv[0]} case CASEDIR METADIR LAYERDB | readme GOLDENDIR")


if __name__ == "__main__":
    main()
