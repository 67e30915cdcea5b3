#!/usr/bin/env python3
"""Puts two JMH JSON runs of Sluice side by side: every Sluice row before and after, with the best
peer of the same face from the after run, and whether the row moved beyond its errors.

A row is one benchmark with one setting (capacity, shape, dispatcher, ...) and one Sluice
implementation (SLUICE, SLUICE_VT, SLUICE_CF, ...). The peers are measured once, in the after run,
so the before and after ratios share their denominator, and a row's ratio can only drop if its own
score did. A row "dropped" when the after score is worse than the before score by more than the two
99.9% errors together (the intervals do not overlap), "rose" the other way round, and is a "tie"
otherwise. Usage:

    python3 bench/tools/jmh_compare.py [--default NAME=VALUE] BEFORE.json AFTER.json [MORE_AFTER.json ...]

Several after files are read as one run (the full run is often made in parts). Rows present in only
one of the two runs are listed with a dash on the other side. A parameter that a benchmark gained
between the two commits is given its after-run default for the before rows with --default (for
example dispatcher=DEFAULT for the coroutine benchmarks, which were on Dispatchers.Default alone).
"""
import json
import sys

# The peers a Sluice row is measured against, by the Sluice row's name. JCTools (a queue that never
# parks) and the bare atomics are limits, not peers, and are left out everywhere.
LIMITS = ("JCTOOLS", "ATOMIC", "ATOMIC_PARK")
PLATFORM_PEERS = ("ABQ", "LBQ", "LTQ", "SQ", "JOX")
VIRTUAL_PEERS = ("ABQ_VT", "JOX_VT")
THREAD_BENCHMARKS = (
    "ThroughputRendezvous",
    "ThroughputBounded",
    "ThroughputUnbounded",
    "PingPongRendezvous",
    "PingPongBuffered",
)


def load(paths, defaults=None, known=None):
    rows = {}
    for path in paths:
        with open(path) as f:
            for run in json.load(f):
                bench = run["benchmark"].rsplit(".", 2)[-2]
                params = dict(run.get("params", {}))
                for name, value in (defaults or {}).items():
                    if name not in params and name in (known or {}).get(bench, ()):
                        params[name] = value
                impl = params.pop("impl", "?")
                metric = run["primaryMetric"]
                secondary = run.get("secondaryMetrics", {})
                gc = secondary.get("gc.alloc.rate.norm") or secondary.get("·gc.alloc.rate.norm")
                rows[(bench, tuple(sorted(params.items())), impl)] = {
                    "score": metric["score"],
                    "error": metric["scoreError"] if metric["scoreError"] == metric["scoreError"] else 0.0,
                    "unit": metric["scoreUnit"],
                    "alloc": gc["score"] if gc else None,
                }
    return rows


def peers_of(bench, impl):
    if bench in THREAD_BENCHMARKS:
        return VIRTUAL_PEERS if impl == "SLUICE_VT" else PLATFORM_PEERS
    return None  # every other implementation of the benchmark, limits aside


def lower_is_better(row):
    return row["unit"].startswith("ns") or row["unit"].startswith("us/")


def best_peer(after, bench, setting, impl):
    allowed = peers_of(bench, impl)
    best = None
    for (b, s, i), row in after.items():
        if b != bench or s != setting or i.startswith("SLUICE") or i in LIMITS:
            continue
        if allowed is not None and i not in allowed:
            continue
        if best is None or (row["score"] < best[1]["score"]) == lower_is_better(row):
            best = (i, row)
    return best


def speed(sluice, peer):
    """How many times faster Sluice is than the peer (peer time / Sluice time for ns/op)."""
    if lower_is_better(sluice):
        return peer["score"] / sluice["score"]
    return sluice["score"] / peer["score"]


def verdict(before, after):
    if before is None or after is None:
        return "-"
    low_b, high_b = before["score"] - before["error"], before["score"] + before["error"]
    low_a, high_a = after["score"] - after["error"], after["score"] + after["error"]
    better = lower_is_better(after)
    if high_a < low_b:
        return "rose" if better else "**dropped**"
    if low_a > high_b:
        return "**dropped**" if better else "rose"
    return "tie"


def fmt(row):
    if row is None:
        return "-"
    return f"{row['score']:.3g} ± {row['error']:.2g}"


def setting_text(setting):
    return ", ".join(f"{k}={v}" for k, v in setting) or "-"


def main(before_path, after_paths, defaults):
    after = load(after_paths)
    known = {}
    for bench, setting, _ in after:
        known.setdefault(bench, set()).update(name for name, _ in setting)
    before = load([before_path], defaults, known)
    keys = sorted(
        {k for k in list(before) + list(after) if k[2].startswith("SLUICE")},
        key=lambda k: (k[0], k[1], k[2]),
    )
    current = None
    counts = {"rose": 0, "tie": 0, "**dropped**": 0, "-": 0}
    for bench, setting, impl in keys:
        if bench != current:
            current = bench
            print(f"\n### {bench}\n")
            print("| setting | row | before | after | best peer (after run) | before / peer | after / peer | moved |")
            print("|---|---|---:|---:|---|---:|---:|---|")
        b = before.get((bench, setting, impl))
        a = after.get((bench, setting, impl))
        peer = best_peer(after, bench, setting, impl)
        peer_text, ratio_b, ratio_a = "-", "-", "-"
        if peer is not None:
            peer_text = f"{peer[0]} {fmt(peer[1])}"
            ratio_b = f"{speed(b, peer[1]):.2f}x" if b else "-"
            ratio_a = f"{speed(a, peer[1]):.2f}x" if a else "-"
        moved = verdict(b, a)
        counts[moved] += 1
        print(
            f"| {setting_text(setting)} | {impl} | {fmt(b)} | {fmt(a)} | {peer_text} | {ratio_b} | {ratio_a} | {moved} |"
        )
    print(
        f"\nRows: {counts['rose']} rose, {counts['tie']} tie, {counts['**dropped**']} dropped, "
        f"{counts['-']} in one run only."
    )


if __name__ == "__main__":
    args = sys.argv[1:]
    defaults = {}
    while args and args[0] == "--default":
        name, value = args[1].split("=", 1)
        defaults[name] = value
        args = args[2:]
    if len(args) < 2:
        sys.exit(__doc__)
    main(args[0], args[1:], defaults)
