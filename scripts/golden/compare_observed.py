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

from imageinspect import ImageInspectError
from imageinspect.codec.diff import diff_json
from tests import observed


def _first_json(data: bytes) -> object:
    import orjson

    return orjson.loads(data.split(b"\n{")[0] if b"\n{" in data else data)


def _first_difference(expected: bytes, got: bytes) -> str:
    try:
        lines = diff_json(_first_json(got), _first_json(expected))
    except Exception:
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

    # a view several daemons printed alike, under the same rules, is compared
    # once (observed.work_key) and counted for each
    done: dict[tuple[object, ...], tuple[bool, str]] = {}

    def compare(view: observed.View, kind: str, make: object) -> None:
        key = observed.work_key(view, kind)
        if key not in done:
            data = view.data
            try:
                got = make(view)  # type: ignore[operator]
            except (ImageInspectError, AssertionError, IndexError) as err:
                done[key] = (False, f"error: {type(err).__name__}: {err}")
            else:
                if got is None:
                    done[key] = (True, "-")
                else:
                    done[key] = (got == data, "" if got == data else _first_difference(data, got))
        ok, detail = done[key]
        if detail != "-":
            row = observed.known(view, kind)
            record(view.daemon, kind, ok, view, detail if row is None or ok else f"[named: {row.reason}] {detail}")

    for view in observed.views():
        if args.daemon not in view.daemon or args.case not in view.case:
            continue
        synthesized = "podman" if view.kind == "podman" else "archive"
        compare(view, "round trip", observed.round_trip)
        compare(view, "render", observed.render)
        compare(view, synthesized, observed.synthesize)
        compare(view, "save", observed.read_back)

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
