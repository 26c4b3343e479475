"""The pytest plugin, exercised through a real inner pytest run."""

from __future__ import annotations

import pytest

from imageinspect import ImageInspect
from imageinspect.testing.plugin import assert_inspect_equal, diff_json

INNER = """
from imageinspect import Format, open_image
from imageinspect.testing.plugin import assert_inspect_equal

def test_uses_fixtures(image_builder, image_archive):
    image_builder.add_layer({"/app": b"x"}).env("A", "1").tag("demo:1")
    path = image_archive(image_builder, layout="docker25")
    with open_image(path) as image:
        assert image.repo_tags == ("demo:1",)
        assert image.inspect().env_map == {"A": "1"}
        assert_inspect_equal(image.inspect(), image.inspect(last_tag_time=None))

def test_diff_is_readable(image_builder):
    a = image_builder.add_layer({"/a": b"1"}).build().inspect()
    b = image_builder.env("X", "y").build().inspect()
    assert a == b
"""


def test_fixtures_and_assertion_output(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_inner=INNER)
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(["*ImageInspect objects differ:*", "*$.Config.Env: missing*"])


def test_plugin_has_no_effect_unless_used(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(test_plain="def test_nothing():\n    assert 1 + 1 == 2\n")
    result = pytester.runpytest("-p", "no:cacheprovider")
    result.assert_outcomes(passed=1)


def test_ignore_list_and_patterns() -> None:
    a = {"Id": "x", "GraphDriver": {"Name": "vfs"}, "History": [{"created": "1"}, {"created": "2"}]}
    b = {"Id": "x", "GraphDriver": {"Name": "overlay2"}, "History": [{"created": "3"}, {"created": "4"}]}
    assert diff_json(a, b, ignore=["$.GraphDriver", "$.History[*].created"]) == []
    assert len(diff_json(a, b)) == 3


def test_ignore_patterns_cover_extra_and_missing_list_items() -> None:
    a = {"RepoDigests": ["x@sha256:1", "x@sha256:2"], "Layers": ["l1"]}
    b = {"RepoDigests": ["x@sha256:1"], "Layers": ["l1", "l2"]}
    assert diff_json(a, b, ignore=["$.RepoDigests[*]", "$.Layers[*]"]) == []
    assert diff_json(a, b, ignore=["$.RepoDigests[1]"]) == ["$.Layers[1]: missing (expected 'l2')"]


def test_host_only_fields_are_ignored_by_default() -> None:
    from imageinspect import GraphDriver

    assert_inspect_equal(
        ImageInspect(id="x", graph_driver=GraphDriver(name="vfs")),
        ImageInspect(id="x", graph_driver=GraphDriver(name="overlay2"), repo_digests=("x@sha256:" + "a" * 64,)),
    )
    with pytest.raises(AssertionError, match=r"\$\.Id: 'x' != 'y'"):
        assert_inspect_equal(ImageInspect(id="x"), ImageInspect(id="y"))
