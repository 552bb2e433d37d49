#!/usr/bin/env python3
"""J vs F for each temperature (log scale) from `mpstream emission`'s emission_table.csv.

Usage: /usr/bin/python3 postprocess/plot_emission_table.py results/emission_table/emission_table.csv [out.png]
"""
import csv
import sys
from collections import defaultdict

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt


def main():
    path = sys.argv[1]
    out = sys.argv[2] if len(sys.argv) > 2 else path.rsplit(".", 1)[0] + ".png"
    curves = defaultdict(list)
    with open(path) as f:
        for row in csv.DictReader(f):
            curves[float(row["temperature_K"])].append(
                (float(row["field_V_per_m"]), float(row["current_density_A_per_m2"]), row["regime"]))
    markers = {"cold field": "o", "thermal-field": "s", "Schottky": "^", "thermionic": "v"}
    fig, ax = plt.subplots(figsize=(7, 5))
    for T in sorted(curves):
        pts = sorted(p for p in curves[T] if p[1] > 0)
        if not pts:
            continue
        line, = ax.semilogy([p[0] / 1e9 for p in pts], [p[1] for p in pts], label=f"{T:.0f} K")
        for F, J, regime in pts:
            ax.plot(F / 1e9, J, markers.get(regime, "x"), color=line.get_color(), ms=4)
    for regime, m in markers.items():
        ax.plot([], [], m, color="gray", label=regime)
    ax.set_xlabel("barrier field F [GV/m]")
    ax.set_ylabel("current density J [A/m$^2$]")
    top = max(p[1] for c in curves.values() for p in c)
    ax.set_ylim(1e-10, 30 * top)
    ax.set_title("General thermal-field emission (Schottky-Nordheim barrier)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    fig.tight_layout()
    fig.savefig(out, dpi=150)
    print(out)


if __name__ == "__main__":
    main()
