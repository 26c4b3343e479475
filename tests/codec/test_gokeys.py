"""Keys as Go reads them: every case of tests/data/golden/gokeys/cases.jsonl
was decoded by Go's own encoding/json (scripts/golden/gokeys-oracle.sh,
output go.jsonl). Where Go reads a case-variant key into a field, the library
refuses the document with a located error; where the document has no such
key, the library reads what Go read."""

from __future__ import annotations

import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest

from imageinspect import ImageInspectError, list_images
from imageinspect.codec.gokeys import go_fold
from imageinspect.codec.read import structure
from imageinspect.errors import SchemaError
from imageinspect.model.config import ImageConfig
from imageinspect.model.manifest import ImageManifest
from tests.conftest import DATA

_DIR = DATA / "golden" / "gokeys"
_CASES = {c["name"]: c for c in map(json.loads, (_DIR / "cases.jsonl").read_text().splitlines())}
_GO = {c["name"]: c for c in map(json.loads, (_DIR / "go.jsonl").read_text().splitlines())}

#: The struct fields the oracle's types have, per object (Go maps, such as
#: Labels, are matched exactly and are not listed).
_FIELDS = {
    "config": {"architecture", "os", "config"},
    "runtime": {"User", "Cmd", "Entrypoint", "WorkingDir", "Env", "Labels"},
    "manifest.json": {"Config", "RepoTags", "Layers"},
    "manifest": {"schemaVersion", "config", "layers"},
    "descriptor": {"mediaType", "digest", "size"},
}


def _variants(obj: dict[str, Any], fields: set[str]) -> list[str]:
    folded = {go_fold(f) for f in fields}
    return [k for k in obj if k not in fields and go_fold(k) in folded]


def _has_variant(case: dict[str, Any]) -> bool:
    doc = case["doc"]
    if case["kind"] == "config":
        return bool(_variants(doc, _FIELDS["config"]) or _variants(doc.get("config", {}), _FIELDS["runtime"]))
    if case["kind"] == "manifest.json":
        return any(_variants(item, _FIELDS["manifest.json"]) for item in doc)
    return bool(_variants(doc, _FIELDS["manifest"]) or _variants(doc["config"], _FIELDS["descriptor"]))


def _read(case: dict[str, Any], tmp_path: Path) -> Any:
    """What the library reads, in the oracle's terms."""
    doc = case["doc"]
    if case["kind"] == "config":
        config = structure(doc, ImageConfig)
        runtime = config.config
        return {
            "architecture": config.architecture,
            "os": config.os,
            "config": {
                "User": runtime.user if runtime else "",
                "Cmd": list(runtime.cmd) if runtime and runtime.cmd is not None else None,
                "Entrypoint": list(runtime.entrypoint) if runtime and runtime.entrypoint is not None else None,
                "WorkingDir": runtime.working_dir if runtime else "",
                "Env": list(runtime.env) if runtime and runtime.env is not None else None,
                "Labels": dict(runtime.labels) if runtime and runtime.labels is not None else None,
            },
        }
    if case["kind"] == "manifest.json":
        path = tmp_path / "x.tar"
        with tarfile.open(path, "w") as tar:
            raw = json.dumps(doc).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(raw)
            tar.addfile(info, io.BytesIO(raw))
        return list_images(path)
    manifest = structure(doc, ImageManifest)
    return {"config": str(manifest.config.digest)}


@pytest.mark.parametrize("name", sorted(_CASES))
def test_keys_as_go_reads_them(name: str, tmp_path: Path) -> None:
    case, go = _CASES[name], _GO[name]
    assert "error" not in go, go
    if _has_variant(case):
        with pytest.raises(SchemaError) as caught:
            _read(case, tmp_path)
        assert "Go's encoding/json" in caught.value.message
        assert caught.value.location
        return
    got = _read(case, tmp_path)
    if case["kind"] == "config":
        assert got == go["go"]
    elif case["kind"] == "manifest":
        assert got["config"] == go["go"]["config"]["digest"]


def test_every_case_where_go_reads_another_value_is_refused() -> None:
    """The oracle confirms the rule: wherever Go's reading differs from an
    exact-key reading, the case has a case-variant key (so it is refused)."""
    differs = 0
    for name, case in _CASES.items():
        exact = _exact(case)
        if exact != _GO[name]["go"]:
            assert _has_variant(case), name
            differs += 1
    assert differs >= 6


def _exact(case: dict[str, Any]) -> Any:
    """What a reader matching keys exactly (and keeping others aside) sees,
    shaped like the oracle's output."""
    doc = case["doc"]
    if case["kind"] == "config":
        runtime = doc.get("config", {})
        return {
            "architecture": doc.get("architecture", ""),
            "os": doc.get("os", ""),
            "config": {
                "User": runtime.get("User", ""),
                "Cmd": runtime.get("Cmd"),
                "Entrypoint": runtime.get("Entrypoint"),
                "WorkingDir": runtime.get("WorkingDir", ""),
                "Env": runtime.get("Env"),
                "Labels": runtime.get("Labels"),
            },
        }
    if case["kind"] == "manifest.json":
        return [
            {k: item.get(k, "" if k == "Config" else None) for k in ("Config", "RepoTags", "Layers")} for item in doc
        ]
    return {
        "schemaVersion": doc["schemaVersion"],
        "config": {k: doc["config"][k] for k in ("mediaType", "digest", "size")},
        "layers": doc["layers"],
    }


def test_refusal_is_located_in_an_archive(tmp_path: Path) -> None:
    case = _CASES["manifest-json-config-twice"]
    with pytest.raises(ImageInspectError) as caught:
        _read(case, tmp_path)
    assert caught.value.location.startswith("x.tar!manifest.json$[0]")
