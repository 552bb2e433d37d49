#!/usr/bin/python3
"""The coupled dwell of the charging stage (Charging/Mode = dwell) over time.

Usage: /usr/bin/python3 postprocess/plot_charging_dwell.py RESULTS_DIR [--out DIR]

charging_dwell.csv (one row per time step and group: the stream, each layer) -> charging_dwell.png,
against the time since the focal-spot entry (µs):
  (a) most negative sphere potential per layer (kV), the stream's mean dashed;
  (b) largest emission-direction surface field per layer (MV/mm), the paper's field cap dashed;
  (c) mean sphere temperature per layer (K), hottest sphere dotted, W melting point dashed;
  (d) emitted current of each layer (A, log).
Writes nothing if the run was not in dwell mode.
"""
import numpy as np

import mpstream_results as mr
import mpstream_style as st


def plot_dwell(r, out):
    c = r.table("charging_dwell")
    group = np.array(c["group"])
    layers = sorted({g for g in group if g.startswith("layer")}, key=lambda g: int(g[len("layer"):]))
    fig, ax = st.figure(2, 2, width=11, height=7.5, sharex=True)
    for name in layers:
        m = group == name
        t = c["time_s"][m] * st.US
        label = "layer " + name[len("layer"):]
        line, = ax[0, 0].plot(t, c["potential_min_V"][m] * st.KV, label=label)
        colour = line.get_color()
        ax[0, 1].plot(t, c["emission_field_max_V_per_m"][m] * st.MV_PER_MM, color=colour, label=label)
        ax[1, 0].plot(t, c["temperature_mean_K"][m], color=colour, label=label)
        ax[1, 1].semilogy(t, np.maximum(c["emission_current_A"][m], 1e-30), color=colour, label=label)
    s = group == "stream"
    t = c["time_s"][s] * st.US
    ax[0, 0].plot(t, c["potential_mean_V"][s] * st.KV, "k--", label="stream mean")
    ax[0, 1].axhline(mr.paper_value("field_cap_V_per_m") * st.MV_PER_MM, color="k", ls="--", lw=0.8,
                     label="paper's field cap")
    ax[1, 0].plot(t, c["temperature_max_K"][s], "k:", label="hottest sphere")
    ax[1, 0].axhline(mr.paper_value("tungsten_melting_point_K"), color="gray", ls="--", lw=0.8,
                     label="W melting point")
    ax[1, 1].set_ylim(bottom=1e-12)
    ylabels = ["most negative sphere potential (kV)", "largest emission-direction field (MV/mm)",
               "mean sphere temperature (K)", "emitted current per layer (A)"]
    for a, y in zip(ax.flat, ylabels):
        a.set_ylabel(y)
        a.legend()
    for a in ax[1]:
        a.set_xlabel("time since focal-spot entry (µs)")
    fig.suptitle("Coupled dwell: charge, emission and temperature of the stream")
    st.label_panels(ax)
    return [st.save(fig, out / "charging_dwell.png")]


def plot(r, out):
    return plot_dwell(r, out) if r.has("charging_dwell") and len(r.table("charging_dwell")) else []


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
