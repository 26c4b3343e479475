"""``imageinspect digest``: the digest a registry would show for an image
(its manifest's, or with ``--index`` its index's), or its config's (as
``crane digest`` prints one)."""

from __future__ import annotations

import argparse

import orjson

from imageinspect.sources.views.containerd import containerd_target

from .base import Command
from .shared import Streams, image_arguments, open_archive, stored_index, stored_manifest

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image, and which digest: --index, --config or --format json (all)."""
    image_arguments(command)
    which = command.add_mutually_exclusive_group()
    which.add_argument(
        "--index", action="store_true", help="the index or manifest list's digest (what a multi-platform pull names)"
    )
    which.add_argument("--config", action="store_true", help="the config's digest (Docker's graphdriver image ID)")
    which.add_argument("--format", choices=["json"], help="json: every digest, with the containerd store's image ID")


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print one digest (or every one as JSON)."""
    with open_archive(args, streams) as image:
        manifest = None if image.manifest is None else str(image.manifest.digest)
        index = None if image.index is None else str(image.index.digest)
        config = str(image.config_document.digest)
        if args.format == "json":
            record = {
                "Manifest": manifest,
                "Index": index,
                "Config": config,
                "ContainerdID": str(containerd_target(image)[0].digest),
            }
            streams.write(orjson.dumps(record).decode() + "\n")
            return 0
        if args.config:
            streams.write(config + "\n")
            return 0
        chosen = stored_index(image) if args.index else stored_manifest(image)
        streams.write(f"{chosen.digest}\n")
    return 0


COMMAND = Command(
    name="digest",
    help="print the digest a registry would show for an image (--index, --config: others)",
    examples="""examples:
  imageinspect digest layout/ --platform linux/arm64
  imageinspect digest --format json image.tar
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
