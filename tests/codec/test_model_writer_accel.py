"""The compiled writer of models (``encode_models`` and the ``Plan`` that
:mod:`imageinspect.codec.write` builds) against the Python writer and the
pure path, in one process (``pure_path()`` switches both off): equal bytes
or equal errors on objects as read, edited, built, and tampered with in
every way the Python writer has a rule for."""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imageinspect
from imageinspect import Format, ImageInspect, PodmanImageInspect
from imageinspect.codec.accel import pure_path, writer_extension
from imageinspect.codec.formats import resolve
from imageinspect.codec.write import Writer, writer
from imageinspect.model.frozen import FrozenMap
from imageinspect.testing import strategies
from imageinspect.values.timestamp import Timestamp
from tests import accel_parity, observed
from tests.conftest import DATA

pytestmark = pytest.mark.skipif(
    writer_extension() is None, reason="the compiled writer is not built (or IMAGEINSPECT_PURE is set)"
)

ENGINE = DATA / "golden" / "inspect" / "commit" / "engine-v1.41.json"
PODMAN = DATA / "golden" / "inspect" / "commit" / "podman.json"


def answer(write: Callable[..., bytes], *args: Any) -> Any:
    """What ``write(*args)`` returns, or the error it raises (type, message)."""
    try:
        return write(*args)
    except Exception as err:  # compared, not handled
        return (type(err).__name__, str(err))


def same(write: Callable[..., bytes], *args: Any) -> Any:
    """The compiled answer, asserted equal to the pure one."""
    got = answer(write, *args)
    with pure_path():
        want = answer(write, *args)
    assert got == want
    return got


def counts(*writers: Writer) -> tuple[int, int]:
    """(objects the plans wrote, objects they handed to the Python writer)."""
    plans = [plan for w in writers for plan in w._plans.values()]
    written = sum(plan.counts()[0] for plan in plans)
    handed = sum(plan.counts()[1] for plan in plans)
    return written, handed


def _engine() -> imageinspect.InspectOutput:
    return imageinspect.loads(ENGINE.read_bytes())


def _tamper(obj: Any, **values: Any) -> Any:
    """A copy with slots set past attrs (no freezing, no checks)."""
    copy = attrs.evolve(obj)
    for name, value in values.items():
        object.__setattr__(copy, name, value)
    return copy


def test_the_observed_corpus_is_written_here() -> None:
    """Every object the daemons printed, edited everywhere, is written by the
    plans: none handed to the Python writer, and the bytes are the pure ones."""
    seen: set[str] = set()
    used: set[Writer] = set()
    before: dict[Writer, tuple[int, int]] = {}
    for view in observed.views():
        if view.blob in seen:
            continue
        seen.add(view.blob)
        out = imageinspect.loads(view.data)
        models = writer(resolve(out.format).shapes, False)
        if models not in used:
            used.add(models)
            before[models] = counts(models)
        edited = [accel_parity.edited_everywhere(image) for image in out]
        same(imageinspect.dumps, edited, out.format, out.style)
    written = sum(counts(w)[0] - before[w][0] for w in used)
    handed = sum(counts(w)[1] - before[w][1] for w in used)
    assert written > 50_000
    assert handed == 0


def test_a_field_set_since_reading_goes_to_the_python_writer() -> None:
    out = _engine()
    models = writer(resolve(out.format).shapes, False)
    _, handed = counts(models)
    image = accel_parity.edited_everywhere(out[0])
    assert "StopSignal" not in image.config.key_order
    added = attrs.evolve(image, config=attrs.evolve(image.config, stop_signal="SIGKILL"))
    data = same(lambda: imageinspect.dumps([added], out.format, out.style))
    assert b'"StopSignal":"SIGKILL"' in data
    assert counts(models)[1] == handed + 1


