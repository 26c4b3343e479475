"""Differences by JSON path: typed, in A/B words, paths as people write them,
times left out for reproducible builds, models compared as their JSON."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageinspect import ContainerConfig, Format, ImageConfig, Timestamp, loads, open_image
from imageinspect.codec.diff import TIMES, Diff, Difference, diff, diff_json, differences, json_path, snippet
from tests.conftest import DATA

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=10,
)


@given(JSON, JSON)
def test_no_differences_exactly_when_equal(a: object, b: object) -> None:
    found = differences(a, b)
    assert (not found) == (a == b and type(a) is type(b))
    assert not differences(a, a)


@given(JSON, JSON)
def test_the_sides_swap(a: object, b: object) -> None:
    forward = differences(a, b).differences
    back = differences(b, a).differences
    assert {d.path for d in forward} == {d.path for d in back}
    for one in forward:
        other = next(d for d in back if d.path == one.path)
        assert (one.a, one.b) == (other.b, other.a)
        assert one.only == {"a": "b", "b": "a", None: None}[other.only]


def test_a_b_words() -> None:
    found = differences({"Size": 1, "Os": "linux", "Env": ["A"]}, {"Size": 2, "Arch": None, "Env": ["A", "B"]})
    assert found.lines() == [
        "$.Size: A 1, B 2",
        '$.Os: only in A ("linux")',
        '$.Env[1]: only in B ("B")',
        "$.Arch: only in B (null)",
    ]
    assert found.differences[0] == Difference("$.Size", 1, 2)
    assert bool(found)
    assert not Diff(())


@pytest.mark.parametrize("written", ["Config.Env", ".Config.Env", "$.Config.Env", "Config.Env[*]"])
def test_paths_with_or_without_dollar(written: str) -> None:
    found = differences(
        {"Config": {"Env": ["A"], "User": "a"}}, {"Config": {"Env": ["B"], "User": "b"}}, ignore=[written]
    )
    assert found.lines() == ['$.Config.User: A "a", B "b"']
    assert found.ignored == (json_path(written),)


def test_times_of_a_reproducible_build() -> None:
    old = ImageConfig(os="linux", created=Timestamp.parse("2024-01-01T00:00:00Z"), config=ContainerConfig(user="a"))
    new = ImageConfig(os="linux", created=Timestamp.parse("2025-01-01T00:00:00Z"), config=ContainerConfig(user="a"))
    assert [d.path for d in diff(old, new).differences] == ["$.created"]
    assert not diff(old, new, ignore_times=True)
    inspect = {"Created": "x", "Metadata": {"LastTagTime": "y"}, "History": [{"created": "z", "comment": "c"}]}
    edited = {"Created": "1", "Metadata": {"LastTagTime": "2"}, "History": [{"created": "3", "comment": "d"}]}
    assert differences(inspect, edited, ignore=TIMES).lines() == ['$.History[0].comment: A "c", B "d"']


def test_inspect_models_compare_as_their_json() -> None:
    """What dockerd 20.10 printed after ``docker load`` against the library's
    model of it: nothing differs but what only the host knows."""
    real = loads((DATA / "golden/inspect/legacy-full/engine-after-load-vfs.json").read_bytes())[0]
    with open_image(DATA / "golden/inspect/legacy-full/docker-save.tar") as image:
        ours = image.inspect(Format.docker("20.10"), storage_driver="vfs")
        podman = image.inspect(Format.podman("5.8"))
    assert {d.path.split("[")[0].split(".")[1] for d in diff(ours, real).differences} <= {"GraphDriver", "Metadata"}
    assert not diff(ours, real, ignore=["GraphDriver", "Metadata.LastTagTime"])
    assert "$.NamesHistory" in {d.path for d in diff(ours, podman).differences}


def test_the_tests_wording_is_kept() -> None:
    assert diff_json({"a": [1, 2]}, {"a": [1], "b": 1}) == ["$.a[1]: unexpected 2", "$.b: missing (expected 1)"]


def test_snippet_marks_the_byte() -> None:
    data = b'{"Id":"x","Size":1,"Tail":"' + b"t" * 100 + b'"}'
    text, caret = snippet(data, 17, width=10).split("\n")
    assert text.startswith("…")
    assert text.endswith("…")
    assert text[caret.index("^")] == "1"
    assert snippet(b"\xff\n", 1).split("\n")[0] == "\\\\xff\\n"
