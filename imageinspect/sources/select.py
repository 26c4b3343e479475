"""Which image of several a name means -- ``@N``, a tag, an image ID or a
short one, a platform -- as ``docker`` and ``--ref`` take it: for the
images an archive holds (:func:`choose`) and for rows of inspect output
alike (:func:`positions_named`).

>>> positions_named("app", [("app:latest",), ("app:2",)], [(), ()])
[0]
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from imageinspect.errors import AmbiguousImage, ArchiveError
from imageinspect.sources.formats.entry import Entry
from imageinspect.sources.stored import DEFAULT_PLATFORM
from imageinspect.values.annotations import REF_NAME
from imageinspect.values.platform import Platform, PlatformMatcher
from imageinspect.values.reference import normalized_reference

__all__ = ["choose", "positions_named"]


def choose(entries: list[Entry], ref: str | None, platform: Platform | str | None, where: str) -> Entry:
    """The entry ``ref`` and ``platform`` choose (see
    :func:`~imageinspect.sources.image.open_image`); ``where`` locates the
    errors: none found, several found (:class:`~imageinspect.errors.AmbiguousImage`
    lists how to ask for each), none for the platform.

    >>> a = Entry("docker-archive", ("app:1",), "a.json", None, ())
    >>> b = Entry("docker-archive", ("app:2",), "b.json", None, ())
    >>> choose([a, b], "app:2", None, "x.tar").config_name, choose([a, b], "@0", None, "x.tar").config_name
    ('b.json', 'a.json')
    """
    candidates = entries if ref is None else _by_ref(entries, ref, where)
    if len(candidates) == 1:
        return candidates[0]
    with_platform = [e for e in candidates if e.platform is not None]
    if with_platform and len({e.config_digest for e in candidates}) > 1:
        target = Platform.parse(platform) if isinstance(platform, str) else platform or DEFAULT_PLATFORM
        matcher = PlatformMatcher(target)
        best = matcher.best([e.platform for e in with_platform if e.platform is not None])
        if best is not None:
            return next(e for e in with_platform if e.platform == best)
        offered = ", ".join(sorted({str(e.platform) for e in with_platform}))
        raise ArchiveError(f"no image for platform {target} in the archive (it has: {offered})", where)
    if not candidates:
        raise ArchiveError("the archive holds no image", where)
    if len({e.config_digest for e in candidates}) == 1:
        return candidates[0]
    raise _ambiguous(f"the archive holds {len(candidates)} images", entries, candidates, where)


def _ambiguous(summary: str, entries: list[Entry], candidates: list[Entry], where: str) -> AmbiguousImage:
    """The error for several ``candidates``, with how to ask for each: a tag
    that names only it, or its position."""
    tagged: dict[str, int] = {}
    for entry in candidates:
        for tag in set(entry.refs):
            tagged[tag] = tagged.get(tag, 0) + 1
    choices = tuple(
        next((tag for tag in entry.refs if tagged[tag] == 1), f"@{entries.index(entry)}") for entry in candidates
    )
    return AmbiguousImage(
        f"{summary}: choose one by tag, image ID or @index ({', '.join(choices)})", where, choices, summary
    )


def _by_ref(entries: list[Entry], ref: str, where: str) -> list[Entry]:
    """The entries ``ref`` names (see :func:`positions_named`; an OCI layout's
    short ``ref.name``, skopeo's ``oci:LAYOUT:latest``, counts as a tag)."""
    if ref.startswith("@") and ref[1:].isdigit() and int(ref[1:]) >= len(entries):
        raise ArchiveError(f"no image {ref}: the archive holds {len(entries)} (@0 to @{len(entries) - 1})", where)
    tags = [(*e.refs, *_ref_name(e)) for e in entries]
    by_tag = positions_named(ref, tags, [() for _ in entries])  # a tag may name several platforms
    found = [entries[i] for i in by_tag or positions_named(ref, tags, [_ids(e) for e in entries])]
    one_target = len({e.target.digest if e.target is not None else None for e in found}) == 1
    if not by_tag and len({e.config_digest for e in found}) > 1 and not (one_target and found[0].target is not None):
        # (an index's digest names each of its platforms' images: the
        # platform chooses, as a containerd store's image ID does)
        raise _ambiguous(f"{len(found)} images have IDs that start with {ref!r}", entries, found, where)
    if not found:
        known = sorted({r for e in entries for r in e.refs})
        raise ArchiveError(f"no image {ref!r} in the archive (it has: {', '.join(known) or 'no tags'})", where)
    return found


def positions_named(ref: str, tags: Sequence[Collection[str]], ids: Sequence[Collection[str]]) -> list[int]:
    """Which of several images ``ref`` names, as ``docker`` and ``--ref`` take
    it: ``@N`` (the N-th), else a tag (normalised: ``app`` is
    ``docker.io/library/app:latest``), else a full image ID, else a prefix of
    one (at least 4 hex digits, ``sha256:`` optional). ``tags[i]`` and
    ``ids[i]`` are image ``i``'s; IDs are written ``sha256:<hex>``.

    >>> tags, ids = [("app:1",), ("app:2",)], [{"sha256:ab12cd"}, {"sha256:ab34ef"}]
    >>> positions_named("@1", tags, ids), positions_named("app:2", tags, ids), positions_named("ab34", tags, ids)
    ([1], [1], [1])
    >>> positions_named("ab", tags, ids), positions_named("sha256:ab", tags, ids), positions_named("ab1", tags, ids)
    ([], [], [])
    """
    if ref.startswith("@") and ref[1:].isdigit():
        return [int(ref[1:])] if int(ref[1:]) < len(tags) else []
    wanted = normalized_reference(ref)
    found = [i for i, names in enumerate(tags) if ref in names or wanted in {normalized_reference(n) for n in names}]
    if found or not _SHORT_ID.fullmatch(ref):
        return found
    full = ref if ref.startswith("sha256:") else f"sha256:{ref}"
    exact = [i for i, known in enumerate(ids) if full in known]
    return exact or [i for i, known in enumerate(ids) if any(k.startswith(full) for k in known)]


def _ref_name(entry: Entry) -> tuple[str, ...]:
    name = None if entry.target is None else entry.target.annotation(REF_NAME)
    return () if name is None else (name,)


#: A short image ID as ``docker`` takes it: hex digits (at least 4 here, so that
#: a short tag-like word is not read as an ID), ``sha256:`` optional.
_SHORT_ID = re.compile(r"(?:sha256:)?[0-9a-f]{4,64}")


def _ids(entry: Entry) -> set[str]:
    found = {str(entry.config_digest)}
    if entry.manifest is not None:
        found.add(str(entry.manifest.digest))
    if entry.target is not None:
        found.add(str(entry.target.digest))
    return found
