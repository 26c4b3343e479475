"""The pytest example of docs/howto/testing.md, run as a user would run it:
written to a file and collected by pytest with the installed plugin."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import REPO


def _example() -> str:
    text = (REPO / "docs" / "howto" / "testing.md").read_text()
    blocks = re.findall(r"```python\n(# test_server\.py\n.*?)```", text, re.S)
    assert len(blocks) == 1, "the how-to has one pytest example"
    return str(blocks[0])


def _pytest(tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """pytest, in a fresh process, on ``source`` as ``test_server.py``."""
    (tmp_path / "test_server.py").write_text(source)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path / "test_server.py")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        check=False,
    )


def test_the_howto_example_passes_under_pytest(tmp_path: Path) -> None:
    result = _pytest(tmp_path, _example())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_the_example_can_fail(tmp_path: Path) -> None:
    """The example asserts something: break it and pytest reports a failure."""
    result = _pytest(tmp_path, _example().replace('"8080"', '"9090"', 1))
    assert result.returncode == 1
    assert "1 failed" in result.stdout
