"""The Go release a template is parsed and run as: what each one knows."""

from __future__ import annotations

import pytest

from imageinspect.gotemplate import Template, TemplateError
from imageinspect.gotemplate.release import (
    BREAK_CONTINUE,
    COMPARISON_TYPES,
    ELSE_WITH,
    LATEST_GO,
    RANGE_ASSIGN,
    RANGE_INT,
    SHORT_CIRCUIT,
    go_release,
)


@pytest.mark.parametrize(
    ("text", "release"),
    [("1.19", (1, 19)), ("go1.19.8", (1, 19)), (" 1.27.3 ", (1, 27)), ("go1.100", (1, 100))],
)
def test_go_release(text: str, release: tuple[int, int]) -> None:
    assert go_release(text) == release


@pytest.mark.parametrize("text", ["", "1", "go", "1.x", "v1.19"])
def test_not_a_go_release(text: str) -> None:
    with pytest.raises(TemplateError, match="not a Go release"):
        go_release(text)


def test_the_releases_are_in_order_and_the_cli_ones_straddle_them() -> None:
    """Docker's 20.10 CLI (Go 1.19) knows break, continue and short-circuit
    and/or and none of the others; its 28.5 and 29 CLIs (Go 1.27) know all."""
    assert BREAK_CONTINUE == SHORT_CIRCUIT < RANGE_ASSIGN < ELSE_WITH < RANGE_INT < COMPARISON_TYPES
    assert RANGE_INT == (1, 24)
    assert ELSE_WITH == (1, 23)
    assert COMPARISON_TYPES == (1, 25)
    assert go_release("1.19") >= BREAK_CONTINUE
    assert go_release("1.19") < RANGE_ASSIGN
    assert go_release(LATEST_GO) >= COMPARISON_TYPES


def test_a_template_keeps_its_release() -> None:
    template = Template.parse("{{.Os}}", go="1.19")
    assert template.go == "1.19"
    assert template == Template.parse("{{.Os}}", go="1.19") != Template.parse("{{.Os}}")
    with pytest.raises(TemplateError, match="not a Go release"):
        Template.parse("{{.Os}}", go="latest")
