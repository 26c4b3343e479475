"""What a path (compiled or pure) makes of a corpus of inputs, in a form two
processes can compare: for each input, the objects' repr, the bytes the
writer gives back, and the error (type, message, location) if any.

Run as ``IMAGEINSPECT_PURE=1 python -m tests.accel_parity IN OUT`` (``IN``: a
pickled list of ``(kind, bytes)``; ``OUT``: the pickled results) to get the
pure path's answers next to the compiled path's (tests/codec/test_accel_parity.py).
"""

from __future__ import annotations

import pickle
import sys
from typing import Any

Outcome = tuple[Any, ...]


def outcome(kind: str, data: bytes) -> Outcome:
    """One input through ``loads`` (inspect output) or ``parse`` (a document)."""
    from imageinspect import ImageInspectError, dumps, loads, parse

    try:
        if kind == "loads":
            out = loads(data)
            images = list(out)
            orders = [image.key_order for image in images]
            return ("ok", repr(images), orders, dumps(images, out.format, out.style))
        doc = parse(data)
        return ("ok", repr(doc.value), doc.value.key_order, doc.value.to_json())
    except ImageInspectError as err:
        return ("error", type(err).__name__, err.message, err.location)


def outcomes(inputs: list[tuple[str, bytes]]) -> list[Outcome]:
    return [outcome(kind, data) for kind, data in inputs]


def main() -> int:
    with open(sys.argv[1], "rb") as handle:
        inputs = pickle.load(handle)
    with open(sys.argv[2], "wb") as handle:
        pickle.dump(outcomes(inputs), handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
