"""Tiny value types: digests, timestamps, platforms, references, media types, JSON text styles."""

from imageinspect.values.digest import Digest, Digester
from imageinspect.values.mediatype import MediaType
from imageinspect.values.platform import Platform, PlatformMatcher
from imageinspect.values.reference import Reference
from imageinspect.values.style import Style, detect_style
from imageinspect.values.timestamp import Timestamp

__all__ = [
    "Digest",
    "Digester",
    "MediaType",
    "Platform",
    "PlatformMatcher",
    "Reference",
    "Style",
    "Timestamp",
    "detect_style",
]
