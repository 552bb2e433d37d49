#!/usr/bin/python3
"""Plots of the power-limits, thermal and electrostatics stages of one results folder.

Usage: /usr/bin/python3 postprocess/plot_results.py RESULTS_DIR [--out DIR]

  power_limits.csv            -> power_limits.png            (a) P_max(U_tube): stream and anode limits,
                                                             (b) in % of the reference anode
  thermal_history.csv         -> thermal_history.png         probe sphere temperature over the dwell
  electrostatics_profile.csv  -> electrostatics_profile.png  (a) ΔU(h), (b) |E|(h) on the anode normal
Writes only what its inputs exist for; prints the files it wrote.
"""
import mpstream_results as mr
import mpstream_style as st


def plot_power_limits(r, out):
    c = r.table("power_limits")
    u = c["tube_voltage_V"] * st.KV
    fig, axes = st.figure(1, 2, width=11, height=4.2)
    ax, pc = axes[0]
    ax.plot(u, c["P_input_limit_anode_W"] * st.KW, "k-", label="rotating anode limit")
    ax.plot(u, c["P_input_limit_muP_nonmelting_W"] * st.KW, "b--", label="stream limit, no melting")
    ax.plot(u, c["P_input_limit_muP_melting_W"] * st.KW, "r:", label="stream limit, melting allowed")
    ax.plot(u, c["P_max_nonmelting_W"] * st.KW, "-", color="tab:green", lw=4, alpha=0.5,
            label="P_max, no melting")
    pc.plot(u, c["percent_of_reference_melting"], "r:", label="melting allowed")
    pc.plot(u, c["percent_of_reference_nonmelting"], "-", color="tab:green", lw=2, label="no melting")
    pc.axhline(100, color="k", lw=0.8)
    U_op = r.get("operating_point.tube_voltage_V")
    at_paper_point = U_op and abs(U_op - mr.paper_value("operating_tube_voltage_V")) < 1 and \
        abs((r.get("operating_point.stream_speed_m_per_s") or 0) - 100) < 1e-9
    if at_paper_point:
        P = mr.paper_value("P_max_fig9a_132kV_W")
        st.paper_point(ax, U_op * st.KV, P * st.KW, f"paper: {P * st.KW:g} kW (Fig. 9a)")
        st.paper_legend_entry(ax)
        for key, U in (("percent_of_reference_132kV", 132), ("percent_of_reference_120kV", 120)):
            st.paper_point(pc, U, mr.paper_value(key), f"paper: {mr.paper_value(key):g} % (Fig. 11a)")
        st.paper_legend_entry(pc)
    ax.set_title("Fig. 9-like: permitted input power")
    ax.set_ylabel("permitted input power (kW)")
    st.plain_log_y(ax)
    ref = mr.paper_value("reference_power_W") * st.KW
    pc.set_title("Fig. 11a-like: in % of the reference anode")
    pc.set_ylabel(f"permitted input power (% of {ref:g} kW)")
    for a in (ax, pc):
        a.set_xlabel("tube voltage U_tube (kV)")
    ax.legend()
    pc.legend(loc="lower right")
    st.label_panels(axes)
    return [st.save(fig, out / "power_limits.png")]


def plot_thermal_history(r, out):
    c = r.table("thermal_history")
    t = c["time_s"] * st.US
    fig, ax = st.figure()
    ax = ax[0, 0]
    for key, style, label in (("T_max_K", "r-", "max"), ("T_mean_K", "k-", "mean"), ("T_min_K", "b-", "min")):
        ax.plot(t, c[key], style, label=label + " over the sphere")
    ax.axhline(mr.paper_value("tungsten_melting_point_K"), color="grey", ls="--", lw=0.8,
               label="W melting point")
    dwell = r.get("operating_point.dwell_time_s")
    if dwell:
        ax.axvline(dwell * st.US, color="k", ls=":", lw=0.8, label="focal-spot exit")
    ax.set_xlabel("time since focal-spot entry (µs)")
    ax.set_ylabel("temperature of one sphere (K)")
    ax.legend()
    return [st.save(fig, out / "thermal_history.png")]


def plot_electrostatics_profile(r, out):
    c = r.table("electrostatics_profile")
    h = c["z_m"] * st.UM
    fig, ax = st.figure(1, 2, width=10, height=3.8)
    ax[0, 0].plot(h, c["potential_V"] * st.KV, "b-", label="ΔU")
    ax[0, 0].set_ylabel("potential ΔU (kV)")
    ax[0, 1].plot(h, c["E_magnitude_V_per_m"] * st.MV_PER_MM, "r-", label="|E|")
    ax[0, 1].set_ylabel("field |E| (MV/mm)")
    for a in ax[0]:
        a.set_xlabel("height above the anode h (µm)")
        a.legend()
    fig.suptitle("Electrostatics stage (uniform sphere charge): anode normal through the probe sphere")
    st.label_panels(ax)
    return [st.save(fig, out / "electrostatics_profile.png")]


def plot(r, out):
    written = []
    for name, job in (("power_limits", plot_power_limits), ("thermal_history", plot_thermal_history),
                      ("electrostatics_profile", plot_electrostatics_profile)):
        if r.has(name) and len(r.table(name)):
            written += job(r, out)
    return written


def main():
    results_dir, out = st.command_line(__doc__)
    plot(mr.load(results_dir), out)


if __name__ == "__main__":
    main()
