"""The ``imageinspect`` command line (argparse only; the work is the library's).

Every command prints one clear line to stderr on bad input, with the location,
and exits with status 2; a failed check exits with 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO

import orjson

from imageinspect.codec.documents import parse
from imageinspect.errors import ImageInspectError
from imageinspect.model.config import ImageConfig
from imageinspect.model.document import Document
from imageinspect.model.layers import LayerChain
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import Schema1Manifest

__all__ = ["main"]

_PARSE_EXAMPLES = """\
examples:
  imageinspect parse examples/config.json
  imageinspect parse --json examples/manifest-list.json
  curl -s ... | imageinspect parse -
"""


def _read(path: str, stdin: BinaryIO) -> bytes:
    if path == "-":
        return stdin.read()
    with open(path, "rb") as handle:
        return handle.read()


def describe(doc: Document[Any]) -> dict[str, Any]:
    """A JSON-ready summary of a parsed document.

    >>> from imageinspect import parse
    >>> describe(parse(b'{"schemaVersion":2,"manifests":[]}'))["kind"]
    'index'
    """
    value = doc.value
    summary: dict[str, Any] = {
        "kind": {ImageConfig: "config", ImageManifest: "manifest", ImageIndex: "index"}.get(type(value), "schema1"),
        "mediaType": str(doc.media_type),
        "digest": str(doc.digest),
        "size": doc.size,
    }
    if isinstance(value, ImageConfig):
        chain = LayerChain.build(value)
        summary["platform"] = str(value.platform) if value.os or value.architecture else None
        summary["created"] = None if value.created is None else str(value.created)
        summary["layers"] = len(value.diff_ids)
        summary["chainId"] = chain.chain_id
        summary["history"] = len(value.history or ())
        summary["problems"] = [f"{p.location}: {p.message}" for p in chain.problems]
    elif isinstance(value, ImageManifest):
        summary["config"] = str(value.config.digest)
        summary["layers"] = len(value.layers or ())
        summary["layerBytes"] = sum(layer.size for layer in value.layers or ())
        if value.artifact_type:
            summary["artifactType"] = str(value.artifact_type)
        if value.subject is not None:
            summary["subject"] = str(value.subject.digest)
    elif isinstance(value, ImageIndex):
        summary["manifests"] = [
            {
                "digest": str(entry.digest),
                "platform": None if entry.platform is None else str(entry.platform),
                "attestation": entry.platform is not None and entry.platform.is_attestation,
            }
            for entry in value.manifests or ()
        ]
    elif isinstance(value, Schema1Manifest):
        summary["name"] = value.name
        summary["tag"] = value.tag
        summary["signed"] = value.is_signed
        summary["layers"] = len(value.fs_layers)
    return summary


def _print_summary(summary: dict[str, Any], out: Any) -> None:
    for key, item in summary.items():
        if isinstance(item, list):
            out.write(f"{key}:\n")
            for entry in item:
                out.write(f"  - {entry}\n")
        else:
            out.write(f"{key}: {item}\n")


def _cmd_parse(args: argparse.Namespace) -> int:
    raw = _read(args.file, sys.stdin.buffer)
    doc = parse(raw, args.media_type, strict=args.strict)
    summary = describe(doc)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        _print_summary(summary, sys.stdout)
    return 0


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``imageinspect`` command."""
    parser = argparse.ArgumentParser(
        prog="imageinspect",
        description="Read container image metadata without a daemon.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    p_parse = commands.add_parser(
        "parse",
        help="sniff, validate and describe an image config, manifest, index or schema1 manifest",
        description="Sniff, validate and describe one image document (file, or - for stdin).",
        epilog=_PARSE_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p_parse.add_argument("file", help="the document, or - to read stdin")
    p_parse.add_argument("--media-type", help="the media type the document was served with")
    p_parse.add_argument("--strict", action="store_true", help="refuse unknown fields")
    p_parse.add_argument("--json", action="store_true", help="print the summary as JSON")
    p_parse.set_defaults(run=_cmd_parse)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status.

    >>> main(["parse", "examples/config.json"])  # doctest: +ELLIPSIS
    kind: config
    ...
    0
    """
    args = build_parser().parse_args(argv)
    try:
        status: int = args.run(args)
        return status
    except ImageInspectError as err:
        where = getattr(args, "file", "-")
        sys.stderr.write(f"imageinspect: {where}: {err}\n")
        return 2
    except OSError as err:
        sys.stderr.write(f"imageinspect: {err.filename or ''}: {err.strerror}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
