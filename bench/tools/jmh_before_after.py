#!/usr/bin/env python3
"""Joins a before run and an after run of JMH into one JSON file, for the chart tool to draw the two
side by side: every Sluice row of the before run is renamed with a _BEFORE suffix (SLUICE becomes
SLUICE_BEFORE, SLUICE_VT becomes SLUICE_VT_BEFORE), and its other rows are dropped, since the peers
come from the after run. A before row without a parameter that the after run has (a benchmark that
gained a parameter between the two commits) takes the after run's default for it, given with
--default NAME=VALUE. Usage:

    python3 bench/tools/jmh_before_after.py [--default dispatcher=DEFAULT] BEFORE.json AFTER.json OUT.json
"""
import json
import sys


def main(args):
    defaults = {}
    while args and args[0] == "--default":
        name, value = args[1].split("=", 1)
        defaults[name] = value
        args = args[2:]
    if len(args) != 3:
        sys.exit(__doc__)
    before_path, after_path, out_path = args
    with open(before_path) as f:
        before = json.load(f)
    with open(after_path) as f:
        after = json.load(f)
    after_params = {}
    for run in after:
        after_params.setdefault(run["benchmark"], set()).update(run.get("params", {}))
    joined = []
    for run in before:
        params = run.get("params", {})
        if not params.get("impl", "").startswith("SLUICE"):
            continue
        params["impl"] = params["impl"] + "_BEFORE"
        for name in after_params.get(run["benchmark"], ()):
            if name not in params and name in defaults:
                params[name] = defaults[name]
        run["params"] = params
        joined.append(run)
    joined.extend(after)
    with open(out_path, "w") as f:
        json.dump(joined, f, indent=2)


if __name__ == "__main__":
    main(sys.argv[1:])
