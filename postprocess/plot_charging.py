#!/usr/bin/env python3
"""Fig. 12-like plots of the charging stage (Behling et al. 2024, Sect. 3.3).

usage: /usr/bin/python3 postprocess/plot_charging.py RESULTS_DIR [OUT_DIR]

Reads charging_profile.csv and charging_section.csv written by `mpstream charging` / `run`, and
writes charging_fig12.png (Delta U(z) on the left axis, E(z) on the right axis, along the anode
normal through the probe sphere; discharged state and backscatter-only state) and
charging_section.png (colour maps of Delta U and |E| in the cross-section y = y_probe).
If charging_sweep.csv is there (Charging/Sweep ...), also charging_sweep.png: |Delta U| against
the tube voltage (both states), or the stream potential against the electrode potential.
"""
import csv
import math
import sys
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402


def read(path):
    with open(path) as f:
        rows = list(csv.DictReader(f))
    text = ("region", "mode")
    cols = {k: np.array([float(r[k]) if r[k] not in ("nan", "") else math.nan for r in rows])
            for k in rows[0] if k not in text}
    for k in text:
        if k in rows[0]:
            cols[k] = [r[k] for r in rows]
    return cols


def profile_panel(ax, z_um, U, E, title):
    ax.plot(z_um, U / 1e3, color="tab:blue", label="ΔU (kV)")
    ax.set_xlabel("h = z above the anode (µm)")
    ax.set_ylabel("ΔU_stream (kV)", color="tab:blue")
    ax2 = ax.twinx()
    ax2.plot(z_um, E / 1e9, color="tab:red", label="|E| (MV/mm)")
    ax2.set_ylabel("|E| (MV/mm)", color="tab:red")
    ax.set_title(title, fontsize=10)
    ax.grid(alpha=0.3)


def main():
    src = Path(sys.argv[1])
    out = Path(sys.argv[2]) if len(sys.argv) > 2 else src
    p = read(src / "charging_profile.csv")
    z = p["z_m"] * 1e6
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    profile_panel(axes[0], z, p["potential_V"], p["E_V_per_m"],
                  "(a) discharged state (Charging/Mode), normal through the probe sphere")
    profile_panel(axes[1], z, p["potential_backscatter_only_V"], p["E_backscatter_only_V_per_m"],
                  "backscatter only")
    fig.tight_layout()
    fig.savefig(out / "charging_fig12.png", dpi=130)

    s = read(src / "charging_section.csv")
    x, zz = s["x_m"] * 1e6, s["z_m"] * 1e6
    nx = int(np.sum(np.isclose(zz, zz[0])))
    shape = (len(x) // nx, nx)
    X, Z = x.reshape(shape), zz.reshape(shape)
    fig, axes = plt.subplots(2, 2, figsize=(12, 7), sharex=True, sharey=True)
    for row, (suffix, name) in enumerate([("", "discharged"), ("_backscatter_only", "backscatter only")]):
        U = s["potential" + suffix + "_V"].reshape(shape) / 1e3
        E = s["E" + suffix + "_V_per_m"].reshape(shape) / 1e9
        m0 = axes[row, 0].pcolormesh(X, Z, U, shading="auto", cmap="viridis")
        fig.colorbar(m0, ax=axes[row, 0], label="ΔU (kV)")
        axes[row, 0].set_title(f"({'b' if row == 0 else 'd'}) ΔU, {name}", fontsize=10)
        m1 = axes[row, 1].pcolormesh(X, Z, E, shading="auto", cmap="inferno")
        fig.colorbar(m1, ax=axes[row, 1], label="|E| (MV/mm)")
        axes[row, 1].set_title(f"({'c' if row == 0 else 'e'}) |E|, {name}", fontsize=10)
    for ax in axes.flat:
        ax.set_aspect("equal")
    for ax in axes[1]:
        ax.set_xlabel("x (µm)")
    for ax in axes[:, 0]:
        ax.set_ylabel("z (µm)")
    fig.tight_layout()
    fig.savefig(out / "charging_section.png", dpi=130)
    sweep_plot(src, out)


def sweep_plot(src, out):
    path = src / "charging_sweep.csv"
    if not path.exists():
        return
    w = read(path)
    fig, ax = plt.subplots(figsize=(6.5, 4.5))
    if np.all(np.isnan(w["electrode_potential_V"])):
        U = w["tube_voltage_V"] / 1e3
        ax.plot(U, -w["backscatter_only_potential_min_V"] / 1e3, "o-", label="backscatter only")
        ax.plot(U, -w["potential_min_V"] / 1e3, "s-", label="field cap (most negative sphere)")
        ax.plot(U, U, ":", color="gray", label="|ΔU| = U_tube")
        ax.set_xlabel("U_tube (kV)")
        ax.set_ylabel("|ΔU| of the most negative sphere (kV)")
        ax.set_yscale("log")
        ax.set_title(f"stream potential vs tube voltage ({w['input_power_W'][0] / 1e3:g} kW)", fontsize=10)
    else:
        V = w["electrode_potential_V"] / 1e3
        ax.plot(V, w["probe_backscatter_only_V"] / 1e3, "o-", label="backscatter only, probe sphere")
        ax.plot(V, w["probe_V"] / 1e3, "s-", label="field cap, probe sphere")
        ax.plot(V, w["potential_min_V"] / 1e3, "^--", label="field cap, most negative sphere")
        ax.plot(V, V, ":", color="gray", label="sphere = electrode potential")
        ax.set_xlabel("electrode potential (kV)")
        ax.set_ylabel("sphere potential (kV)")
        ax.set_title("free-space stream beside an auxiliary electrode", fontsize=10)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "charging_sweep.png", dpi=130)


if __name__ == "__main__":
    main()
