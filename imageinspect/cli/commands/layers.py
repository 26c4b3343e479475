"""``imageinspect layers``: an image's layers."""

from __future__ import annotations

import argparse
import sys

from imageinspect.model.inspect import human_size
from imageinspect.sources.views.loadable import check_loadable

from ..history import ellipsis, tabwriter
from .base import Command
from .shared import Streams, daemon_arguments, image_arguments, load_format, open_archive

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The image, --docker/--store and --no-trunc."""
    image_arguments(command)
    daemon_arguments(command)
    command.add_argument("--no-trunc", action="store_true", help="do not shorten digests")


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print a table of the layers; what is wrong with them as warnings."""
    with open_archive(args, streams) as image:
        check_loadable(image, load_format(args))
        table = [["#", "DIFF ID", "CHAIN ID", "BLOB", "SIZE", "CREATED BY"]]

        def cut(text: str, width: int) -> str:
            return text if args.no_trunc else ellipsis(text, width)

        for layer in image.layers:
            held = layer.index < len(image.layer_names)
            table.append(
                [
                    str(layer.index),
                    cut(str(layer.diff_id or "-"), 19),
                    cut(str(layer.chain_id or "-"), 19),
                    cut(image.layer_names[layer.index], 40) if held else "-",
                    human_size(image.layer_size(layer.index) if held else 0),
                    cut(layer.history.created_by if layer.history else "", 40),
                ]
            )
        problems = image.layers.problems
    streams.write(tabwriter(table))
    for problem in problems:
        sys.stderr.write(f"imageinspect: warning: {problem.location}: {problem.message}\n")
    return 0


COMMAND = Command(
    name="layers",
    help="list layers: diff ID, chain ID, blob, size, created by",
    examples="examples:\n  imageinspect layers examples/hello.tar\n  imageinspect layers --no-trunc layout/\n",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
