"""The one error every stage raises."""

from __future__ import annotations

from imageinspect.errors import ImageInspectError

__all__ = ["TemplateError", "error"]


class TemplateError(ImageInspectError):
    """A ``--format`` template that cannot be parsed or executed; the message
    names the JSON path or the offset in the template."""


def error(message: str) -> TemplateError:
    """A :class:`TemplateError` about the ``--format`` option.

    >>> str(error("offset 3: unclosed action"))
    '--format: offset 3: unclosed action'
    """
    return TemplateError(message, "--format")
