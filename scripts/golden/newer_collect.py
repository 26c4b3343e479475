"""Deduplicate what newer-daemons.sh captured into tests/data/golden/observed.

RAW/<daemon>/TOOLS.txt and RAW/<daemon>/<case>/{load.txt,build.txt,save.tar,
podman-load.txt,<image>/<view>} become:

  observed/blobs/<sha256 hex>   each distinct byte string once (the exact stdout)
  observed/index.json           sources: case -> the file it loads (from the repo root);
                                daemons: daemon -> case -> files and images -> views,
                                by blob hex; exit codes, stderr and HTTP
                                statuses inline (written by this script)

Saved archives (save.tar) are kept only when smaller than 64 KiB. With
NEWER_ONLY, newer-daemons.sh passes only some daemons: the others' entries are
kept from the existing index; with NEWER_CASES, only some cases: a daemon's
other cases are kept too (a case captured again replaces its old entry).

Usage: python3 newer_collect.py RAW OBSERVED
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

MAX_SAVE = 64 * 1024
SIDE = (".rc", ".stderr", ".http_status")


def _blob(blobs: Path, data: bytes) -> str:
    hex_ = hashlib.sha256(data).hexdigest()
    path = blobs / hex_
    if not path.exists():
        path.write_bytes(data)
    return hex_


def _file(blobs: Path, path: Path) -> str | dict[str, object]:
    """A blob hex, or a dict with the blob and its exit code / stderr / status."""
    entry: dict[str, object] = {"blob": _blob(blobs, path.read_bytes())}
    for suffix in SIDE:
        side = path.with_name(path.name + suffix)
        if side.exists():
            text = side.read_text(errors="replace").strip()
            entry[suffix[1:]] = int(text) if suffix != ".stderr" else text
    return entry["blob"] if len(entry) == 1 else entry  # type: ignore[return-value]


def _collect_dir(blobs: Path, directory: Path) -> dict[str, object]:
    files: dict[str, str | dict[str, object]] = {}
    for path in sorted(directory.iterdir()):
        if path.is_dir() or path.name.endswith(SIDE):
            continue
        if path.name.endswith(".tar") and path.stat().st_size > MAX_SAVE:
            files[path.name] = {"omitted": f"{path.stat().st_size} bytes"}
            continue
        files[path.name] = _file(blobs, path)
    return files


def main() -> None:
    raw, observed = Path(sys.argv[1]), Path(sys.argv[2])
    blobs = observed / "blobs"
    blobs.mkdir(parents=True, exist_ok=True)
    index_path = observed / "index.json"
    old = json.loads(index_path.read_text()) if index_path.exists() else {}
    index: dict[str, dict[str, object]] = old.get("daemons", {})
    sources = dict(old.get("sources", {}))
    listed = raw / "sources.txt"
    for line in listed.read_text().splitlines() if listed.exists() else ():
        case, _, path = line.partition("\t")
        sources[case] = path
    for daemon in sorted(p for p in raw.iterdir() if p.is_dir()):
        entry: dict[str, object] = {"tools": (daemon / "TOOLS.txt").read_text(errors="replace")}
        kept = index.get(daemon.name, {}).get("cases", {})
        cases: dict[str, object] = dict(kept) if isinstance(kept, dict) else {}
        left: set[str] = set()  # image IDs seen in earlier cases (cases load in name order)
        for case in sorted(p for p in daemon.iterdir() if p.is_dir()):
            dirs = sorted(p for p in case.iterdir() if p.is_dir())
            named = {(image / "ref.txt").read_text().strip() for image in dirs if (image / "ref.txt").exists()}
            ids = {image: (image / "id.txt").read_text().strip() for image in dirs if (image / "id.txt").exists()}
            # an image an earlier case left in the store (the CLI could not
            # remove its malformed name), looked up by ID here: not this case's
            keep = [image for image in dirs if not (ids.get(image) in left and ids.get(image) in named)]
            left |= set(ids.values())
            images = {image.name: _collect_dir(blobs, image) for image in keep}
            files = _collect_dir(blobs, case)
            cases[case.name] = {"files": files, "images": images}
            loaded = files.get("loaded.tar")
            if isinstance(loaded, str):  # what the case loaded is one of the blobs (a daemon's own save)
                sources[f"{case.name}@{daemon.name}"] = str(Path("tests/data/golden/observed/blobs") / loaded)
        entry["cases"] = dict(sorted(cases.items()))
        index[daemon.name] = entry
    used = {
        hex_
        for d in index.values()
        for c in d["cases"].values()  # type: ignore[attr-defined]
        for files in [c["files"], *c["images"].values()]
        for f in files.values()
        for hex_ in [f if isinstance(f, str) else f.get("blob")]
        if hex_
    }
    for path in blobs.iterdir():
        if path.name not in used:
            path.unlink()
    out = {"sources": sources, "daemons": index}
    index_path.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"newer_collect: {len(index)} daemons, {len(used)} distinct files", file=sys.stderr)


if __name__ == "__main__":
    main()
