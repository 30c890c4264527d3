#!/usr/bin/env python
"""The README's performance table from benchmark runs: the first run's figures, every run's range.

    python benchmarks/run.py --json run1.json
    python benchmarks/run.py --json run2.json --only per_call,own   # more runs of some figures
    python benchmarks/table.py run1.json run2.json                  # print the table
    python benchmarks/table.py --readme README.md run1.json ...     # replace it in the README

The table between ``<!-- perf-table -->`` and the next blank line is replaced. A figure's row comes
from the first run that has it; "Range over runs" spans its ratio in every run given.
"""

from __future__ import annotations

import argparse
import json
import math
import re
import sys
from pathlib import Path
from typing import Any

MARK = "<!-- perf-table -->"
TIMES, DASH = "\N{MULTIPLICATION SIGN}", "\N{EN DASH}"


def unit(text: str) -> str:
    return text.replace(" us", " µs").replace("us/item", "µs/item")


def ratio_text(figure: dict[str, Any], ratio: float) -> str:
    target = figure["target"]
    if figure["skipped"] or math.isnan(ratio):
        return "—"
    if target.endswith("us"):
        return f"{ratio:.1f} µs"
    if target.endswith("ms") and "extra" not in target:
        return f"{ratio:.2f} ms"
    if "extra" in target:
        return f"{ratio:+.0f} ms"
    if target == "-":
        return f"{ratio:.0f}"
    return f"{ratio:.2f}{TIMES}"


def target_text(target: str) -> str:
    text = target.replace("<=", "≤").replace(">=", "≥").replace(" us", " µs")
    return re.sub(r"(\d)x\b", rf"\1{TIMES}", text)


def table(runs: list[dict[str, Any]]) -> str:
    rows = [
        "| Figure | pytest-connectviews | Reference | Ratio | Range over runs | Target | |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    seen: dict[str, dict[str, Any]] = {}
    ratios: dict[str, list[float]] = {}
    for run in runs:
        for figure in run["figures"]:
            key = f"{figure['name']}\0{figure['what']}"
            seen.setdefault(key, figure)
            if not figure["skipped"] and not math.isnan(figure["ratio"]):
                ratios.setdefault(key, []).append(figure["ratio"])
    for key, f in seen.items():
        found = ratios.get(key, [])
        if f["skipped"]:
            result, span = f"skipped: {f['skipped']}", "—"
        else:
            result = "PASS" if f["ok"] else "MISS"
            low, high = min(found), max(found)
            span = (
                ratio_text(f, low)
                if len(found) < 2 or ratio_text(f, low) == ratio_text(f, high)
                else f"{ratio_text(f, low)} {DASH} {ratio_text(f, high)}"
            )
            if f["target"] == "-":
                result = "(information)"
        rows.append(
            f"| `{f['name']}`: {f['what']} | {unit(f['ours'])} | {unit(f['reference'])} | "
            f"{ratio_text(f, f['ratio'])} | {span} | {target_text(f['target'])} | {result} |"
        )
    return "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("runs", nargs="+", type=Path, help="JSON files of benchmarks/run.py --json")
    parser.add_argument(
        "--readme", type=Path, help="replace the table after the marker in this file"
    )
    args = parser.parse_args(argv)
    runs = [json.loads(path.read_text()) for path in args.runs]
    text = table(runs)
    if args.readme is None:
        sys.stdout.write(text)
        return 0
    readme = args.readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(MARK) + r"\n(?:\|.*\n)+")
    if not pattern.search(readme):
        parser.error(f"{args.readme} has no {MARK} followed by a table")
    args.readme.write_text(pattern.sub(lambda _: MARK + "\n" + text, readme, count=1), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
