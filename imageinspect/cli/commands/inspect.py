"""``imageinspect inspect``: what docker or podman image inspect shows."""

from __future__ import annotations

import argparse
from typing import Any

import orjson

from imageinspect.codec.formats import Format
from imageinspect.codec.inspect import dumps
from imageinspect.codec.rules import NEWEST_DOCKER
from imageinspect.gotemplate import Template
from imageinspect.model.inspect import ImageInspect
from imageinspect.model.podman import PodmanImageInspect

from ..govalues import docker_functions, docker_go, docker_values, podman_template, podman_value
from .base import Command
from .shared import (
    OptionError,
    Streams,
    about,
    each_archive,
    image_arguments,
    open_archive,
    option,
    progress_line,
    quiet_argument,
)

__all__ = ["COMMAND"]


def add_arguments(command: argparse.ArgumentParser) -> None:
    """The images, the daemon to render as, -f, what only the host knows, and -q."""
    image_arguments(command, several=True)
    who = command.add_mutually_exclusive_group()
    who.add_argument(
        "--docker",
        metavar="VERSION",
        help=f"render as this Docker daemon release, e.g. 26.1.5+dfsg1 (default: {NEWEST_DOCKER}, the newest observed)",
    )
    who.add_argument("--podman", metavar="VERSION", help="render as podman VERSION after podman load")
    command.add_argument("--api", help="negotiated Engine API version (default: the daemon's newest)")
    command.add_argument(
        "--store",
        choices=["graphdriver", "containerd"],
        help="Docker's image store (default: a fresh install's: containerd from 29.0, graphdriver before)",
    )
    command.add_argument("--printer", default="cli", choices=["cli", "api", "json", "template"])
    command.add_argument(
        "-f", "--format", metavar="TEMPLATE", help="a Go template, as docker inspect -f '{{.Config.Env}}'"
    )
    host = command.add_argument_group("what only the host knows")
    host.add_argument("--name", help="the name the inspect request used (the containerd store's Descriptor)")
    host.add_argument("--last-tag-time", metavar="TIME", help="Metadata.LastTagTime, RFC 3339 (default: zero)")
    host.add_argument(
        "--graph-driver", metavar="JSON", help='GraphDriver as JSON, e.g. {"Name":"overlay2","Data":{...}}'
    )
    host.add_argument("--parent", default="", help="podman's Parent (from the other images in its store)")
    command.add_argument(
        "--storage-driver",
        choices=["overlay2", "vfs", "overlay"],
        help="the storage driver: Docker's Size rule (overlay2 counts symlinks, vfs not; default overlay2),"
        " podman's GraphDriver name (default overlay)",
    )
    quiet_argument(command)


def _format(args: argparse.Namespace) -> Format:
    if args.podman:
        if args.store or args.api or args.printer != "cli":
            which = "--store" if args.store else "--api" if args.api else "--printer"
            raise OptionError(f"podman has no {which[2:]}: {which} goes with --docker", which)
        return option("--podman", lambda: Format.podman(args.podman))
    if args.docker:
        option("--docker", lambda: Format.docker(args.docker))
    return option(
        "--api" if args.api else "--store" if args.store else "--docker",
        lambda: Format.docker(args.docker, api=args.api, store=args.store, printer=args.printer),
    )


def _host_facts(args: argparse.Namespace, fmt: Format) -> dict[str, Any]:
    """What only the host knows, from the options that say it."""
    from imageinspect.codec.read import structure
    from imageinspect.model.inspect import GraphDriver
    from imageinspect.values.timestamp import Timestamp

    facts: dict[str, Any] = {}
    if args.storage_driver:
        if fmt.kind == "docker" and args.storage_driver == "overlay":
            raise OptionError("Docker's drivers are overlay2 and vfs (overlay is podman's)", "--storage-driver")
        if fmt.kind == "podman" and args.storage_driver == "overlay2":
            raise OptionError("podman's drivers are overlay and vfs (overlay2 is Docker's)", "--storage-driver")
        facts["storage_driver"] = args.storage_driver
    if args.graph_driver:
        try:
            value = orjson.loads(args.graph_driver)
        except orjson.JSONDecodeError as err:
            raise OptionError(f"not JSON: {err}", "--graph-driver") from None
        facts["graph_driver"] = option("--graph-driver", lambda: structure(value, GraphDriver))
    if fmt.kind == "podman":
        if args.name or args.last_tag_time:
            raise OptionError(
                "podman shows no Descriptor nor LastTagTime", "--name" if args.name else "--last-tag-time"
            )
        facts["parent"] = args.parent
        return facts
    if args.parent:
        raise OptionError("Docker's Parent comes from the archive; --parent is podman's", "--parent")
    if args.name:
        facts["name"] = args.name
    if args.last_tag_time:
        facts["last_tag_time"] = option("--last-tag-time", lambda: Timestamp.parse(args.last_tag_time))
    return facts


def run(args: argparse.Namespace, streams: Streams) -> int:
    """Print the inspect output of every image (one array), or what the ``-f``
    template makes of each (a line each)."""
    fmt = _format(args)
    source = podman_template(args.format) if args.format and fmt.kind == "podman" else args.format
    template = Template.parse(source, go=docker_go(fmt)) if source else None  # docker: an empty -f is no -f
    facts = _host_facts(args, fmt)
    results = []
    for one in each_archive(args):  # all or nothing: a failing archive writes no output
        progress = progress_line(one, streams)
        try:
            with about(one.path), open_archive(one, streams, progress) as image:
                results.append(image.inspect(fmt, **facts))
        finally:
            progress.close()
    if template is None:
        streams.write_bytes(dumps(results, fmt))  # several: one array, as docker image inspect a b prints
        return 0
    streams.write("".join(_template_text(template, result, fmt) + "\n" for result in results))
    return 0


def _template_text(template: Template, result: ImageInspect | PodmanImageInspect, fmt: Format) -> str:
    """What the template makes of the image: for Docker, run on the CLI's
    typed value and, where that fails, on the daemon's JSON; for podman, on
    its ``ImageData``."""
    if isinstance(result, PodmanImageInspect):
        return template.execute(podman_value(result, fmt))
    return template.inspect(*docker_values(result, fmt), functions=docker_functions(fmt))


COMMAND = Command(
    name="inspect",
    help="print what docker or podman image inspect shows for an archive or layout",
    examples="""examples:
  imageinspect inspect examples/hello.tar
  imageinspect inspect old.tar new.tar            # one JSON array, as docker image inspect a b
  imageinspect inspect -f '{{.Config.Env}}' examples/hello.tar
  imageinspect inspect -f '{{range $k, $v := .Config.Labels}}{{$k}}={{$v}}{{println}}{{end}}' image.tar
  docker save app:1 | imageinspect inspect -
  imageinspect inspect images.tar:app:1 --docker 28.5 --store containerd
  imageinspect inspect layout/ --platform linux/arm64 --podman 5.4
  imageinspect inspect image.tar --printer api > body.json
""",
    add_arguments=add_arguments,
    run=run,
    takes="image archive",
)
