"""The one error every stage raises."""

from __future__ import annotations

from imageinspect.errors import ImageInspectError

__all__ = ["TemplateError", "error"]


class TemplateError(ImageInspectError):
    """A ``--format`` template that cannot be parsed or executed; the message
    names the JSON path or the offset in the template. An execution error
    also says what the Go program says (``go``: ``template: :1:9: executing
    "" at <.Config.Nope>: map has no entry for key "Nope"``).

    >>> TemplateError("offset 3: unclosed action").go is None
    True
    """

    def __init__(self, message: str, location: str = "--format", go: str | None = None) -> None:
        super().__init__(message, location)
        self.go = go
        #: An execution stopped by imageinspect's own bound, not Go's error:
        #: :meth:`~imageinspect.gotemplate.Template.inspect` does not run it
        #: again on the daemon's JSON.
        self.final = False


def error(message: str) -> TemplateError:
    """A :class:`TemplateError` about the ``--format`` option.

    >>> str(error("offset 3: unclosed action"))
    '--format: offset 3: unclosed action'
    """
    return TemplateError(message, "--format")
