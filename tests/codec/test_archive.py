"""``manifest.json`` of ``docker save`` archives through the codec: every
real one in the corpus (Docker 1.10-29 saves, podman, go-containerregistry,
containerd and kaniko exports) is read and written back byte for byte, and
written again from its fields alone in moby's field order."""

from __future__ import annotations

import tarfile

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect.codec import OCI_LAYOUT_FILE, encode_archive_manifest, parse_archive_manifest
from imageinspect.errors import ImageInspectError
from imageinspect.model.archive import ArchiveManifestEntry
from tests.conftest import DATA, PUBLIC, REPO


def _manifests() -> dict[str, bytes]:
    found = {}
    roots = [DATA, REPO / "examples", PUBLIC / "archives"]
    for root in roots:
        for path in sorted(root.rglob("*.tar")) if root.is_dir() else ():
            try:
                with tarfile.open(path) as tar:
                    member = tar.extractfile("manifest.json")
                    if member is not None:
                        found[str(path.relative_to(root.parent))] = member.read()
            except (KeyError, tarfile.TarError):
                continue
    return found


MANIFESTS = _manifests()
#: Written by this repository's edge-case script (Python's json, sorted keys),
#: not by a Go saver: their key order is not moby's.
NOT_GO = {"edge/zero-layer.tar", "edge/two-names.tar", "edge/no-created.tar", "edge/layer-count.tar"}
NOT_GO |= {"edge/no-created-zero-layer.tar", "edge/no-end-blocks.tar"}


def test_the_corpus_is_there() -> None:
    assert len([name for name in MANIFESTS if "golden" in name]) >= 25


@pytest.mark.parametrize("name", sorted(MANIFESTS))
def test_written_back_as_read(name: str) -> None:
    raw = MANIFESTS[name]
    entries = parse_archive_manifest(raw)
    assert encode_archive_manifest(entries, newline=raw.endswith(b"\n")) == raw


@pytest.mark.parametrize("name", sorted(n for n in MANIFESTS if not any(n.endswith(e) for e in NOT_GO)))
def test_written_from_fields_in_moby_order(name: str) -> None:
    raw = MANIFESTS[name]
    fresh = [
        ArchiveManifestEntry(
            config=e.config, repo_tags=e.repo_tags, layers=e.layers, parent=e.parent, layer_sources=e.layer_sources
        )
        for e in parse_archive_manifest(raw)
    ]
    assert encode_archive_manifest(fresh, newline=raw.endswith(b"\n")) == raw


def test_layer_sources_are_descriptors_by_diff_id() -> None:
    raw = (
        b'[{"Config":"c.json","RepoTags":null,"Layers":["l.tar"],"LayerSources":{"sha256:'
        + b"b" * 64
        + b'":{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip","size":5,"digest":"sha256:'
        + b"a" * 64
        + b'","urls":["https://example.com/l"]},"sha256:'
        + b"0" * 64
        + b'":{"mediaType":"application/x-a","size":1,"digest":"sha256:'
        + b"c" * 64
        + b'"}}}]\n'
    )
    (entry,) = parse_archive_manifest(raw)
    assert entry.layer_sources is not None
    assert entry.layer_sources["sha256:" + "b" * 64].urls == ("https://example.com/l",)
    fresh = ArchiveManifestEntry(config="c.json", layers=("l.tar",), layer_sources=entry.layer_sources)
    # Go writes a map's keys sorted
    assert encode_archive_manifest([fresh]).index(b"sha256:000") < encode_archive_manifest([fresh]).index(b"sha256:bbb")


@pytest.mark.parametrize(
    ("raw", "location", "fragment"),
    [
        (b"{}", "$", "expected an array of images"),
        (b"[1]", "$[0]", "expected an object"),
        (b'[{"Config":"c","RepoTags":"a:1"}]', "$[0].RepoTags", "expected an array"),
        (b'[{"Config":"c","Layers":[1]}]', "$[0].Layers[0]", "expected a string"),
        (b'[{"Config":"c","layers":[]}]', "$[0].layers", "case-insensitively"),
        (b'[{"Config":"c","Parent":5}]', "$[0].Parent", "expected a string"),
        (b"[", "$", ""),
    ],
)
def test_refused_with_where_and_what(raw: bytes, location: str, fragment: str) -> None:
    with pytest.raises(ImageInspectError) as info:
        parse_archive_manifest(raw)
    assert info.value.location.startswith(location)
    assert fragment in info.value.message


def test_unknown_keys_are_kept() -> None:
    raw = b'[{"Config":"c","RepoTags":null,"Layers":[],"X":{"a":1}}]'
    (entry,) = parse_archive_manifest(raw)
    assert dict(entry.extra) == {"X": {"a": 1}}
    assert encode_archive_manifest([entry], newline=False) == raw


def test_oci_layout_file() -> None:
    assert OCI_LAYOUT_FILE == b'{"imageLayoutVersion":"1.0.0"}'


_names = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)


@given(
    st.lists(
        st.builds(
            ArchiveManifestEntry,
            config=_names.filter(bool),
            repo_tags=st.none() | st.lists(_names, max_size=3).map(tuple),
            layers=st.none() | st.lists(_names, max_size=3).map(tuple),
            parent=_names,
        ),
        max_size=4,
    )
)
def test_round_trip(entries: list[ArchiveManifestEntry]) -> None:
    raw = encode_archive_manifest(entries)
    assert list(parse_archive_manifest(raw)) == entries
    assert encode_archive_manifest(parse_archive_manifest(raw)) == raw
