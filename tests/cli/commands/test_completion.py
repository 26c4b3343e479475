"""``imageinspect completion SHELL``: prints the script for that shell; an
unknown shell is refused by the parser."""

from __future__ import annotations

import pytest

from imageinspect.cli.completion import SHELLS, script
from imageinspect.cli.main import build_parser, main


@pytest.mark.parametrize("shell", SHELLS)
def test_the_command_prints_the_script(shell: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", shell]) == 0
    assert capsys.readouterr().out == script(shell, build_parser())


def test_an_unknown_shell(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["completion", "tcsh"])
    assert info.value.code == 2
    assert "invalid choice: 'tcsh'" in capsys.readouterr().err
