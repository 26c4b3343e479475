"""The hostile-archive table (run by hand): every case of
tests/sources/hostile_cases.py through list_images, inspect, history and
verify, each case in a fresh subprocess; prints outcome, time and peak RSS.

Run: ``python fuzz/hostile_table.py``
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CHILD = r"""
import json, resource, sys, time
sys.path.insert(0, %(repo)r)
from imageinspect import ImageInspectError, Limits, list_images, open_image
limits = Limits(max_layer_entries=1000)
path = %(path)r
rows = []
for op in ("list", "inspect", "history", "verify"):
    started = time.monotonic()
    try:
        if op == "list":
            list_images(path, limits=limits)
        else:
            with open_image(path, limits=limits) as image:
                if op == "inspect":
                    image.inspect()
                elif op == "history":
                    image.history()
                else:
                    report = image.verify()
                    if not report.ok:
                        raise ImageInspectError(report.mismatches[0].message, report.mismatches[0].location)
        outcome = "accepted"
    except ImageInspectError as err:
        outcome = "refused: " + err.message[:60]
    except BaseException as err:
        outcome = "ESCAPE " + type(err).__name__
    rows.append((op, outcome, time.monotonic() - started))
print(json.dumps({"rows": rows, "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def main() -> int:
    from tests.sources import hostile_cases

    escapes = 0
    print("| case | list | inspect | history | verify | slowest s | peak RSS MiB |")
    print("|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for name, build in sorted(hostile_cases.CASES.items()):
            path = Path(folder) / f"{name}.tar"
            path.write_bytes(build())
            done = subprocess.run(
                [sys.executable, "-c", CHILD % {"repo": str(REPO), "path": str(path)}],
                capture_output=True,
                text=True,
                timeout=120,
                check=True,
            )
            result = json.loads(done.stdout)
            cells = [row[1].split(":")[0] for row in result["rows"]]
            escapes += sum(cell.startswith("ESCAPE") for cell in cells)
            slowest = max(row[2] for row in result["rows"])
            print(f"| {name} | {' | '.join(cells)} | {slowest:.2f} | {result['rss'] / 1024:.0f} |")
    print(f"\nescapes: {escapes}")
    return 1 if escapes else 0


if __name__ == "__main__":
    sys.exit(main())
