#!/usr/bin/python3
"""Whole-stream transient of the thermal stage (Thermal/Whole stream = true).

Usage: /usr/bin/python3 postprocess/plot_stream_thermal.py RESULTS_DIR [--out DIR]

stream_thermal.csv (one row per sphere) -> stream_thermal.png:
  (a) exit peak (filled) and mean (open) temperature of every sphere against its layer (small
      offsets inside a layer: spheres sorted by x), the W melting point dashed;
  (b) the spheres' lateral positions coloured by exit peak temperature, marker size by layer.
"""
import mpstream_results as mr
import mpstream_style as st


def plot_stream(r, out):
    c = r.table("stream_thermal")
    layer = c["layer"].astype(int)
    layers = sorted(set(layer))
    fig, ax = st.figure(1, 2, width=11, height=4.4)
    a, b = ax[0]
    cmap = st.plt.get_cmap("viridis")
    for li, L in enumerate(layers):
        idx = sorted((i for i in range(len(layer)) if layer[i] == L), key=lambda i: c["x_m"][i])
        n = len(idx)
        xs = [L + 0.6 * ((k + 0.5) / n - 0.5) for k in range(n)]
        colour = cmap(li / max(len(layers) - 1, 1))
        a.scatter(xs, c["exit_peak_temperature_K"][idx], color=colour, s=18, label=f"layer {L}: exit peak")
        a.scatter(xs, c["exit_mean_temperature_K"][idx], facecolors="none", edgecolors=colour, s=18)
    a.scatter([], [], facecolors="none", edgecolors="grey", s=18, label="exit mean (open)")
    a.axhline(mr.paper_value("tungsten_melting_point_K"), ls="--", color="k", lw=0.8, label="W melting point")
    a.set_xticks(layers)
    a.set_xlabel("layer (0 = lowest, next to the anode)")
    a.set_ylabel("temperature at the focal-spot exit (K)")
    a.set_title("Every sphere: peak (filled), mean (open)")
    a.legend(loc="lower left")
    sc = b.scatter(c["x_m"] * st.UM, c["y_m"] * st.UM, c=c["exit_peak_temperature_K"], cmap="inferno",
                   s=25 + 25 * layer, edgecolors="k", linewidths=0.3)
    fig.colorbar(sc, ax=b, label="exit peak temperature (K)")
    b.set_aspect("equal")
    b.set_xlabel("x, along the motion (µm)")
    b.set_ylabel("y (µm)")
    b.set_title("Lateral positions (marker size: layer)")
    st.label_panels(ax)
    return [st.save(fig, out / "stream_thermal.png")]


def plot(r, out):
    return plot_stream(r, out) if r.has("stream_thermal") and len(r.table("stream_thermal")) else []


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
