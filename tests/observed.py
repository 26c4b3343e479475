"""The observed corpus: what real Docker 26.1 / 28.5 (vfs, overlay2, containerd
store) and podman 5.4 / 5.8 / 6.1 printed after loading our archives
(tests/data/golden/observed, made by scripts/golden/newer-daemons.sh), and the
four comparisons the tests and scripts/golden/compare_observed.py make:

round trip   every printed view: ``dumps(loads(b)) == b``
render       every view rendered from ONE model per image (the newest API body,
             with the fields only older APIs show taken from the oldest body),
             by the Format that names the daemon, API and printer
archive      ``open_image(archive).inspect(Format...)`` equals the view
             (host-only fields -- GraphDriver.Data, LastTagTime -- passed in)
podman       ``open_image(archive).inspect(Format.podman(...))`` equals podman's
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal, cast

import attrs

from imageinspect import Format, dumps, loads
from imageinspect.codec.formats import Printer
from imageinspect.model.inspect import ImageInspect
from tests.conftest import DATA, REPO

#: The corpus; IMAGEINSPECT_OBSERVED names another copy (a capture being
#: checked before it is committed).
OBSERVED = Path(os.environ.get("IMAGEINSPECT_OBSERVED") or DATA / "golden" / "observed")
_API_VIEW = re.compile(r"api-v(1\.\d+)\.json")


@cache
def server(daemon: str) -> tuple[str, str]:
    """The daemon's exact version and the Go release it was built with, as
    its own TOOLS.txt (``docker version`` / ``podman version``) says."""
    tools = index()["daemons"][daemon]["tools"]
    part = tools.split("Server:", 1)[-1]
    version = re.search(r"^\s*Version:\s*(\S+)", part, re.MULTILINE)
    go = re.search(r"Go [Vv]ersion:\s*go(\d+\.\d+)", part)
    assert version is not None, f"{daemon}: no version in TOOLS.txt"
    assert go is not None, f"{daemon}: no Go version in TOOLS.txt"
    return version[1], go[1]


@cache
def index() -> dict[str, Any]:
    path = OBSERVED / "index.json"
    return json.loads(path.read_text()) if path.exists() else {"sources": {}, "daemons": {}}


def blob(hex_: str) -> bytes:
    return (OBSERVED / "blobs" / hex_).read_bytes()


@dataclass(frozen=True)
class View:
    """One printed output: daemon, case, image, file name, and its bytes."""

    daemon: str
    case: str
    image: str
    name: str
    blob: str

    @property
    def id(self) -> str:
        return f"{self.daemon}/{self.case}/{self.image}/{self.name}"

    @property
    def data(self) -> bytes:
        return blob(self.blob)

    @property
    def kind(self) -> str:
        return self.daemon.split("-")[0]

    @property
    def release(self) -> str:
        return self.daemon.split("-")[1]

    @property
    def store(self) -> str:
        return "containerd" if self.daemon.endswith("-containerd") else "graphdriver"

    @property
    def ref(self) -> str:
        """The name (or ID) the CLI views were asked for."""
        files = index()["daemons"][self.daemon]["cases"][self.case]["images"][self.image]
        return blob(files["ref.txt"]).decode().strip() if "ref.txt" in files else ""

    @property
    def driver(self) -> str:
        return self.daemon.split("-")[2] if self.kind == "docker" else "vfs"

    def format(self) -> Format:
        """The Format that names what printed this view: the daemon's exact
        version (as it prints it) and its Go toolchain."""
        if self.kind == "podman":
            return Format.podman(self.release)
        version, go = server(self.daemon)
        store: Literal["graphdriver", "containerd"] = "containerd" if self.store == "containerd" else "graphdriver"
        match = _API_VIEW.fullmatch(self.name)
        if match:
            return Format.docker(version, api=match[1], store=store, printer="api", go=go)
        printer = {"cli.json": "cli", "cli-json.json": "json", "cli-template.jsonl": "template"}[self.name]
        return Format.docker(version, store=store, printer=cast(Printer, printer), go=go)


_INSPECT_VIEWS = re.compile(r"cli\.json|cli-json\.json|cli-template\.jsonl|api-v1\.\d+\.json|podman\.json")


def views() -> Iterator[View]:
    """Every inspect output a daemon printed successfully (not refusals)."""
    for daemon, entry in sorted(index()["daemons"].items()):
        for case, found in sorted(entry["cases"].items()):
            for image, files in sorted(found["images"].items()):
                for name, file in sorted(files.items()):
                    if _INSPECT_VIEWS.fullmatch(name) and isinstance(file, str):
                        yield View(daemon, case, image, name, file)


def refusals() -> Iterator[tuple[View, dict[str, Any]]]:
    """Views the daemon refused (HTTP status not 200, or an exit code)."""
    for daemon, entry in sorted(index()["daemons"].items()):
        for case, found in sorted(entry["cases"].items()):
            for image, files in sorted(found["images"].items()):
                for name, file in sorted(files.items()):
                    if _INSPECT_VIEWS.fullmatch(name) and isinstance(file, dict) and "blob" in file:
                        yield View(daemon, case, image, name, file["blob"]), file


@cache
def _views_by_image() -> dict[tuple[str, str, str], list[View]]:
    found: dict[tuple[str, str, str], list[View]] = {}
    for view in views():
        found.setdefault((view.daemon, view.case, view.image), []).append(view)
    return found


def image_views(daemon: str, case: str, image: str) -> list[View]:
    return _views_by_image().get((daemon, case, image), [])


def _api(view: View) -> tuple[int, int]:
    match = _API_VIEW.fullmatch(view.name)
    assert match is not None
    major, minor = match[1].split(".")
    return int(major), int(minor)


@cache
def independent_model(daemon: str, case: str, image: str) -> Any:
    """One model for an image: the newest API body, with what only the oldest
    body shows (Container, ContainerConfig, VirtualSize, DockerVersion, ...)
    filled in from it; podman: its one output."""
    found = image_views(daemon, case, image)
    api = sorted((v for v in found if _API_VIEW.fullmatch(v.name)), key=_api)
    if not api:
        podman = [v for v in found if v.name == "podman.json"]
        return loads(podman[0].data)[0] if podman else None
    newest = loads(api[-1].data)[0]
    oldest = loads(api[0].data)[0]
    assert isinstance(newest, ImageInspect)
    assert isinstance(oldest, ImageInspect)
    changes = {}
    for field in ("container", "container_config", "virtual_size", "docker_version", "parent", "graph_driver"):
        if getattr(newest, field) in (None, "") and getattr(oldest, field) not in (None, ""):
            changes[field] = getattr(oldest, field)
    if (
        oldest.config is not None
        and newest.config is not None
        and oldest.config.oci_subset(empty_as_null=False) != newest.config.oci_subset(empty_as_null=False)
    ):
        # an empty list that the image-config type leaves out (28.2) shows
        # in the older API's container.Config
        changes["config"] = oldest.config
    return attrs.evolve(newest, **changes)


def source(case: str, daemon: str = "") -> Path | None:
    """The archive or layout a case loads, if it is here (``case@daemon``:
    what one daemon loaded, its own save of an image it built)."""
    rel = index()["sources"].get(f"{case}@{daemon}") or index()["sources"].get(case)
    if rel is None:
        return None
    path = (REPO / rel).resolve()
    return path if path.exists() else None


def render(view: View) -> bytes:
    model = independent_model(view.daemon, view.case, view.image)
    return dumps([_as_requested(model, view)], view.format())


def _as_requested(model: Any, view: View) -> Any:
    """The containerd store annotates ``Descriptor`` with the record the
    request named: the model (from an engine view asked by ID) shows the
    first name; a CLI view asked by another name shows that one."""
    from imageinspect.model.frozen import FrozenMap
    from imageinspect.values.annotations import CONTAINERD_IMAGE_NAME as IMAGE_NAME
    from imageinspect.values.annotations import REF_NAME
    from imageinspect.values.reference import Reference

    descriptor = getattr(model, "descriptor", None)
    if descriptor is None or _API_VIEW.fullmatch(view.name) or view.ref.startswith("sha256:"):
        return model
    if set(descriptor.annotations or ()) != {IMAGE_NAME, REF_NAME}:
        return model  # an OCI index entry's own annotations: the same for every name
    ref = Reference.parse(view.ref).with_default_tag()
    annotations = FrozenMap({IMAGE_NAME: str(ref), REF_NAME: ref.tag or ""})
    return attrs.evolve(model, descriptor=attrs.evolve(descriptor, annotations=annotations))


def round_trip(view: View) -> bytes:
    """The view written back by the writer (``dumps(out)`` alone would hand
    back the bytes the output was read from)."""
    out = loads(view.data)
    return dumps(list(out), out.format, out.style)


def _host(actual: Any, view: View) -> dict[str, Any]:
    """What only the host knows, taken from the daemon's own output."""
    from imageinspect.model.podman import PodmanImageInspect

    if isinstance(actual, PodmanImageInspect):
        return {"graph_driver": actual.graph_driver, "parent": actual.parent}
    host: dict[str, Any]
    if view.store == "containerd":
        # the load time; the CLI asks by the name, the engine views by ID
        host = {"name": None if _API_VIEW.fullmatch(view.name) else view.ref}
    else:
        host = {"graph_driver": actual.graph_driver, "repo_digests": actual.repo_digests, "storage_driver": view.driver}
    if actual.metadata is not None:
        host["last_tag_time"] = actual.metadata.last_tag_time
    return host


