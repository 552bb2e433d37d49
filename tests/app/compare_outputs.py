#!/usr/bin/env python3
"""compare_outputs.py GOLDEN_DIR OUTPUT_DIR [--rtol R]

Regression check of a whole run: every CSV in GOLDEN_DIR must exist in OUTPUT_DIR with the same
columns and rows, numbers equal to a relative tolerance (round-off: the default 1e-9), text
equal; every number of GOLDEN_DIR/summary.json must be found in OUTPUT_DIR/summary.json.

The golden summary may be flat (before the stages' keys were nested) and the new one nested by
stage ({"charging": {"stream_potential_min_V": ...}}): a golden key is then looked up by its
name among the leaves of the new summary. When several stages write the same name, the flat
summary held the value of the stage that ran last, so the last stage in run order that has it
is compared. Wall times (keys ending in _s, "wall_times") are not compared.
"""
import csv
import json
import math
import os
import sys

RUN_ORDER = ["mesh", "electrostatics", "charging", "power_limits", "thermal"]


def numbers_equal(a, b, rtol):
    if a == b:
        return True
    if math.isnan(a) and math.isnan(b):
        return True
    return abs(a - b) <= rtol * max(abs(a), abs(b)) + 1e-300


def as_number(text):
    try:
        return float(text)
    except ValueError:
        return None


def compare_csv(golden, output, rtol):
    with open(golden, newline="") as f:
        g_rows = list(csv.reader(f))
    with open(output, newline="") as f:
        o_rows = list(csv.reader(f))
    if g_rows[:1] != o_rows[:1]:
        return [f"columns differ: {g_rows[:1]} vs {o_rows[:1]}"]
    if len(g_rows) != len(o_rows):
        return [f"{len(g_rows) - 1} rows expected, {len(o_rows) - 1} found"]
    errors, worst = [], 0.0
    for r, (g_row, o_row) in enumerate(zip(g_rows[1:], o_rows[1:]), start=1):
        for c, (g, o) in enumerate(zip(g_row, o_row)):
            gn, on = as_number(g), as_number(o)
            if gn is None or on is None:
                if g != o:
                    errors.append(f"row {r} {g_rows[0][c]}: '{g}' vs '{o}'")
            elif not numbers_equal(gn, on, rtol):
                worst = max(worst, abs(gn - on) / max(abs(gn), abs(on)))
                if len(errors) < 5:
                    errors.append(f"row {r} {g_rows[0][c]}: {g} vs {o}")
    if worst:
        errors.append(f"largest relative difference {worst:.3e}")
    return errors


def leaves(tree, path=()):
    """(path, value) of every number, string or bool in a nested summary."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from leaves(v, path + (k,))
    elif not isinstance(tree, list):
        yield path, tree


def stage_rank(path):
    return RUN_ORDER.index(path[0]) if len(path) > 1 and path[0] in RUN_ORDER else -1


def compare_summary(golden, output, rtol):
    g = json.load(open(golden))
    o = json.load(open(output))
    by_name = {}
    for path, value in leaves(o):
        by_name.setdefault(path[-1], []).append((path, value))
    errors = []
    for path, value in leaves(g):
        name = path[-1]
        if name.endswith("_s") or "wall_times" in path or path[0] in ("scenario", "versions"):
            continue
        found = by_name.get(name)
        if not found:
            errors.append(f"summary key {'/'.join(path)} missing")
            continue
        if len(path) > 1:  # nested in the golden file too: compare the same path
            found = [f for f in found if f[0] == path] or found
        _, new = max(found, key=lambda f: stage_rank(f[0]))
        if isinstance(value, (int, float)) and not isinstance(value, bool) and isinstance(new, (int, float)):
            if not numbers_equal(float(value), float(new), rtol):
                errors.append(f"summary {'/'.join(path)}: {value} vs {new}")
        elif value != new:
            errors.append(f"summary {'/'.join(path)}: {value!r} vs {new!r}")
    return errors


def main():
    args = sys.argv[1:]
    rtol = 1e-9
    if "--rtol" in args:
        i = args.index("--rtol")
        rtol = float(args[i + 1])
        del args[i:i + 2]
    golden_dir, output_dir = args
    failures = 0
    for name in sorted(os.listdir(golden_dir)):
        golden = os.path.join(golden_dir, name)
        output = os.path.join(output_dir, name)
        if not (name.endswith(".csv") or name == "summary.json"):
            continue
        if not os.path.exists(output):
            errors = ["missing"]
        elif name == "summary.json":
            errors = compare_summary(golden, output, rtol)
        else:
            errors = compare_csv(golden, output, rtol)
        print(f"{name}: {'identical' if not errors else 'DIFFERS'}")
        for e in errors:
            print(f"  {e}")
        failures += bool(errors)
    print(f"{failures} of the golden files differ")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
