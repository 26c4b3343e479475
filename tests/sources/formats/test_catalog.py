"""The catalog reads a tree's images once and each config once, and checks
each config against what its names and descriptors promise."""

from __future__ import annotations

import pytest

from imageinspect.errors import DigestMismatch, SchemaError
from imageinspect.sources.formats.catalog import Catalog
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.storage.memory import MemoryTree
from imageinspect.values.digest import Digest

CONFIG = b'{"architecture":"arm64","os":"linux","rootfs":{"type":"layers","diff_ids":[]}}'


def test_each_config_is_parsed_once() -> None:
    tree = MemoryTree({"c.json": CONFIG})
    entry = Entry("docker-archive", (), "c.json", Digest.of(CONFIG), ())
    catalog = Catalog(tree, [entry])
    first = catalog.config(entry)
    assert catalog.config(entry) is first
    assert str(catalog.platform(entry)) == "linux/arm64"


def test_a_config_that_is_not_what_its_name_says() -> None:
    tree = MemoryTree({"c.json": CONFIG})
    entry = Entry("docker-archive", (), "c.json", Digest.of(b"other"), ())
    with pytest.raises(DigestMismatch, match="its bytes hash to") as info:
        Catalog(tree, [entry]).config(entry)
    assert info.value.location.endswith("c.json")
    assert Catalog(tree, [entry]).platform(entry) is None  # listed all the same


def test_a_bad_config_is_located_at_its_member() -> None:
    tree = MemoryTree({"c.json": b'{"os": 5}'})
    entry = Entry("docker-archive", (), "c.json", None, ())
    with pytest.raises(SchemaError) as info:
        Catalog(tree, [entry]).config(entry)
    assert info.value.location.endswith("c.json$.os")
