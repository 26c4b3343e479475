"""Bounds that keep hostile archives from exhausting the machine."""

from __future__ import annotations

import attrs

__all__ = ["Limits"]


@attrs.frozen
class Limits:
    """Bounds on what reading an archive may cost.

    >>> Limits().max_metadata_size, Limits().max_layer_entries
    (16777216, 1000000)
    """

    #: Largest JSON member read into memory (configs, manifests, indexes).
    max_metadata_size: int = 16 * 1024 * 1024
    #: Most members an archive may have.
    max_members: int = 1_000_000
    #: Largest size a decompressed stream may reach, in bytes (a compressed
    #: archive is decompressed once, into a temporary file of at most that
    #: size).
    max_decompressed_size: int = 64 << 30
    #: Largest ratio of decompressed to compressed bytes, checked once the
    #: output passes ``ratio_from`` bytes.
    max_ratio: int = 1000
    #: Output below this is never called a bomb: archives of many empty
    #: layers legitimately compress far beyond 1000:1 (10,000 empty layers:
    #: 100 MB of near-zeros in a few kilobytes of xz).
    ratio_from: int = 256 << 20
    #: Most link hops followed to resolve one member.
    max_link_hops: int = 16
    #: Most entries one layer tar may have.
    max_layer_entries: int = 1_000_000
    #: Largest PAX header (``x`` or ``g``), GNU long name or link (``L``,
    #: ``K``) and sparse map, in bytes, refused before it is read. 128 KiB
    #: holds a PATH_MAX path and link target and one Linux extended attribute
    #: of the largest size (64 KiB); Go's reader allows 1 MiB.
    max_extended_header: int = 128 << 10
    #: Most extended headers (``x``, ``L``, ``K``) before one member's own
    #: header: writers put at most three there (GNU ``K`` and ``L``, and a PAX
    #: ``x``); with one spare, one member's headers stay within 4 x
    #: ``max_extended_header`` bytes of memory.
    max_extended_chain: int = 4
    #: Most entries one sparse member's map may have (as many as a
    #: ``max_extended_header`` map can hold), checked against the count a map
    #: declares before it is read.
    max_sparse_entries: int = 1 << 15
    #: Most manifests and indexes an OCI layout's index tree may list, in all.
    max_descriptors: int = 100_000
