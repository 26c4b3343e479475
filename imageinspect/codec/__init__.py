"""JSON <-> model: the converter setup, the Go-JSON writer, shapes and sniffing.

Importing this package installs the document encoder used by ``to_json()``.
"""

from imageinspect.codec import documents as _documents  # noqa: F401  (installs the encoder)

__all__: list[str] = []
