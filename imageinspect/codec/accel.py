"""The optional compiled path, and which path runs.

``imageinspect.codec._accel`` (``_accel.c``) is built by ``pip install .``
when a C compiler is there, and skipped (with a warning) when not: the pure
path always works, and gives the same objects, bytes and errors -- the
compiled one hands everything it does not handle to it. Setting
``IMAGEINSPECT_PURE=1`` in the environment (before the first import) runs
the pure path although the extension is built. :func:`accelerated` says
which path runs; ``imageinspect --version`` prints it.

The compiled reader's plans are built by :mod:`imageinspect.codec.read`
from the same class shapes as the generated pure readers: this module and
the C file know no JSON key.

>>> accelerated() in (True, False)
True
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

__all__ = [
    "PURE",
    "accelerated",
    "compiled_writer",
    "extension",
    "path_name",
    "pure_path",
    "pure_requested",
    "writer_extension",
]

#: Set inside :func:`pure_path`: readers are the pure ones.
PURE: contextvars.ContextVar[bool] = contextvars.ContextVar("imageinspect_pure_path", default=False)


def pure_requested() -> bool:
    """Whether ``IMAGEINSPECT_PURE`` asks for the pure path (set to anything
    but ``""`` or ``"0"``): the one rule for both extensions.

    >>> pure_requested() == (os.environ.get("IMAGEINSPECT_PURE", "") not in ("", "0"))
    True
    """
    return os.environ.get("IMAGEINSPECT_PURE", "") not in ("", "0")


def _load() -> ModuleType | None:
    if pure_requested():
        return None
    try:
        from imageinspect.codec import _accel  # type: ignore[attr-defined]
    except ImportError:
        return None
    from imageinspect.errors import ImageInspectError
    from imageinspect.model.frozen import FrozenMap
    from imageinspect.values.timestamp import Timestamp

    _accel.configure(ImageInspectError)
    slots = vars(Timestamp)
    from imageinspect.codec.leaves import _INTERNED
    from imageinspect.values.style import register_escape_scanner, telling_escapes

    _accel.configure_values(
        Timestamp, slots["_ns"], slots["_offset"], slots["_str"], slots["_text"],
        FrozenMap, vars(FrozenMap)["_data"], vars(FrozenMap)["_hash"], _INTERNED,
    )  # fmt: skip
    compiled_scan = _accel.telling_escapes
    pure_scan = telling_escapes

    def scan(raw: bytes, end: int) -> int:
        found: int = pure_scan(raw, end) if PURE.get() else compiled_scan(raw, end)
        return found

    register_escape_scanner(scan)
    module: ModuleType = _accel
    return module


_EXTENSION = _load()


def _load_writer() -> ModuleType | None:
    if pure_requested():
        return None
    try:
        from imageinspect.codec import _gojson_accel  # type: ignore[attr-defined]
    except ImportError:
        return None
    from imageinspect.model.frozen import FrozenMap
    from imageinspect.values.timestamp import Timestamp

    stamp = vars(Timestamp)
    _gojson_accel.configure_models(FrozenMap, vars(FrozenMap)["_data"], Timestamp, stamp["_text"], stamp["_str"])
    module: ModuleType = _gojson_accel
    return module


_WRITER_MODULE = _load_writer()
_WRITER = None if _WRITER_MODULE is None else _WRITER_MODULE.encode


def compiled_writer() -> Any:
    """The compiled Go-JSON writer's ``encode`` when it runs, else ``None``
    (see :mod:`imageinspect.codec.gojson`).

    >>> compiled_writer() is None or callable(compiled_writer())
    True
    """
    return _WRITER


def writer_extension() -> ModuleType | None:
    """The compiled writer's module when it runs, else ``None``: its
    ``encode_models`` writes models by the plans
    :mod:`imageinspect.codec.write` builds (``Plan``).

    >>> writer_extension() is None or hasattr(writer_extension(), "Plan")
    True
    """
    return _WRITER_MODULE


def extension() -> ModuleType | None:
    """The compiled module when it runs, else ``None``.

    >>> extension() is None or hasattr(extension(), "Reader")
    True
    """
    return _EXTENSION


def accelerated() -> bool:
    """Whether the compiled reader runs (built, and ``IMAGEINSPECT_PURE``
    not set; the compiled writer is built and loaded with it).

    >>> import imageinspect
    >>> imageinspect.accelerated() == (extension() is not None)
    True
    """
    return _EXTENSION is not None


def path_name() -> str:
    """Which path runs, and why when it is the pure one (``--version``).

    >>> path_name().split()[0] in ("compiled", "pure")
    True
    """
    if pure_requested():
        return "pure path: IMAGEINSPECT_PURE is set"
    if _EXTENSION is not None and _WRITER is not None:
        return "compiled path"
    if _EXTENSION is not None or _WRITER is not None:
        return f"compiled {'reader' if _EXTENSION is not None else 'writer'} only: the other extension is not built"
    return "pure path: the extension is not built"


@contextlib.contextmanager
def pure_path() -> Iterator[None]:
    """Run the pure readers and writer inside the block although the
    compiled ones are built (for comparing both paths in one process:
    parity tests, benchmarks).

    >>> import imageinspect
    >>> with pure_path():
    ...     image = imageinspect.loads(b'[{"Id": "sha256:aa"}]')[0]
    >>> image == imageinspect.loads(b'[{"Id": "sha256:aa"}]')[0]
    True
    """
    token = PURE.set(True)
    try:
        yield
    finally:
        PURE.reset(token)
