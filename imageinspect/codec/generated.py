"""Generated code under a name: readers and writers are generated per model
class and compiled under a file name that says what they are, registered in
:mod:`linecache` so that tracebacks show their lines and
:func:`inspect.getsource` finds them.
"""

from __future__ import annotations

import hashlib
import linecache
from collections import OrderedDict
from typing import Any

__all__ = ["compile_generated"]

#: Transient generated sources kept in :mod:`linecache`, oldest first:
#: writers made per source key order come and go, so they are bounded.
_REGISTERED: OrderedDict[str, None] = OrderedDict()
_MAX_REGISTERED = 1024


def compile_generated(
    kind: str, cls: type[Any], source: str, namespace: dict[str, Any], *, transient: bool = False
) -> Any:
    """Compile generated code under a file name that says what it is
    (``<imageinspect generated structure imageinspect.model.config.ContainerConfig #ab12cd34>``,
    the suffix telling apart the variants of one class: strict, per shape
    set), registered in :mod:`linecache` so tracebacks show its lines and
    :func:`inspect.getsource` finds it (as cattrs does); returns the function
    ``<kind>_<ClassName>`` it defines. ``transient`` code (made per source
    key order, so it comes and goes) is kept in :mod:`linecache` only among
    the newest :data:`_MAX_REGISTERED` such sources.

    >>> from imageinspect.model.config import RootFS
    >>> import inspect
    >>> fn = compile_generated("demo", RootFS, "def demo_RootFS(x):\\n    return x", {})
    >>> fn.__code__.co_filename.rsplit(" ", 1)[0], inspect.getsource(fn).splitlines()[0]
    ('<imageinspect generated demo imageinspect.model.config.RootFS', 'def demo_RootFS(x):')
    """
    text = source if source.endswith("\n") else source + "\n"
    tag = hashlib.sha256(text.encode()).hexdigest()[:8]
    filename = f"<imageinspect generated {kind} {cls.__module__}.{cls.__qualname__} #{tag}>"
    linecache.cache[filename] = (len(text), None, text.splitlines(True), filename)
    if transient:
        _REGISTERED[filename] = None
        _REGISTERED.move_to_end(filename)
        while len(_REGISTERED) > _MAX_REGISTERED:  # bounded: the oldest sources go
            old, _ = _REGISTERED.popitem(last=False)
            linecache.cache.pop(old, None)
    exec(compile(text, filename, "exec"), namespace)
    return namespace[f"{kind}_{cls.__name__}"]
