#!/usr/bin/python3
"""check_outputs_doc.py DOC RESULTS_DIR [RESULTS_DIR ...]

Every summary.json key and every CSV column of the results folders must have a row in DOC
(doc/outputs.md): keys under '## summary.json' as `stage.key` (list-of-object entries as
`stage.list.[].key`), columns under '## <file>.csv'; a row's unit must be the unit its name's
suffix says (postprocess/mpstream_results.py unit_of; '–' for none). A section or row name may
hold placeholders in angle brackets for names that vary with the run, each standing for one or
more characters other than '.' (headings with one in backticks, so that Markdown shows it):
'## `mc_profile_<U>kV.csv`' documents mc_profile_132kV.csv,
`sphere_<j>_F` the column sphere_0_F, `dynamics.<history>_dynamics_steps` the key
dynamics.constant_dynamics_steps. Prints one line per missing or wrong row, naming the file and
the key or column and the section to add it to.
"""
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "postprocess"))
import mpstream_results as mr  # noqa: E402


def documented(doc_path):
    """{section: {name: unit}} from the tables of the doc."""
    sections, current = {}, None
    for line in Path(doc_path).read_text().splitlines():
        if line.startswith("## "):
            current = line[3:].strip().strip("`")  # `mc_profile_<U>kV.csv`: in backticks to render
            sections[current] = {}
        m = re.match(r"\|\s*`([^`]+)`\s*\|\s*([^|]*)\|", line)
        if m and current:
            sections[current][m.group(1)] = m.group(2).strip()
    return sections


def placeholder_pattern(name):
    """The regex of a documented name with <placeholders>, None for a plain name."""
    if "<" not in name:
        return None
    return re.compile("[^.]+?".join(re.escape(part) for part in re.split(r"<[^>]+>", name)))


def lookup(table, name):
    """table[name], else the entry of the first documented pattern that matches name, else None."""
    if name in table:
        return table[name]
    for documented_name, entry in table.items():
        pattern = placeholder_pattern(documented_name)
        if pattern and pattern.fullmatch(name):
            return entry
    return None


def summary_keys(summary):
    return {".".join("[]" if p.isdigit() else p for p in path) for path, _ in mr.summary_leaves(summary)}


def check_unit(name, unit_in_doc, where):
    expected = mr.unit_of(name.split(".")[-1]) or "–"
    return [] if unit_in_doc == expected else [f"{where}: '{name}' has unit '{unit_in_doc}' in the doc, its name says '{expected}'"]


def main():
    doc_path, folders = sys.argv[1], sys.argv[2:]
    doc = documented(doc_path)
    problems, checked = [], 0
    for folder in folders:
        if not (Path(folder) / "summary.json").exists():  # a folder no run wrote would check nothing
            problems.append(f"{folder}: no summary.json (did the run that writes it fail?)")
            continue
        r = mr.load(folder)
        rows = doc.get("summary.json", {})
        for key in sorted(summary_keys(r.summary)):
            checked += 1
            unit = lookup(rows, key)
            if unit is None:
                problems.append(f"{doc_path}: undocumented summary key '{key}' (of {folder}/summary.json): "
                                f"add '| `{key}` | {mr.unit_of(key.split('.')[-1]) or '–'} | meaning |' under '## summary.json'")
            else:
                problems += check_unit(key, unit, f"{doc_path} ## summary.json")
        for name, table in r.tables().items():
            section = name + ".csv"
            rows = lookup(doc, section)
            for column in table.names:
                checked += 1
                unit = None if rows is None else lookup(rows, column)
                if unit is None:
                    problems.append(f"{doc_path}: undocumented column '{column}' of {section} ({folder}): add "
                                    f"'| `{column}` | {mr.unit_of(column) or '–'} | meaning |' under '## {section}'")
                else:
                    problems += check_unit(column, unit, f"{doc_path} ## {section}")
    for p in dict.fromkeys(problems):
        print(p)
    print(f"{checked} keys and columns checked, {len(set(problems))} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