@cache
def _model(path: Path, ref: str, daemon: str, base: Format, host: tuple[tuple[str, Any], ...]) -> Any:
    """The inspect model the library synthesizes for an image of an archive
    (it does not depend on the API version nor the printer: those are the
    writer's), made once for all the views of the image."""
    from imageinspect import open_image

    with open_image(path, ref=ref) as image:
        return image.inspect(base, **dict(host))


def _synthesized(view: View, path: Path) -> bytes:
    actual = loads(view.data)[0]
    ref = actual.id if actual.id.startswith("sha256:") else "sha256:" + actual.id
    fmt = view.format()
    base = fmt if fmt.kind == "podman" else attrs.evolve(fmt, api=None, printer="cli")
    model = _model(path, ref, view.daemon, base, tuple(sorted(_host(actual, view).items())))
    return dumps([model], fmt)


def synthesize(view: View) -> bytes | None:
    """The view as the library says the daemon shows the loaded archive, or
    None when the case has no archive here (a build, or ../shared absent)."""
    path = source(view.case, view.daemon)
    return None if path is None else _synthesized(view, path)


def saved_archive(daemon: str, case: str) -> bytes | None:
    """The ``docker save`` the daemon made of what it loaded, when kept."""
    files = index()["daemons"][daemon]["cases"][case]["files"]
    found = files.get("save.tar")
    return blob(found) if isinstance(found, str) else None


