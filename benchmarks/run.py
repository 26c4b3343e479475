"""Run every imageinspect benchmark in one go and print one Markdown report.

Run by hand, never from the test suite::

    pip install '.[bench]'
    python benchmarks/run.py [--quick] [--size-gb 2] [--output FILE] [--json FILE]

Runs, in this order and in this one process (the archive measurements start
their own short-lived children so each peak RSS is its own):

1. ``bench_inspect``: loads / dumps of 1000 and 1 docker / podman inspect
   documents against orjson, pydantic v2, msgspec, python-on-whales and
   docker-py style dicts;
2. ``bench_documents``: ``parse`` / ``to_json`` of the real configs, manifests
   and indexes in ``tests/data/documents`` against the same libraries;
3. ``bench_archive``: ``open_image`` + ``inspect()`` on a 20 MiB and a
   multi-GB ``docker save`` tar, and ``verify()`` throughput against
   ``hashlib.sha256`` and ``zlib`` inflate.

Every ratio in the report comes from this run: the floor it is taken to was
measured in the same process, on the same bytes, interleaved with it.
``--quick`` is a smoke run (few repeats, a 256 MiB big archive): its ratios are
too noisy to quote.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import re
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import bench_archive  # noqa: E402
import bench_documents  # noqa: E402
import bench_inspect  # noqa: E402

FULL = {"repeats": 11, "single_repeats": 300, "doc_repeats": 200, "size_gb": 2.0, "gz_mb": 512, "archive_repeats": 5}
QUICK = {"repeats": 3, "single_repeats": 30, "doc_repeats": 20, "size_gb": 0.25, "gz_mb": 64, "archive_repeats": 3}


def _loadavg() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg()) if hasattr(os, "getloadavg") else "n/a"


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / (1 << 20):.1f} GiB"
    except OSError:
        pass
    return "n/a"


def _column(name: str) -> str:
    """One column per implementation, whatever indent variant a row used."""
    name = re.sub(r" (OPT_INDENT_2|indent=\d|\+ format indent=\d|compact separators)$", "", name)
    name = re.sub(
        r"^imageinspect\.parse_(config|manifest|index)$", "imageinspect.parse_config / _manifest / _index", name
    )
    name = re.sub(r"^pydantic \w+Model\.model_validate_json$", "pydantic model", name)
    name = re.sub(r"^msgspec\.json\.decode \(\w+Struct\)$", "msgspec.json.decode (Structs)", name)
    return name


def _pivot(results: list[dict[str, Any]], kind: str, first: str) -> list[str]:
    columns: list[str] = []
    table: dict[str, dict[str, float]] = {}
    for row in results:
        if row["op"] != kind:
            continue
        column = _column(row["name"])
        if column not in columns:
            columns.append(column)
        table.setdefault(row["input"], {})[column] = row["ratio"]
    lines = [
        f"| {first} | " + " | ".join(columns) + " |",
        "|---|" + "---:|" * len(columns),
    ]
    for name, cells in table.items():
        lines.append(f"| {name} | " + " | ".join(f"{cells[c]:.2f}" if c in cells else "—" for c in columns) + " |")
    return lines


def _verdict(passed: bool | None) -> str:
    return "—" if passed is None else ("PASS" if passed else "FAIL")


def report(
    inspect_rows: list[dict[str, Any]],
    document_rows: list[dict[str, Any]],
    archive_rows: list[dict[str, Any]],
    machine: dict[str, Any],
    settings: dict[str, Any],
    quick: bool,
    command: str,
) -> str:
    out: list[str] = ["# imageinspect benchmarks", ""]
    if quick:
        out += ["**Quick smoke run (`--quick`): too few repeats for the ratios to be quoted.**", ""]
    packages = ", ".join(f"{k} {v}" for k, v in machine["packages"].items())
    out += [
        f"Measured {machine['date']} with `{command}` ({machine['wall_s_all']:.0f} s in all).",
        "",
        "| Machine | |",
        "|---|---|",
        f"| nproc | {machine['nproc']} ({machine['cpu_count']} online) |",
        f"| CPU | {machine['cpu']} |",
        f"| Memory | {machine['memory']} |",
        f"| Python | {machine['python']} |",
        f"| Platform | {machine['platform']} |",
        f"| Load average (1/5/15 min) | {machine['loadavg_start']} at the start, {machine['loadavg_stop']} at the end |",
        f"| Packages | {packages} |",
        "",
        f"Method: best of {settings['repeats']} repeats for 1000 inspect documents, {settings['single_repeats']} "
        f"for one, {settings['doc_repeats']} for each group of documents; each repeat loops the call for at least "
        "2 ms, the operations on one input are interleaved repeat by repeat, gc off while timing. Archives: "
        f"best of {settings['archive_repeats']} fresh processes for open_image + inspect, one verify each. "
        "Ratios are to orjson (or hashlib / zlib) measured on the same bytes in this run; absolute times on this "
        "shared machine move by tens of percent between runs.",
        "",
    ]

    # ---------------------------------------------------------------- summary
    checks: list[tuple[str, str, str, str, bool]] = []
    for row in inspect_rows:
        if row["target"] is not None:
            what = row["name"].replace("imageinspect.", "")
            versus = row.get("versus", "orjson")
            checks.append(
                (
                    f"inspect {what}",
                    row["input"],
                    f"{row['ratio']:.2f}× {versus}",
                    f"≤ {row['target']:g}×",
                    row["passed"],
                )
            )
    for row in document_rows:
        if row["target"] is not None:
            checks.append(
                (
                    row["name"].replace("imageinspect.", ""),
                    row["input"],
                    f"{row['ratio']:.2f}× orjson + sha256" if row["op"] == "loads" else f"{row['ratio']:.2f}× orjson",
                    f"≤ {row['target']:g}×",
                    row["passed"],
                )
            )
    for row in archive_rows:
        if row["passed"] is not None:
            checks.append(
                (
                    row["name"].split(", ")[0],
                    row["name"].split(", ", 1)[1],
                    row["measured"],
                    row["target"],
                    row["passed"],
                )
            )
    guards = json.loads((HERE / "pure_guards.json").read_text())["guards"]
    for row in [*inspect_rows, *document_rows]:
        limit = guards.get(f"{row['input']} | {row['op']} | {row['name']}")
        if limit is not None:
            what = row["name"].replace("imageinspect.", "").replace("(pure path)", "(pure path, regression guard)")
            checks.append((what, row["input"], f"{row['ratio']:.2f}×", f"≤ {limit:g}×", row["ratio"] <= limit))
    passed = sum(1 for check in checks if check[4])
    out += [
        "## Targets",
        "",
        f"{passed} of {len(checks)} checks pass, {len(checks) - passed} fail. Targets of DESIGN.md section 5: "
        "`loads` ≤ 2.0× `orjson.loads` for 1000 documents, ≤ 3.0× for one, and faster than pydantic v2 "
        "`validate_json`; `parse` ≤ 2.5× `orjson.loads` + sha256; `dumps` of loaded, unchanged output ≤ 1.5× "
        "orjson (`OPT_INDENT_2` for indented printers), after editing one label per image ≤ 3×, rendered by the "
        "rules ≤ 4× (and a parsed document's `to_json()` ≤ 4×). open_image + inspect flat in archive size with "
        "< 100 MB peak RSS. verify ≥ 80 % of `hashlib.sha256` / `zlib` inflate. The pure path (issue 19; rows "
        "marked pure path): `loads` ≤ 2.6× for 1000 documents and ≤ 4.5× for one, `dumps` after an edit ≤ 15×, "
        "`parse` ≤ 7×. Regression guards of the pure path (benchmarks/pure_guards.json): 1.25× the levels "
        "measured on 2026-12-07.",
        "",
        "| Check | Input | Measured | Target | Result |",
        "|---|---|---:|---:|---|",
    ]
    out += [f"| {a} | {b} | {c} | {d} | {_verdict(e)} |" for a, b, c, d, e in checks]
    out.append("")

    # ---------------------------------------------------------------- ratios
    out += [
        "## Inspect output: reading, × `orjson.loads` of the same bytes",
        "",
        *_pivot(inspect_rows, "loads", "Input"),
        "",
        "## Inspect output: writing, × `orjson.dumps` of the same plain data",
        "",
        "Indented inputs: orjson with `OPT_INDENT_2` (its only indent), the others with their own indent "
        "(`indent=4`; msgspec encodes then `msgspec.json.format(indent=4)`); `dumps(out)` writes the layout it read, "
        "`dumps(images, Format)` renders every field from the version rules.",
        "",
        *_pivot(inspect_rows, "dumps", "Input"),
        "",
        "## Configs, manifests, indexes: parsing, × `orjson.loads` + sha256 of the same bytes",
        "",
        "One call handles every document of the group; `parse` also computes the document's sha256 digest and keeps "
        "its bytes, so its floor is `orjson.loads` plus `hashlib.sha256` of the same bytes (the `orjson.loads` "
        "column shows the digest's share).",
        "",
        *_pivot(document_rows, "loads", "Group"),
        "",
        "## Configs, manifests, indexes: writing, × `orjson.dumps` of the same plain data",
        "",
        *_pivot(document_rows, "dumps", "Group"),
        "",
        "## Archives",
        "",
        bench_archive.markdown(archive_rows),
        "",
        "## Absolute times (this run only)",
        "",
        "### Inspect output",
        "",
        "| Input | Op | Implementation | Best | Median | ×orjson |",
        "|---|---|---|---:|---:|---:|",
    ]
    label_of = ""
    for row in inspect_rows:
        label = ""
        if row["input"] != label_of:
            label_of = row["input"]
            label = f"{row['input']} ({row['bytes']:,} B)"
        out.append(
            f"| {label} | {row['op']} | {row['name']} | {bench_inspect._fmt_time(row['best_s'])} "
            f"| {bench_inspect._fmt_time(row['median_s'])} | {row['ratio']:.2f} |"
        )
    out += ["", "### Documents", "", bench_documents.markdown(document_rows)]
    return "\n".join(out) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: few repeats, a 256 MiB big archive")
    parser.add_argument("--size-gb", type=float, help="size of the big archive (default 2, or 0.25 with --quick)")
    parser.add_argument("--dir", help="where the archives are generated (default: the temp directory)")
    parser.add_argument("--output", metavar="FILE", help="also write the report to FILE")
    parser.add_argument("--json", metavar="FILE", help="also save every row and the machine as JSON")
    args = parser.parse_args(argv)
    settings = dict(QUICK if args.quick else FULL)
    if args.size_gb is not None:
        settings["size_gb"] = args.size_gb

    command = "python benchmarks/run.py" + (" " + " ".join(sys.argv[1:]) if argv is None and sys.argv[1:] else "")
    machine = bench_inspect._machine()
    machine["date"] = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    machine["memory"] = _memory()
    machine["loadavg_start"] = _loadavg()
    started = time.time()

    def step(text: str) -> None:
        print(f"[{time.time() - started:6.0f} s] {text}", file=sys.stderr, flush=True)

    step("inspect output: loads / dumps")
    inspect_rows = bench_inspect.run(settings["repeats"], settings["single_repeats"], machine=machine)
    step("configs, manifests, indexes: parse / to_json")
    document_rows = bench_documents.run(settings["doc_repeats"], machine=machine)
    step(f"archives: open_image + inspect, verify ({settings['size_gb']:g} GiB big archive)")
    archive_rows = bench_archive.run(settings["size_gb"], settings["gz_mb"], settings["archive_repeats"], args.dir)
    machine["loadavg_stop"] = _loadavg()
    machine["wall_s_all"] = time.time() - started
    step("done")

    text = report(inspect_rows, document_rows, archive_rows, machine, settings, args.quick, command)
    print(text, end="")
    if args.output:
        Path(args.output).write_text(text)
    if args.json:
        data = {
            "machine": machine,
            "settings": settings,
            "inspect": inspect_rows,
            "documents": document_rows,
            "archives": archive_rows,
        }
        Path(args.json).write_text(json.dumps(data, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
