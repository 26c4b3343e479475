"""One style type and one detector for documents and inspect output."""

from __future__ import annotations

from imageinspect.values import style
from imageinspect.values.style import Style, detect_style


def test_detects_documents_and_inspect_output_alike() -> None:
    assert detect_style(b'{\n\t"a": "\\u0008"\n}\r\n') == Style(indent="\t", short_bf=False, trailing=b"\r\n")
    assert detect_style(b'[\n    {"Id": "<"}\n]\n', "array", html_default=False).escape_html is False
    assert detect_style(b'{"a":"\\u003c"}', html_default=False).escape_html is True


def test_long_trailing_whitespace_is_not_cached() -> None:
    before = style._style.cache_info().currsize
    found = detect_style(b"{}" + b" " * 100_000)
    assert len(found.trailing) == 100_000
    assert style._style.cache_info().currsize == before
