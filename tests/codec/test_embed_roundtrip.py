"""Every model type through an embedder's converter and back.

``conv.structure(conv.unstructure(x), type(x)) == x`` for every attrs class
of :mod:`imageinspect.model` (found by walking the package, so a new class is
covered, or fails here, without anyone listing it), directly and with JSON
text in between; ``unstructure`` gives plain JSON types only. Checked on
generated values (the library's strategies, and values drawn from each
class's field types, with unknown keys in ``extra``), on every real document
and inspect output in the repository (and ../shared's public fixtures), and
on what ``inspect()`` makes of every archive.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import pkgutil
import typing
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import attrs
import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import imageinspect.model
from imageinspect import Format, ImageInspectError, dumps, loads, make_converter, open_image, parse
from imageinspect.codec.classes import class_shape
from imageinspect.codec.gokeys import go_fold
from imageinspect.codec.jsonread import exactly
from imageinspect.codec.read import structure
from imageinspect.codec.typeinfo import is_optional, without_none
from imageinspect.model.base import DocumentValue, JSONObject
from imageinspect.model.config import ImageConfig
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.document import Document
from imageinspect.model.frozen import FrozenMap, JSONValue
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.podman import PodmanImageInspect
from imageinspect.model.schema1 import Schema1History, Schema1Manifest
from imageinspect.testing import strategies
from imageinspect.values import mediatype as mt
from imageinspect.values.digest import Digest
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform
from imageinspect.values.timestamp import Timestamp
from tests import observed
from tests.conftest import DATA, PUBLIC

CONV = make_converter()


def _model_classes() -> list[type[Any]]:
    """Every attrs class defined in the model package, but the base of the
    JSON-object models (it has no JSON shape of its own)."""
    found: dict[str, type[Any]] = {}
    for info in pkgutil.iter_modules(imageinspect.model.__path__):
        module = importlib.import_module(f"imageinspect.model.{info.name}")
        for value in vars(module).values():
            if isinstance(value, type) and attrs.has(value) and value.__module__ == module.__name__:
                found[value.__qualname__] = value
    del found[JSONObject.__qualname__]
    return [found[name] for name in sorted(found)]


MODEL_CLASSES = _model_classes()


def test_the_model_package_is_walked() -> None:
    names = {cls.__name__ for cls in MODEL_CLASSES}
    assert {"ImageConfig", "ImageManifest", "ImageIndex", "Descriptor", "Schema1Manifest", "ImageInspect"} <= names
    assert {"PodmanImageInspect", "Layer", "LayerChain", "HistoryRow", "ChainProblem", "Document"} <= names
    exported = {getattr(imageinspect.model, name) for name in imageinspect.model.__all__}
    assert {cls for cls in exported if isinstance(cls, type) and attrs.has(cls)} <= set(MODEL_CLASSES)


# --- the checks ---------------------------------------------------------------------


def assert_plain(value: Any, path: str = "$") -> None:
    """Plain JSON types only: dicts with str keys, lists, and scalars whose
    type is exactly str, int, float, bool or None."""
    kind = type(value)
    if kind is dict:
        for key, item in value.items():
            assert type(key) is str, f"{path}: key {key!r} is a {type(key).__name__}"
            assert_plain(item, f"{path}.{key}")
    elif kind is list:
        for index, item in enumerate(value):
            assert_plain(item, f"{path}[{index}]")
    else:
        assert kind in (str, int, float, bool, type(None)), f"{path}: {kind.__name__} {value!r}"


def same(a: Any, b: Any) -> bool:
    """``==``, and more: the same types (an int stays an int, a float a
    float), timestamps with the same text (offset included). A string is a
    string (inspect objects the library makes may hold a ``Digest`` in a
    ``str`` field: read back it is the ``str`` the field says)."""
    if a is b:
        return True
    kind = type(a)
    if isinstance(a, str) and isinstance(b, str):
        return str.__eq__(a, b)
    if kind is not type(b):
        return False
    if kind is tuple:
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if kind is FrozenMap:
        return a.keys() == b.keys() and all(same(a[key], b[key]) for key in a)
    if kind is Timestamp:
        return bool(a == b) and a.text == b.text
    if attrs.has(kind):
        return all(same(getattr(a, name), getattr(b, name)) for name in _compared(kind))
    return bool(a == b)


@cache
def _compared(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in attrs.fields(cls) if f.eq)


def round_trip(x: Any, json_text: bool = True) -> Any:
    """Unstructure and structure ``x`` directly and through JSON text; every
    way back equals ``x``. Returns the value read back from the text."""
    value = CONV.unstructure(x)
    assert_plain(value)
    back = CONV.structure(value, type(x))
    assert back == x
    assert same(back, x)
    if not json_text:
        return back
    text = orjson.dumps(value)
    through = CONV.structure(orjson.loads(text), type(x))
    assert through == x
    assert same(through, x)
    assert orjson.dumps(CONV.unstructure(through)) == text  # a fixed point, key order included
    return through


def check(x: Any) -> None:
    """The round trip of ``x``, and of ``x`` read back then edited: a layout
    from JSON without the source that fixes it (the layout writer's path)."""
    through = round_trip(x)
    if isinstance(x, JSONObject):
        round_trip(_edited(through))
    if isinstance(x, DocumentValue) and _written_exactly(x):
        assert through.to_json() == x.to_json()  # same bytes, same digest


def _written_exactly(x: Any) -> bool:
    """True when ``to_json`` can say everything ``x`` holds."""
    try:
        return bool(parse(x.to_json()).value == x)
    except ImageInspectError:
        return False


def _edited(obj: Any) -> Any:
    """``obj`` and every object in it evolved: the same values and key
    orders, no source."""
    if isinstance(obj, tuple):
        return tuple(_edited(item) for item in obj)
    if not isinstance(obj, JSONObject):
        return obj
    changes = {f.alias: _edited(getattr(obj, f.name)) for f in attrs.fields(type(obj)) if f.init and f.eq}
    return attrs.evolve(obj, **changes)


# --- generated values ------------------------------------------------------------------

_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=6)
#: Integers past float precision, and the ends of int64 and uint64 (what JSON
#: text can carry through orjson).
_WIDE = [2**53 + 1, -(2**53) - 1, 2**63 - 1, -(2**63), 2**63, 2**64 - 1]
_INT64 = st.integers(-(2**63), 2**63 - 1) | st.sampled_from([w for w in _WIDE if w < 2**63])
_JSON: st.SearchStrategy[Any] = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.sampled_from(_WIDE)
    | st.floats(allow_nan=False, allow_infinity=False)
    | _TEXT,
    lambda inner: st.lists(inner, max_size=3).map(tuple) | st.dictionaries(_TEXT, inner, max_size=3).map(FrozenMap),
    max_leaves=6,
)
_MEDIA_TYPES = st.sampled_from(
    [
        *(mt.OCI_MANIFEST, mt.OCI_INDEX, mt.OCI_CONFIG, mt.OCI_LAYER_GZIP),
        *(mt.DOCKER_MANIFEST, mt.DOCKER_MANIFEST_LIST, mt.DOCKER_FOREIGN_LAYER_GZIP),
        MediaType("application/vnd.example+json; v=1"),
    ]
)
_STR_TUPLES = st.none() | st.lists(_TEXT, max_size=2).map(tuple)
_PLATFORMS = strategies.platforms() | st.builds(
    Platform, _TEXT, _TEXT, variant=_TEXT, os_version=_TEXT, os_features=_STR_TUPLES, features=_STR_TUPLES
)
_LEAVES: dict[Any, st.SearchStrategy[Any]] = {
    str: _TEXT,
    int: _INT64,
    bool: st.booleans(),
    bytes: st.binary(max_size=8),
    Digest: strategies.digests(),
    MediaType: _MEDIA_TYPES,
    Timestamp: strategies.timestamps(),
    Platform: _PLATFORMS,
    JSONValue: _JSON,
}


