"""The compiled path against the pure one: on every inspect output and
document of the repository (golden, observed, public when present), on
mutated ones (the fuzz campaign's JSON mutations) and on the hypothesis
strategies, both give equal objects, equal bytes and equal errors. The pure
answers come from a second process run with ``IMAGEINSPECT_PURE=1``."""

from __future__ import annotations

import os
import pickle
import random
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import imageinspect
from imageinspect.codec.accel import extension
from imageinspect.codec.read import reading_converter
from imageinspect.values.style import telling_escapes
from tests import accel_parity, observed
from tests.conftest import DATA, REPO

pytestmark = pytest.mark.skipif(
    not imageinspect.accelerated(), reason="the compiled path is not built (or IMAGEINSPECT_PURE is set)"
)

PUBLIC = REPO.parent / "shared" / "fixtures" / "public"


def _documents() -> list[tuple[str, bytes]]:
    found: list[tuple[str, bytes]] = []
    roots = [DATA / "documents", DATA / "golden" / "layouts", PUBLIC]
    for root in roots:
        if not root.exists():
            continue
        for path in sorted(root.rglob("*")):
            if not path.is_file() or path.stat().st_size > 1 << 20:
                continue
            data = path.read_bytes()
            if data[:1] in (b"{", b"["):
                found.append(("loads" if b'"Id"' in data[:200] and data[:1] == b"[" else "parse", data))
    return found


def _corpus() -> list[tuple[str, bytes]]:
    seen: set[str] = set()
    inputs: list[tuple[str, bytes]] = []
    for view in observed.views():
        if view.blob not in seen:
            seen.add(view.blob)
            inputs.append(("loads", view.data))
    for path in sorted((DATA / "golden" / "inspect").rglob("*.json")):
        inputs.append(("loads", path.read_bytes()))
    inputs.extend(_documents())
    sys.path.insert(0, str(REPO))
    from fuzz.campaign import mutate_json

    inputs.extend(_generated())
    rng = random.Random(20)
    seeds = list(inputs)
    for _ in range(3000):  # the fuzz campaign's mutations: errors must agree too
        kind, data = rng.choice(seeds)
        inputs.append((kind, mutate_json(data, rng)))
    return inputs


def _generated() -> list[tuple[str, bytes]]:
    """Inputs the hypothesis strategies make: inspect output of every
    printer (docker, podman) and documents of every kind."""
    from imageinspect.testing import strategies

    found: list[tuple[str, bytes]] = []
    quiet = settings(max_examples=150, deadline=None, database=None, derandomize=True,
                     suppress_health_check=list(HealthCheck))  # fmt: skip

    @quiet
    @given(image=strategies.image_inspects(), fmt=strategies.docker_formats())
    def docker(image: imageinspect.ImageInspect, fmt: imageinspect.Format) -> None:
        found.append(("loads", imageinspect.dumps([image], fmt)))

    @quiet
    @given(image=strategies.podman_inspects(), fmt=strategies.podman_formats())
    def podman(image: imageinspect.PodmanImageInspect, fmt: imageinspect.Format) -> None:
        found.append(("loads", imageinspect.dumps([image], fmt)))

    @quiet
    @given(
        doc=strategies.oci_manifests() | strategies.docker_manifests() | strategies.oci_indexes()
        | strategies.docker_lists() | strategies.image_configs(True) | strategies.image_configs(False)
    )  # fmt: skip
    def documents(doc: imageinspect.ImageManifest) -> None:
        found.append(("parse", doc.to_json()))

    docker()
    podman()
    documents()
    return found


@pytest.fixture(scope="module")
def both(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[tuple[str, bytes]], list[accel_parity.Outcome]]:
    inputs = _corpus()
    folder = tmp_path_factory.mktemp("parity")
    (folder / "in").write_bytes(pickle.dumps(inputs))
    env = {**os.environ, "IMAGEINSPECT_PURE": "1"}
    subprocess.run(
        [sys.executable, "-m", "tests.accel_parity", str(folder / "in"), str(folder / "out")],
        cwd=REPO, env=env, check=True, timeout=900,
    )  # fmt: skip
    return inputs, pickle.loads((folder / "out").read_bytes())


def test_same_objects_bytes_and_errors(both: tuple[list[tuple[str, bytes]], list[accel_parity.Outcome]]) -> None:
    inputs, pure = both
    assert len(inputs) > 5000
    differ = []
    for (kind, data), expected in zip(inputs, pure, strict=True):
        got = accel_parity.outcome(kind, data)
        if got != expected:
            differ.append((kind, data[:200], got[:3], expected[:3]))
    assert not differ, differ[:3]


