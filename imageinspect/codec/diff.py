"""Differences between two JSON values, addressed by JSON path: typed
(:func:`differences`, :class:`Diff`), in A/B words for people
(:meth:`Diff.lines`), or as a test's actual/expected lines (:func:`diff_json`).

>>> for line in diff_json({"Config": {"Env": ["A=1", "B=2"]}}, {"Config": {"Env": ["A=1", "B=3"]}}):
...     print(line)
$.Config.Env[1]: 'B=2' != 'B=3'
>>> for line in differences({"Size": 1, "Os": "linux"}, {"Size": 2}).lines():
...     print(line)
$.Size: A 1, B 2
$.Os: only in A ("linux")
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache
from typing import Any, Final, Literal

import attrs
import orjson

from .typeinfo import key_path

__all__ = [
    "TIMES",
    "Diff",
    "Difference",
    "diff",
    "diff_json",
    "differences",
    "first_difference",
    "json_path",
    "snippet",
]

#: The fields that hold times in inspect output and configs (the image's
#: ``Created``, each history entry's ``created``, ``Metadata.LastTagTime``):
#: what a reproducible build leaves to the clock.
TIMES: Final = ("$.Created", "$.created", "$.History[*].created", "$.history[*].created", "$.Metadata.LastTagTime")


@cache
def _compile(pattern: str) -> re.Pattern[str]:
    """A JSON-path pattern: ``[*]`` is any index, ``*`` any key; a path also
    covers what is below it."""
    text = re.escape(pattern).replace(r"\[\*\]", r"\[\d+\]").replace(r"\*", r"[^.\[]*")
    return re.compile(text + r"(?:[.\[].*)?\Z")


def _ignored(path: str, ignore: Iterable[str]) -> bool:
    return any(_compile(pattern).match(path) for pattern in ignore)


def json_path(text: str) -> str:
    """A path as people write it, as a JSON path: ``Config.Env``,
    ``.Config.Env`` and ``$.Config.Env`` are one path; ``[0]`` and
    ``$[0]`` too.

    >>> json_path("Config.Env"), json_path(".RepoTags"), json_path("$.Created"), json_path("[0].Id"), json_path("$")
    ('$.Config.Env', '$.RepoTags', '$.Created', '$[0].Id', '$')
    """
    text = text.strip()
    if text.startswith("$"):
        return text
    if text.startswith(("[", ".")):
        return "$" + text
    return "$." + text


@attrs.frozen
class Difference:
    """One difference: where, and what each side holds there (``only`` says
    which side alone has it).

    >>> Difference("$.Os", a="linux", only="a").b is None
    True
    """

    path: str
    a: Any = None
    b: Any = None
    only: Literal["a", "b"] | None = None

    def line(self) -> str:
        """The difference in A/B words, values as JSON.

        >>> Difference("$.Size", 1, 2).line(), Difference("$.Os", a="linux", only="a").line()
        ('$.Size: A 1, B 2', '$.Os: only in A ("linux")')
        """
        if self.only == "a":
            return f"{self.path}: only in A ({_shown(self.a)})"
        if self.only == "b":
            return f"{self.path}: only in B ({_shown(self.b)})"
        return f"{self.path}: A {_shown(self.a)}, B {_shown(self.b)}"


def _shown(value: Any) -> str:
    text = orjson.dumps(value, option=orjson.OPT_SORT_KEYS).decode()
    return text if len(text) <= 200 else text[:199] + "…"


@attrs.frozen
class Diff:
    """The differences between two values, and the paths left out.

    >>> found = differences({"a": 1}, {"a": 2}, ignore=["b"])
    >>> len(found.differences), found.ignored
    (1, ('$.b',))
    """

    differences: tuple[Difference, ...]
    #: The JSON paths (patterns) that were not compared.
    ignored: tuple[str, ...] = ()

    def __bool__(self) -> bool:
        """Whether they differ.

        >>> bool(Diff(())), bool(Diff((Difference("$", 1, 2),)))
        (False, True)
        """
        return bool(self.differences)

    def lines(self) -> list[str]:
        """One line per difference, in A/B words.

        >>> differences([1], [1, 2]).lines()
        ['$[1]: only in B (2)']
        """
        return [difference.line() for difference in self.differences]


def differences(a: Any, b: Any, *, ignore: Iterable[str] = ()) -> Diff:
    """What differs between two JSON values (``ignore``: paths as
    :func:`json_path` takes them; ``[*]`` matches any index and ``*`` any
    key, and a path covers what is below it).

    >>> differences({"a": [1, 2]}, {"a": [1]}).lines()
    ['$.a[1]: only in A (2)']
    >>> bool(differences({"Created": "x", "a": 1}, {"Created": "y", "a": 1}, ignore=TIMES))
    False
    """
    patterns = tuple(dict.fromkeys(json_path(pattern) for pattern in ignore))
    found: list[Difference] = []
    _walk(a, b, "$", patterns, found)
    return Diff(tuple(found), patterns)


def diff(a: Any, b: Any, *, ignore: Iterable[str] = (), ignore_times: bool = False) -> Diff:
    """What differs between two images' inspect output, two documents or two
    JSON values: models are compared as the JSON they are written as
    (inspect output as Docker's ``--format json`` or podman prints it, a
    document as its bytes). ``ignore`` takes JSON paths with or without
    ``$.`` (see :func:`differences`); ``ignore_times`` leaves out every time
    a build sets (:data:`TIMES`), for reproducible-build checks.

    >>> from imageinspect import ContainerConfig, ImageConfig, Timestamp
    >>> old = ImageConfig(os="linux", created=Timestamp.parse("2024-01-01T00:00:00Z"), config=ContainerConfig(user="a"))
    >>> new = ImageConfig(os="linux", created=Timestamp.parse("2025-06-01T00:00:00Z"), config=ContainerConfig(user="b"))
    >>> diff(old, new).lines()
    ['$.created: A "2024-01-01T00:00:00Z", B "2025-06-01T00:00:00Z"', '$.config.User: A "a", B "b"']
    >>> diff(old, new, ignore_times=True, ignore=["config.User"]).differences
    ()
    """
    patterns = [*ignore, *(TIMES if ignore_times else ())]
    return differences(_as_json(a), _as_json(b), ignore=patterns)


def _as_json(value: Any) -> Any:
    """A model as the JSON it is written as; JSON values as they are."""
    from imageinspect.model.base import DocumentValue
    from imageinspect.model.document import Document
    from imageinspect.model.inspect import ImageInspect
    from imageinspect.model.podman import PodmanImageInspect

    from .formats import Format
    from .inspect import dumps

    if isinstance(value, Document):
        return orjson.loads(value.raw)
    if isinstance(value, DocumentValue):
        return orjson.loads(value.to_json())
    if isinstance(value, ImageInspect):
        return orjson.loads(dumps([value], Format.docker(printer="json")))[0]
    if isinstance(value, PodmanImageInspect):
        return orjson.loads(dumps([value], Format.podman()))[0]
    return value


_ABSENT: Final = object()


def _walk(a: Any, b: Any, path: str, ignore: tuple[str, ...], found: list[Difference]) -> None:
    if _ignored(path, ignore):
        return
    if isinstance(a, dict) and isinstance(b, dict):
        for key in [*a, *(k for k in b if k not in a)]:
            step = path + key_path(key)[1:]
            _pair(a.get(key, _ABSENT), b.get(key, _ABSENT), step, ignore, found)
        return
    if isinstance(a, list) and isinstance(b, list):
        for index in range(max(len(a), len(b))):
            _pair(
                a[index] if index < len(a) else _ABSENT,
                b[index] if index < len(b) else _ABSENT,
                f"{path}[{index}]",
                ignore,
                found,
            )
        return
    if a != b or type(a) is not type(b):
        found.append(Difference(path, a, b))


def _pair(a: Any, b: Any, step: str, ignore: tuple[str, ...], found: list[Difference]) -> None:
    if _ignored(step, ignore):
        return
    if b is _ABSENT:
        found.append(Difference(step, a=a, only="a"))
    elif a is _ABSENT:
        found.append(Difference(step, b=b, only="b"))
    else:
        _walk(a, b, step, ignore, found)


def diff_json(actual: Any, expected: Any, *, ignore: Iterable[str] = (), path: str = "$") -> list[str]:
    """One line per difference, each addressed by its JSON path, in a test's
    words (``actual`` against ``expected``); paths in ``ignore`` (``[*]``
    matches any index and ``*`` any key, as in ``$.History[*].created``) are
    skipped.

    >>> diff_json({"a": 1, "b": [1]}, {"a": 2, "c": None}, ignore=["$.a"])
    ['$.b: unexpected (absent in expected)', '$.c: missing (expected None)']
    """
    found: list[Difference] = []
    _walk(actual, expected, path, tuple(ignore), found)
    lines = []
    for difference in found:
        index = difference.path.endswith("]")
        if difference.only == "a":
            what = f"unexpected {difference.a!r}" if index else "unexpected (absent in expected)"
            lines.append(f"{difference.path}: {what}")
        elif difference.only == "b":
            lines.append(f"{difference.path}: missing (expected {difference.b!r})")
        else:
            lines.append(f"{difference.path}: {difference.a!r} != {difference.b!r}")
    return lines


def first_difference(a: bytes, b: bytes) -> int | None:
    """The offset of the first byte where ``a`` and ``b`` differ (``None``
    when equal).

    >>> first_difference(b"abc", b"abd"), first_difference(b"ab", b"ab")
    (2, None)
    """
    if a == b:
        return None
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))


def snippet(data: bytes, offset: int, width: int = 30) -> str:
    """The bytes around ``offset``, as text on one line (escapes for what
    does not print), with a caret line under the byte itself.

    >>> print(snippet(b'{"Id": "x", "Size": 1}', 17))
    {"Id": "x", "Size": 1}
                     ^
    """
    start = max(0, offset - width)
    before = data[start:offset].decode("utf-8", "backslashreplace").encode("unicode_escape").decode()
    after = data[offset : offset + width].decode("utf-8", "backslashreplace").encode("unicode_escape").decode()
    lead = "…" if start else ""
    tail = "…" if offset + width < len(data) else ""
    return f"{lead}{before}{after}{tail}\n{' ' * (len(lead) + len(before))}^"
