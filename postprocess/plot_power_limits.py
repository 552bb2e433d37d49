#!/usr/bin/python3
"""Fig. 9-like and Fig. 11a-like plots of the power limits of the paper's three stream cases.

Usage: /usr/bin/python3 postprocess/plot_power_limits.py RESULTS_DIR [--out DIR]

RESULTS_DIR holds fig9a/, fig9b/, fig9c/ (each the results of `mpstream power-limits` on
inputs/fig9{a_rotor_100mps,b_aux_400mps,c_aux_1000mps}.prm: power_limits.csv, and optionally
transient_limits.csv of `mpstream thermal` with 'Transient limit voltages', drawn as stars).
Writes fig9_power_limits.png (panels (a)-(c)) and fig11a_percent.png (from fig9a). The paper's
published points (data/paper_values.csv) are overlaid as open black squares.
"""
import mpstream_results as mr
import mpstream_style as st

CASES = [("fig9a", "rotor, 100 m/s, T0 = 800 °C", [("P_max_fig9a_132kV_W", 132e3)]),
         ("fig9b", "auxiliary drive, 400 m/s, T0 = 100 °C", [("P_max_fig9b_30kV_W", 30e3)]),
         ("fig9c", "auxiliary drive, 1000 m/s, T0 = 100 °C", [])]


def panel(ax, r, title, points):
    d = r.table("power_limits")
    U = d["tube_voltage_V"] * st.KV
    ax.plot(U, d["P_input_limit_muP_nonmelting_W"] * st.KW, "o-", ms=3, label="stream, melting not allowed")
    ax.plot(U, d["P_input_limit_muP_melting_W"] * st.KW, "D-", ms=3, label="stream, melting allowed")
    ax.plot(U, d["P_input_limit_anode_W"] * st.KW, "x-", ms=4, label="rotating anode")
    ax.plot(U, d["P_max_nonmelting_W"] * st.KW, "k:", lw=1.5, label="P_max (melting not allowed)")
    if r.has("transient_limits"):
        t = r.table("transient_limits")
        ax.plot(t["tube_voltage_V"] * st.KV, t["P_input_limit_muP_transient_W"] * st.KW, "r*", ms=9,
                label="stream, peak T reaches T_melt (transient)")
    for key, U_paper in points:
        P = mr.paper_value(key)
        st.paper_point(ax, U_paper * st.KV, P * st.KW, f"paper: {P * st.KW:g} kW at {U_paper * st.KV:g} kV")
    ax.set_title(title)
    ax.set_xlabel("tube voltage U_tube (kV)")
    ax.set_ylabel("permitted input power (kW)")
    st.plain_log_y(ax)


def plot_fig9(runs, out):
    fig, ax = st.figure(1, 3, width=15, height=4.8, sharey=True)
    for a, (name, title, points) in zip(ax[0], CASES):
        panel(a, runs[name], title, points)
    st.paper_legend_entry(ax[0, 0])
    entries = {}
    for a in ax[0]:
        for handle, label in zip(*a.get_legend_handles_labels()):
            entries.setdefault(label, handle)
    fig.legend(list(entries.values()), list(entries.keys()), loc="lower center", ncol=6)
    fig.suptitle("Fig. 9-like: power limits of the hybrid target (S from the paper's Table 1, linear in U)")
    st.label_panels(ax)
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    fig.savefig(out / "fig9_power_limits.png")
    st.plt.close(fig)
    print("wrote", out / "fig9_power_limits.png")
    return [out / "fig9_power_limits.png"]


def plot_fig11a(r, out):
    d = r.table("power_limits")
    U = d["tube_voltage_V"] * st.KV
    solid, liquid = d["percent_of_reference_nonmelting"], d["percent_of_reference_melting"]
    fig, ax = st.figure(width=7, height=4.8)
    ax = ax[0, 0]
    ax.plot(U, liquid, "D-", ms=3, label="melting allowed")
    ax.plot(U, solid, "o-", ms=3, label="melting not allowed")
    stream_limited = [lim == "microparticles" for lim in d["limiting_nonmelting"]]
    ax.fill_between(U, 0, [max(s, l) for s, l in zip(solid, liquid)], where=stream_limited, color="grey",
                    alpha=0.2, step="mid", label="the stream limits (melting not allowed)")
    for key, U_paper in (("percent_of_reference_132kV", 132), ("percent_of_reference_120kV", 120)):
        st.paper_point(ax, U_paper, mr.paper_value(key), f"paper: {mr.paper_value(key):g} % at {U_paper} kV")
    st.paper_legend_entry(ax)
    ax.axhline(100, color="k", lw=0.8)
    ref = mr.paper_value("reference_power_W") * st.KW
    ax.set_xlabel("tube voltage U_tube (kV)")
    ax.set_ylabel(f"permitted input power (% of the {ref:g} kW reference)")
    ax.set_title("Fig. 11a-like: hybrid target, 100 m/s, T0 = 800 °C")
    ax.set_ylim(0, 260)
    ax.legend()
    return [st.save(fig, out / "fig11a_percent.png")]


def plot(results_dir, out):
    runs = {name: mr.load(results_dir / name) for name, _, _ in CASES}
    if not all(r.has("power_limits") for r in runs.values()):
        return []
    return plot_fig9(runs, out) + plot_fig11a(runs["fig9a"], out)


def main():
    results_dir, out = st.command_line(__doc__)
    plot(results_dir, out)


if __name__ == "__main__":
    main()
