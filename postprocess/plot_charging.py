#!/usr/bin/env python3
"""Fig. 12-like plots of the charging stage (Behling et al. 2024, Sect. 3.3).

usage: /usr/bin/python3 postprocess/plot_charging.py RESULTS_DIR [OUT_DIR]

Reads charging_profile.csv and charging_section.csv written by `mpstream charging` / `run`, and
writes charging_fig12.png (Delta U(z) on the left axis, E(z) on the right axis, along the anode
normal through the probe sphere; discharged state and backscatter-only state) and
charging_section.png (colour maps of Delta U and |E| in the cross-section y = y_probe).
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
    cols = {k: np.array([float(r[k]) if r[k] not in ("nan", "") else math.nan for r in rows])
            for k in rows[0] if k != "region"}
    cols["region"] = [r["region"] for r in rows]
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


if __name__ == "__main__":
    main()
