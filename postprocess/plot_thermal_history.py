#!/usr/bin/python3
"""Maximum, mean and minimum temperature of one sphere against time (thermal stage).

Usage: /usr/bin/python3 postprocess/plot_thermal_history.py RESULTS_DIR [--out DIR]

Draws one panel per folder holding thermal_history.csv: RESULTS_DIR itself, or else each of its
subfolders (panel title: the subfolder's name; e.g. fig9a/ fig9b/ fig9c/). The focal-spot exit
(operating_point.dwell_time_s of summary.json) is dotted. Writes thermal_history.png.
"""
import mpstream_results as mr
import mpstream_style as st


def runs_in(results_dir):
    if (results_dir / "thermal_history.csv").exists():
        return [(None, mr.load(results_dir))]
    return [(d.name, mr.load(d)) for d in sorted(results_dir.iterdir())
            if (d / "thermal_history.csv").exists()]


def plot(results_dir, out):
    runs = runs_in(results_dir)
    if not runs:
        return []
    fig, ax = st.figure(1, len(runs), width=5 * len(runs), height=4.2)
    for a, (label, r) in zip(ax[0], runs):
        c = r.table("thermal_history")
        t = c["time_s"] * st.US
        for key, name in (("T_max_K", "max"), ("T_mean_K", "mean"), ("T_min_K", "min")):
            a.plot(t, c[key], label=name + " over the sphere")
        dwell = r.get("operating_point.dwell_time_s")
        if dwell:
            a.axvline(dwell * st.US, ls=":", color="k", lw=0.8, label="focal-spot exit")
        a.axhline(mr.paper_value("tungsten_melting_point_K"), color="r", lw=0.8, ls="--", label="W melting point")
        op = r.summary.get("operating_point", {})
        a.set_title(", ".join(x for x in (label, op.get("tube_voltage_V") and f"{op['tube_voltage_V'] * st.KV:g} kV",
                                          op.get("input_power_W") and f"{op['input_power_W'] * st.KW:g} kW",
                                          op.get("stream_speed_m_per_s") and f"{op['stream_speed_m_per_s']:g} m/s")
                              if x))
        a.set_xlabel("time since focal-spot entry (µs)")
        a.set_ylabel("temperature (K)")
        a.legend()
    if len(runs) > 1:
        st.label_panels(ax)
    return [st.save(fig, out / "thermal_history.png")]


def main():
    results_dir, out = st.command_line(__doc__)
    plot(results_dir, out)


if __name__ == "__main__":
    main()
