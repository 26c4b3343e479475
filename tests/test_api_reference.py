"""docs/reference/api/*.md document exactly the public face: the names in
``imageinspect.__all__`` (deprecated aliases in their own section)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import imageinspect

API = Path(__file__).resolve().parent.parent / "docs" / "reference" / "api"


def test_api_reference_is_the_top_level_all() -> None:
    text = "\n".join(page.read_text() for page in sorted(API.glob("*.md")))
    documented = re.findall(r"^\.\. auto(?:class|function):: imageinspect\.(\w+)$", text, re.M)
    deprecated = re.findall(r"^- `imageinspect\.(\w+)`: use `imageinspect\.(\w+)`", text, re.M)
    assert len(documented) == len(set(documented)), "a name is documented twice"
    public = set(imageinspect.__all__) - {"__version__"}
    assert set(documented) | {old for old, _ in deprecated} == public
    for old, new in deprecated:  # a deprecated name makes its replacement, and warns
        with pytest.deprecated_call():
            made = getattr(imageinspect, old)()
        assert isinstance(made, getattr(imageinspect, new))
    for name in documented:  # nothing documented from a submodule path
        assert getattr(imageinspect, name) is not None


def test_the_testing_kit_is_in_the_reference() -> None:
    import imageinspect.testing
    import imageinspect.testing.strategies

    text = "\n".join(page.read_text() for page in sorted(API.glob("*.md")))
    kit = set(re.findall(r"^\.\. auto(?:class|function):: imageinspect\.testing\.(\w+)$", text, re.M))
    assert kit == set(imageinspect.testing.__all__)
    members = re.search(r"automodule:: imageinspect\.testing\.strategies\n   :members: (.*)$", text, re.M)
    assert members is not None
    assert set(members.group(1).split(", ")) == set(imageinspect.testing.strategies.__all__)
