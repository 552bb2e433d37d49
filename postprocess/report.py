#!/usr/bin/python3
"""The run report: every plot of a results folder, and report.md + a self-contained report.html.

Usage: /usr/bin/python3 postprocess/report.py RESULTS_DIR [--mpstream BIN | --defaults JSON] [--no-figures]

`mpstream run` calls this at its end (rank 0). The report holds: the scenario and what it assumed
(defaults that do not hold for it flagged), the headline numbers beside the paper's with their
uncertainty (Monte Carlo standard error from summary.json, mesh error from data/mesh_error.csv),
the figures, per-layer and per-sphere tables, links to the VTU/PVD files, the timing table and
the versions. --mpstream BIN: the binary whose `print-parameters --format json` gives the
defaults (to list what the scenario changed; not inside mpirun), --defaults JSON: that output in a
file (what `mpstream run` passes). --no-figures (or no matplotlib): report.md only,
saying so in one line. Prints the path of report.md last.
"""
import argparse
import base64
import html
import json
import math
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import mpstream_results as mr  # noqa: E402

# Displayed unit -> factor from the SI unit of the key (the end-to-end test reads these back).
DISPLAY = {"kV": 1e-3, "kW": 1e-3, "MV/mm": 1e-9, "µm": 1e6, "µs": 1e6, "%": 100.0, "V": 1.0,
           "K": 1.0, "N": 1.0, "W": 1.0, "C": 1.0, "A": 1.0, "s": 1.0, "": 1.0}


