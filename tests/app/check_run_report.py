#!/usr/bin/python3
"""check_run_report.py DOC RESULTS_DIR: end-to-end check of a `mpstream run` folder (issue 17).

1. Every output doc/outputs.md lists for `run` exists: the files of its '## Files' table marked
   for every command or `run` (VTU/PVD files only when Output/Write VTU is true), and every CSV
   it has a section for, unless that section's 'Written by' line says 'only'.
2. report.md and report.html exist; report.html embeds every figure report.md shows.
3. The numbers report.md prints equal summary.json's and the CSVs': each headline row (value,
   displayed unit, source key) against summary.json to the printed 4 significant digits, the
   molten-sphere count against stream_thermal.csv, each per-layer row against
   stream_thermal_layers.csv, each per-sphere row's potentials against charging_spheres.csv.
Prints one line per check; exit 1 if any fails.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "postprocess"))
import mpstream_results as mr  # noqa: E402
import report  # noqa: E402

failures = []


def check(ok, text):
    print(("ok   " if ok else "FAIL ") + text)
    if not ok:
        failures.append(text)


def close(printed, exact, digits=4):
    """printed (4 significant digits) is exact rounded."""
    return float(printed) == float(f"{exact:.{digits}g}")


def expected_outputs(doc, r):
    text = Path(doc).read_text()
    files, vtu = [], r.parameters().get("Output/Write VTU", "true") == "true"
    files_table = text.split("## Files", 1)[1].split("\n## ", 1)[0]
    for line in files_table.splitlines():
        cells = [c.strip() for c in line.split("|")[1:-1]]
        if len(cells) == 3 and ("every command" in cells[1] or "`run`" in cells[1]):
            for name in re.findall(r"`([^`*]+)`", cells[0]):
                if name.endswith((".vtu", ".pvd")) and not vtu:
                    continue
                files.append(name)
    for name, body in re.findall(r"\n## (\S+\.csv)\n(.*?)(?=\n## |\Z)", text, re.S):
        written = next((ln for ln in body.splitlines() if ln.startswith("Written by")), "")
        if "only" not in written:
            files.append(name)
    return files


def markdown_tables(md):
    """{heading: [rows as lists of cells]} of report.md."""
    tables, heading = {}, None
    for line in md.splitlines():
        if line.startswith("#"):
            heading = line.lstrip("#").strip()
        elif line.startswith("| ") and heading and not line.startswith("|---"):
            tables.setdefault(heading, []).append([c.strip() for c in line.split("|")[1:-1]])
    return {h: rows[1:] for h, rows in tables.items()}  # without the header row


def main():
    doc, folder = sys.argv[1], Path(sys.argv[2])
    r = mr.load(folder)
    for name in expected_outputs(doc, r):
        check((folder / name).exists(), f"output {name} exists")
    md_path, html_path = folder / "report.md", folder / "report.html"
    check(md_path.exists() and html_path.exists(), "report.md and report.html written")
    md, page = md_path.read_text(), html_path.read_text()
    figures = re.findall(r"!\[[^\]]*\]\(([^)]+\.png)\)", md)
    check(len(figures) >= 4, f"report.md shows {len(figures)} figures (>= 4)")
    check(page.count("data:image/png;base64,") == len(figures), "report.html embeds every figure (self-contained)")
    tables = markdown_tables(md)
    headline = tables.get("Headline numbers", [])
    check(len(headline) >= 8, f"{len(headline)} headline rows")
    for quantity, value, unit, _, _, source in headline:
        key = source.strip("`")
        if key.endswith(".csv"):
            molten = int(sum(r.table("stream_thermal")["exit_molten_fraction"] > 0))
            check(int(value) == molten, f"{quantity}: {value} = {molten} ({key})")
            continue
        exact = r.get(key)
        if isinstance(exact, str):
            check(value == exact, f"{quantity}: '{value}' = '{exact}' ({key})")
        else:
            check(close(value, exact * report.DISPLAY[unit]), f"{quantity}: {value} {unit} = {exact} ({key})")
    layers = r.table("stream_thermal_layers")
    for row in tables.get("Per layer", []):
        i = list(layers["layer"]).index(float(row[0]))
        check(close(row[4], layers["mean_exit_peak_temperature_K"][i]) and close(row[3], layers["mean_sphere_power_W"][i]),
              f"layer {row[0]}: exit peak {row[4]} K, power {row[3]} W as in stream_thermal_layers.csv")
    spheres = r.table("charging_spheres")
    rows = tables.get("Per sphere", [])
    check(len(rows) == len(spheres), f"{len(rows)} sphere rows for {len(spheres)} spheres")
    for row in rows:
        i = list(spheres["sphere"]).index(float(row[0]))
        ok = close(row[6], spheres["potential_backscatter_only_V"][i] * 1e-3) and close(row[7], spheres["potential_V"][i] * 1e-3)
        check(ok, f"sphere {row[0]}: potentials {row[6]}, {row[7]} kV as in charging_spheres.csv")
    print(f"{len(failures)} failure(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
