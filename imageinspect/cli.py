"""The ``imageinspect`` command line (argparse only; the work is the library's).

Every command prints one clear line to stderr on bad input, with the location,
and exits with status 2; a failed check (``check``, ``verify``, ``diff`` with
differences) exits with 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any, BinaryIO

import orjson

from imageinspect.codec.diff import diff_json, first_difference
from imageinspect.codec.documents import parse
from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import decode_text, dumps, loads
from imageinspect.errors import ImageInspectError
from imageinspect.model.config import ImageConfig
from imageinspect.model.document import Document
from imageinspect.model.inspect import human_size
from imageinspect.model.layers import LayerChain
from imageinspect.model.manifest import ImageIndex, ImageManifest
from imageinspect.model.schema1 import Schema1Manifest
from imageinspect.sources.image import open_image

__all__ = ["build_parser", "describe", "main"]


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


def _print_summary(summary: dict[str, Any]) -> None:
    for key, item in summary.items():
        if isinstance(item, list):
            sys.stdout.write(f"{key}:\n")
            for entry in item:
                sys.stdout.write(f"  - {entry}\n")
        else:
            sys.stdout.write(f"{key}: {item}\n")


def _format(args: argparse.Namespace) -> Format:
    if getattr(args, "podman", None):
        return Format.podman(args.podman)
    return Format.docker(args.docker, api=args.api, store=args.store, printer=args.printer)


def _cmd_parse(args: argparse.Namespace) -> int:
    doc = parse(_read(args.file, sys.stdin.buffer), args.media_type, strict=args.strict)
    summary = describe(doc)
    if args.json:
        sys.stdout.buffer.write(orjson.dumps(summary, option=orjson.OPT_INDENT_2) + b"\n")
    else:
        _print_summary(summary)
    return 0


def _cmd_inspect(args: argparse.Namespace) -> int:
    fmt = _format(args)
    with open_image(args.path, ref=args.ref, platform=args.platform) as image:
        result = image.inspect(fmt, storage_driver=args.storage_driver if fmt.kind == "docker" else None)
    sys.stdout.buffer.write(dumps([result], fmt))
    return 0


def _table(rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        sys.stdout.write("   ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() + "\n")


def _short(text: str, keep: int, full: bool) -> str:
    if full or len(text) <= keep:
        return text
    return text[: keep - 1] + "…"


def _cmd_history(args: argparse.Namespace) -> int:
    with open_image(args.path, ref=args.ref, platform=args.platform) as image:
        rows = image.history(storage_driver=args.storage_driver)
    table = [["IMAGE", "CREATED", "CREATED BY", "SIZE", "COMMENT"]]
    for row in rows:
        ident = row.id if row.id == "<missing>" or args.no_trunc else row.id.partition(":")[2][:12]
        table.append(
            [ident, row.created or "-", _short(row.created_by, 45, args.no_trunc), human_size(row.size), row.comment]
        )
    _table(table)
    return 0


def _cmd_layers(args: argparse.Namespace) -> int:
    with open_image(args.path, ref=args.ref, platform=args.platform) as image:
        table = [["#", "DIFF ID", "CHAIN ID", "BLOB", "SIZE", "CREATED BY"]]
        for layer in image.layers.layers:
            width = 71 if args.no_trunc else 19
            blob = image.layer_names[layer.index] if layer.index < len(image.layer_names) else "-"
            size = image.layer_size(layer.index) if layer.index < len(image.layer_names) else 0
            table.append(
                [
                    str(layer.index),
                    _short(str(layer.diff_id or "-"), width, args.no_trunc),
                    _short(str(layer.chain_id or "-"), width, args.no_trunc),
                    _short(blob, 40, args.no_trunc),
                    human_size(size),
                    _short(layer.history.created_by if layer.history else "", 40, args.no_trunc),
                ]
            )
        problems = image.layers.problems
    _table(table)
    for problem in problems:
        sys.stderr.write(f"imageinspect: {problem.location}: {problem.message}\n")
    return 0


def _as_document(path: str) -> Any:
    """An archive, a layout or an inspect output, as one JSON inspect object."""
    import os

    if os.path.isdir(path) or not _looks_like_json(path):
        with open_image(path) as image:
            return orjson.loads(dumps([image.inspect()], Format.docker(printer="json")))[0]
    out = loads(_read(path, sys.stdin.buffer))
    if len(out) != 1:
        raise ImageInspectError(f"expected one image, the file has {len(out)}", path)
    return orjson.loads(dumps([out[0]], Format.docker(printer="json") if out.format.kind == "docker" else out.format))[
        0
    ]


def _looks_like_json(path: str) -> bool:
    with open(path, "rb") as handle:
        head = handle.read(64).lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n\x00")
    return head[:1] in (b"[", b"{")


_SECTIONS = (
    ("config", "$.Config"),
    ("env", "$.Config.Env"),
    ("labels", "$.Config.Labels"),
    ("ports", "$.Config.ExposedPorts"),
    ("layers", "$.RootFS"),
)


def _cmd_diff(args: argparse.Namespace) -> int:
    a, b = _as_document(args.a), _as_document(args.b)
    ignore = ["$.GraphDriver", "$.Metadata.LastTagTime", *args.ignore]
    differences = diff_json(a, b, ignore=ignore)
    for line in differences:
        sys.stdout.write(line + "\n")
    if not differences:
        sys.stdout.write("no differences\n")
    return 1 if differences else 0


def _json_values(data: bytes) -> Any:
    """The JSON value of inspect output; ``{{json .}}`` output (one object
    per line) as the list of its lines' values."""
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError:
        return [orjson.loads(line) for line in data.splitlines() if line.strip()]


