#!/usr/bin/python3
"""The coupled dwell of `mpstream charging` / `run` (Charging/Mode = dwell) over time.

Usage: plot_charging_dwell.py RESULTS_DIR [--out FILE.png]
Reads RESULTS_DIR/charging_dwell.csv (one row per time step and group: the stream, each layer)
and draws four panels against the time since the focal-spot entry (us):
  (a) most negative sphere potential per layer (kV), the stream's mean dashed;
  (b) mean sphere temperature per layer (K), hottest sphere dotted, melting point dashed;
  (c) largest emission-direction surface field per layer (MV/mm);
  (d) emitted current of each layer (A, log), beside nothing else: the beam's share is in
      charging_spheres.csv.
Does nothing (exit 0) if the run was not in dwell mode. Default output:
RESULTS_DIR/charging_dwell.png.
"""
import argparse
import csv
import os
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

T_MELT_K = 3695.0  # doc/thermal.md


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("results_dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    path = os.path.join(a.results_dir, "charging_dwell.csv")
    if not os.path.exists(path):
        return
    groups = defaultdict(lambda: defaultdict(list))
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            g = groups[row["group"]]
            for key, value in row.items():
                if key != "group":
                    g[key].append(float(value))
    layers = sorted(k for k in groups if k.startswith("layer"))
    fig, ax = plt.subplots(2, 2, figsize=(11, 7.5), sharex=True)
    for name in layers:
        g = groups[name]
        t = [x * 1e6 for x in g["time_s"]]
        label = "layer " + name[len("layer"):]
        line, = ax[0, 0].plot(t, [v / 1e3 for v in g["potential_min_V"]], label=label)
        ax[1, 0].plot(t, g["temperature_mean_K"], color=line.get_color(), label=label)
        ax[0, 1].plot(t, [F / 1e9 for F in g["emission_field_max_V_per_m"]], color=line.get_color(), label=label)
        ax[1, 1].semilogy(t, [max(I, 1e-30) for I in g["emission_current_A"]], color=line.get_color(), label=label)
    s = groups["stream"]
    t = [x * 1e6 for x in s["time_s"]]
    ax[0, 0].plot(t, [v / 1e3 for v in s["potential_mean_V"]], "k--", label="stream mean")
    ax[1, 0].plot(t, s["temperature_max_K"], "k:", label="hottest sphere")
    ax[1, 0].axhline(T_MELT_K, color="gray", ls="--", lw=0.8, label="W melting point")
    ax[1, 1].set_ylim(bottom=1e-12)
    titles = ["(a) most negative sphere potential [kV]", "(c) largest emission-direction field [MV/mm]",
              "(b) mean sphere temperature [K]", "(d) emitted current per layer [A]"]
    for axis, title in zip(ax.flat, titles):
        axis.set_title(title, fontsize=10)
        axis.grid(True, alpha=0.3)
        axis.legend(fontsize=7)
    for axis in ax[1]:
        axis.set_xlabel("time since focal-spot entry [us]")
    fig.suptitle("Coupled dwell: charge, emission and temperature of the stream")
    fig.tight_layout()
    out = a.out or os.path.join(a.results_dir, "charging_dwell.png")
    fig.savefig(out, dpi=130)
    print(out)


if __name__ == "__main__":
    main()
