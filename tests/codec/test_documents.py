"""parse(): real documents keep their bytes, digests and values (contract C2)."""

from __future__ import annotations

from pathlib import Path

import attrs
import orjson
import pytest

import imageinspect
from imageinspect import (
    ContainerConfig,
    Descriptor,
    Digest,
    DocumentKindError,
    FrozenMap,
    ImageConfig,
    ImageIndex,
    ImageManifest,
    MediaType,
    RootFS,
    Schema1Manifest,
    encode_in_style,
    parse,
    parse_config,
    parse_index,
    parse_manifest,
)
from imageinspect.values import mediatype as mt
from tests.conftest import DATA, public

# (fixture, kind, canonical to_json() is byte-exact, why not)
PUBLIC_DOCUMENTS = [
    ("containers-image/schema2-config.json", ImageConfig, True, ""),
    (
        "regclient/testrepo-blobs/0da9b7d747f276cec5405049196715887f14e4d4895c64c1491be05682968333",
        ImageConfig,
        True,
        "",
    ),
    (
        "moby/tarsum-testdata/511136ea3c5a64f264b78b5433614aec563103b4d4702f3ba7d4d2698e22c158/json",
        ImageConfig,
        False,
        "a trailing \\r after Go's bytes",
    ),
    (
        "moby/tarsum-testdata/46af0962ab5afeb5ce6740d4d91652e69206fc991fd5328c1a94d364ad00e457/json",
        ImageConfig,
        False,
        "a trailing \\r after Go's bytes",
    ),
    (
        "go-containerregistry/test_index/blobs/sha256/6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e",
        ImageConfig,
        False,
        "written by Python with ', ' separators",
    ),
    ("containers-image/schema2-to-schema1-by-docker.json", Schema1Manifest, False, "a trailing newline"),
    ("moby/v20.10.0/distribution/fixtures/validate_manifest/good_manifest", Schema1Manifest, True, ""),
    ("containers-image/schema2list.json", ImageIndex, True, ""),
    ("containers-image/v2list.manifest.json", ImageIndex, False, "a trailing newline"),
    ("containers-image/ociv1.image.index.json", ImageIndex, False, "hand-written, 4-space"),
    ("go-containerregistry/test_index/index.json", ImageIndex, False, "2-space indent"),
    ("regclient/testrepo-blobs/7ceb9b6bcc274697d0c38be6214b50cec79d601bc61708747d3f6cb772f6c6fa", ImageIndex, True, ""),
    ("regclient/testrepo-blobs/d69399e05204fac05b0184eef72e984538cdc9c5854a6484e8852e4357c543cb", ImageIndex, True, ""),
    ("python-on-whales/manifests/0.json", ImageIndex, False, "docker manifest inspect's 4-space indent"),
    ("containers-image/v2s2.manifest.json", ImageManifest, False, "spec example, 4-space"),
    ("containers-image/ociv1.manifest.json", ImageManifest, False, "spec example, 2-space"),
    (
        "go-containerregistry/test_index/blobs/sha256/32589985702551b6c56033bb3334432a0a513bf9d6aceda0f67c42b003850720",
        ImageManifest,
        False,
        "compact docker manifest (ggcr), not distribution's indent",
    ),
    (
        "regclient/testrepo-blobs/0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026",
        ImageManifest,
        True,
        "",
    ),
    (
        "regclient/testrepo-blobs/905693978d033f94767ce99edd9a3b285853343c148a4057cf00d47c67f9fb83",
        ImageManifest,
        True,
        "",
    ),
]

# Documents of ours, made by real tools (scripts/golden/); the suite keeps its
# meaning without ../shared.
OWN_DOCUMENTS = sorted((DATA / "documents").glob("*/*")) if (DATA / "documents").is_dir() else []


@pytest.mark.parametrize(("relative", "kind", "exact", "why"), PUBLIC_DOCUMENTS, ids=[d[0] for d in PUBLIC_DOCUMENTS])
def test_public_document(relative: str, kind: type, exact: bool, why: str) -> None:
    raw = public(relative).read_bytes()
    doc = parse(raw)
    assert type(doc.value) is kind
    assert doc.raw == raw
    name = Path(relative).name
    if len(name) == 64:
        assert doc.digest == "sha256:" + name, "file named by digest must match it"
    if kind is not Schema1Manifest:
        assert doc.digest == Digest.of(raw)
    out = doc.value.to_json()
    assert orjson.loads(out) == orjson.loads(raw), "to_json() must equal the input as a JSON value"
    assert (out == raw) is exact, why
    if "Python" not in why:
        assert encode_in_style(doc.value, doc.style) == raw, "Go-written bytes re-encode exactly in their style"
    assert parse(out).value == doc.value