def _cmd_check(args: argparse.Namespace) -> int:
    raw = _read(args.file, sys.stdin.buffer)
    out = loads(raw)
    again = dumps(list(out), out.format)  # the writer, not the bytes out was read from
    source = decode_text(raw)  # what loads read: UTF-8, BOM and CRLF of UTF-16 undone
    note = "" if source == raw else " (of the text decoded from its byte order mark)"
    if again == source:
        sys.stdout.write(
            f"ok: {len(out)} image(s), {out.format.kind} {out.format.printer} output, exact round trip{note}\n"
        )
        return 0
    offset = first_difference(again, source)
    differences = diff_json(_json_values(again), _json_values(source))
    where = differences[0].split(":", 1)[0] if differences else "$ (whitespace or escaping only)"
    sys.stdout.write(f"differs at byte {offset}, {where}\n")
    return 1


def _cmd_verify(args: argparse.Namespace) -> int:
    show = sys.stderr.isatty() and not args.quiet

    def progress(done: int, total: int) -> None:
        if show:
            filled = int(30 * done / max(total, 1))
            sys.stderr.write(f"\rverifying [{'#' * filled}{'.' * (30 - filled)}] {done}/{total} blobs")
            if done == total:
                sys.stderr.write("\n")

    with open_image(args.path, ref=args.ref, platform=args.platform) as image:
        report = image.verify(progress)
    for mismatch in report.mismatches:
        sys.stdout.write(f"{mismatch}\n")
    if report.ok:
        sys.stdout.write(f"ok: {report.blobs} blobs, {report.bytes_read} bytes verified\n")
        return 0
    return 1


def _image_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("path", help="a docker save tarball, an OCI layout (directory or tar), or a dir: layout")
    command.add_argument("--ref", help="which image of an archive holding several (a tag or config digest)")
    command.add_argument("--platform", help="which platform of a multi-platform layout (default linux/amd64)")


def _storage(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--storage-driver", default="overlay2", choices=["overlay2", "vfs"], help="the Size rule (default overlay2)"
    )


