"""Layer chains: diff IDs, chain IDs, layer descriptors and history lined up.

>>> a = "sha256:" + "a" * 64
>>> b = "sha256:" + "b" * 64
>>> [c.short for c in chain_ids([a, b])]
['aaaaaaaaaaaa', 'ccd722928bd9']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import overload

import attrs

from imageinspect.model.config import History, ImageConfig
from imageinspect.model.descriptor import Descriptor
from imageinspect.model.manifest import ImageManifest
from imageinspect.values.digest import Digest

__all__ = ["ChainProblem", "HistoryRow", "Layer", "LayerChain", "chain_ids"]


def chain_ids(diff_ids: Iterable[str]) -> tuple[Digest, ...]:
    """The chain ID of each layer, bottom first.

    ``ChainID(L0) = DiffID(L0)`` and ``ChainID(L0..Ln) = sha256(ChainID(L0..Ln-1)
    + " " + DiffID(Ln))`` over the full ``sha256:<hex>`` strings (OCI image-spec
    ``identity``, moby ``layer.CreateChainID``). Every diff ID is validated.

    >>> chain_ids([])
    ()
    >>> chain_ids(["sha256:nothex"])
    Traceback (most recent call last):
      ...
    imageinspect.errors.InvalidDigest: $[0]: invalid digest 'sha256:nothex': sha256 needs 64 lower-case hex digits
    """
    from imageinspect.errors import InvalidDigest

    result: list[Digest] = []
    previous: Digest | None = None
    for index, text in enumerate(diff_ids):
        try:
            diff_id = Digest(text)
        except InvalidDigest as err:
            raise err.at(f"$[{index}]") from None
        previous = diff_id if previous is None else Digest.of(f"{previous} {diff_id}".encode())
        result.append(previous)
    return tuple(result)


@attrs.frozen
class Layer:
    """One filesystem layer, with everything the documents say about it.

    >>> from imageinspect.model.config import RootFS
    >>> d = Digest.of(b"layer")
    >>> layer = LayerChain.build(ImageConfig(rootfs=RootFS(diff_ids=(d,))))[0]
    >>> layer.index, layer.diff_id == layer.chain_id == d, layer.descriptor
    (0, True, None)
    """

    #: Position in the chain, 0 = bottom.
    index: int
    #: ``rootfs.diff_ids[index]`` (``None`` if the config lists fewer layers).
    diff_id: Digest | None
    #: The chain ID up to and including this layer (``None`` without a diff ID).
    chain_id: Digest | None
    #: ``manifest.layers[index]`` (``None`` without a manifest or if it is shorter).
    descriptor: Descriptor | None
    #: The history entry that created the layer, if the history lines up.
    history: History | None


@attrs.frozen
class HistoryRow:
    """One history entry and the layer it created (``None`` for an empty layer).

    >>> HistoryRow(History(created_by="CMD x", empty_layer=True), None).size
    0
    """

    history: History
    layer: Layer | None

    @property
    def size(self) -> int | None:
        """The layer's blob size from the manifest (``0`` for an empty layer,
        ``None`` when unknown, e.g. without a manifest).

        >>> from imageinspect.model.config import RootFS
        >>> cfg = ImageConfig(rootfs=RootFS(diff_ids=(Digest.of(b"x"),)), history=(History(),))
        >>> LayerChain.build(cfg).history[0].size is None
        True
        """
        if self.layer is None:
            return 0
        return None if self.layer.descriptor is None else self.layer.descriptor.size


@attrs.frozen
class ChainProblem:
    """A disagreement between the config, the manifest and the history.

    ``code`` is one of ``"layer-count"`` (manifest layers vs. diff IDs),
    ``"history-count"`` (non-empty history entries vs. diff IDs),
    ``"empty-layer-mark"`` (an entry whose ``empty_layer`` flag looks wrong) and
    ``"non-distributable"`` (a foreign layer whose blob may be absent).

    >>> ChainProblem("layer-count", "the manifest lists 2 layers but rootfs.diff_ids has 1", "$.layers").code
    'layer-count'
    """

    code: str
    message: str
    location: str


@attrs.frozen
class LayerChain:
    """Manifest layer descriptors, config diff IDs and history entries lined up.

    The chain is the sequence of its layers, bottom first: iterate it, index
    it, take its ``len``. Disagreements never raise: they are reported in
    :attr:`problems`.

    >>> from imageinspect.model.config import RootFS
    >>> d = "sha256:" + "a" * 64
    >>> cfg = ImageConfig(rootfs=RootFS(diff_ids=(Digest(d),)),
    ...                   history=(History(created_by="ADD x"), History(created_by="CMD", empty_layer=True)))
    >>> chain = LayerChain.build(cfg)
    >>> len(chain), chain[0].history.created_by, chain.problems
    (1, 'ADD x', ())
    >>> [row.layer is None for row in chain.history]
    [False, True]
    """

    _layers: tuple[Layer, ...]
    history: tuple[HistoryRow, ...]
    problems: tuple[ChainProblem, ...]

    def __iter__(self) -> Iterator[Layer]:
        return iter(self._layers)

    def __len__(self) -> int:
        return len(self._layers)

    @overload
    def __getitem__(self, index: int) -> Layer: ...
    @overload
    def __getitem__(self, index: slice) -> tuple[Layer, ...]: ...
    def __getitem__(self, index: int | slice) -> Layer | tuple[Layer, ...]:
        return self._layers[index]

    @property
    def ok(self) -> bool:
        """True when nothing disagrees.

        >>> LayerChain.build(ImageConfig()).ok
        True
        """
        return not self.problems

    @property
    def diff_ids(self) -> tuple[Digest, ...]:
        """The diff IDs, bottom first.

        >>> LayerChain.build(ImageConfig()).diff_ids
        ()
        """
        return tuple(layer.diff_id for layer in self._layers if layer.diff_id is not None)

    @property
    def chain_id(self) -> Digest | None:
        """The chain ID of the top layer (what Docker's layer store keys the
        image's filesystem by), or ``None`` for an image without layers.

        >>> from imageinspect.model.config import RootFS
        >>> a, b = Digest.of(b"a"), Digest.of(b"b")
        >>> LayerChain.build(ImageConfig(rootfs=RootFS(diff_ids=(a, b)))).chain_id == chain_ids([a, b])[1]
        True
        """
        for layer in reversed(self._layers):
            if layer.chain_id is not None:
                return layer.chain_id
        return None

    @classmethod
    def build(cls, config: ImageConfig, manifest: ImageManifest | None = None) -> LayerChain:
        """Line up ``config`` (diff IDs, history) with ``manifest`` (layer
        descriptors), reporting every disagreement.

        >>> from imageinspect.model.config import RootFS
        >>> chain = LayerChain.build(ImageConfig(rootfs=RootFS(diff_ids=(Digest.of(b"a"),)), history=()))
        >>> [p.code for p in chain.problems]
        ['history-count']
        """
        problems: list[ChainProblem] = []
        diff_ids = config.diff_ids
        chains = chain_ids(diff_ids)
        descriptors: tuple[Descriptor, ...] = ()
        if manifest is not None:
            descriptors = manifest.layers or ()
            if len(descriptors) != len(diff_ids):
                problems.append(
                    ChainProblem(
                        "layer-count",
                        f"the manifest lists {len(descriptors)} layers but rootfs.diff_ids has {len(diff_ids)}",
                        "$.layers",
                    )
                )
        entries = config.history or ()
        creating = [i for i, entry in enumerate(entries) if not entry.empty_layer]
        if config.history is not None and len(creating) != len(diff_ids):
            problems.append(
                ChainProblem(
                    "history-count",
                    f"{len(creating)} history entries create a layer but rootfs.diff_ids has {len(diff_ids)}",
                    "$.history",
                )
            )
            problems.extend(_suspicious_marks(entries, len(creating) > len(diff_ids)))
        count = max(len(diff_ids), len(descriptors))
        layers: list[Layer] = []
        for index in range(count):
            history = entries[creating[index]] if index < len(creating) else None
            layers.append(
                Layer(
                    index=index,
                    diff_id=diff_ids[index] if index < len(diff_ids) else None,
                    chain_id=chains[index] if index < len(chains) else None,
                    descriptor=descriptors[index] if index < len(descriptors) else None,
                    history=history,
                )
            )
        for index, descriptor in enumerate(descriptors):
            if descriptor.is_non_distributable:
                problems.append(
                    ChainProblem(
                        "non-distributable",
                        f"layer {index} is non-distributable ({descriptor.media_type}); its blob may be absent",
                        f"$.layers[{index}]",
                    )
                )
        by_entry = {creating[i]: layers[i] for i in range(min(len(creating), len(layers)))}
        rows = tuple(HistoryRow(entry, by_entry.get(i)) for i, entry in enumerate(entries))
        return cls(tuple(layers), rows, tuple(problems))


def _suspicious_marks(entries: tuple[History, ...], too_many: bool) -> list[ChainProblem]:
    """Entries whose ``empty_layer`` flag probably lies: metadata-only
    instructions (``#(nop)`` without ADD/COPY) that claim a layer, or
    ADD/COPY/RUN entries marked empty."""
    found = []
    for index, entry in enumerate(entries):
        text = entry.created_by
        metadata_only = "#(nop)" in text and not any(op in text for op in ("ADD ", "COPY "))
        if too_many and not entry.empty_layer and metadata_only:
            found.append(
                ChainProblem(
                    "empty-layer-mark",
                    "entry looks metadata-only but is not marked empty_layer",
                    f"$.history[{index}]",
                )
            )
        elif not too_many and entry.empty_layer and not metadata_only and text:
            found.append(
                ChainProblem(
                    "empty-layer-mark",
                    "entry is marked empty_layer but looks like it created a layer",
                    f"$.history[{index}]",
                )
            )
    return found
