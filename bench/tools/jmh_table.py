#!/usr/bin/env python3
"""Turns a JMH JSON result file into Markdown tables, one per benchmark and setting.

Each table lists every implementation measured with the same benchmark, capacity and shape, with
its score, its error (99.9% confidence, as JMH prints it), bytes allocated per operation when the run
used -prof gc, and its ratio to the best peer that is not Sluice. Usage:

    python3 bench/tools/jmh_table.py bench/results/RUN.json > table.md

With --bars it prints instead the two tables of issue 2's bars: Sluice's blocking face on platform
threads against the best of the JDK queues and jox, and on virtual threads against the best of jox
and ArrayBlockingQueue on virtual threads, for every throughput setting:

    python3 bench/tools/jmh_table.py --bars bench/results/RUN.json

With --coroutines it prints the tables of issue 3's rows: Sluice's coroutine view against kotlinx's
own Channel for every capacity and shape (CoroutineThroughput, CoroutinePingPong), and Sluice against
the best of the alternatives in the workload of Java threads sending to coroutines
(ThreadsToCoroutines):

    python3 bench/tools/jmh_table.py --coroutines bench/results/RUN.json
"""
import json
import sys
from collections import defaultdict


PLATFORM_PEERS = ("ABQ", "LBQ", "LTQ", "SQ", "JOX")
VIRTUAL_PEERS = ("ABQ_VT", "JOX_VT")


def load(path):
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
        # JMH writes the error as the string "NaN" when a run has too few iterations (a smoke run).
        groups[key].append((impl, metric["score"], float(metric["scoreError"]), alloc))
    return groups


def bar_for(capacity, virtual):
    if virtual:
        return 1.5
    return 5.0 if capacity in ("0", "1", "16") else 1.0


def bars(path):
    groups = load(path)
    for virtual, ours, peer_names in ((False, "SLUICE", PLATFORM_PEERS), (True, "SLUICE_VT", VIRTUAL_PEERS)):
        print(f"\n{'Virtual' if virtual else 'Platform'} threads: {ours} against the best of "
              f"{', '.join(peer_names)} (elements/us)\n")
        print("| capacity | shape | Sluice | best peer | ratio | bar | met? |")
        print("|---|---|---:|---:|---:|---|---|")
        for (name, params, unit, mode), rows in groups.items():
            if not name.startswith("Throughput"):
                continue
            p = dict(params)
            capacity = p.get("capacity", "0" if "Rendezvous" in name else "unbounded")
            mine = [r for r in rows if r[0] == ours]
            peers = [r for r in rows if r[0] in peer_names]
            if not mine or not peers:
                continue
            m, best = mine[0], max(peers, key=lambda r: r[1])
            ratio = m[1] / best[1]
            bar = bar_for(capacity, virtual)
            met = "yes" if ratio >= bar else "no"
            print(f"| {capacity} | {p.get('shape', '-')} | {m[1]:.2f} ± {m[2]:.2f} | "
                  f"{best[0]} {best[1]:.2f} ± {best[2]:.2f} | {ratio:.2f}x | {bar:g}x | {met} |")


def setting(params):
    p = dict(params)
    return p.get("capacity", "-"), p.get("shape", "-")


def capacity_order(key):
    capacity, shape = key
    return ({"SPSC": 0, "MPMC": 1}.get(shape, 0), int(capacity) if capacity.isdigit() else 1 << 31)


def alloc(row):
    return "" if row[3] is None else f"{row[3]:.0f}"


def fmt(row):
    return f"{row[1]:.3f} ± {row[2]:.3f}"


def coroutines(path):
    groups = load(path)
    print("\nCoroutines on Dispatchers.Default: SLUICE (SluiceChannel) against KOTLINX (Channel); "
          "the ratio is how many times faster Sluice is\n")
    print("| benchmark | capacity | shape | unit | Sluice | kotlinx | ratio | B/op Sluice | B/op kotlinx |")
    print("|---|---|---|---|---:|---:|---:|---:|---:|")
    lines = []
    for (name, params, unit, mode), rows in groups.items():
        if not name.startswith(("CoroutineThroughput", "CoroutinePingPong")):
            continue
        mine = [r for r in rows if r[0] == "SLUICE"]
        theirs = [r for r in rows if r[0] == "KOTLINX"]
        if not mine or not theirs or mine[0][1] <= 0 or theirs[0][1] <= 0:
            continue
        m, k = mine[0], theirs[0]
        ratio = m[1] / k[1] if mode == "thrpt" else k[1] / m[1]
        key = setting(params)
        lines.append(((name, capacity_order(key)),
                      f"| {name.split('.')[0]} | {key[0]} | {key[1]} | {unit} | {fmt(m)} | {fmt(k)} | "
                      f"{ratio:.2f}x | {alloc(m)} | {alloc(k)} |"))
    for _, line in sorted(lines):
        print(line)

    print("\nJava threads sending to coroutines (ThreadsToCoroutines, elements/us): SLUICE against "
          "the best of the other rows\n")
    print("| capacity | shape | Sluice | best alternative | ratio | B/op Sluice | the others |")
    print("|---|---|---:|---:|---:|---:|---|")
    lines = []
    for (name, params, unit, mode), rows in groups.items():
        if not name.startswith("ThreadsToCoroutines"):
            continue
        mine = [r for r in rows if r[0] == "SLUICE"]
        others = sorted((r for r in rows if r[0] != "SLUICE"), key=lambda r: -r[1])
        if not mine or not others or others[0][1] <= 0:
            continue
        m, best = mine[0], others[0]
        rest = ", ".join(f"{r[0]} {r[1]:.2f}" for r in others[1:])
        key = setting(params)
        lines.append((capacity_order(key),
                      f"| {key[0]} | {key[1]} | {fmt(m)} | {best[0]} {fmt(best)} | "
                      f"{m[1] / best[1]:.2f}x | {alloc(m)} | {rest} |"))
    for _, line in sorted(lines):
        print(line)


def main(path):
    groups = load(path)
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
    if sys.argv[1] == "--bars":
        bars(sys.argv[2])
    elif sys.argv[1] == "--coroutines":
        coroutines(sys.argv[2])
    else:
        main(sys.argv[1])
