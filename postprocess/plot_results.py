#!/usr/bin/python3
"""Plots of one mpstream results directory, for whatever its stages wrote.

Usage: /usr/bin/python3 postprocess/plot_results.py RESULTS_DIR

  power_limits.csv             -> power_limits.png       P_max(U_tube): stream and anode limits
  thermal_history.csv          -> thermal_history.png    sphere temperatures over the dwell
  electrostatics_profile.csv   -> electrostatics_profile.png   phi(z) and |E|(z) on the anode normal
(The charging stage's Fig. 12-like plots come from postprocess/plot_charging.py.)
Prints the files it wrote. Needs Debian's python3-matplotlib (run with /usr/bin/python3).
"""
import csv
import math
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read_columns(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [r[k] for r in rows] for k in rows[0]} if rows else {}


def numbers(column):
    out = []
    for x in column:
        try:
            out.append(float(x))
        except ValueError:
            out.append(math.nan)
    return out


def plot_power_limits(c, png):
    u = [x / 1e3 for x in numbers(c["tube_voltage_V"])]
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.plot(u, [p / 1e3 for p in numbers(c["P_input_limit_anode_W"])], "k-", label="anode limit")
    ax.plot(u, [p / 1e3 for p in numbers(c["P_input_limit_muP_nonmelting_W"])], "b--", label="µP limit, no melting")
    ax.plot(u, [p / 1e3 for p in numbers(c["P_input_limit_muP_melting_W"])], "r:", label="µP limit, melting allowed")
    ax.plot(u, [p / 1e3 for p in numbers(c["P_max_nonmelting_W"])], "-", color="tab:green", lw=4, alpha=0.5, label="P_max, no melting")
    ax.set_xlabel("tube voltage [kV]")
    ax.set_ylabel("input power [kW]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=130)
    plt.close(fig)


def plot_thermal_history(c, png):
    t = [x * 1e6 for x in numbers(c["time_s"])]
    fig, ax = plt.subplots(figsize=(6, 4))
    for key, style, label in (("T_max_K", "r-", "max"), ("T_mean_K", "k-", "mean"), ("T_min_K", "b-", "min")):
        ax.plot(t, numbers(c[key]), style, label=label)
    ax.axhline(3695, color="grey", ls="--", lw=0.8, label="W melting point")
    ax.set_xlabel("time [µs]")
    ax.set_ylabel("sphere temperature [K]")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(png, dpi=130)
    plt.close(fig)


def plot_profile(c, png, title):
    z = [x * 1e6 for x in numbers(c["z_m"])]
    phi = [x / 1e3 for x in numbers(c["potential_V"])]
    field = [x / 1e6 for x in numbers(c["E_magnitude_V_per_m"])]  # V/m -> MV/m = kV/mm
    fig, ax1 = plt.subplots(figsize=(6, 4))
    ax1.plot(z, phi, "b-", label="ΔU")
    ax1.set_xlabel("height above the anode h [µm]")
    ax1.set_ylabel("potential ΔU [kV]", color="b")
    ax2 = ax1.twinx()
    ax2.plot(z, field, "r-", label="|E|")
    ax2.set_ylabel("field |E| [MV/m]", color="r")
    ax1.set_title(title, fontsize=9)
    ax1.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(png, dpi=130)
    plt.close(fig)


def main():
    if len(sys.argv) != 2 or not os.path.isdir(sys.argv[1]):
        sys.exit("usage: plot_results.py RESULTS_DIR")
    d = sys.argv[1]
    jobs = [
        ("power_limits.csv", "power_limits.png", plot_power_limits),
        ("thermal_history.csv", "thermal_history.png", plot_thermal_history),
        ("electrostatics_profile.csv", "electrostatics_profile.png",
         lambda c, png: plot_profile(c, png, "electrostatics: anode normal through the probe sphere")),
    ]
    for csv_name, png_name, plot in jobs:
        path = os.path.join(d, csv_name)
        if not os.path.exists(path):
            continue
        columns = read_columns(path)
        if not columns:
            continue
        try:
            plot(columns, os.path.join(d, png_name))
            print("wrote", os.path.join(d, png_name))
        except KeyError as e:
            print(f"skipped {csv_name}: no column {e}", file=sys.stderr)


if __name__ == "__main__":
    main()
