"""Generated readers and writers: named, inspectable, and refused for a
model nobody gave a JSON shape."""

from __future__ import annotations

import linecache
import traceback

import attrs
import pytest

from imageinspect import ImageInspect, ImageInspectError
from imageinspect.codec.read import structure
from imageinspect.model.base import JSONObject


def test_tracebacks_show_generated_lines() -> None:
    with pytest.raises(ImageInspectError) as info:
        structure({"Id": "x", "Config": {"Env": 5}}, ImageInspect)
    assert info.value.location == "$.Config.Env"
    frames = traceback.extract_tb(info.value.__traceback__)
    generated = [f for f in frames if f.filename.startswith("<imageinspect generated structure")]
    assert generated, [f.filename for f in frames]
    assert {f.name for f in generated} <= {"structure_ImageInspect", "structure_ContainerConfig"}
    line = linecache.getline(generated[-1].filename, generated[-1].lineno or 0)
    assert line.strip(), "the generated line is readable"
    text = "".join(traceback.format_exception(info.value))
    assert "imageinspect.model.inspect.ImageInspect" in text


def test_a_model_without_a_shape_is_refused_when_generated() -> None:
    @attrs.frozen(kw_only=True)
    class Unshaped(JSONObject):
        name: str = ""

    with pytest.raises(TypeError, match="no JSON shape is registered for Unshaped"):
        structure({"name": "x"}, Unshaped)
