#!/usr/bin/python3
"""Plots of the electron Monte Carlo (`mpstream mc`, or the study benchmarks/mc/mc_table1).

Usage: /usr/bin/python3 postprocess/plot_mc.py RESULTS_DIR [--out DIR]

  mc_table.csv (`mpstream mc`, fractions) or mc_table1.csv (study, percent)
                        -> mc_table1.png   S_muP, S_anode, 1 - eta_E against U_tube, with the
                                           paper's Table 1 (data/paper_table1.csv)
  mc_fig11b.csv         -> mc_fig11b.png   charging coefficient q_muP, curves A, B, C (Fig. 11b)
  mc_profile_<U>kV.csv  -> mc_profile_<U>kV.png  y-integrated power density (like Fig. 6)
"""
import numpy as np

import mpstream_results as mr
import mpstream_style as st


def mc_table_percent(r):
    """(U in kV, {quantity: (values %, stderr %)}) from either table form."""
    if r.has("mc_table1"):
        t = r.table("mc_table1")
        q = {k: (t[k + "_percent"], t[k + "_stderr_percent"]) for k in ("S_muP", "S_anode", "one_minus_etaE")}
    else:
        t = r.table("mc_table")
        q = {k: (100 * t[c], 100 * t[c + "_stderr"]) for k, c in
             (("S_muP", "S_muP"), ("S_anode", "S_anode"), ("one_minus_etaE", "one_minus_etaE_hybrid"))}
    return t["U_tube_kV"], q


def plot_table1(r, out):
    U, q = mc_table_percent(r)
    paper = mr.paper_table1()
    U_paper = paper["tube_voltage_V"] * st.KV
    fig, ax = st.figure(height=5.0)
    ax = ax[0, 0]
    for key, paper_key, label, colour in (("S_muP", "S_muP", r"$S_{\mu P}$", "C0"),
                                          ("S_anode", "S_anode", r"$S_{anode}$", "C1"),
                                          ("one_minus_etaE", "one_minus_etaE_hybrid", r"$1-\eta_E$ (hybrid)", "C2")):
        value, err = q[key]
        ax.errorbar(U, value, yerr=err, fmt="o-", color=colour, label=label + ", mpstream MC")
        ax.plot(U_paper, 100 * paper[paper_key], "s--", color=colour, mfc="none", label=label + ", paper Table 1")
    ax.set_xlabel("tube voltage U_tube (kV)")
    ax.set_ylabel("share of the input power (%)")
    ax.set_title("Monolayer of 5 µm W spheres on a W anode (cf. paper Table 1)")
    # Below the axes: the curves fill the panel from 30 to 300 kV and 5 to 70 %.
    ax.legend(ncol=2, loc="upper center", bbox_to_anchor=(0.5, -0.14))
    return [st.save(fig, out / "mc_table1.png")]


def plot_fig11b(r, out):
    t = r.table("mc_fig11b")
    fig, ax = st.figure(width=6.0, height=4.2)
    ax = ax[0, 0]
    for curve, fmt, label in (("A", "o-", "A: 2.5 µm above the W anode"), ("B", "s-", "B: free-standing"),
                              ("C", "^-", "C: B powered to A's X-ray output")):
        ax.errorbar(t["U_tube_kV"], t["q_" + curve], yerr=t["q_" + curve + "_stderr"], fmt=fmt, label=label)
    ax.set_xlabel("tube voltage U_tube (kV)")
    ax.set_ylabel(r"$q_{\mu P}$ (electrons absorbed per primary)")
    ax.set_title("Charging coefficient, cf. paper Fig. 11b")
    ax.legend()
    return [st.save(fig, out / "mc_fig11b.png")]


def plot_profile(r, name, out):
    t = r.table(name)
    kV = name[len("mc_profile_"):-len("kV")]
    xs, zs = np.unique(t["x_um"]), np.unique(t["z_um"])
    # In GW/m² (values of order 10): no offset label above the colour bar to collide with the title.
    grid = t["power_per_area_W_per_m2_per_W"].reshape(len(zs), len(xs)) / 1e9
    # The figure as narrow as the equal-aspect panel (a few µm wide, tens of µm deep).
    fig, ax = st.figure(width=1.8 + 4.6 * np.ptp(xs) / max(np.ptp(zs), 1e-12), height=6.0)
    ax = ax[0, 0]
    ax.grid(False)
    im = ax.pcolormesh(xs, zs, grid, shading="gouraud", cmap="inferno")
    fig.colorbar(im, ax=ax, label="power per area (GW/m² per W of beam)")
    ax.axhline(0.0, color="w", lw=0.5)
    ax.set_xlabel("x (µm)")
    ax.set_ylabel("z (µm), anode surface at 0")
    ax.set_title(f"{kV} kV, integrated over y\n(cf. paper Fig. 6)")
    ax.set_aspect("equal")
    return [st.save(fig, out / (name + ".png"))]


def plot(r, out):
    written = []
    if r.has("mc_table1") or r.has("mc_table"):
        written += plot_table1(r, out)
    if r.has("mc_fig11b"):
        written += plot_fig11b(r, out)
    for path in sorted(r.dir.glob("mc_profile_*kV.csv")):
        written += plot_profile(r, path.stem, out)
    return written


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
