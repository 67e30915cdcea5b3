#!/usr/bin/env python3
"""Turns a JMH JSON result file into Markdown tables, one per benchmark and setting.

Each table lists every implementation measured with the same benchmark, capacity and shape, with
its score, its error (99.9% confidence, as JMH prints it), bytes allocated per operation when the run
used -prof gc, and its ratio to the best peer that is not Sluice. Usage:

    python3 bench/tools/jmh_table.py bench/results/RUN.json > table.md
"""
import json
import sys
from collections import defaultdict


def main(path):
    with open(path) as f:
        runs = json.load(f)
    groups = defaultdict(list)
    for run in runs:
        name = run["benchmark"].rsplit(".", 2)[-2] + "." + run["benchmark"].rsplit(".", 1)[-1]
        params = dict(run.get("params", {}))
        impl = params.pop("impl", "?")
        key = (name, tuple(sorted(params.items())), run["primaryMetric"]["scoreUnit"], run["mode"])
        alloc = run.get("secondaryMetrics", {}).get("gc.alloc.rate.norm", {}).get("score")
        metric = run["primaryMetric"]
        groups[key].append((impl, metric["score"], metric["scoreError"], alloc))

    for (name, params, unit, mode), rows in groups.items():
        higher_is_better = mode == "thrpt"
        peers = [r for r in rows if not r[0].startswith("SLUICE")]
        best = None
        if peers:
            best = (max if higher_is_better else min)(peers, key=lambda r: r[1])
        setting = ", ".join(f"{k}={v}" for k, v in params) or "-"
        print(f"\n**{name}** ({setting}; {unit}, {'higher' if higher_is_better else 'lower'} is better)\n")
        print("| impl | score | ± error | B/op | vs best peer |")
        print("|---|---:|---:|---:|---:|")
        for impl, score, err, alloc in sorted(rows, key=lambda r: -r[1] if higher_is_better else r[1]):
            ratio = ""
            if best is not None and best[1] > 0:
                ratio = score / best[1] if higher_is_better else best[1] / score
                ratio = f"{ratio:.2f}x" + (f" ({best[0]})" if impl.startswith("SLUICE") else "")
            alloc_s = "" if alloc is None else f"{alloc:.0f}"
            print(f"| {impl} | {score:.3f} | {err:.3f} | {alloc_s} | {ratio} |")


if __name__ == "__main__":
    main(sys.argv[1])
