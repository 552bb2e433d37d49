#!/usr/bin/python3
"""stage_cache_compare.py REFERENCE_DIR OUTPUT_DIR RTOL [STAGE.KEY ...]

The results of OUTPUT_DIR equal REFERENCE_DIR's (tests/app/cli_stage_cache_*.sh): every CSV of
REFERENCE_DIR and every number of its summary.json, to the relative tolerance RTOL (0: bit for
bit, as printed). Not compared: what describes the run rather than its results (the run record,
versions, the cache's own keys, earlier runs) and wall times (compare_outputs.py skips keys
ending in _s), the rank count, and the summary keys STAGE.KEY named after RTOL.
"""
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

NOT_RESULTS = ("run", "versions", "cache", "earlier_runs", "wall_times", "wall_time_s", "status", "mpi_ranks")

reference, output, rtol = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
with tempfile.TemporaryDirectory() as golden:
    for csv in reference.glob("*.csv"):
        shutil.copy(csv, golden)
    summary = json.loads((reference / "summary.json").read_text())
    for key in NOT_RESULTS:
        summary.pop(key, None)
    for name in sys.argv[4:]:
        stage, key = name.split(".", 1)
        summary.get(stage, {}).pop(key, None)
    (Path(golden) / "summary.json").write_text(json.dumps(summary))
    compare = Path(__file__).with_name("compare_outputs.py")
    sys.exit(subprocess.call([sys.executable, str(compare), golden, str(output), "--rtol", rtol]))
