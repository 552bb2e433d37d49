#!/usr/bin/env python3
"""Plots of the electron Monte Carlo results (issue 4) from the CSV files that
benchmarks/mc/mc_table1 (or `mpstream mc`) writes:

  mc_table1.csv (study program) or mc_table.csv (`mpstream mc`)
                       -> mc_table1.png   S_muP, S_anode, 1 - eta_E vs U_tube, ours and paper's
  mc_fig11b.csv        -> mc_fig11b.png   charging coefficient q_muP, curves A, B, C (Fig. 11b)
  mc_profile_<U>kV.csv -> mc_profile_<U>kV.png  y-integrated power density (like Fig. 6)

Usage: /usr/bin/python3 postprocess/plot_mc.py RESULTS_DIR
"""
import csv
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read_csv(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: np.array([float(r[k]) for r in rows]) for k in rows[0]} if rows else {}


# The paper's Table 1 (Behling et al., Instruments 8 (2024) 32), % of input power.
PAPER_TABLE1 = {
    "U_tube_kV": [30, 80, 100, 120, 150, 200, 250, 300],
    "paper_S_muP_percent": [56.6, 53.3, 44.9, 36.6, 21.3, 14.3, 9.5, 6.7],
    "paper_S_anode_percent": [11.9, 13.7, 20.8, 28.2, 42.6, 48.9, 50.2, 47.7],
    "paper_one_minus_etaE_percent": [68.5, 65.7, 64.8, 64.9, 64.0, 63.2, 59.7, 54.4],
}


def app_table_as_study(path):
    """mc_table.csv of `mpstream mc` (fractions) in the study program's columns (percent)."""
    a = read_csv(path)
    t = {"U_tube_kV": a["U_tube_kV"]}
    for ours, theirs in [("S_muP", "S_muP"), ("S_anode", "S_anode"),
                         ("one_minus_etaE", "one_minus_etaE_hybrid")]:
        t[ours + "_percent"] = 100 * a[theirs]
        t[ours + "_stderr_percent"] = 100 * a[theirs + "_stderr"]
    for key in PAPER_TABLE1:
        if key != "U_tube_kV":
            t[key] = np.interp(t["U_tube_kV"], PAPER_TABLE1["U_tube_kV"], PAPER_TABLE1[key],
                               left=np.nan, right=np.nan)
            known = np.isin(t["U_tube_kV"], PAPER_TABLE1["U_tube_kV"])
            t[key] = np.where(known, t[key], np.nan)
    return t


def plot_table1(directory):
    path = os.path.join(directory, "mc_table1.csv")
    app_path = os.path.join(directory, "mc_table.csv")
    if os.path.exists(path):
        t = read_csv(path)
    elif os.path.exists(app_path):
        t = app_table_as_study(app_path)
    else:
        return
    U = t["U_tube_kV"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    for key, paper, label, colour in [
        ("S_muP_percent", "paper_S_muP_percent", r"$S_{\mu P}$", "C0"),
        ("S_anode_percent", "paper_S_anode_percent", r"$S_{anode}$", "C1"),
        ("one_minus_etaE_percent", "paper_one_minus_etaE_percent", r"$1-\eta_E$ (hybrid)", "C2"),
    ]:
        err = t[key.replace("_percent", "_stderr_percent")]
        ax.errorbar(U, t[key], yerr=err, fmt="o-", color=colour, label=label + " mpstream")
        ax.plot(U, t[paper], "s--", color=colour, mfc="none", label=label + " paper Table 1")
    ax.set_xlabel("tube voltage (kV)")
    ax.set_ylabel("% of input power")
    ax.set_title("Monolayer of 5 µm W spheres resting on a W anode")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, ncol=2)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "mc_table1.png"), dpi=150)
    plt.close(fig)


def plot_fig11b(directory):
    path = os.path.join(directory, "mc_fig11b.csv")
    if not os.path.exists(path):
        return
    t = read_csv(path)
    U = t["U_tube_kV"]
    fig, ax = plt.subplots(figsize=(6.0, 4.2))
    ax.errorbar(U, t["q_A"], yerr=t["q_A_stderr"], fmt="o-", label="A: 2.5 µm above W anode")
    ax.errorbar(U, t["q_B"], yerr=t["q_B_stderr"], fmt="s-", label="B: free-standing")
    ax.errorbar(U, t["q_C"], yerr=t["q_C_stderr"], fmt="^-", label="C: B powered to A's X-ray output")
    ax.set_xlabel("tube voltage (kV)")
    ax.set_ylabel(r"$q_{\mu P}$ (electrons absorbed per primary hitting a sphere)")
    ax.set_title("Charging coefficient, cf. paper Fig. 11b")
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(directory, "mc_fig11b.png"), dpi=150)
    plt.close(fig)


def plot_profiles(directory):
    for name in sorted(os.listdir(directory)):
        if name.startswith("mc_profile_") and name.endswith("kV.csv"):
            plot_profile(os.path.join(directory, name))


def plot_profile(path):
    t = read_csv(path)
    kV = os.path.basename(path)[len("mc_profile_"):-len("kV.csv")]
    x, z, p = t["x_um"], t["z_um"], t["power_per_area_W_per_m2_per_W"]
    xs, zs = np.unique(x), np.unique(z)
    grid = p.reshape(len(zs), len(xs))
    fig, ax = plt.subplots(figsize=(5.0, 6.0))
    im = ax.pcolormesh(xs, zs, grid, shading="nearest", cmap="inferno")
    fig.colorbar(im, ax=ax, label=r"power per area, W m$^{-2}$ per W of beam")
    ax.axhline(0.0, color="w", lw=0.5)
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("z (µm), anode surface at 0")
    ax.set_title(kV + " kV, y-integrated (cf. Fig. 6)", fontsize=9)
    ax.set_aspect("equal")
    fig.tight_layout()
    fig.savefig(path[:-4] + ".png", dpi=150)
    plt.close(fig)


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else "results/mc"
    plot_table1(directory)
    plot_fig11b(directory)
    plot_profiles(directory)


if __name__ == "__main__":
    main()
