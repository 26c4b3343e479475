"""Tags as Docker lists them."""

from __future__ import annotations

from imageinspect.errors import InvalidReference
from imageinspect.values.reference import Reference

__all__ = ["sort_repo_tags"]


def sort_repo_tags(tags: tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """Familiar tags, sorted as Docker sorts ``RepoTags``: by the
    fully-qualified name.

    >>> sort_repo_tags(["localhost:5000/x:1", "app:1", "127.0.0.1:5000/y:2"])
    ('127.0.0.1:5000/y:2', 'app:1', 'localhost:5000/x:1')
    """
    keyed = []
    for tag in tags:
        try:
            ref = Reference.parse(tag)
            keyed.append((ref.sort_key, ref.familiar()))
        except InvalidReference:
            keyed.append((tag, tag))
    return tuple(familiar for _, familiar in sorted(keyed))
