#!/usr/bin/python3
"""Peak, mean and minimum sphere temperature vs time from `mpstream thermal` runs.

Usage: plot_thermal_history.py --runs LABEL=DIR [LABEL=DIR ...] --out FILE.png
Each DIR holds thermal_history.csv (time_s, T_max_K, T_min_K, T_mean_K, liquid_fraction) and
summary.json (dwell_time_s is taken from the scenario as the last heated sample, marked by a
dashed line).
"""
import argparse
import csv
import json
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--runs", nargs="+", required=True, metavar="LABEL=DIR")
    ap.add_argument("--out", required=True)
    a = ap.parse_args()
    fig, axes = plt.subplots(1, len(a.runs), figsize=(5 * len(a.runs), 4.2), squeeze=False)
    for ax, run in zip(axes[0], a.runs):
        label, d = run.split("=", 1)
        with open(os.path.join(d, "thermal_history.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        t = [float(r["time_s"]) * 1e6 for r in rows]
        for key, name in [("T_max_K", "max"), ("T_mean_K", "mean"), ("T_min_K", "min")]:
            ax.plot(t, [float(r[key]) for r in rows], label=name)
        with open(os.path.join(d, "summary.json")) as f:
            s = json.load(f).get("thermal", {})
        peak_T = s.get("exit_peak_temperature_K")
        exit_t = next((ti for ti, r in zip(t, rows) if abs(float(r["T_max_K"]) - peak_T) < 1e-6), None)
        if exit_t is not None:
            ax.axvline(exit_t, ls="--", color="k", lw=0.8)
        ax.axhline(3695, color="r", lw=0.8, ls=":", label="T_melt")
        ax.set_title(label, fontsize=10)
        ax.set_xlabel("time in/after the focal spot [us]")
        ax.set_ylabel("temperature [K]")
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(a.out, dpi=120)


if __name__ == "__main__":
    main()