_EXAMPLES = {
    "inspect": """examples:
  imageinspect inspect examples/hello.tar
  imageinspect inspect image.tar --docker 29.1 --api 1.52 --store containerd
  imageinspect inspect layout/ --platform linux/arm64 --podman 4.3
  imageinspect inspect image.tar --printer api > body.json
""",
    "parse": """examples:
  imageinspect parse examples/config.json
  imageinspect parse --json examples/manifest-list.json
  imageinspect parse --media-type application/vnd.oci.image.index.v1+json - < index.json
""",
    "history": "examples:\n  imageinspect history examples/hello.tar\n  imageinspect history --no-trunc image.tar\n",
    "layers": "examples:\n  imageinspect layers examples/hello.tar\n  imageinspect layers --no-trunc layout/\n",
    "diff": """examples:
  imageinspect diff old.tar new.tar
  imageinspect diff image.tar inspect.json --ignore '$.RepoTags'
""",
    "check": "examples:\n  docker image inspect nginx > out.json && imageinspect check out.json\n",
    "verify": "examples:\n  imageinspect verify examples/hello.tar\n  imageinspect verify --ref app:1 images.tar\n",
}


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``imageinspect`` command.

    >>> build_parser().parse_args(["inspect", "x.tar", "--docker", "20.10"]).docker
    '20.10'
    """
    parser = argparse.ArgumentParser(prog="imageinspect", description="Read container image metadata without a daemon.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(name: str, help_text: str) -> argparse.ArgumentParser:
        return commands.add_parser(
            name,
            help=help_text,
            description=help_text[0].upper() + help_text[1:] + ".",
            epilog=_EXAMPLES[name],
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )

    p = command("inspect", "print what docker or podman image inspect shows for an archive or layout")
    _image_options(p)
    who = p.add_mutually_exclusive_group()
    who.add_argument("--docker", metavar="VERSION", help="render as this Docker daemon release (default: newest)")
    who.add_argument("--podman", metavar="VERSION", help="render as podman VERSION after podman load")
    p.add_argument("--api", help="negotiated Engine API version (default: the daemon's newest)")
    p.add_argument("--store", default="graphdriver", choices=["graphdriver", "containerd"])
    p.add_argument("--printer", default="cli", choices=["cli", "api", "json", "template"])
    _storage(p)
    p.set_defaults(run=_cmd_inspect)

    p = command("parse", "sniff, validate and describe a config, manifest, index or schema1 manifest")
    p.add_argument("file", help="the document, or - to read stdin")
    p.add_argument("--media-type", help="the media type the document was served with")
    p.add_argument("--strict", action="store_true", help="refuse unknown fields")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.set_defaults(run=_cmd_parse)

    p = command("history", "show an image's history like docker history")
    _image_options(p)
    _storage(p)
    p.add_argument("--no-trunc", action="store_true", help="do not shorten IDs and commands")
    p.set_defaults(run=_cmd_history)

    p = command("layers", "list layers: diff ID, chain ID, blob, size, created by")
    _image_options(p)
    p.add_argument("--no-trunc", action="store_true", help="do not shorten digests")
    p.set_defaults(run=_cmd_layers)

    p = command("diff", "show the differences between two images or inspect documents")
    p.add_argument("a", help="an archive, layout, or inspect output (one image)")
    p.add_argument("b", help="the same kinds")
    p.add_argument("--ignore", action="append", default=[], metavar="PATH", help="JSON path to ignore ($.RepoTags)")
    p.set_defaults(run=_cmd_diff)

    p = command("check", "confirm that an inspect output round-trips exactly")
    p.add_argument("file", help="docker/podman inspect output, or - for stdin")
    p.set_defaults(run=_cmd_check)

    p = command("verify", "check every digest, size and diff ID of an archive or layout")
    _image_options(p)
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_cmd_verify)
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
        where = getattr(args, "file", None) or getattr(args, "path", None) or "-"
        location = str(err) if err.location.startswith(str(where)) else f"{where}: {err}"
        sys.stderr.write(f"imageinspect: {location}\n")
        return 2
    except OSError as err:
        sys.stderr.write(f"imageinspect: {err.filename or ''}: {err.strerror}\n")
        return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
