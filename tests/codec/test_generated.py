"""Generated readers and writers: named, inspectable, and refused for a
model nobody gave a JSON shape."""

from __future__ import annotations

import linecache
import traceback

import attrs
import pytest

from imageinspect import ImageInspect, ImageInspectError
from imageinspect.codec.classes import CLASS_SHAPES
from imageinspect.codec.read import structure
from imageinspect.model.base import JSONObject
from imageinspect.model.config import ContainerConfig


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


def test_a_model_with_hooks_the_reader_would_skip_is_refused() -> None:
    """Generated readers fill slots directly: a validator or an own post-init
    hook would be skipped, so such a class is refused at generation time."""

    @attrs.frozen(kw_only=True)
    class Validated(ContainerConfig):
        marker: str = attrs.field(default="", validator=attrs.validators.instance_of(str))

    @attrs.frozen(kw_only=True)
    class Hooked(ContainerConfig):
        def __attrs_post_init__(self) -> None:
            raise AssertionError("never reached")

    CLASS_SHAPES[Validated] = attrs.evolve(CLASS_SHAPES[ContainerConfig], cls=Validated)
    CLASS_SHAPES[Hooked] = attrs.evolve(CLASS_SHAPES[ContainerConfig], cls=Hooked)
    try:
        with pytest.raises(TypeError, match=r"Validated\.marker has an attrs validator"):
            structure({"Env": []}, Validated)
        with pytest.raises(TypeError, match="Hooked defines __attrs_post_init__"):
            structure({"Env": []}, Hooked)
    finally:
        del CLASS_SHAPES[Validated], CLASS_SHAPES[Hooked]


def test_every_model_class_has_one_shape_record() -> None:
    """Each JSONObject subclass the library defines has its record, keyed by
    the class, and the reader reads every key the record names."""
    models = {cls for cls in _subclasses(JSONObject) if cls.__module__.startswith("imageinspect.model")}
    assert models <= set(CLASS_SHAPES), sorted(c.__name__ for c in models - set(CLASS_SHAPES))
    for cls, record in CLASS_SHAPES.items():
        assert record.cls is cls
        assert set(record.keys.values()) <= {f.name for f in attrs.fields(cls)}, cls.__name__


def _subclasses(cls: type) -> set[type]:
    found: set[type] = set()
    subs: list[type] = cls.__subclasses__()
    for sub in subs:
        found |= {sub} | _subclasses(sub)
    return found


@pytest.mark.parametrize("unknown", [1, 70], ids=["generated", "loop (many unknown keys)"])
def test_edited_objects_keep_their_source_order(unknown: int) -> None:
    """An edited object is written in its source's key order: unknown keys in
    place, fields set since reading after the last key that comes before them. Few unknown keys
    take the generated writer; many take the loop; both write the same."""
    import orjson

    from imageinspect import Format, dumps, loads

    extras = {f"Zeta{i}": i for i in range(unknown)}
    source = {"Id": "x", **extras, "RepoTags": [], "Alpha": {"b": 1}}
    out = loads(orjson.dumps([source]))
    edited = attrs.evolve(out[0], repo_tags=("a:1",), comment="c")
    written = orjson.loads(dumps([edited], out.format, out.style))[0]
    assert list(written) == ["Id", *extras, "RepoTags", "Alpha", "Comment"]
    assert written["RepoTags"] == ["a:1"]
    assert written["Comment"] == "c"
    assert written["Alpha"] == {"b": 1}
    assert all(written[key] == value for key, value in extras.items())
    # the same bytes as a rendering by the rules would not give: the source layout wins
    assert dumps([edited], out.format, out.style) != dumps([edited], Format.docker("20.10", printer="json"))


def test_transient_generated_sources_in_linecache_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    from collections import OrderedDict

    from imageinspect.codec import generated

    monkeypatch.setattr(generated, "_REGISTERED", OrderedDict())
    monkeypatch.setattr(generated, "_MAX_REGISTERED", 5)
    made = []
    for index in range(12):
        fn = generated.compile_generated(
            "demo", ContainerConfig, f"def demo_ContainerConfig():\n    return {index}", {}, transient=True
        )
        made.append(fn.__code__.co_filename)
    assert [name in linecache.cache for name in made] == [False] * 7 + [True] * 5


def test_long_unknown_keys_are_written_without_generating_code() -> None:
    import orjson

    from imageinspect import dumps, loads

    key = "k" * 5000
    out = loads(orjson.dumps([{"Id": "x", key: 1}]))
    before = set(linecache.cache)
    edited = attrs.evolve(out[0], comment="c")
    assert orjson.loads(dumps([edited], out.format, out.style)) == [{"Id": "x", key: 1, "Comment": "c"}]
    assert not {name for name in set(linecache.cache) - before if "write_layout" in name}
