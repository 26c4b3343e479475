"""Whether a daemon would load an archive at all: one rule for every view
(``inspect``, ``history``, ``images``, ``layers``), so none of them shows a
plausible table for an archive the daemon refuses.

The refusals, with the daemon's own words (observed on Docker 26.1, 28.0,
28.5, 29.0 and 29.7 with each store, and podman 5.4-6.1, unless said):

- the graphdriver store reads ``manifest.json`` only: an OCI archive without
  one fails before Docker 29 with ``open <tmp>/blobs/json: no such file or
  directory``, and from 29.0 with ``invalid archive: does not contain a
  manifest.json`` (also said of a pre-1.10 archive, which 28.x loads);
- the graphdriver store refuses a ``manifest.json`` entry whose layer count
  differs from its config's diff IDs (``invalid manifest, layers length
  mismatch``); the containerd store of 26.x fails to unpack it
  (``mismatched image rootfs and manifest layers``), 28.0 and later keep it;
- the containerd store reads an archive with an ``oci-layout`` file through
  its ``index.json``, else through ``manifest.json``: with neither it says
  ``unrecognized image format``, and an index that lists nothing leaves
  ``image might be filtered out``;
- podman cannot read a pre-1.10 archive nor a layer-count mismatch
  (``payload does not match any of the supported image formats``);
- an ``oci-layout`` archive whose ``index.json`` names a manifest the
  archive lacks (its image in ``manifest.json``): the containerd store of
  24.x refuses the load (``content digest ...: not found``), 25.0-26.x keep
  nothing, 27.x and 28.0 keep a record that ``inspect`` cannot show, and
  from 28.2 ``inspect`` shows an image without a config while ``history``
  finds no content (observed on 24.0-29.7).

A refusal *after* a load (the daemon loads the archive but does not show the
image) is said as such: :attr:`Refusal.loaded`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, NamedTuple

from imageinspect.codec.formats import Format, Profile, profile_of
from imageinspect.errors import LoadRefused

if TYPE_CHECKING:
    from imageinspect.sources.stored import StoredImage

__all__ = ["LoadRefused", "Refusal", "check_loadable", "load_refusal"]


class Refusal(NamedTuple):
    """What a daemon says when it will not load or show an image."""

    #: The daemon's own words.
    message: str
    #: The archive member they are about.
    member: str
    #: Whether the load itself succeeds (the image is then not shown).
    loaded: bool = False


View = Literal["inspect", "history"]


def load_refusal(image: StoredImage, format: Format, view: View = "inspect", name: str | None = None) -> Refusal | None:
    """What the daemon ``format`` names says when it refuses to load the
    archive ``image`` came from, or to show the image in ``view`` once
    loaded (asked for by ``name``: default its ID), and the member it is
    about; ``None`` when it shows it.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/edge/pre-1.10.tar"), ref="edge/pre-1.10") as image:
    ...     load_refusal(image, Format.docker("28.5")), load_refusal(image, Format.docker("29.7", store="graphdriver"))[:2]
    (None, ('invalid archive: does not contain a manifest.json', 'manifest.json'))
    >>> with open_image(Path("tests/data/golden/edge/pre-1.10.tar"), ref="edge/pre-1.10") as image:
    ...     load_refusal(image, Format.docker("29.7", store="containerd"))
    Refusal(message='unrecognized image format', member='manifest.json', loaded=False)
    """
    from imageinspect.sources.storage.memory import MemoryTree

    tree = image.tree
    if isinstance(tree, MemoryTree):
        return None  # an image built in memory (imageinspect.testing): no archive to refuse
    holding = image.entry.holding
    legacy = holding.legacy
    manifest_json = holding.manifest_json
    archive_layers = image.entry.archive_layers or image.layer_names
    mismatch = image.entry.docker_save and not legacy and len(archive_layers) != len(image.image_config.diff_ids)
    oci_path = holding.oci_layout
    if format.kind == "podman":
        if legacy or (mismatch and not (oci_path and image.entry.target is not None)):
            return Refusal("payload does not match any of the supported image formats", "manifest.json")
        return None
    profile = profile_of(format)  # the caller's resolve() gives the warnings
    if format.store == "containerd":
        if not oci_path and not manifest_json:
            return Refusal("unrecognized image format", "manifest.json")
        if oci_path and image.entry.absent_target is not None:
            return _absent_manifest(image, profile, view, name)
        if oci_path and image.entry.target is None:
            return Refusal("image might be filtered out", "index.json")
        # the layers it reads (the index manifest's on the OCI path) against the config's
        unpacks = len(image.layer_names) == len(image.image_config.diff_ids) or legacy
        if not unpacks and not profile.has("containerd-keeps-unpack-failures"):
            prefix = "" if profile.has("containerd-unpack-error-bare") else "failed to unpack loaded image: "
            return Refusal(
                f"{prefix}mismatched image rootfs and manifest layers", "index.json" if oci_path else "manifest.json"
            )
        return None
    if not manifest_json and not (legacy and profile.has("legacy-load")):
        if profile.has("manifest-json-required"):
            return Refusal("invalid archive: does not contain a manifest.json", "manifest.json")
        return Refusal("open <tmp>/blobs/json: no such file or directory", "blobs/json")
    missing = next((member for member in archive_layers if not tree.exists(member)), None)
    if missing is not None:
        return Refusal(f"open <tmp>/{missing}: no such file or directory", missing)
    if mismatch:
        return Refusal(
            f"invalid manifest, layers length mismatch: expected {len(archive_layers)}, "
            f"got {len(image.image_config.diff_ids)}",
            "manifest.json",
        )
    return None


def _absent_manifest(image: StoredImage, profile: Profile, view: View, name: str | None) -> Refusal | None:
    """The containerd store and an index entry whose manifest the archive
    lacks (see the module's notes; the words observed per release)."""
    target = image.entry.absent_target
    assert target is not None
    member = f"index.json ({target.digest})"
    asked = name or str(target.digest)
    if profile.has("absent-manifest-load-refused"):
        return Refusal(f"content digest {target.digest}: not found", member)
    if profile.has("absent-manifest-no-such-image"):
        return Refusal(f"No such image: {asked}", member, loaded=True)
    if view == "history":
        return Refusal(f"NotFound: content digest {target.digest}: not found", member, loaded=True)
    if profile.has("absent-manifest-no-platform"):
        return Refusal(
            f"image with reference {asked} was found but does not provide the specified platform (linux/amd64)",
            member,
            loaded=True,
        )
    return None


def check_loadable(image: StoredImage, format: Format, view: View = "inspect", name: str | None = None) -> None:
    """Raise :class:`LoadRefused` when the daemon ``format`` names would
    refuse to load the archive, or not show the image in ``view`` after
    loading it.

    >>> from pathlib import Path
    >>> from imageinspect.sources.image import open_image
    >>> with open_image(Path("tests/data/golden/edge/layer-count.tar")) as image:
    ...     check_loadable(image, Format.docker("28.5"))
    Traceback (most recent call last):
      ...
    imageinspect.errors.LoadRefused: layer-count.tar!manifest.json: Docker 28.5 would refuse to load it: invalid manifest, layers length mismatch: expected 3, got 1
    """
    found = load_refusal(image, format, view, name)
    if found is None:
        return
    message, member, loaded = found
    who = "podman" if format.kind == "podman" else "Docker"
    daemon = f"{who} {format.version}" if format.version else f"the newest {who}"
    if loaded:
        raise LoadRefused(f"{daemon} would load it but not show it in {view}: {message}", image.tree.where(member))
    raise LoadRefused(f"{daemon} would refuse to load it: {message}", image.tree.where(member))
