"""The parse tree: typed, frozen, comparable nodes."""

from __future__ import annotations

import attrs
import pytest

from imageinspect.gotemplate import nodes
from imageinspect.gotemplate.nodes import Command, FieldNode, IfNode, Pipeline, TextNode


def test_every_node_class_is_frozen() -> None:
    classes = [getattr(nodes, name) for name in nodes.__all__ if name not in ("Node", "Operand")]
    assert len(classes) == 18
    for cls in classes:
        assert attrs.has(cls), cls
        node = cls(*[None] * sum(f.default is attrs.NOTHING for f in attrs.fields(cls)))
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            node.text = "x"  # type: ignore[attr-defined]


def test_nodes_compare_and_hash_by_value() -> None:
    pipe = Pipeline((Command((FieldNode(".A", ("A",)),)),))
    one = IfNode(pipe, (TextNode("x"),))
    assert one == IfNode(Pipeline((Command((FieldNode(".A", ("A",)),)),)), (TextNode("x"),), ())
    assert hash(one) == hash(IfNode(pipe, (TextNode("x"),)))
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        one.body = ()  # type: ignore[misc]
