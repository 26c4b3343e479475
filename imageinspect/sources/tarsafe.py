"""Reading archives safely, in three jobs: :mod:`~imageinspect.sources.limits`
(the bounds), :mod:`~imageinspect.sources.compression` (decompressing within
them) and :mod:`~imageinspect.sources.tarindex` (a tar's members by name).
This module keeps the names older code imports.

>>> Limits().max_ratio
1000
"""

from __future__ import annotations

from .compression import bounded_decompressor, compression_of, decompressor, stream_compression
from .limits import Limits
from .tarindex import Member, TarIndex, normalize_member_name

__all__ = [
    "Limits",
    "Member",
    "TarIndex",
    "bounded_decompressor",
    "compression_of",
    "decompressor",
    "normalize_member_name",
    "stream_compression",
]