TAMPERED: list[tuple[str, Callable[[ImageInspect], Any]]] = [
    ("a map where a string goes", lambda i: _tamper(i, architecture=FrozenMap(a="b"))),
    ("a set where a string goes", lambda i: _tamper(i, os={"linux"})),
    ("an int subclass", lambda i: _tamper(i, size=type("Size", (int,), {})(5))),
    ("a float", lambda i: _tamper(i, size=1.5)),
    ("a huge int", lambda i: _tamper(i, size=2**80)),
    ("a lone surrogate", lambda i: _tamper(i, author="\udc80")),
    ("None in a never field", lambda i: _tamper(i, repo_tags=None, repo_digests=None)),
    ("a str for a time", lambda i: _tamper(i, created="yesterday")),
    ("a Timestamp subclass", lambda i: _tamper(i, created=type("T", (Timestamp,), {})(0))),
    ("a list where a tuple goes", lambda i: _tamper(i, repo_tags=["a:1", "b:2"])),
    ("a tuple holding a map", lambda i: _tamper(i, repo_tags=(FrozenMap(a="b"),))),
    ("a model where a string goes", lambda i: _tamper(i, os=i.root_fs)),
    ("a plain dict where a model goes", lambda i: _tamper(i, config={"Cmd": ["x"]})),
    ("None where a model goes", lambda i: _tamper(i, config=None, root_fs=None, graph_driver=None)),
    ("an int where a model goes", lambda i: _tamper(i, root_fs=3)),
    ("a model subclass", lambda i: _tamper(i, root_fs=_subclass(i.root_fs))),
    ("extra keys past the inline limit", lambda i: attrs.evolve(i, extra=FrozenMap({f"X{n}": n for n in range(20)}))),
    ("extra keys that are known keys", lambda i: attrs.evolve(i, extra=FrozenMap({"Id": "shadow", "Os": "x", "Zz": (1,)}))),
    ("extra nested deep", lambda i: _tamper(i, extra=FrozenMap({"Deep": _nested(60)}))),
    ("extra nested past orjson", lambda i: _tamper(i, extra=FrozenMap._wrap({"Deep": _nested_frozen(300)}))),
    ("extra a plain dict", lambda i: _tamper(i, extra={"A": 1})),
    ("extra with a non-str key", lambda i: _tamper(i, extra=FrozenMap({1: "x"}))),
    ("key order with repeats", lambda i: _tamper(i, key_order=("Id", "Id", "Zz", "Zz", "Os", *(i.key_order or ())))),
    ("key order naming what extra lacks", lambda i: _tamper(i, key_order=("Missing", *(i.key_order or ())))),
    ("key order of non-strings", lambda i: _tamper(i, key_order=(1, 2))),
    ("key order a list", lambda i: _tamper(i, key_order=list(i.key_order or ()))),
    ("key order empty", lambda i: _tamper(i, key_order=())),
    ("many unknown keys in the order", lambda i: attrs.evolve(
        i, extra=FrozenMap({f"U{n}": n for n in range(12)}), key_order=(*(f"U{n}" for n in range(12)), *(i.key_order or ())))),
    ("a source that is not a dict", lambda i: _tamper(i, _source=["not", "a", "dict"])),
    ("a source holding a model", lambda i: _tamper(i, _source={"Config": i.config})),
    ("labels a plain dict", lambda i: _tamper(i, config=_tamper(i.config, labels={"b": "1", "a": "2"}))),
    ("labels with a non-str value", lambda i: _tamper(i, config=_tamper(i.config, labels=FrozenMap(a=1)))),
    ("volumes with repeats", lambda i: _tamper(i, config=_tamper(i.config, volumes=("/b", "/a", "/b")))),
    ("volumes of non-strings", lambda i: _tamper(i, config=_tamper(i.config, volumes=("/b", 1)))),
    ("volumes a list", lambda i: _tamper(i, config=_tamper(i.config, volumes=["/a"]))),
    ("escapes everywhere", lambda i: attrs.evolve(
        i, comment="<&>\u2028\ufffd\b\f", extra=FrozenMap({"K<>": "\u2029"}), config=_tamper(i.config, labels=FrozenMap({"<": ">"})))),
]  # fmt: skip


