#!/usr/bin/python3
"""Whole-stream transient of `mpstream thermal` (Thermal/Whole stream = true).

Usage: plot_stream_thermal.py RESULTS_DIR [--out FILE.png]
Reads RESULTS_DIR/stream_thermal.csv (one row per sphere) and draws
  left:  exit peak (filled) and mean (open) temperature of every sphere against its layer
         (small horizontal offsets inside a layer: spheres sorted by x), melting point dashed;
  right: the spheres' lateral positions coloured by exit peak temperature, marker size by layer.
Default output: RESULTS_DIR/stream_thermal.png.
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

T_MELT_K = 3695.0  # doc/thermal.md


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("results_dir")
    ap.add_argument("--out")
    a = ap.parse_args()
    with open(os.path.join(a.results_dir, "stream_thermal.csv"), newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        raise SystemExit("stream_thermal.csv has no spheres")
    layers = sorted({int(r["layer"]) for r in rows})
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(12, 4.6))
    cmap = plt.get_cmap("viridis")
    for li, layer in enumerate(layers):
        rs = sorted((r for r in rows if int(r["layer"]) == layer), key=lambda r: float(r["x_m"]))
        n = len(rs)
        xs = [layer + 0.6 * ((i + 0.5) / n - 0.5) for i in range(n)]
        colour = cmap(li / max(len(layers) - 1, 1))
        ax.scatter(xs, [float(r["exit_peak_temperature_K"]) for r in rs], color=colour, s=18,
                   label=f"layer {layer}: exit peak")
        ax.scatter(xs, [float(r["exit_mean_temperature_K"]) for r in rs], facecolors="none",
                   edgecolors=colour, s=18)
    ax.axhline(T_MELT_K, ls="--", color="k", lw=0.8)
    ax.text(layers[0] - 0.4, T_MELT_K - 60, "T_melt", fontsize=8)
    ax.set_xticks(layers)
    ax.set_xlabel("layer (0 = lowest, next to the anode)")
    ax.set_ylabel("temperature at the focal-spot exit (K)")
    ax.set_title("each sphere: peak (filled), mean (open)")
    ax.legend(fontsize=7, loc="lower left")
    sc = ax2.scatter([float(r["x_m"]) * 1e6 for r in rows], [float(r["y_m"]) * 1e6 for r in rows],
                     c=[float(r["exit_peak_temperature_K"]) for r in rows], cmap="inferno",
                     s=[25 + 25 * int(r["layer"]) for r in rows], edgecolors="k", linewidths=0.3)
    fig.colorbar(sc, ax=ax2, label="exit peak temperature (K)")
    ax2.set_aspect("equal")
    ax2.set_xlabel("x, along the motion (um)")
    ax2.set_ylabel("y (um)")
    ax2.set_title("lateral positions (marker size: layer)")
    fig.tight_layout()
    out = a.out or os.path.join(a.results_dir, "stream_thermal.png")
    fig.savefig(out, dpi=130)
    print(out)


if __name__ == "__main__":
    main()
