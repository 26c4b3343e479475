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
    #: Largest PAX or GNU long-name header, checked before Python's tarfile
    #: parses it (its PAX parser is quadratic before 3.11.10, CVE-2024-6232).
    max_extended_header: int = 1 << 20
    #: Most manifests and indexes an OCI layout's index tree may list, in all.
    max_descriptors: int = 100_000