def _of_type(t: Any) -> st.SearchStrategy[Any]:
    """Any value of a model field's type."""
    if is_optional(t):
        return st.none() | _of_type(without_none(t))
    if typing.get_origin(t) is tuple:
        return st.lists(_of_type(typing.get_args(t)[0]), max_size=2).map(tuple)
    if typing.get_origin(t) is FrozenMap:
        return st.dictionaries(_TEXT, _of_type(typing.get_args(t)[1]), max_size=2).map(FrozenMap)
    if t in _LEAVES:
        return _LEAVES[t]
    if attrs.has(t):
        return st.deferred(lambda: models(t))
    raise TypeError(f"no strategy for a field of type {t!r}: teach _of_type")


def _extras(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Unknown keys: keys the reader does not know, nor Go (which matches
    keys to fields case-insensitively)."""
    known = {go_fold(key) for key in class_shape(cls).keys}
    return st.dictionaries(_TEXT.filter(lambda key: go_fold(key) not in known), _JSON, max_size=2).map(FrozenMap)


_DOCUMENT_VALUES = (ImageConfig, ImageManifest, ImageIndex, Schema1Manifest)


@cache
def models(cls: type[Any]) -> st.SearchStrategy[Any]:
    """Any value of a model class, drawn from its fields' types."""
    if cls is Schema1History:
        # ``image`` is what the reader derives from ``v1_compatibility``
        return st.builds(
            lambda config, extra: attrs.evolve(
                exactly(lambda: structure({"v1Compatibility": config.to_json().decode()}, Schema1History)), extra=extra
            ),
            models(ImageConfig),
            _extras(cls),
        )
    if cls is Document:
        value = st.one_of([models(kind) for kind in _DOCUMENT_VALUES])
        built = st.builds(Document, value, st.binary(max_size=16), strategies.digests(), _MEDIA_TYPES)
        parsed = st.one_of(
            strategies.image_configs(True),
            strategies.image_configs(False),
            strategies.oci_manifests(),
            strategies.docker_manifests(),
            strategies.oci_indexes(),
            strategies.docker_lists(),
        ).map(lambda v: parse(v.to_json()))
        return built | parsed
    hints = typing.get_type_hints(cls)
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for field in attrs.fields(cls):
        if field.name == "extra":
            fields["extra"] = _extras(cls)
        elif field.init and field.name != "key_order":
            fields[field.alias or field.name] = _of_type(hints[field.name])
    return st.builds(cls, **fields)


@pytest.mark.parametrize("cls", MODEL_CLASSES, ids=[cls.__name__ for cls in MODEL_CLASSES])
@settings(max_examples=30, deadline=None)  # 29 classes, four round trips each: the module stays fast
@given(data=st.data())
def test_every_model_class(cls: Any, data: st.DataObject) -> None:
    x = data.draw(models(cls), label="x")
    check(x)
    if isinstance(x, JSONObject):
        # read back in one layout, then holding another value's fields
        other = data.draw(models(cls), label="other")
        read = CONV.structure(CONV.unstructure(x), cls)
        changes = {f.alias: getattr(other, f.name) for f in attrs.fields(cls) if f.init and f.name != "key_order"}
        check(attrs.evolve(read, **changes))


#: The library's strategies that draw model values, with their arguments.
_LIBRARY_STRATEGIES: dict[str, list[st.SearchStrategy[Any]]] = {
    "digests": [strategies.digests()],
    "timestamps": [strategies.timestamps()],
    "platforms": [strategies.platforms()],
    "container_configs": [strategies.container_configs(True), strategies.container_configs(False)],
    "image_configs": [strategies.image_configs(True), strategies.image_configs(False)],
    "descriptors": [strategies.descriptors([mt.OCI_LAYER_GZIP, mt.DOCKER_LAYER_GZIP], with_platform=True)],
    "oci_manifests": [strategies.oci_manifests()],
    "docker_manifests": [strategies.docker_manifests()],
    "oci_indexes": [strategies.oci_indexes()],
    "docker_lists": [strategies.docker_lists()],
    "image_inspects": [strategies.image_inspects()],
    "podman_inspects": [strategies.podman_inspects()],
}
#: Strategies of other things: formats, references, whole images.
_NOT_MODELS = {"docker_formats", "podman_formats", "references", "images"}


def test_every_library_strategy_is_used() -> None:
    assert set(strategies.__all__) == set(_LIBRARY_STRATEGIES) | _NOT_MODELS


@pytest.mark.parametrize(
    "strategy",
    [s for group in _LIBRARY_STRATEGIES.values() for s in group],
    ids=[f"{name}-{i}" for name, group in _LIBRARY_STRATEGIES.items() for i in range(len(group))],
)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_library_strategies(strategy: st.SearchStrategy[Any], data: st.DataObject) -> None:
    x = data.draw(strategy)
    check(x)
    if isinstance(x, (ImageInspect, PodmanImageInspect)):
        fmt = Format.podman("5.8") if isinstance(x, PodmanImageInspect) else Format.docker("28.5")
        assert dumps(round_trip(x), fmt) == dumps(x, fmt)  # every printed byte, offsets included


# --- wide integers -------------------------------------------------------------------


@pytest.mark.parametrize("cls", [ImageConfig, ImageInspect, PodmanImageInspect, Descriptor, ImageIndex])
def test_wide_integers_survive_as_integers(cls: type[Any]) -> None:
    base = (
        Descriptor(None, Digest.of(b""), 2**53 + 1) if cls is Descriptor else cls()  # 2**53 + 1 is no float
    )
    through_orjson = attrs.evolve(base, extra=FrozenMap({"n": tuple(_WIDE), "o": FrozenMap(w=2**64 - 1)}))
    value = CONV.unstructure(through_orjson)
    assert [type(n) for n in value["n"]] == [int] * len(_WIDE)
    check(through_orjson)
    wider = attrs.evolve(base, extra=FrozenMap(n=(2**64, -(2**63) - 1, 10**40)))
    round_trip(wider, json_text=False)
    text = json.dumps(CONV.unstructure(wider))  # JSON text that orjson cannot write
    assert same(CONV.structure(json.loads(text), cls), wider)
    with pytest.raises(orjson.JSONEncodeError):
        orjson.dumps(CONV.unstructure(wider))  # refused, not turned into floats


def test_integer_fields_are_int64() -> None:
    value = CONV.unstructure(Descriptor(None, Digest.of(b""), 2**63))
    assert value["size"] == 2**63
    with pytest.raises(ImageInspectError, match="out of range for a 64-bit integer"):
        CONV.structure(value, Descriptor)


# --- real documents and inspect output --------------------------------------------------


def _files(root: Path) -> Iterator[tuple[str, bytes]]:
    """Every file under ``root`` but archives and the observed blobs (read
    through their index), each distinct content once."""
    seen: set[str] = set()
    for path in sorted(root.rglob("*")):
        if not path.is_file() or "observed" in path.parts or ".tar" in path.name or path.stat().st_size > 1 << 22:
            continue
        data = path.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        if digest not in seen:
            seen.add(digest)
            yield str(path.relative_to(root)), data


def _read(data: bytes) -> list[Any]:
    """The models in a file: a document (and its value), or the images of
    inspect output; nothing for anything else."""
    try:
        doc = parse(data)
    except ImageInspectError:
        pass
    else:
        return [doc, doc.value]
    try:
        return list(loads(data).images)
    except ImageInspectError:
        return []


def _check_files(root: Path) -> tuple[int, int]:
    documents = images = 0
    for _, data in _files(root):
        for x in _read(data):
            check(x)
            documents += isinstance(x, Document)
            images += isinstance(x, (ImageInspect, PodmanImageInspect))
    return documents, images


def test_every_document_and_inspect_file_in_tests_data() -> None:
    documents, images = _check_files(DATA)
    assert documents >= 95  # 99 distinct today
    assert images >= 160  # 168


def test_public_fixtures() -> None:
    if not PUBLIC.is_dir():
        pytest.skip(f"public fixtures not available (no {PUBLIC}); set IMAGEINSPECT_SHARED")
    documents, images = _check_files(PUBLIC)
    assert documents >= 20  # 25 today
    assert images >= 10  # 14


def test_every_observed_view() -> None:
    """What every daemon printed, each distinct output once (the whole corpus
    takes seconds): every daemon's every view is checked, by its bytes."""
    daemons: set[str] = set()
    kinds: set[type[Any]] = set()
    seen: set[str] = set()
    for view in observed.views():
        daemons.add(view.daemon)
        if view.blob in seen:
            continue
        seen.add(view.blob)
        for image in loads(view.data).images:
            kinds.add(type(image))
            round_trip(image)
    assert daemons == set(observed.index()["daemons"])
    assert kinds == {ImageInspect, PodmanImageInspect}
    assert len(seen) > 9000


# --- what inspect() makes of every archive ----------------------------------------------

_ARCHIVE_ENDINGS = (".tar", ".tar.gz", ".tar.xz", ".tar.zst")


def _images(root: Path) -> list[Path]:
    """Archives (``docker save``, OCI, compressed too) and image layouts
    (OCI, skopeo ``dir:``) under ``root``."""
    found = {p for p in root.rglob("*.tar*") if p.name.endswith(_ARCHIVE_ENDINGS) and "observed" not in p.parts}
    found |= {p.parent for p in root.rglob("oci-layout")}
    found |= {p for p in root.rglob("skopeo-dir") if p.is_dir()}
    return sorted(found)


ARCHIVES = _images(DATA / "golden")
PUBLIC_ARCHIVES = _images(PUBLIC) if PUBLIC.is_dir() else []


def _check_archive(path: Path) -> None:
    try:
        image = open_image(path, ref="@0")
    except ImageInspectError as err:
        pytest.skip(f"the library does not open it: {err}")
    with image:
        for fmt in (None, Format.podman("5.8")):
            try:
                made = image.inspect() if fmt is None else image.inspect(fmt)
            except ImageInspectError:
                continue  # refused as the daemon refuses it
            check(made)
            assert dumps(round_trip(made), fmt) == dumps(made, fmt)
        for doc in (image.config_document, image.manifest, image.index):
            if doc is not None:
                check(doc)
        round_trip(image.layers)


@pytest.mark.parametrize("path", ARCHIVES, ids=[str(p.relative_to(DATA)) for p in ARCHIVES])
def test_inspect_of_every_archive(path: Path) -> None:
    _check_archive(path)


@pytest.mark.parametrize("path", PUBLIC_ARCHIVES, ids=[str(p.relative_to(PUBLIC)) for p in PUBLIC_ARCHIVES])
def test_inspect_of_every_public_archive(path: Path) -> None:
    _check_archive(path)


def test_public_archives_are_there() -> None:
    if not PUBLIC.is_dir():
        pytest.skip(f"public fixtures not available (no {PUBLIC}); set IMAGEINSPECT_SHARED")
    assert PUBLIC_ARCHIVES
