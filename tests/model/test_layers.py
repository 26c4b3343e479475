"""Layer chains: chain IDs and the alignment of layers, diff IDs and history."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect import (
    Descriptor,
    Digest,
    History,
    ImageConfig,
    ImageManifest,
    InvalidDigest,
    LayerChain,
    RootFS,
    chain_ids,
    parse_config,
)
from imageinspect.testing.strategies import digests
from imageinspect.values import mediatype as mt
from tests.conftest import DATA, public


def _reference_chain_ids(diff_ids: list[str]) -> list[str]:
    """The image-spec definition, written out independently."""
    out: list[str] = []
    for diff_id in diff_ids:
        out.append(diff_id if not out else "sha256:" + hashlib.sha256(f"{out[-1]} {diff_id}".encode()).hexdigest())
    return out


@given(st.lists(digests(), max_size=6))
def test_chain_ids_follow_the_spec(diff_ids: list[Digest]) -> None:
    assert list(chain_ids(diff_ids)) == _reference_chain_ids(list(diff_ids))


def test_chain_ids_of_a_real_config() -> None:
    config = parse_config(public("containers-image/schema2-config.json").read_bytes()).value
    chain = LayerChain.build(config)
    assert chain.ok, chain.problems
    assert len(chain) == len(config.diff_ids)
    assert chain[0].chain_id == config.diff_ids[0]
    assert chain.chain_id == _reference_chain_ids(list(config.diff_ids))[-1]
    assert [row.layer is None for row in chain.history] == [entry.empty_layer for entry in config.history or ()]


def test_chain_ids_validate() -> None:
    with pytest.raises(InvalidDigest) as info:
        chain_ids(["sha256:" + "a" * 64, "nope"])
    assert info.value.location == "$[1]"


def _d(n: int) -> Digest:
    return Digest.of(str(n).encode())


def _layer(n: int, media_type: str = mt.OCI_LAYER_GZIP) -> Descriptor:
    return Descriptor(mt.MediaType(media_type), _d(100 + n), 10 * n)


def test_alignment_with_empty_layers() -> None:
    config = ImageConfig(
        rootfs=RootFS(diff_ids=(_d(1), _d(2))),
        history=(
            History(created_by="ADD rootfs"),
            History(created_by="ENV A=1", empty_layer=True),
            History(created_by="COPY x /"),
            History(created_by="CMD x", empty_layer=True),
        ),
    )
    manifest = ImageManifest(config=_layer(0, mt.OCI_CONFIG), layers=(_layer(1), _layer(2)))
    chain = LayerChain.build(config, manifest)
    assert chain.ok
    assert [layer.history.created_by for layer in chain if layer.history] == ["ADD rootfs", "COPY x /"]
    assert [layer.descriptor.size for layer in chain if layer.descriptor] == [10, 20]
    assert [row.size for row in chain.history] == [10, 0, 20, 0]
    assert chain.diff_ids == (_d(1), _d(2))


def test_count_mismatches_are_reported_not_raised() -> None:
    config = ImageConfig(
        rootfs=RootFS(diff_ids=(_d(1),)),
        history=(History(created_by="ADD a"), History(created_by='/bin/sh -c #(nop)  CMD ["x"]')),
    )
    manifest = ImageManifest(config=_layer(0, mt.OCI_CONFIG), layers=(_layer(1), _layer(2)))
    chain = LayerChain.build(config, manifest)
    codes = [problem.code for problem in chain.problems]
    assert codes == ["layer-count", "history-count", "empty-layer-mark"]
    assert chain.problems[2].location == "$.history[1]"
    assert len(chain) == 2
    assert chain[1].diff_id is None
    assert chain[1].descriptor is not None


def test_layer_marked_empty_that_created_a_layer() -> None:
    config = ImageConfig(
        rootfs=RootFS(diff_ids=(_d(1), _d(2))),
        history=(History(created_by="ADD a"), History(created_by="COPY b /", empty_layer=True)),
    )
    problems = LayerChain.build(config).problems
    assert [p.code for p in problems] == ["history-count", "empty-layer-mark"]
    assert "marked empty_layer" in problems[1].message


def test_non_distributable_layers() -> None:
    config = ImageConfig(rootfs=RootFS(diff_ids=(_d(1),)))
    manifest = ImageManifest(config=_layer(0, mt.DOCKER_CONFIG), layers=(_layer(1, mt.DOCKER_FOREIGN_LAYER_GZIP),))
    chain = LayerChain.build(config, manifest)
    assert [p.code for p in chain.problems] == ["non-distributable"]
    assert chain.problems[0].location == "$.layers[0]"


def test_no_history_and_no_layers() -> None:
    chain = LayerChain.build(ImageConfig())
    assert chain.ok
    assert tuple(chain) == ()
    assert chain.chain_id is None


@given(
    st.lists(digests(), max_size=5),
    st.lists(st.booleans(), max_size=8),
    st.integers(0, 6),
)
def test_never_raises(diff_ids: list[Digest], empties: list[bool], n_layers: int) -> None:
    config = ImageConfig(
        rootfs=RootFS(diff_ids=tuple(diff_ids)),
        history=tuple(History(created_by=f"step {i}", empty_layer=e) for i, e in enumerate(empties)),
    )
    manifest = ImageManifest(config=_layer(0, mt.OCI_CONFIG), layers=tuple(_layer(i) for i in range(n_layers)))
    chain = LayerChain.build(config, manifest)
    assert len(chain) == max(len(diff_ids), n_layers)
    assert len(chain.history) == len(empties)
    assert chain.ok == (len(diff_ids) == n_layers and sum(not e for e in empties) == len(diff_ids))


GOLDEN_META = sorted((DATA / "golden" / "inspect").glob("*/meta.json"))


@pytest.mark.parametrize("meta_path", GOLDEN_META, ids=[p.parent.name for p in GOLDEN_META])
def test_chain_ids_match_dockerds_layer_store(meta_path: Path) -> None:
    """dockerd keys its layer store by chain ID (layerdb/sha256/<chain-id>/):
    the directories it created for each image are the oracle."""
    meta = json.loads(meta_path.read_text())
    layers = (meta.get("layerdb") or {}).get("layers") or []
    config_path = meta_path.parent / "config.json"
    if not layers or not config_path.exists():
        pytest.skip("no layers (zero-layer image) or no stored config")
    assert all(layer["in_layerdb"] and layer["layerdb_diff_matches"] for layer in layers)
    config = parse_config(config_path.read_bytes()).value
    assert list(chain_ids(config.diff_ids)) == [layer["chain_id"] for layer in layers]
    assert LayerChain.build(config).chain_id == layers[-1]["chain_id"]
