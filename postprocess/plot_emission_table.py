#!/usr/bin/python3
"""Current density J against barrier field F for each temperature (`mpstream emission`).

Usage: /usr/bin/python3 postprocess/plot_emission_table.py RESULTS_DIR [--out DIR]

emission_table.csv -> emission_table.png (log J; markers: the emission regime of each point).
"""
from collections import defaultdict

import mpstream_results as mr
import mpstream_style as st

MARKERS = {"cold field": "o", "thermal-field": "s", "Schottky": "^", "thermionic": "v"}


def plot(r, out):
    if not r.has("emission_table"):
        return []
    t = r.table("emission_table")
    curves = defaultdict(list)
    for T, F, J, regime in zip(t["temperature_K"], t["field_V_per_m"], t["current_density_A_per_m2"], t["regime"]):
        if J > 0:
            curves[T].append((F, J, regime))
    fig, ax = st.figure(width=7, height=5)
    ax = ax[0, 0]
    for T in sorted(curves):
        pts = sorted(curves[T])
        line, = ax.semilogy([p[0] * st.MV_PER_MM for p in pts], [p[1] for p in pts], label=f"{T:.0f} K")
        for F, J, regime in pts:
            ax.plot(F * st.MV_PER_MM, J, MARKERS.get(regime, "x"), color=line.get_color(), ms=4)
    for regime, m in MARKERS.items():
        ax.plot([], [], m, color="gray", label=regime)
    ax.set_xlabel("barrier field F (MV/mm)")
    ax.set_ylabel("current density J (A/m²)")
    ax.set_ylim(1e-10, 30 * max(p[1] for c in curves.values() for p in c))
    ax.set_title("General thermal-field emission (Schottky-Nordheim barrier)")
    ax.legend(ncol=2)
    return [st.save(fig, out / "emission_table.png")]


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