@pytest.mark.parametrize("path", OWN_DOCUMENTS, ids=[f"{p.parent.name}/{p.name}" for p in OWN_DOCUMENTS])
def test_own_document(path: Path) -> None:
    raw = path.read_bytes()
    doc = parse(raw)
    expected_kind = {
        "configs": ImageConfig,
        "manifests": ImageManifest,
        "indexes": ImageIndex,
        "schema1": Schema1Manifest,
    }[path.parent.name]
    assert type(doc.value) is expected_kind
    assert Digest.of(raw) == "sha256:" + path.name
    if expected_kind is not Schema1Manifest:
        assert doc.digest == "sha256:" + path.name
    assert orjson.loads(doc.value.to_json()) == orjson.loads(raw)
    assert encode_in_style(doc.value, doc.style) == raw


def test_docker_config_digest_is_the_image_id() -> None:
    raw = public("containers-image/schema2-config.json").read_bytes()
    manifest = parse(public("containers-image/v2s2.manifest.json").read_bytes())
    assert isinstance(manifest.value, ImageManifest)
    doc = parse_config(raw)
    assert doc.digest.startswith("sha256:9ca4bda0")
    assert doc.value.to_json() == raw  # sorted top level, HTML-escaped: dockerd's bytes
    assert b"\\u0026" in raw


def test_schema1_digest_is_over_the_payload_without_signatures() -> None:
    raw = public("moby/v20.10.0/distribution/fixtures/validate_manifest/good_manifest").read_bytes()
    doc = parse(raw)
    assert isinstance(doc.value, Schema1Manifest)
    assert doc.value.is_signed
    assert doc.media_type == mt.DOCKER_SCHEMA1_SIGNED_MANIFEST
    # formatLength 3197 + formatTail "\n}" (from the protected header)
    assert doc.digest == Digest.of(raw[:3197] + b"\n}")
    assert doc.digest != Digest.of(raw)
    top = doc.value.history[0].image
    assert top is not None
    assert top.id.startswith("af340544")
    assert doc.value.fs_layers[0].blob_sum.startswith("sha256:a3ed95ca")


def test_unsigned_schema1() -> None:
    raw = b'{\n   "schemaVersion": 1,\n   "name": "a",\n   "tag": "b",\n   "architecture": "amd64",\n   "fsLayers": [],\n   "history": []\n}'
    doc = parse(raw)
    assert doc.media_type == mt.DOCKER_SCHEMA1_MANIFEST
    assert doc.digest == Digest.of(raw)
    assert doc.value.to_json() == raw


def test_oci_11_artifact_fields() -> None:
    doc = parse_manifest(
        public("regclient/testrepo-blobs/905693978d033f94767ce99edd9a3b285853343c148a4057cf00d47c67f9fb83").read_bytes()
    )
    assert doc.value.artifact_type is not None
    assert doc.value.config.media_type == mt.OCI_EMPTY
    assert doc.value.config.data == b"{}"
    referrer = parse_manifest(
        public("regclient/testrepo-blobs/0484e93c23cddf24a8400547119558312023295af241d4cd1eaf1b27145c5026").read_bytes()
    )
    assert referrer.value.subject is not None
    index = parse_index(
        public("regclient/testrepo-blobs/7ceb9b6bcc274697d0c38be6214b50cec79d601bc61708747d3f6cb772f6c6fa").read_bytes()
    )
    platforms = [m.platform for m in index.value.manifests or ()]
    assert any(p is not None and p.is_attestation for p in platforms)


def test_docker_list_platform_features_survive() -> None:
    raw = public("containers-image/v2list.manifest.json").read_bytes()
    index = parse_index(raw).value
    assert any(m.platform is not None and m.platform.features for m in index.manifests or ())
    assert orjson.loads(index.to_json()) == orjson.loads(raw)


def test_unknown_fields_survive_evolve_and_keep_their_place() -> None:
    raw = b'{"architecture":"amd64","x-first":1,"os":"linux","config":{"Env":["A=1"],"Custom":{"k":[1,2]}},"rootfs":{"type":"layers","diff_ids":[]},"zz":null}'
    doc = parse_config(raw)
    assert doc.value.extra == {"x-first": 1, "zz": None}
    assert doc.value.to_json() == raw
    assert doc.value.config is not None
    changed = attrs.evolve(doc.value, os="windows", config=attrs.evolve(doc.value.config, user="me"))
    out = orjson.loads(changed.to_json())
    assert list(out) == ["architecture", "x-first", "os", "config", "rootfs", "zz"]
    assert out["config"] == {"User": "me", "Env": ["A=1"], "Custom": {"k": [1, 2]}}
    assert out["os"] == "windows"


