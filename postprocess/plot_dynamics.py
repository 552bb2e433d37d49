#!/usr/bin/python3
"""The spheres' motion of `mpstream dynamics` / `run` (Dynamics section) against time.

Usage: plot_dynamics.py RESULTS_DIR [--out FILE.png]
Reads RESULTS_DIR/dynamics.csv (every recorded instant and sphere) and summary.json and draws,
against the time since the focal-spot entry (ns):
  (a) the displacement |x - x0| of each layer: mean (line) and largest (dotted), nm, log-log, with the
      displacement threshold and the smallest initial gap dashed;
  (b) the mean vertical displacement z - z0 of each layer (nm; negative: towards the anode);
  (c) the largest |F| of each layer (N, log).
Does nothing (exit 0) if there is no dynamics.csv. Default output: RESULTS_DIR/dynamics.png.
"""
import argparse
import csv
import json
import math
import os
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_layers(path):
    """{layer: {t_s: [(displacement, dz, |F|) per sphere]}} and the start z of every sphere."""
    layers = defaultdict(lambda: defaultdict(list))
    z0 = {}
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            sphere, z = int(row["sphere"]), float(row["z_m"])
            z0.setdefault(sphere, z)
            force = math.sqrt(sum(float(row[k]) ** 2 for k in ("force_x_N", "force_y_N", "force_z_N")))
            layers[int(row["layer"])][float(row["t_s"])].append(
                (float(row["displacement_m"]), z - z0[sphere], force))
    return layers


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("results_dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    draw(a.results_dir, a.out)


def draw(results_dir, out=None):
    """The figure (list of the file written; empty without dynamics.csv)."""
    path = os.path.join(results_dir, "dynamics.csv")
    if not os.path.exists(path):
        return []
    summary = {}
    summary_path = os.path.join(results_dir, "summary.json")
    if os.path.exists(summary_path):
        with open(summary_path) as f:
            summary = json.load(f).get("dynamics", {})
    layers = read_layers(path)
    fig, ax = plt.subplots(1, 3, figsize=(15, 4.5), sharex=True)
    for layer in sorted(layers):
        times = sorted(layers[layer])
        t = [x * 1e9 for x in times]
        d = [layers[layer][x] for x in times]
        moved = [k for k in range(len(t)) if max(s[0] for s in d[k]) > 0]  # log axes: from the first motion
        line, = ax[0].loglog([t[k] for k in moved], [1e9 * sum(s[0] for s in d[k]) / len(d[k]) for k in moved],
                             label=f"layer {layer}")
        ax[0].loglog([t[k] for k in moved], [1e9 * max(s[0] for s in d[k]) for k in moved], ":",
                     color=line.get_color())
        ax[1].plot(t, [1e9 * sum(s[1] for s in v) / len(v) for v in d], color=line.get_color(), label=f"layer {layer}")
        ax[2].semilogy([t[k] for k in moved], [max(s[2] for s in d[k]) for k in moved], color=line.get_color(),
                       label=f"layer {layer}")
    for key, label in (("displacement_threshold_m", "threshold"), ("initial_minimum_gap_m", "smallest gap")):
        if key in summary:
            ax[0].axhline(1e9 * summary[key], ls="--", color="grey", lw=0.8)
            ax[0].text(0.02, 1e9 * summary[key], label, fontsize=8, color="grey",
                       transform=ax[0].get_yaxis_transform())
    contact = summary.get("time_to_first_contact_s")
    for axis in ax:
        if contact is not None:
            axis.axvline(contact * 1e9, ls="--", color="red", lw=0.8)
        axis.set_xlabel("time since focal-spot entry (ns)")
        axis.grid(alpha=0.3)
    ax[0].set_ylabel("displacement |x - x0| (nm): mean, max dotted")
    ax[1].set_ylabel("mean z - z0 (nm; < 0: towards the anode)")
    ax[2].set_ylabel("largest |F| (N)")
    ax[0].legend(fontsize=8)
    history = summary.get("dynamics_charge_history", "")
    fig.suptitle(f"Sphere motion, charge history '{history}', stop: {summary.get('dynamics_stop_reason', '?')}"
                 + ("" if contact is None else f", first contact at {contact * 1e9:.1f} ns (red)"))
    fig.tight_layout()
    target = out or os.path.join(results_dir, "dynamics.png")
    fig.savefig(target, dpi=120)
    plt.close(fig)
    return [target]


if __name__ == "__main__":
    main()
