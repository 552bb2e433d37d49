#!/usr/bin/python3
"""Fig. 9-like and Fig. 11a-like plots from the power_limits.csv files of `mpstream power-limits`.

Usage: plot_power_limits.py --fig9 DIR_9a DIR_9b DIR_9c --out-dir DIR
                            [--transient-limits CSV_9a CSV_9b CSV_9c]
Each DIR holds power_limits.csv. Writes fig9_power_limits.png and fig11a_percent.png.
The optional transient_limits.csv files (`mpstream thermal` with 'Transient limit voltages')
add the stream limit "peak temperature reaches T_melt" as stars; '-' skips a panel.
The paper's published points (Behling et al., Instruments 8 (2024) 32) are overlaid as open
black markers, labelled, for comparison only.
"""
import argparse
import csv
import os

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def read(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    return {k: [r[k] for r in rows] for k in rows[0]}


def num(col):
    return [float(x) for x in col]


def panel(ax, data, title, paper_points, transient=None):
    U = [u / 1e3 for u in num(data["tube_voltage_V"])]
    ax.plot(U, [p / 1e3 for p in num(data["P_input_limit_muP_nonmelting_W"])], "o-", ms=3,
            label="stream, melting not allowed")
    ax.plot(U, [p / 1e3 for p in num(data["P_input_limit_muP_melting_W"])], "D-", ms=3,
            label="stream, melting allowed")
    ax.plot(U, [p / 1e3 for p in num(data["P_input_limit_anode_W"])], "x-", ms=4,
            label="rotating anode")
    ax.plot(U, [p / 1e3 for p in num(data["P_max_nonmelting_W"])], "k:", lw=1.5,
            label="P_max (non-melting)")
    if transient:
        ax.plot([u / 1e3 for u in num(transient["tube_voltage_V"])],
                [p / 1e3 for p in num(transient["P_input_limit_muP_transient_W"])], "r*", ms=9,
                label="stream, peak T reaches T_melt (transient, MC source)")
    for (u, p, text) in paper_points:
        ax.plot([u], [p], "ks", mfc="none", ms=9)
        ax.annotate(text, (u, p), textcoords="offset points", xytext=(6, 6), fontsize=8)
    ax.set_title(title, fontsize=10)
    ax.set_xlabel("tube voltage U_tube [kV]")
    ax.set_ylabel("permitted input power [kW]")
    ax.set_yscale("log")
    ax.grid(True, which="both", alpha=0.3)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--fig9", nargs=3, required=True, metavar="DIR")
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--transient-limits", nargs=3, default=["-", "-", "-"], metavar="CSV")
    a = ap.parse_args()
    os.makedirs(a.out_dir, exist_ok=True)
    data = [read(os.path.join(d, "power_limits.csv")) for d in a.fig9]

    fig, axes = plt.subplots(1, 3, figsize=(15, 4.8), sharey=True)
    titles = ["(a) rotor, 100 m/s, T0 = 800 C", "(b) auxiliary, 400 m/s, T0 = 100 C",
              "(c) auxiliary, 1000 m/s, T0 = 100 C"]
    paper = [[(132, 46.2, "paper: 46.2 kW @ 132 kV")], [(30, 118, "paper: 118 kW @ 30 kV")], []]
    transients = [read(c) if c != "-" and os.path.exists(c) else None for c in a.transient_limits]
    for ax, d, t, p, tr in zip(axes, data, titles, paper, transients):
        panel(ax, d, t, p, tr)
    handles, labels = max((ax.get_legend_handles_labels() for ax in axes), key=lambda hl: len(hl[0]))
    fig.legend(handles, labels, loc="lower center", ncol=5, fontsize=8)
    fig.suptitle("mpstream: power limits of the hybrid target (S from paper Table 1, linear in U)")
    fig.tight_layout(rect=(0, 0.07, 1, 1))
    fig.savefig(os.path.join(a.out_dir, "fig9_power_limits.png"), dpi=130)

    d = data[0]
    U = [u / 1e3 for u in num(d["tube_voltage_V"])]
    solid = num(d["percent_of_reference_nonmelting"])
    liquid = num(d["percent_of_reference_melting"])
    fig, ax = plt.subplots(figsize=(7, 4.8))
    ax.plot(U, liquid, "D-", ms=3, label="melting allowed")
    ax.plot(U, solid, "o-", ms=3, label="melting not allowed")
    stream_limited = [lim == "microparticles" for lim in d["limiting_nonmelting"]]
    ax.fill_between(U, 0, [max(s, l) for s, l in zip(solid, liquid)], where=stream_limited,
                    color="grey", alpha=0.2, step="mid", label="stream limits (non-melting)")
    for (u, p, text) in [(132, 186, "paper: 186 % @ 132 kV"), (120, 224, "paper: 224 % @ 120 kV")]:
        ax.plot([u], [p], "ks", mfc="none", ms=9)
        ax.annotate(text, (u, p), textcoords="offset points", xytext=(6, 4), fontsize=8)
    i, j = max(range(len(solid)), key=solid.__getitem__), max(range(len(liquid)), key=liquid.__getitem__)
    ax.annotate(f"ours: {solid[i]:.0f} % @ {U[i]:.0f} kV", (U[i], solid[i]), xytext=(10, -18),
                textcoords="offset points", fontsize=8, color="C1")
    ax.annotate(f"ours: {liquid[j]:.0f} % @ {U[j]:.0f} kV", (U[j], liquid[j]), xytext=(10, 8),
                textcoords="offset points", fontsize=8, color="C0")
    ax.axhline(100, color="k", lw=0.8)
    ax.set_xlabel("tube voltage U_tube [kV]")
    ax.set_ylabel("permitted input power [% of 25 kW reference]")
    ax.set_title("Fig. 11a-like: hybrid target, 100 m/s, T0 = 800 C")
    ax.set_ylim(0, 260)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(os.path.join(a.out_dir, "fig11a_percent.png"), dpi=130)


if __name__ == "__main__":
    main()
