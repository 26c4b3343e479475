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
    """One input through ``loads`` (inspect output) or ``parse`` (a document),
    and written back: as read, with every object edited (each written from
    its fields in its source's key order), with a field the source lacked set
    (put in its place), and rendered by the rules."""
    from imageinspect import ImageInspectError, dumps, loads, parse

    try:
        if kind == "loads":
            out = loads(data)
            images = list(out)
            orders = [image.key_order for image in images]
            edited = [edited_everywhere(image) for image in images]
            return (
                "ok", repr(images), orders, dumps(images, out.format, out.style),
                _written(lambda: dumps(edited, out.format, out.style)),
                _written(lambda: dumps([_added(image) for image in edited], out.format, out.style)),
                _written(lambda: dumps(images, out.format)),
            )  # fmt: skip
        doc = parse(data)
        value = edited_everywhere(doc.value)
        return ("ok", repr(doc.value), doc.value.key_order, doc.value.to_json(), _written(value.to_json))
    except ImageInspectError as err:
        return ("error", type(err).__name__, err.message, err.location)


def _written(write: Any) -> Any:
    """The bytes, or the error (type and message) a writer raises."""
    try:
        return write()
    except Exception as err:  # compared, not handled
        return (type(err).__name__, str(err))


def edited_everywhere(obj: Any) -> Any:
    """A copy of a model in which every nested model is a new object too:
    nothing is written from the JSON it was read from, every object from its
    fields in its source's key order."""
    import attrs

    if isinstance(obj, tuple):
        return tuple(edited_everywhere(item) for item in obj)
    if not attrs.has(type(obj)):
        return obj
    changes = {}
    for field in attrs.fields(type(obj)):
        if field.init and field.name not in ("extra", "key_order"):
            value = getattr(obj, field.name)
            if attrs.has(type(value)) or (isinstance(value, tuple) and value and attrs.has(type(value[0]))):
                changes[field.name] = edited_everywhere(value)
    return attrs.evolve(obj, **changes)


def _added(image: Any) -> Any:
    """The image with a field set that its source may not have had (its
    writer puts it in its canonical place)."""
    import attrs

    return attrs.evolve(image, comment="added by the parity test")


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