def sig(x, digits=4):
    """A number with `digits` significant digits (the precision the report prints)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    if isinstance(x, str):
        return x
    if x == 0:
        return "0"
    return f"{x:.{digits}g}"


# --- the document: a list of blocks rendered twice (Markdown, HTML) ---

class Document:
    def __init__(self):
        self.blocks = []

    def heading(self, text, level=2):
        self.blocks.append(("h", level, text))

    def para(self, text):
        self.blocks.append(("p", text))

    def bullets(self, items):
        if items:
            self.blocks.append(("ul", items))

    def table(self, header, rows):
        if rows:
            self.blocks.append(("table", header, rows))

    def figure(self, path, caption):
        self.blocks.append(("fig", Path(path), caption))

    def markdown(self):
        out = []
        for b in self.blocks:
            if b[0] == "h":
                out.append("#" * b[1] + " " + b[2])
            elif b[0] == "p":
                out.append(b[1])
            elif b[0] == "ul":
                out.append("\n".join("- " + i for i in b[1]))
            elif b[0] == "table":
                out.append("| " + " | ".join(b[1]) + " |\n|" + "---|" * len(b[1]) + "\n" +
                           "\n".join("| " + " | ".join(str(c) for c in row) + " |" for row in b[2]))
            elif b[0] == "fig":
                out.append(f"![{b[2]}]({b[1].name})\n\n*{b[2]}*")
        return "\n\n".join(out) + "\n"

    def html(self, title):
        def inline(text):
            t = html.escape(text)
            parts = t.split("`")
            t = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
            while "](" in t and "[" in t:  # [text](link)
                i = t.rfind("[", 0, t.find("]("))
                j, k = t.find("](", i), t.find(")", t.find("](", i))
                if i < 0 or j < 0 or k < 0:
                    break
                t = t[:i] + f'<a href="{t[j + 2:k]}">{t[i + 1:j]}</a>' + t[k + 1:]
            return t.replace("**", "")

        out = [f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>",
               "<style>body{font-family:sans-serif;max-width:70em;margin:auto;padding:1em}"
               "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #bbb;padding:2px 6px;"
               "text-align:right}th{background:#eee}img{max-width:100%}figcaption{font-style:italic}"
               ".flag{color:#a00}</style></head><body>"]
        for b in self.blocks:
            if b[0] == "h":
                out.append(f"<h{b[1]}>{inline(b[2])}</h{b[1]}>")
            elif b[0] == "p":
                out.append(f"<p>{inline(b[1])}</p>")
            elif b[0] == "ul":
                out.append("<ul>" + "".join(f"<li>{inline(i)}</li>" for i in b[1]) + "</ul>")
            elif b[0] == "table":
                out.append("<table><tr>" + "".join(f"<th>{inline(h)}</th>" for h in b[1]) + "</tr>" +
                           "".join("<tr>" + "".join(f"<td>{inline(str(c))}</td>" for c in row) + "</tr>"
                                   for row in b[2]) + "</table>")
            elif b[0] == "fig":
                data = base64.b64encode(b[1].read_bytes()).decode()
                out.append(f"<figure><img src='data:image/png;base64,{data}' alt='{html.escape(b[2])}'>"
                           f"<figcaption>{inline(b[2])}</figcaption></figure>")
        out.append("</body></html>")
        return "\n".join(out)


# --- sections ---

def defaults_of(mpstream, defaults_file):
    """{'Section/Name': default} from `mpstream print-parameters --format json`; {} if unavailable."""
    try:
        if defaults_file:
            text = Path(defaults_file).read_text()
        elif mpstream:
            text = subprocess.run([mpstream, "print-parameters", "--format", "json"], capture_output=True,
                                  text=True, timeout=30, check=True).stdout
        else:
            return {}
    except (OSError, subprocess.SubprocessError):
        return {}
    out = {}

    def walk(node, path):
        for k, v in node.items():
            if isinstance(v, dict) and "default_value" in v:
                out["/".join(path + [k])] = v["default_value"]
            elif isinstance(v, dict):
                walk(v, path + [k])
    walk(json.loads(text), [])
    return out


def same_value(a, b):
    try:
        return all(math.isclose(float(x), float(y), rel_tol=1e-12) for x, y in
                   zip(a.split(","), b.split(","))) and len(a.split(",")) == len(b.split(","))
    except ValueError:
        return " ".join(a.split()) == " ".join(b.split())


def assumption_flags(r, prm, defaults):
    """Defaults (and choices) that do not hold for this scenario, one sentence each."""
    flags = []
    U = r.get("operating_point.tube_voltage_V")
    U_paper = mr.paper_value("operating_tube_voltage_V")
    radius = float(prm.get("Geometry/Sphere radius [m]", "2.5e-6"))
    if prm.get("Charging/Charge source") == "q_muP" and U and abs(U - U_paper) > 1:
        flags.append(f"`Charging/q_muP` = {prm.get('Charging/q_muP')} was computed by our MC at "
                     f"{U_paper * 1e-3:g} kV; this run is at {U * 1e-3:g} kV (use Charge source = monte carlo).")
    if r.get("power_limits.power_limits_S_source") == "paper Table 1" and abs(radius - 2.5e-6) > 1e-12:
        flags.append(f"the paper's Table 1 is for 2.5 µm spheres; this run has {radius * 1e6:g} µm.")
    if "Power limits/Bare anode 1 - eta_E" in prm and same_value(
            prm["Power limits/Bare anode 1 - eta_E"], defaults.get("Power limits/Bare anode 1 - eta_E", "")):
        flags.append("`Power limits/Bare anode 1 - eta_E` is our Hunger–Küchler estimate (the paper prints none; "
                     "doc/validation.md): the anode limit carries its ~1.5 % uncertainty.")
    epr = prm.get("Mesh/Elements per radius")
    if epr and defaults and not same_value(epr, defaults.get("Mesh/Elements per radius", epr)):
        flags.append(f"Mesh/Elements per radius = {epr}: the mesh errors quoted below were measured at the default "
                     f"{defaults['Mesh/Elements per radius']}.")
    speed = r.get("operating_point.stream_speed_m_per_s")
    entry = prm.get("Thermal/Entry temperature [K]")
    if speed and entry and defaults and same_value(entry, defaults.get("Thermal/Entry temperature [K]", "")) \
            and abs(speed - 100) > 1e-9:
        flags.append(f"`Thermal/Entry temperature [K]` = {entry} (800 °C) is the paper's rotor case at 100 m/s; "
                     f"this stream moves at {speed:g} m/s (the paper's auxiliary drive enters at 100 °C).")
    stderr = r.get("charging.q_muP_stderr_relative_max")
    if stderr is not None and stderr > 0.05:
        flags.append(f"the charging MC's largest relative standard error of q_µP is {100 * stderr:.1f} % (> 5 %): "
                     "raise `Monte Carlo/Histories`.")
    if r.get("mesh.mesh_poor_elements"):
        flags.append(f"{r.get('mesh.mesh_poor_elements')} poor tetrahedra (min quality "
                     f"{sig(r.get('mesh.mesh_min_quality'), 2)}): see doc/meshing.md.")
    return flags


def scenario_section(doc, r, prm, defaults):
    op = r.summary.get("operating_point", {})
    lay = r.summary.get("layout", {})
    doc.heading("Scenario")
    doc.table(["quantity", "value"], [
        ["scenario file", f"`{r.get('scenario.file', '?')}`"],
        ["overrides (--set)", ", ".join(f"`{o}`" for o in r.get("scenario.overrides", [])) or "none"],
        ["tube voltage", f"{sig(op.get('tube_voltage_V', math.nan) * 1e-3)} kV"],
        ["input power", f"{sig(op.get('input_power_W', math.nan) * 1e-3)} kW"],
        ["focal spot (width × length)", f"{sig(op.get('focal_spot_width_m', math.nan) * 1e6)} µm × "
                                        f"{sig(op.get('focal_spot_length_m', math.nan) * 1e6)} µm"],
        ["stream speed; dwell", f"{sig(op.get('stream_speed_m_per_s'))} m/s; "
                                f"{sig(op.get('dwell_time_s', math.nan) * 1e6)} µs"],
        ["spheres; layers; radius", f"{lay.get('n_spheres', '?')}; {lay.get('n_layers', '?')}; "
                                    f"{sig(float(prm.get('Geometry/Sphere radius [m]', 'nan')) * 1e6)} µm"],
        ["lateral boundary", prm.get("Geometry/Lateral boundary", "?")],
        ["charging mode; charge source", f"{prm.get('Charging/Mode', '?')}; {prm.get('Charging/Charge source', '?')}"],
        ["power limits' S coefficients", f"{r.get('power_limits.power_limits_S_source', '–')} "
                                         f"({r.get('power_limits.power_limits_S_source_reason', '')})"],
    ])
    changed = [f"`{k}` = {v}" for k, v in sorted(prm.items())
               if k in defaults and not same_value(v, defaults[k]) and not k.startswith("Output/")]
    if defaults:
        doc.para("Parameters the scenario sets away from their defaults: " + ("; ".join(changed) or "none") +
                 " (all of them: `parameters_used.prm`).")
    flags = assumption_flags(r, prm, defaults)
    doc.heading("Assumptions that do not hold for this scenario, or need care", 3)
    doc.bullets(["⚠ " + f for f in flags] or ["none found by the report's checks"])


def headline_rows(r):
    """(quantity, key, unit shown, uncertainty text, paper text) for the headline table."""
    U = r.get("operating_point.tube_voltage_V") or math.nan
    at_paper_point = abs(U - mr.paper_value("operating_tube_voltage_V")) < 1 and \
        abs((r.get("operating_point.stream_speed_m_per_s") or 0) - 100) < 1e-9
    errors = mr.mesh_errors()
    table1 = mr.paper_table1_at(U)

    def mesh(key):
        e = errors.get(key.split(".")[-1])
        return f"mesh ±{100 * e[0]:.2g} % ({e[2]})" if e else ""

    q_err = r.get("charging.q_muP_stderr_relative_max")
    rows = [
        ("stream potential, backscatter only (most negative sphere)", "charging.stream_potential_backscatter_only_min_V",
         "kV", mesh("stream_potential_backscatter_only_min_V") +
         (f"; MC q_µP ±{100 * q_err:.2g} % (largest rel. stderr)" if q_err else ""), ""),
        ("stream potential after discharge (run's mode)", "charging.stream_potential_min_V", "kV",
         f"MC q_µP ±{100 * q_err:.2g} %" if q_err else "", ""),
        ("stream potential, most negative over the dwell", "charging.stream_potential_min_over_dwell_V", "kV",
         f"MC q_µP ±{100 * q_err:.2g} %" if q_err else "", ""),
        ("stream potential, field-cap bound", "charging.bound_field_cap_stream_potential_min_V", "kV", "", ""),
        ("largest surface field, backscatter only", "charging.surface_field_backscatter_only_max_V_per_m", "MV/mm",
         mesh("surface_field_backscatter_only_max_V_per_m"), ""),
        ("largest surface field after discharge", "charging.surface_field_max_V_per_m", "MV/mm",
         mesh("surface_field_max_V_per_m"), f"field cap ~{mr.paper_value('field_cap_V_per_m') * 1e-9:g} MV/mm (Sect. 3.3)"),
        ("mean charging coefficient q_µP", "charging.q_muP_mean", "",
         f"largest rel. stderr {100 * q_err:.2g} %" if q_err else "", ""),
        ("P_max (melting not allowed)", "power_limits.P_max_W", "kW",
         "from Table 1 S and our 1 − η_E (no MC error)",
         f"{mr.paper_value('P_max_fig9a_132kV_W') * 1e-3:g} kW (Fig. 9a)" if at_paper_point else ""),
        ("P_max in % of the 25 kW reference", "power_limits.percent_of_reference", "",
         "", f"{mr.paper_value('percent_of_reference_132kV'):g} % (Fig. 11a)" if at_paper_point else ""),
        ("limiting component", "power_limits.limiting_component", "", "", ""),
        ("S_µP, stream MC (whole stream)", "thermal.stream_S_muP_monte_carlo", "", "",
         f"{table1['S_muP']:.4g} (Table 1, linear in U; a monolayer)" if table1 else ""),
        ("S_µP, MC of one sphere's heat source", "thermal.heat_source_S_muP_monte_carlo", "", "",
         f"{table1['S_muP']:.4g} (Table 1, linear in U)" if table1 else ""),
        ("hottest sphere's exit peak temperature", "thermal.stream_peak_temperature_K", "K",
         mesh("stream_peak_temperature_K"), f"W melts at {mr.paper_value('tungsten_melting_point_K'):g} K"),
        ("largest molten fraction of a sphere", "thermal.stream_molten_fraction_max", "", "", ""),
    ]
    return [row for row in rows if r.get(row[1]) is not None]


def value_text(r, key, unit):
    v = r.get(key)
    return v if isinstance(v, str) else sig(v * DISPLAY[unit])


def headline_section(doc, r):
    doc.heading("Headline numbers")
    rows = [[q, f"{value_text(r, k, u)}", u, unc, paper, f"`{k}`"] for q, k, u, unc, paper in headline_rows(r)]
    molten = molten_spheres(r)
    if molten is not None:
        rows.append(["spheres molten at the focal-spot exit", str(molten[0]), "", f"of {molten[1]}", "",
                     "`stream_thermal.csv`"])
    doc.table(["quantity", "mpstream", "unit", "uncertainty", "paper", "source"], rows)
    doc.para("Values rounded to 4 significant digits; the source column names the summary.json key "
             "(stage.key) or the CSV. Mesh errors: `data/mesh_error.csv` (from the mesh studies in doc/); "
             "paper values: `data/paper_table1.csv`, `data/paper_values.csv`.")


def molten_spheres(r):
    if not r.has("stream_thermal"):
        return None
    t = r.table("stream_thermal")
    return int(sum(t["exit_molten_fraction"] > 0)), len(t)


FIGURES = [("charging_fig12.png", "Fig. 12-like: potential and field on the anode normal through the probe sphere"),
           ("charging_section.png", "Section maps of potential and field through the probe sphere"),
           ("charging_dwell.png", "Coupled dwell over time"),
           ("charging_sweep.png", "Charging sweep"),
           ("power_limits.png", "Fig. 9- and 11a-like: permitted input power against the tube voltage"),
           ("stream_thermal.png", "Whole stream: exit temperatures of every sphere"),
           ("thermal_history.png", "One sphere's temperature over the dwell"),
           ("electrostatics_profile.png", "Electrostatics stage (uniform charge): profile on the anode normal"),
           ("mc_table1.png", "Monte Carlo against the paper's Table 1"),
           ("emission_table.png", "Emission current density")]


def figures_section(doc, r, made, note):
    doc.heading("Figures")
    if note:
        doc.para(note)
        return
    for name, caption in FIGURES:
        if (r.dir / name).exists() and name in made:
            doc.figure(r.dir / name, caption)


def layer_section(doc, r):
    if r.has("stream_thermal_layers"):
        t = r.table("stream_thermal_layers")
        q = per_layer_charging(r)
        rows = []
        for i in range(len(t)):
            L = int(t["layer"][i])
            rows.append([L, sig(t["z_m"][i] * 1e6), int(t["n_spheres"][i]),
                         sig(t["mean_sphere_power_W"][i]), sig(t["mean_exit_peak_temperature_K"][i]),
                         sig(t["max_exit_peak_temperature_K"][i]), sig(t["max_exit_molten_fraction"][i]),
                         *q.get(L, ["–"] * 3)])
        doc.heading("Per layer")
        doc.table(["layer", "z (µm)", "spheres", "mean power (W)", "mean exit peak T (K)", "max exit peak T (K)",
                   "max molten fraction", "mean q_µP", "min potential, backscatter only (kV)",
                   "min potential after discharge (kV)"], rows)


def per_layer_charging(r):
    if not r.has("charging_spheres"):
        return {}
    c = r.table("charging_spheres")
    out = {}
    for L in sorted(set(c["layer"].astype(int))):
        m = c["layer"].astype(int) == L
        out[L] = [sig(c["q_muP"][m].mean()) if "q_muP" in c else "–",
                  sig(c["potential_backscatter_only_V"][m].min() * 1e-3), sig(c["potential_V"][m].min() * 1e-3)]
    return out


def sphere_section(doc, r):
    if not r.has("charging_spheres"):
        return
    c = r.table("charging_spheres")
    th = {}
    if r.has("stream_thermal"):
        t = r.table("stream_thermal")
        th = {int(s): (t["exit_peak_temperature_K"][i], t["exit_molten_fraction"][i]) for i, s in enumerate(t["sphere"])}
    rows = []
    for i in range(len(c)):
        s = int(c["sphere"][i])
        peak, molten = th.get(s, (math.nan, math.nan))
        q = f"{sig(c['q_muP'][i])} ± {sig(c['q_muP_stderr'][i], 2)}" if "q_muP" in c else "–"
        rows.append([s, int(c["layer"][i]), sig(c["x_m"][i] * 1e6), sig(c["y_m"][i] * 1e6), sig(c["z_m"][i] * 1e6), q,
                     sig(c["potential_backscatter_only_V"][i] * 1e-3), sig(c["potential_V"][i] * 1e-3),
                     sig(c["field_abs_max_V_per_m"][i] * 1e-9), c["state"][i] if "state" in c else "–",
                     sig(peak), sig(molten)])
    doc.heading("Per sphere")
    doc.table(["sphere", "layer", "x (µm)", "y (µm)", "z (µm)", "q_µP ± stderr", "ΔU backscatter only (kV)",
               "ΔU after discharge (kV)", "max abs(E·n) after (MV/mm)", "state", "exit peak T (K)", "molten fraction"],
              rows)


def files_section(doc, r):
    doc.heading("Files")
    pvd = sorted(p.name for p in r.dir.glob("*.pvd")) + sorted(p.name for p in r.dir.glob("mesh.vtu"))
    csvs = sorted(p.name for p in r.dir.glob("*.csv"))
    doc.bullets([f"ParaView: [{n}]({n})" for n in pvd] +
                ["tables: " + ", ".join(f"[{n}]({n})" for n in csvs),
                 "[summary.json](summary.json), [parameters_used.prm](parameters_used.prm), [log.txt](log.txt); "
                 "every key and column: doc/outputs.md; ParaView notes: doc/usage.md"])


def timing_section(doc, r, report_s):
    doc.heading("Timing")
    rows = [[k[:-2] if k.endswith("_s") else k, sig(v, 3)] for k, v in r.summary.get("wall_times", {}).items()]
    rows.append(["whole run", sig(r.get("wall_time_s"), 3)])
    rows.append(["report and plots (this script)", sig(report_s, 3)])
    run = r.summary.get("run", {})
    doc.table(["stage", "wall time (s)"], rows)
    doc.para(f"{run.get('mpi_ranks', '?')} MPI rank(s) × {run.get('threads_per_rank', '?')} thread(s) on "
             f"`{run.get('host', '?')}`, started {run.get('date_utc', '?')}; command `{run.get('command_line', '?')}`.")


def versions_section(doc, r):
    doc.heading("Versions")
    v = r.summary.get("versions", {})
    doc.table(["component", "version"], [[k, f"`{x}`"] for k, x in v.items()])


def make_plots(results_dir):
    """Every plot this folder has inputs for; the names written."""
    import plot_charging
    import plot_charging_dwell
    import plot_emission_table
    import plot_mc
    import plot_results
    import plot_stream_thermal
    r = mr.load(results_dir)
    made = []
    for module in (plot_charging, plot_charging_dwell, plot_results, plot_stream_thermal, plot_mc,
                   plot_emission_table):
        made += module.plot(r, results_dir)
    import plot_dynamics
    made += plot_dynamics.draw(str(results_dir))
    return {Path(p).name for p in made}


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("results_dir")
    ap.add_argument("--mpstream", help="the mpstream binary (for the parameters' defaults)")
    ap.add_argument("--defaults", help="the output of `mpstream print-parameters --format json` in a file")
    ap.add_argument("--no-figures", action="store_true")
    a = ap.parse_args()
    start = time.monotonic()
    d = Path(a.results_dir)
    made, note = set(), ""
    if a.no_figures:
        note = "No figures: no Python with matplotlib was found when mpstream was configured."
    else:
        try:
            made = make_plots(d)
        except ImportError as e:
            note = f"No figures: {e} (install Debian's python3-matplotlib and python3-scipy)."
    r = mr.load(d)
    prm = r.parameters()
    defaults = defaults_of(a.mpstream, a.defaults)
    doc = Document()
    title = f"mpstream run report: {r.get('scenario.file', d.name)}"
    doc.heading(title, 1)
    doc.para(f"Status: **{r.get('status', '?')}**. Folder `{d}`. Behling et al., Instruments 8 (2024) 32 is "
             "\"the paper\" below.")
    scenario_section(doc, r, prm, defaults)
    headline_section(doc, r)
    figures_section(doc, r, made, note)
    layer_section(doc, r)
    sphere_section(doc, r)
    files_section(doc, r)
    timing_section(doc, r, time.monotonic() - start)
    versions_section(doc, r)
    (d / "report.md").write_text(doc.markdown())
    (d / "report.html").write_text(doc.html(title))
    print(d / "report.html")
    print(d / "report.md")


if __name__ == "__main__":
    main()
