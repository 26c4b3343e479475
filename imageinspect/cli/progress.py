"""Progress of long work on stderr: one line redrawn in place, only on a
terminal, at most ten times a second, erased when the work ends.

>>> import io
>>> out = io.StringIO()
>>> bar = ProgressLine(out, enabled=True, clock=iter([0.0, 1.0, 2.0, 2.0]).__next__)
>>> bar("reading", 500_000, 2_000_000); bar("reading", 2_000_000, 2_000_000)
>>> bar.close()
>>> out.getvalue().split("\\r")[-3].strip()
'reading 2MB / 2MB (100%) 2MB/s'
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TextIO

from imageinspect.model.inspect import human_size

__all__ = ["ProgressLine"]


class ProgressLine:
    """A ``progress(phase, done, total)`` callback that draws bytes done, of
    how many (when known), the share and the rate since the phase began.
    Disabled, it does nothing at all."""

    def __init__(self, stream: TextIO, *, enabled: bool, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._enabled = enabled
        self._clock = clock
        self._phase = ""
        self._started = 0.0
        self._drawn = -1.0
        self._width = 0

    def __call__(self, phase: str, done: int, total: int) -> None:
        if not self._enabled:
            return
        now = self._clock()
        if phase != self._phase:
            self._phase, self._started, self._drawn = phase, now, -1.0
        if now - self._drawn < 0.1 and (total == 0 or done < total):
            return
        self._drawn = now
        elapsed = now - self._started
        text = f"{phase} {human_size(done)}"
        if total:
            text += f" / {human_size(total)} ({100 * done // total}%)"
        if elapsed > 0:
            text += f" {human_size(int(done / elapsed))}/s"
        self._stream.write("\r" + text.ljust(self._width))
        self._width = len(text)
        self._stream.flush()

    def close(self) -> None:
        """Erase the line, so that what follows starts clean."""
        if self._enabled and self._width:
            self._stream.write("\r" + " " * self._width + "\r")
            self._stream.flush()
            self._width = 0