@cache
def _saved_path(daemon: str, case: str) -> Path | None:
    """The daemon's save of a case as a file (in a directory removed at exit)."""
    import atexit
    import shutil
    import tempfile

    saved = saved_archive(daemon, case)
    if saved is None:
        return None
    if not _SAVED:
        _SAVED.append(Path(tempfile.mkdtemp(prefix="imageinspect-saved-")))
        atexit.register(shutil.rmtree, _SAVED[0], True)
    path = _SAVED[0] / f"{daemon}--{case}.tar"
    path.write_bytes(saved)
    return path


_SAVED: list[Path] = []


def read_back(view: View) -> bytes | None:
    """The view as the library says the daemon shows the image, synthesized
    from the daemon's own ``docker save`` of it (its archive format), or
    None when no save of the case was kept."""
    if view.kind != "docker" or view.case.startswith(("build-", "buildkit-")):
        # a built image: its save, loaded, has no Parent, no build Identity,
        # only the saved tags (the -reloaded case shows what a load gives)
        return None
    path = _saved_path(view.daemon, view.case)
    return None if path is None else _synthesized(view, path)


def work_key(view: View, what: str) -> tuple[Any, ...]:
    """What decides the outcome of comparing ``view`` by ``what`` (round
    trip: the bytes alone; the others: the bytes, the image and every rule
    the daemon's profile applies), so that a view another daemon printed the
    same way is compared once."""
    from imageinspect.codec.formats import resolve

    if what == "round trip":
        return (what, view.blob)
    profile = resolve(view.format())
    version = view.format().version if profile.has("daemon-docker-version") else None
    identity = (profile.shapes, profile.style, profile.features, profile.dropped, profile.wrapped_shapes, version)
    host = (view.case, view.image, view.store, view.driver if view.kind == "docker" else "")
    if what == "render":
        # the model is made from this daemon's own views of the image
        return (what, view.blob, view.daemon, view.case, view.image, identity)
    return (what, view.blob, host, view.ref, identity)


@dataclass(frozen=True)
class Known:
    """A difference between the library and a daemon that is named, with
    the reason it remains: views of ``cases`` (a regex on the case) printed
    by ``daemons`` (a regex on the daemon), compared by ``kinds``."""

    cases: str
    daemons: str
    kinds: tuple[str, ...]
    reason: str

    def covers(self, view: View, what: str) -> bool:
        return (
            what in self.kinds
            and re.fullmatch(self.cases, view.case) is not None
            and re.fullmatch(self.daemons, view.daemon) is not None
        )


#: Every remaining difference, with its reason (compare_observed.py prints
#: the same; the test fails when a row no longer differs, so it is removed).
KNOWN: tuple[Known, ...] = (
    Known(
        r"edge-both-index-blob-missing",
        r"docker-2[89]\..*-containerd",
        ("save",),
        "an image kept without a config (its manifest was not in the archive) is saved as nothing: the daemon's"
        ' save lists no manifest (index.json "manifests": [] or null), so there is no image to read back',
    ),
    Known(
        r"edge-oci-ref-full|podman-oci-oci-archive",
        r"docker-2[89]\..*-containerd",
        ("save",),
        "the daemon's own save of an image named by ref.name only annotates it anew (io.containerd.image.name);"
        " read back, Descriptor shows those annotations, the first load's view the archive's own",
    ),
    Known(
        r"dangling|public-dive-test-oci-(estargz|zstd)-image",
        r"docker-24\.0\.\d-containerd",
        ("save",),
        "24.0's containerd store saves an untagged image under its digest as io.containerd.image.name; read back,"
        " that name is a RepoTag the first load's view does not have",
    ),
)


def known(view: View, what: str) -> Known | None:
    """The row that names ``view``'s difference by ``what``, if any."""
    return next((row for row in KNOWN if row.covers(view, what)), None)
