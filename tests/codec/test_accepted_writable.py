"""Everything loads/parse accept writes back; what they must not accept,
they refuse with a located error; frozen models stay frozen."""

from __future__ import annotations

import base64
import json
import subprocess
import sys
from pathlib import Path
from typing import Any, cast

import attrs
import pytest

from imageinspect import (
    ContainerConfig,
    ImageConfig,
    ImageInspect,
    ImageInspectError,
    PodmanImageInspect,
    Schema1Manifest,
    dumps,
    loads,
    parse,
)
from imageinspect.codec.write import writer
from tests.conftest import public

ID = "sha256:" + "a" * 64


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _signed(body: bytes, length: int, tail: bytes) -> bytes:
    protected = _b64(json.dumps({"formatLength": length, "formatTail": _b64(tail)}).encode())
    signature = {"header": {"alg": "ES256"}, "signature": "c2ln", "protected": protected}
    return body[:length] + b',"signatures":' + json.dumps([signature]).encode() + tail


SCHEMA1 = b'{"schemaVersion":1,"name":"a/b","tag":"t","architecture":"amd64","fsLayers":[],"history":[]}'


def test_schema1_data_outside_the_signed_payload_is_refused() -> None:
    raw = public("moby/v20.10.0/distribution/fixtures/validate_manifest/good_manifest").read_bytes()
    cut = raw.index(b',\n   "signatures"')
    extra = raw[:cut] + b',\n   "fsLayers": [{"blobSum": "sha256:' + b"b" * 64 + b'"}]' + raw[cut:]
    with pytest.raises(ImageInspectError, match="outside the signed payload") as err:
        parse(extra)
    assert err.value.location == "$"
    assert parse(raw).value.to_json() == raw  # the real one still reads and writes exactly


@pytest.mark.parametrize("signatures", [b"[]", b"null"])
def test_schema1_empty_signatures_write_back(signatures: bytes) -> None:
    doc = parse(SCHEMA1[:-1] + b',"signatures":' + signatures + b"}")
    assert parse(doc.value.to_json()).value == doc.value


def test_schema1_signed_over_another_layout_writes_back() -> None:
    doc = parse(_signed(SCHEMA1, len(SCHEMA1) - 1, b"}"))
    again = parse(doc.value.to_json())
    assert isinstance(doc.value, Schema1Manifest)
    assert isinstance(again.value, Schema1Manifest)
    assert again.value.fs_layers == doc.value.fs_layers


@pytest.mark.parametrize(
    "text",
    [b"{}", b"[{}]", b'{"schemaVersion":2,"config":{}}', b'{"architecture":"amd64","os":"linux"}'],
)
def test_loads_refuses_what_is_not_inspect_output(text: bytes) -> None:
    with pytest.raises(ImageInspectError, match="not an inspect object"):
        loads(text)


def test_an_unknown_key_never_makes_docker_output_podman() -> None:
    old = {"Id": ID, "DockerVersion": "1.13.1", "Container": "", "Digest": "x", "NamesHistory": []}
    image = loads(json.dumps([old]).encode()).images[0]
    assert isinstance(image, ImageInspect)
    assert isinstance(loads(json.dumps([{"Id": "a" * 64, "Digest": ID}]).encode()).images[0], PodmanImageInspect)


@pytest.mark.parametrize("created", ["٢٠٢٠-01-01T00:00:00Z", "２020-01-01T00:00:00Z", "2020-01-0１T00:00:00Z"])
def test_non_ascii_digits_in_timestamps_refused(created: str) -> None:
    with pytest.raises(ImageInspectError) as err:
        loads(json.dumps({"Id": ID, "Created": created}, ensure_ascii=False).encode())
    assert err.value.location == "$.Created"


@pytest.mark.parametrize("size", ["18446744073709551616", "-9223372036854775809"])
def test_integers_beyond_64_bits_refused(size: str) -> None:
    with pytest.raises(ImageInspectError) as err:
        loads(b'{"Id":"' + ID.encode() + b'","Size":' + size.encode() + b"}")
    assert err.value.location == "$.Size"


def test_template_output_without_final_newline_writes_back() -> None:
    line = json.dumps({"Id": ID, "Os": "linux"}, separators=(",", ":")).encode()
    text = line + b"\n" + line
    out = loads(text)
    assert dumps(out) == text
    assert dumps(list(out), out.format, out.style) == text


def test_deep_values_write_back() -> None:
    text = json.dumps(
        {"Id": ID, "Config": {"ExposedPorts": {"80/tcp": {"x": [1]}}, "Volumes": {"/d": {"y": {}}}}},
        separators=(",", ":"),
    ).encode()
    out = loads(text)
    assert dumps(out) == text
    assert dumps(list(out), out.format, out.style) == text


def test_writer_output_is_the_callers_own() -> None:
    doc = parse(b'{"architecture":"amd64","os":"linux","config":{"Labels":{"a":"b"}},"rootfs":{"type":"layers"}}')
    before = doc.value.to_json()
    value = writer("oci").write(doc.value)
    value["config"]["Labels"]["a"] = "changed"
    value["architecture"] = "changed"
    assert doc.value.to_json() == before


def test_evolve_with_plain_containers_freezes_them() -> None:
    inner = ContainerConfig()
    config = ImageConfig(architecture="amd64", os="linux", config=inner)
    edited = attrs.evolve(config, config=attrs.evolve(inner, labels=cast(Any, {"a": "b"}), env=cast(Any, ["X=1"])))
    assert b'"Labels":{"a":"b"}' in edited.to_json()
    assert hash(edited.config) is not None
    with pytest.raises(TypeError, match="a set is not a JSON value"):
        attrs.evolve(inner, env=cast(Any, {"X=1"}))


def _check(path: Path) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "imageinspect", "check", str(path)]
    return subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)


def test_check_takes_utf16_and_template_output(tmp_path: Path) -> None:
    utf16 = tmp_path / "powershell.json"
    utf16.write_bytes(json.dumps([{"Id": ID}], indent=4).replace("\n", "\r\n").encode("utf-16"))
    done = _check(utf16)
    assert done.returncode == 0, done.stderr
    assert "exact round trip" in done.stdout
    spaced = tmp_path / "spaced.jsonl"
    spaced.write_bytes(b'{"Id": "x", "Os": "linux"}\n{"Id": "y"}\n')
    done = _check(spaced)
    assert done.returncode == 1, done.stderr
    assert done.stdout.startswith("differs at byte")
    assert "Traceback" not in done.stderr
