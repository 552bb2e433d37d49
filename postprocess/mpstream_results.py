"""One reader for an mpstream results folder (and the repository's reference data).

    import sys; sys.path.insert(0, "postprocess")
    import mpstream_results as mr
    r = mr.load("results/focal_spot_interior")
    r.summary["charging"]["stream_potential_min_V"]      # summary.json as a dict
    t = r.table("charging_spheres")                      # charging_spheres.csv
    t["potential_V"], t.unit("potential_V")              # numpy array, "V"
    r.tables()                                           # every CSV of the folder by name
    mr.paper_table1(), mr.paper_values(), mr.mesh_errors()   # data/*.csv

Units come from the column and key names (SI, the suffix names the unit: `_V`, `_V_per_m`, `_m`,
`_N`, `_s`, `_K`, `_W`, ...); `unit_of(name)` returns it ("" when the name carries none, e.g.
counts and fractions). Needs numpy only (Debian's python3-numpy).
"""
import csv
import json
import math
import os
from pathlib import Path

import numpy as np

REPOSITORY = Path(__file__).resolve().parent.parent
DATA_DIR = REPOSITORY / "data"

# Longest suffix first: "_V_per_m" before "_m" and "_V".
UNIT_SUFFIXES = [
    ("_V_per_m_per_C", "V/m per C"), ("_V_per_C", "V/C"), ("_W_per_m3_per_W", "W/m³ per W"),
    ("_W_per_m2_per_W", "W/m² per W"), ("_A_per_m2", "A/m²"), ("_C_per_m2", "C/m²"),
    ("_C_per_m3", "C/m³"), ("_V_per_m", "V/m"), ("_m_per_s", "m/s"), ("_kg_per_m3", "kg/m³"),
    ("_m3", "m³"), ("_m2", "m²"), ("_percent", "%"), ("_pitches", "pitches"), ("_deg", "°"),
    ("_kV", "kV"), ("_um", "µm"), ("_eV", "eV"),
    ("_m", "m"), ("_V", "V"), ("_N", "N"), ("_s", "s"), ("_K", "K"), ("_W", "W"), ("_C", "C"),
    ("_A", "A"), ("_J", "J"), ("_F", "F"), ("_kg", "kg"),
]
TEXT_COLUMNS = {"region", "mode", "group", "state", "limiting_nonmelting", "limiting_melting"}


def unit_of(name):
    """The unit a column or summary key names by its suffix, '' if none."""
    for suffix, unit in UNIT_SUFFIXES:
        if name.endswith(suffix):
            return unit
    return ""


def _number(text):
    try:
        return float(text)
    except ValueError:
        return math.nan


class Table:
    """One CSV: columns by name (numpy arrays of float, lists of str for text columns)."""

    def __init__(self, path):
        self.path = Path(path)
        with open(self.path, newline="") as f:
            rows = list(csv.reader(line for line in f if not line.startswith("#")))
        self.names = rows[0] if rows else []
        body = rows[1:]
        self.columns = {}
        for i, name in enumerate(self.names):
            values = [row[i] if i < len(row) else "" for row in body]
            numbers = [_number(v) for v in values]
            textual = name in TEXT_COLUMNS or (values and all(
                math.isnan(x) and v.strip().lower() not in ("nan", "", "-nan") for x, v in zip(numbers, values)))
            self.columns[name] = values if textual else np.array(numbers)

    def __getitem__(self, name):
        return self.columns[name]

    def __contains__(self, name):
        return name in self.columns

    def __len__(self):
        return len(next(iter(self.columns.values()))) if self.columns else 0

    def unit(self, name):
        return unit_of(name)

    def rows(self):
        """The rows as dicts (for tables in reports)."""
        return [{k: self.columns[k][i] for k in self.names} for i in range(len(self))]


class Results:
    """An mpstream results folder: summary.json, the CSVs, parameters_used.prm."""

    def __init__(self, directory):
        self.dir = Path(directory)
        path = self.dir / "summary.json"
        self.summary = json.loads(path.read_text()) if path.exists() else {}
        self._tables = {}

    def has(self, name):
        return (self.dir / (name + ".csv")).exists()

    def table(self, name):
        """The CSV `name`.csv of the folder (cached); KeyError if it is not there."""
        if name not in self._tables:
            path = self.dir / (name + ".csv")
            if not path.exists():
                raise KeyError(f"{path} does not exist")
            self._tables[name] = Table(path)
        return self._tables[name]

    def tables(self):
        return {p.stem: self.table(p.stem) for p in sorted(self.dir.glob("*.csv"))}

    def get(self, dotted, default=None):
        """summary value by 'stage.key' (e.g. 'charging.q_muP_mean'); default if absent."""
        node = self.summary
        for part in dotted.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node

    def parameters(self):
        """parameters_used.prm as {'Section/Name': 'value'} (nested subsections joined by '/')."""
        path = self.dir / "parameters_used.prm"
        return read_prm(path) if path.exists() else {}


def read_prm(path):
    values, sections = {}, []
    for line in Path(path).read_text().splitlines():
        words = line.strip()
        if words.startswith("subsection "):
            sections.append(words[len("subsection "):].strip())
        elif words == "end":
            sections.pop()
        elif words.startswith("set ") and "=" in words:
            name, value = words[4:].split("=", 1)
            values["/".join(sections + [name.strip()])] = value.strip()
    return values


def load(directory):
    return Results(directory)


def summary_leaves(tree, path=()):
    """(('stage', 'key'), value) for every leaf of a summary (lists of dicts by index)."""
    if isinstance(tree, dict):
        for k, v in tree.items():
            yield from summary_leaves(v, path + (k,))
    elif isinstance(tree, list) and tree and all(isinstance(x, dict) for x in tree):
        for i, v in enumerate(tree):
            yield from summary_leaves(v, path + (str(i),))
    else:
        yield path, tree


# --- reference data (data/*.csv): the one copy of the published values ---

def paper_table1():
    """The paper's Table 1 (data/paper_table1.csv): tube_voltage_V, S_muP, S_anode, one_minus_etaE_hybrid."""
    return Table(DATA_DIR / "paper_table1.csv")


def paper_table1_at(tube_voltage_V):
    """Table 1 linearly interpolated at a tube voltage (as the power limits use it); None outside."""
    t = paper_table1()
    u = t["tube_voltage_V"]
    if not (u[0] <= tube_voltage_V <= u[-1]):
        return None
    return {k: float(np.interp(tube_voltage_V, u, t[k])) for k in t.names if k != "tube_voltage_V"}


def paper_values():
    """Other published values (data/paper_values.csv): key -> (value, source, meaning)."""
    t = Table(DATA_DIR / "paper_values.csv")
    return {k: (float(v), s, m) for k, v, s, m in zip(t["key"], t["value"], t["source"], t["meaning"])}


def paper_value(key):
    return paper_values()[key][0]


def mesh_errors():
    """Discretisation errors at the default mesh (data/mesh_error.csv): summary key -> (relative error, resolution, source)."""
    t = Table(DATA_DIR / "mesh_error.csv")
    return {k: (float(e), r, s) for k, e, r, s in
            zip(t["summary_key"], t["relative_error"], t["resolution"], t["source"])}
