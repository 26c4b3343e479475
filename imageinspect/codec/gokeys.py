"""Object keys as Go's ``encoding/json`` matches them to struct fields.

Every document this library reads is read by a Go program too (dockerd,
containerd, podman, the docker CLI), and Go matches a JSON key to a struct
field by its exact name first, else *case-insensitively* (``bytes.EqualFold``:
ASCII letters, plus the two non-ASCII runes whose case-fold set holds an
ASCII letter, KELVIN SIGN and LATIN SMALL LETTER LONG S), and when several
keys reach one field the last one wins. ``{"User": "nobody", "uſer":
"root"}`` is a config whose user is ``root`` to Docker.

A reader that keeps ``uſer`` as an unknown key would show another image than
the one Docker runs, so the library refuses such keys where a model is read:
:func:`check_go_keys` names the key and the field Go gives it to (and the
other key that reaches the same field, if any). Go maps (``Labels``,
``annotations``) are matched exactly, by Go too: only struct fields fold.
Facts from Go's ``encoding/json`` (``decode.go``: exact name, then
``foldName``; ``fold.go``), confirmed by ``scripts/gokeys-oracle.go`` (its
output: ``tests/data/golden/gokeys/``).

>>> go_fold("uſer") == go_fold("User") == "USER"
True
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import cache
from typing import Any, Final

from imageinspect.errors import SchemaError

from .typeinfo import key_path

__all__ = ["check_go_keys", "go_fold"]

#: ASCII letters upper-cased; KELVIN SIGN and LONG S folded into the ASCII
#: letter of their case-fold set (``unicode.SimpleFold`` orbits).
_FOLD: Final = {**{c: c - 32 for c in range(ord("a"), ord("z") + 1)}, 0x212A: ord("K"), 0x17F: ord("S")}


def go_fold(key: str) -> str:
    """``key`` folded as Go compares a JSON key with a field name.

    >>> go_fold("Cmd"), go_fold("cmd"), go_fold("\\u212aey"), go_fold("straße")
    ('CMD', 'CMD', 'KEY', 'STRAßE')
    """
    return key.translate(_FOLD)


@cache
def _folded(known: frozenset[str]) -> dict[str, str]:
    return {go_fold(key): key for key in known}


def check_go_keys(value: Mapping[str, Any], known: Iterable[str], where: str = "") -> None:
    """Refuse a key of ``value`` that is not one of ``known`` but that Go's
    ``encoding/json`` would read as one of them (the location is the key's
    JSON path, after ``where``).

    >>> check_go_keys({"User": "a", "Cmd": []}, frozenset({"User", "Cmd"}))
    >>> check_go_keys({"User": "nobody", "uſer": "root"}, frozenset({"User"}))
    Traceback (most recent call last):
      ...
    imageinspect.errors.SchemaError: $["uſer"]: keys 'User' and 'uſer' are one field to Go's encoding/json, which matches keys case-insensitively and keeps the last: a Go program reads 'uſer' as User
    """
    known = known if isinstance(known, frozenset) else frozenset(known)
    folded = _folded(known)
    keys = list(value)
    for key in keys:
        if key in known:
            continue
        field = folded.get(go_fold(key))
        if field is None:
            continue
        others = [k for k in keys if k != key and go_fold(k) == go_fold(key)]
        if others:
            first, second = sorted((others[0], key), key=keys.index)
            location = (where + key_path(second)[1:]) if where else key_path(second)
            raise SchemaError(
                f"keys {first!r} and {second!r} are one field to Go's encoding/json, which matches keys "
                f"case-insensitively and keeps the last: a Go program reads {second!r} as {field}",
                location,
            )
        location = (where + key_path(key)[1:]) if where else key_path(key)
        raise SchemaError(
            f"key {key!r} is the field {field} to Go's encoding/json, which matches keys case-insensitively:"
            f" a Go program reads it as {field}, so it is refused rather than kept as an unknown key",
            location,
        )