def test_no_fallback_on_the_observed_corpus() -> None:
    """The fast path really runs: every object the daemons printed is built
    by the compiled reader (none handed to the pure one)."""
    accel = extension()
    assert accel is not None
    conv = reading_converter(False)
    readers = {cls: conv.get_structure_hook(cls) for cls in _model_classes()}
    compiled = {cls: r for cls, r in readers.items() if isinstance(r, accel.Reader)}
    assert len(compiled) >= 20
    before = {cls: r.counts() for cls, r in compiled.items()}
    seen: set[str] = set()
    for view in observed.views():
        if view.blob not in seen:
            seen.add(view.blob)
            imageinspect.loads(view.data)
    built = sum(r.counts()[0] - before[cls][0] for cls, r in compiled.items())
    handed = {cls.__name__: r.counts()[1] - before[cls][1] for cls, r in compiled.items()}
    assert built > 50_000
    assert not any(handed.values()), handed


def _model_classes() -> list[type]:
    from imageinspect.codec.classes import CLASS_SHAPES

    return list(CLASS_SHAPES)


def test_pure_hooks_are_reachable() -> None:
    accel = extension()
    assert accel is not None
    hook = reading_converter(False).get_structure_hook(imageinspect.ImageInspect)
    assert isinstance(hook, accel.Reader)
    assert callable(hook.pure)


def test_a_hook_that_empties_the_input_cannot_crash_the_reader() -> None:
    """Python code a leaf reader runs (here an object's ``__class__``) may
    change the dict being read: the compiled reader keeps what it reads
    alive and still gives what the pure path gives."""
    from imageinspect.codec.read import structure
    from imageinspect.model.schema1 import Schema1Manifest

    doc: dict[str, object] = {"signatures": [{"header": {"x": None}, "signature": "s", "protected": "p"}]}

    class Emptying:
        @property  # type: ignore[misc]
        def __class__(self) -> type:
            signatures = doc["signatures"]
            assert isinstance(signatures, list)
            signatures.clear()
            import gc

            gc.collect()
            return Emptying

    signatures = doc["signatures"]
    assert isinstance(signatures, list)
    signatures[0]["header"]["x"] = Emptying()
    manifest = structure(doc, Schema1Manifest)
    assert manifest.signatures is not None
    assert manifest.signatures[0].signature == "s"


def test_a_reader_without_a_plan_is_an_error() -> None:
    accel = extension()
    assert accel is not None
    with pytest.raises(TypeError, match="no plan"):
        accel.Reader.__new__(accel.Reader)({})
    set_up = reading_converter(False).get_structure_hook(imageinspect.ImageInspect)
    with pytest.raises(TypeError, match="set up once"):
        set_up.__init__(imageinspect.ImageInspect, (), None, None, None, None, None)  # type: ignore[call-arg]


@settings(max_examples=500, deadline=None)
@given(
    data=st.lists(
        st.sampled_from(
            [b"\\", b"u", b"003c", b"003e", b"0026", b"0008", b"000c", b"fffd", b"FFFD", b"00", b"x", b'"']
        ),
        max_size=40,
    ).map(b"".join),
    cut=st.integers(-3, 200),
)
def test_the_compiled_escape_scanner_finds_what_the_pattern_finds(data: bytes, cut: int) -> None:
    accel = extension()
    assert accel is not None
    end = max(0, min(cut, len(data)))
    assert accel.telling_escapes(data, end) == telling_escapes(data, end)


def test_the_compiled_escape_scanner_on_the_corpus() -> None:
    accel = extension()
    assert accel is not None
    seen = 0
    for view in observed.views():
        data = view.data
        assert accel.telling_escapes(data, len(data)) == telling_escapes(data, len(data))
        seen += 1
    assert seen > 9000


def test_a_value_changed_by_a_hook_is_read_as_changed() -> None:
    """An object read by position (the keys of the last one) is checked
    after its hooks ran: a value a hook replaced sends it to the pure reader,
    which reads the new value, as the lookup path does (found by a second
    read; reachable only by structuring Python dicts with code in them)."""
    from imageinspect.codec.accel import pure_path
    from imageinspect.codec.read import structure
    from imageinspect.model.config import ContainerConfig

    class Changes:
        def __init__(self, value: dict[str, object]) -> None:
            self.value = value

        def __ne__(self, other: object) -> bool:
            self.value["Env"] = ["CHANGED=1"]
            return True

        __hash__ = None  # type: ignore[assignment]

    def make() -> dict[str, object]:
        value: dict[str, object] = {"ExposedPorts": None, "Env": ["ORIG=1"]}
        value["ExposedPorts"] = {"80/tcp": Changes(value)}
        return value

    compiled = [structure(make(), ContainerConfig).env for _ in range(3)]
    with pure_path():
        pure = [structure(make(), ContainerConfig).env for _ in range(3)]
    assert compiled == pure == [("CHANGED=1",)] * 3
