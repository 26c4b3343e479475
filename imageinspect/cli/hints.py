"""Which command fits an input: the hint printed when a file was given to
the wrong one (``parse`` on inspect output, ``inspect`` on a JSON file,
``check`` on a manifest). What kind each command takes is its
:attr:`~imageinspect.cli.commands.base.Command.takes`; the kind of an input is
:func:`~imageinspect.cli.sniff.kind_of`'s.

>>> kind_of(b'[{"Id": "sha256:ab", "RepoTags": []}]'), kind_of(b'{"schemaVersion": 2}'), kind_of(b"ustar")
('inspect output', 'image document', None)
"""

from __future__ import annotations

from .commands import ALL
from .sniff import head_of, kind_of, looks_like_json

__all__ = ["head_of", "hint", "kind_of", "looks_like_json"]

#: What to type for each kind of input.
_COMMANDS = {
    "inspect output": "imageinspect check {name} (or imageinspect diff)",
    "image document": "imageinspect parse {name}",
    "image archive": "imageinspect inspect {name}",
}


def hint(command: str, name: str, data: bytes) -> str | None:
    """A line suggesting the right command, when ``data`` is a kind of input
    that ``command`` does not take.

    >>> hint("parse", "out.json", b'[{"Id": "sha256:ab"}]')
    'hint: out.json is docker/podman inspect output: try imageinspect check out.json (or imageinspect diff)'
    >>> hint("parse", "config.json", b'{"architecture": "amd64"}') is None
    True
    """
    kind = kind_of(data)
    takes = next((each.takes for each in ALL if each.name == command), None)
    if kind is None or takes == kind:
        return None
    described = "docker/podman inspect output" if kind == "inspect output" else f"an {kind}"
    subject = "standard input" if name == "-" else name
    return f"hint: {subject} is {described}: try {_COMMANDS[kind].format(name=name)}"
