"""Compare the library with every captured daemon view (run by hand, not in CI).

Prints, per daemon and store, exact/total for:
  round trip  the writer gives b back: dumps(list(out), out.format, out.style) == b, out = loads(b)
  render      every view rendered from one independent model per image
  archive     open_image(archive).inspect(Format.docker(...)) == the view
  podman      open_image(archive).inspect(Format.podman(...)) == podman's view
  save        the same, from the daemon's own `docker save` of what it loaded
and, with --show N, the first N differences of each kind (a JSON-path diff).

Usage: python3 scripts/golden/compare_observed.py [--show N] [--daemon SUBSTR] [--case SUBSTR]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from imageinspect import ImageInspectError  # noqa: E402
from imageinspect.codec.diff import diff_json  # noqa: E402
from tests import observed  # noqa: E402


def _first_json(data: bytes) -> object:
    import orjson

    return orjson.loads(data.split(b"\n{")[0] if b"\n{" in data else data)


def _first_difference(expected: bytes, got: bytes) -> str:
    try:
        lines = diff_json(_first_json(got), _first_json(expected))
    except Exception:  # noqa: BLE001 - a diagnostic only
        lines = []
    if lines:
        return "; ".join(lines[:6])
    at = next((i for i, (a, b) in enumerate(zip(expected, got)) if a != b), min(len(expected), len(got)))
    return f"bytes differ at {at}: expected {expected[max(0, at - 40):at + 40]!r} got {got[max(0, at - 40):at + 40]!r}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0)
    parser.add_argument("--daemon", default="")
    parser.add_argument("--case", default="")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0, 0])
    shown: dict[str, int] = defaultdict(int)
    reasons: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: defaultdict(int))

    def record(daemon: str, kind: str, ok: bool, view: observed.View, detail: str) -> None:
        counts[(daemon, kind)][1] += 1
        if ok:
            counts[(daemon, kind)][0] += 1
            return
        reasons[(daemon, kind)][detail[:160]] += 1
        if shown[kind] < args.show:
            shown[kind] += 1
            print(f"--- {kind} {view.id}: {detail}")

    for view in observed.views():
        if args.daemon not in view.daemon or args.case not in view.case:
            continue
        data = view.data
        try:
            got = observed.round_trip(view)
            record(view.daemon, "round trip", got == data, view, "" if got == data else _first_difference(data, got))
        except ImageInspectError as err:
            record(view.daemon, "round trip", False, view, f"error: {err}")
        try:
            got = observed.render(view)
            record(view.daemon, "render", got == data, view, "" if got == data else _first_difference(data, got))
        except (ImageInspectError, AssertionError, IndexError) as err:
            record(view.daemon, "render", False, view, f"error: {type(err).__name__}: {err}")
        synthesized = "podman" if view.kind == "podman" else "archive"
        for kind, make in ((synthesized, observed.synthesize), ("save", observed.read_back)):
            try:
                got = make(view)
            except ImageInspectError as err:
                record(view.daemon, kind, False, view, f"error: {err}")
                continue
            if got is not None:
                record(view.daemon, kind, got == data, view, "" if got == data else _first_difference(data, got))

    daemons = sorted({d for d, _ in counts})
    kinds = ["round trip", "render", "archive", "podman", "save"]
    print("\n| daemon | " + " | ".join(kinds) + " |")
    print("|---|" + "---|" * len(kinds))
    for daemon in daemons:
        cells = []
        for kind in kinds:
            ok, total = counts.get((daemon, kind), [0, 0])
            cells.append(f"{ok}/{total}" if total else "-")
        print(f"| {daemon} | " + " | ".join(cells) + " |")
    if reasons:
        print("\nRemaining differences (count, first words):")
        for (daemon, kind), found in sorted(reasons.items()):
            for detail, n in sorted(found.items(), key=lambda x: -x[1])[:8]:
                print(f"  {daemon} {kind}: {n}x {detail}")
    return 0 if all(ok == total for ok, total in counts.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