def test_new_documents_get_the_canonical_layout() -> None:
    config = ImageConfig(
        architecture="amd64",
        os="linux",
        config=ContainerConfig(env=("PATH=/bin",), labels=FrozenMap({"b": "<2>", "a": "1"})),
        rootfs=RootFS(diff_ids=()),
    )
    assert config.to_json() == (
        b'{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/bin"],'
        b'"Labels":{"a":"1","b":"\\u003c2\\u003e"}},"rootfs":{"type":"layers","diff_ids":[]}}'
    )
    docker = attrs.evolve(config, docker_version="20.10.24")
    assert list(orjson.loads(docker.to_json())) == [
        "architecture",
        "config",
        "container_config",
        "created",
        "docker_version",
        "os",
        "rootfs",
    ]
    manifest = ImageManifest(
        media_type=mt.DOCKER_MANIFEST,
        config=Descriptor(mt.DOCKER_CONFIG, Digest.of(b"{}"), 2),
        layers=(),
    )
    assert manifest.to_json().startswith(b'{\n   "schemaVersion": 2,\n   "mediaType": "application/vnd.docker.')
    assert b'"size": 2,\n      "digest"' in manifest.to_json()


def test_nil_and_empty_stay_different() -> None:
    raw = b'{"architecture":"amd64","os":"linux","config":{"Cmd":[],"Entrypoint":null},"rootfs":{"type":"layers","diff_ids":null}}'
    config = parse_config(raw).value
    assert config.config is not None
    assert config.config.cmd == ()
    assert config.config.entrypoint is None
    assert config.rootfs is not None
    assert config.rootfs.diff_ids is None
    assert config.to_json() == raw


@pytest.mark.parametrize(
    ("body", "declared", "kind"),
    [
        (b'{"schemaVersion":2,"manifests":[]}', None, ImageIndex),
        (
            b'{"schemaVersion":2,"config":{"digest":"sha256:' + b"a" * 64 + b'","size":1},"layers":[]}',
            None,
            ImageManifest,
        ),
        (b'{"schemaVersion":2,"manifests":[]}', mt.DOCKER_MANIFEST_LIST, ImageIndex),
        (b'{"architecture":"arm64","os":"linux"}', mt.OCI_CONFIG, ImageConfig),
        (b'{"architecture":"arm64","os":"linux"}', "application/vnd.example.config+json", ImageConfig),
        (b'{"schemaVersion":1,"fsLayers":[],"history":[]}', None, Schema1Manifest),
    ],
)
def test_sniffing(body: bytes, declared: str | None, kind: type) -> None:
    doc = parse(body, declared)
    assert type(doc.value) is kind
    if declared is not None:
        assert doc.media_type == MediaType(declared)


@pytest.mark.parametrize(
    ("body", "declared", "location", "fragment"),
    [
        (
            b'{"schemaVersion":2,"config":{"digest":"sha256:' + b"a" * 64 + b'","size":1},"layers":[],"manifests":[]}',
            None,
            "$.config",
            "ambiguous",
        ),
        (
            b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[],"config":{}}',
            None,
            "$.config",
            "ambiguous",
        ),
        (b'{"schemaVersion":1,"fsLayers":[],"history":[],"layers":[]}', None, "$.layers", "ambiguous"),
        (b'{"schemaVersion":2,"manifests":[]}', mt.OCI_MANIFEST, "$", "names a manifest, but the document is an index"),
        (
            b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{},"layers":[]}',
            mt.OCI_INDEX,
            "$.mediaType",
            "contradicts",
        ),
        (b'{"hello":"world"}', None, "$", "cannot tell"),
        (b"[]", None, "$", "expected a JSON object"),
        (b'{"architecture":"amd64","schemaVersion":2}', mt.OCI_CONFIG, "$.schemaVersion", "ambiguous"),
    ],
)
def test_kind_errors(body: bytes, declared: str | None, location: str, fragment: str) -> None:
    with pytest.raises(DocumentKindError) as info:
        parse(body, declared)
    assert info.value.location == location
    assert fragment in info.value.message


def test_typed_parsers_refuse_other_kinds() -> None:
    with pytest.raises(DocumentKindError, match="expected a manifest, got an index"):
        parse_manifest(b'{"schemaVersion":2,"manifests":[]}')


def test_str_input_and_public_api() -> None:
    doc = imageinspect.parse('{"schemaVersion":2,"manifests":[]}')
    assert doc.raw == b'{"schemaVersion":2,"manifests":[]}'
    assert doc.size == len(doc.raw)


def test_strict_mode_refuses_unknown_fields() -> None:
    raw = b'{"architecture":"amd64","os":"linux","config":{"Unknown":1}}'
    assert parse_config(raw).value.config is not None
    with pytest.raises(imageinspect.SchemaError) as info:
        parse(raw, strict=True)
    assert info.value.location == "$.config.Unknown"