def _subclass(obj: Any) -> Any:
    sub = attrs.make_class(type(obj).__name__ + "Sub", {}, bases=(type(obj),))
    return sub(**{f.name: getattr(obj, f.name) for f in attrs.fields(type(obj)) if f.init})


def _nested(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = {"n": [value]}
    return value


def _nested_frozen(depth: int) -> Any:
    value: Any = "bottom"
    for _ in range(depth):
        value = FrozenMap._wrap({"n": (value,)})
    return value


@pytest.mark.parametrize(("name", "tamper"), TAMPERED, ids=[name for name, _ in TAMPERED])
@pytest.mark.parametrize("way", ["as read", "edited everywhere", "rules", "api body", "built"])
def test_tampered_objects(name: str, tamper: Callable[[ImageInspect], Any], way: str) -> None:
    out = _engine()
    image = out[0]
    assert isinstance(image, ImageInspect)
    if way == "edited everywhere":
        image = accel_parity.edited_everywhere(image)
    if way == "built":
        image = attrs.evolve(image, key_order=None)
    image = tamper(image)
    if way == "rules":
        same(lambda: imageinspect.dumps([image], Format.docker("26.1")))
    elif way == "api body":
        same(lambda: imageinspect.dumps(image, Format.docker("29.1", api="1.52", printer="api")))
    else:
        same(lambda: imageinspect.dumps([image, out[0]], out.format, out.style))


def test_podman_edited_and_tampered() -> None:
    out = imageinspect.loads(PODMAN.read_bytes())
    for image in out:
        edited = accel_parity.edited_everywhere(image)
        same(imageinspect.dumps, [edited], out.format, out.style)
        same(imageinspect.dumps, [_tamper(edited, digest=None, labels=FrozenMap(z="1", a="2"))], out.format)
        same(imageinspect.dumps, [image], Format.podman("5.8"))


def test_documents_edited_and_tampered() -> None:
    found = 0
    for path in sorted(p for p in (DATA / "documents").rglob("*") if p.is_file() and p.suffix != ".md"):
        try:
            doc = imageinspect.parse(path.read_bytes())
        except imageinspect.ImageInspectError:
            continue
        value = accel_parity.edited_everywhere(doc.value)
        same(value.to_json)
        same(imageinspect.encode_in_style, value, doc.style)
        same(_tamper(value, extra=FrozenMap(z=1, a=(FrozenMap(b=None),))).to_json)
        same(attrs.evolve(value, key_order=None).to_json)
        found += 1
    assert found > 20


QUIET = settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@QUIET
@given(image=strategies.image_inspects(), fmt=strategies.docker_formats(), data=st.data())
def test_built_docker_images(image: ImageInspect, fmt: Format, data: st.DataObject) -> None:
    """Built objects (canonical layouts), in every format, and read back and
    edited (source layouts)."""
    written = same(lambda: imageinspect.dumps([image], fmt))
    if isinstance(written, bytes):
        out = imageinspect.loads(written)
        edited = [accel_parity.edited_everywhere(one) for one in out]
        same(imageinspect.dumps, edited, out.format, out.style)
        comment = data.draw(st.text(max_size=8))
        same(lambda: imageinspect.dumps([attrs.evolve(one, comment=comment) for one in edited], out.format, out.style))


@QUIET
@given(image=strategies.podman_inspects(), fmt=strategies.podman_formats())
def test_built_podman_images(image: PodmanImageInspect, fmt: Format) -> None:
    written = same(lambda: imageinspect.dumps([image], fmt))
    if isinstance(written, bytes):
        out = imageinspect.loads(written)
        same(lambda: imageinspect.dumps([accel_parity.edited_everywhere(one) for one in out], out.format, out.style))


@QUIET
@given(
    doc=strategies.oci_manifests() | strategies.docker_manifests() | strategies.oci_indexes()
    | strategies.docker_lists() | strategies.image_configs(True) | strategies.image_configs(False)
)  # fmt: skip
def test_built_documents(doc: Any) -> None:
    same(doc.to_json)
    same(lambda: imageinspect.parse(doc.to_json()).value.to_json())


def test_no_references_leak() -> None:
    """Writing holds and lets go of everything it touches: the objects'
    reference counts and the number of live objects come back."""
    out = _engine()
    edited = [accel_parity.edited_everywhere(image) for image in out]
    tampered = [_tamper(edited[0], extra=FrozenMap(A=1)), _tamper(edited[0], created="yesterday")]
    for items in (edited, tampered):
        for _ in range(20):
            answer(imageinspect.dumps, items, out.format, out.style)
        gc.collect()
        refs = [sys.getrefcount(image) for image in items]
        live = len(gc.get_objects())
        for _ in range(500):
            answer(imageinspect.dumps, items, out.format, out.style)
        gc.collect()
        assert [sys.getrefcount(image) for image in items] == refs
        assert len(gc.get_objects()) <= live + 10


def test_plans_are_set_up_once_and_checked() -> None:
    module = writer_extension()
    assert module is not None
    slots = (ImageInspect.__dict__.get("extra"),)
    with pytest.raises(TypeError):
        module.Plan(ImageInspect, print, *slots, None, None, True)  # not slot descriptors
    models = writer(resolve(Format.docker()).shapes, True)
    models.add_roots(ImageInspect())
    plan = models.roots[ImageInspect]
    with pytest.raises(TypeError):
        plan.set_fields((), (), {})  # fields are set once
    with pytest.raises(TypeError):
        plan.__init__(ImageInspect, print, None, None, None, True)  # set up once
    bare = module.Plan.__new__(module.Plan)
    assert (
        module.encode_models(ImageInspect(), {ImageInspect: bare}, False, True, None, "", False, False)
        is NotImplemented
    )
    with pytest.raises(TypeError):
        module.encode_models(ImageInspect(), models.roots, False, True, None, "", False)  # 8 arguments


class _SwapsExtra:
    """A ``created`` whose ``.text`` sets another ``extra`` on the image
    being written (code a hook runs, through the embedding API only)."""

    def __init__(self, image: Any, new: FrozenMap[str, Any], keep: list[Any] | None) -> None:
        self.image, self.new, self.keep = image, new, keep

    @property
    def text(self) -> str:
        if self.keep is not None:
            self.keep.append(self.image.extra)
        object.__setattr__(self.image, "extra", self.new)
        return "2020-01-01T00:00:00Z"


@pytest.mark.parametrize("keep_old", [True, False], ids=["old-kept", "old-freed"])
@pytest.mark.parametrize("way", ["edited", "built"])
def test_extra_replaced_while_fields_are_written(keep_old: bool, way: str) -> None:
    """The writer holds what it reads: no read of a freed map (a second read
    found a crash here), and the map read where the Python writer reads it
    (a canonical layout reads ``extra`` after the fields)."""
    out = imageinspect.loads(b'[{"Id":"a","Created":"2020-01-01T00:00:00Z","Zed":1}]')

    def write() -> bytes:
        kept: list[Any] = []
        if way == "edited":
            image = _tamper(out[0], extra=FrozenMap({"Zed": "x" * 100}))
            fmt: Format = out.format
        else:
            image = ImageInspect(id="x", extra=FrozenMap({"Old": 1}))
            fmt = Format.docker("26.1")
        object.__setattr__(image, "created", _SwapsExtra(image, FrozenMap({"New": 1}), kept if keep_old else None))
        return imageinspect.dumps([image], fmt, out.style)

    for _ in range(3):
        same(write)


def test_a_timestamp_without_its_text_slot() -> None:
    """An unset ``_text`` slot is the pure path's AttributeError, not
    ``str()``."""
    out = imageinspect.loads(b'[{"Id":"a","Created":"2020-01-01T00:00:00Z"}]')
    stamp = Timestamp.__new__(Timestamp)
    for name, value in (("_ns", 0), ("_offset", 0), ("_str", "1970-01-01T00:00:00Z")):
        object.__setattr__(stamp, name, value)
    answer_ = same(imageinspect.dumps, [_tamper(out[0], created=stamp)], out.format, out.style)
    assert answer_[0] == "AttributeError"
