#!/usr/bin/env bash
# make_figures.sh BUILD_DIR [PART ...]: regenerate doc/figures/ from committed inputs (issue 17).
# Parts (default: all), what they run, what they write into doc/figures/, and their time on 2
# cores (quiet machine; a loaded one takes 2-3 times longer):
#   fig9     mpstream power-limits + thermal (transient limits at the Table-1 voltages) on
#            inputs/fig9{a_rotor_100mps,b_aux_400mps,c_aux_1000mps}.prm, then
#            postprocess/plot_power_limits.py and plot_thermal_history.py
#            -> thermal_fig9_power_limits.png, thermal_fig11a_percent.png, thermal_history_fig9.png,
#               thermal_power_limits_fig9{a,b,c}.csv, thermal_transient_limits_mc_fig9{a,b,c}.csv
#            (measured: 43 min at load 6-7, 29 CPU-min on 2 ranks, i.e. ~15 min quiet)
#   mc       benchmarks/mc/mc_table1 (40 000 histories per voltage), then postprocess/plot_mc.py
#            -> mc_table1.{csv,png}, mc_fig11b.{csv,png}, mc_profile_100kV.{csv,png},
#               mc_bulk_backscatter.csv
#            (measured: 3 min 19 s wall, 95 s CPU at load 10-12, 2 threads; CSVs as committed but
#            for their timing column)
#   stream   mpstream thermal inputs/hybrid_132kV.prm (whole stream: periodic cell, and the finite
#            patch 'as geometry'), then postprocess/plot_stream_thermal.py
#            -> thermal_stream_132kV{,_periodic}.{csv,png}, thermal_stream_layers_132kV{,_periodic}.csv
#            (measured: 4 min 50 s at load ~6)
#   studies  mpstream charging inputs/study_free_space_electrode.prm, inputs/study_utube_sweep.prm,
#            then postprocess/plot_charging.py
#            -> charging_study_free_space_electrode.{csv,png}, charging_study_utube_sweep.{csv,png}
#            (not run through this script; doc/charging.md measured them on 1 rank of a loaded
#            machine: 1 min 48 s and 17.6 min; on 2 ranks of a quiet one perhaps 5-8 min in all)
#   default  mpstream run inputs/focal_spot_interior.prm (the default scenario; its report plots)
#            -> charging_fig12.png, charging_section.png, charging_dwell.png,
#               charging_dwell_interior.{csv,png}, charging_{profile,spheres,dwell}_default.csv,
#               and doc/headline_numbers.md (with mpstream mc inputs/mc_table1.prm at 132 kV)
#            (not run through this script; doc/performance.md: `make run` 3 min 37 s on a quiet
#            machine, 11 min 52 s loaded; the MC at 132 kV ~10 s)
# All parts: about 40 min quiet (studies and default estimated from doc/performance.md and
# doc/charging.md, not measured through this script). Work files go to BUILD_DIR/figures/.
set -euo pipefail
build=$(cd "${1:?usage: make_figures.sh BUILD_DIR [PART ...]}" && pwd); shift
parts=("$@"); [ ${#parts[@]} -eq 0 ] && parts=(fig9 mc stream studies default)
root=$(cd "$(dirname "$0")/.." && pwd); cd "$root"
fig=doc/figures; work=$build/figures; mkdir -p "$work"
py=/usr/bin/python3
ranks=${RANKS:-2}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpstream() { mpirun -np "$ranks" --oversubscribe "$build/mpstream" "$@"; }
table1_voltages="30e3, 80e3, 100e3, 120e3, 150e3, 200e3, 250e3, 300e3"

part_fig9() {
  for case in a_rotor_100mps b_aux_400mps c_aux_1000mps; do
    name=fig9${case:0:1}; out=$work/fig9/$name; rm -rf "$out"; mkdir -p "$work/fig9"
    mpstream power-limits "inputs/fig9$case.prm" -o "$out" > "$out.log" 2>&1
    mpstream thermal "inputs/fig9$case.prm" -o "$out" --set "Thermal/Transient limit voltages [V]=$table1_voltages" \
      >> "$out.log" 2>&1
    cp "$out/power_limits.csv" "$fig/thermal_power_limits_$name.csv"
    cp "$out/transient_limits.csv" "$fig/thermal_transient_limits_mc_$name.csv"
  done
  $py postprocess/plot_power_limits.py "$work/fig9" --out "$work/fig9/plots"
  $py postprocess/plot_thermal_history.py "$work/fig9" --out "$work/fig9/plots"
  cp "$work/fig9/plots/fig9_power_limits.png" "$fig/thermal_fig9_power_limits.png"
  cp "$work/fig9/plots/fig11a_percent.png" "$fig/thermal_fig11a_percent.png"
  cp "$work/fig9/plots/thermal_history.png" "$fig/thermal_history_fig9.png"
}

part_mc() {
  cmake --build "$build" -j2 --target mc_table1 > /dev/null
  out=$work/mc; rm -rf "$out"
  "$build/benchmarks/mc/mc_table1" "$out" 40000 > "$out.log" 2>&1
  $py postprocess/plot_mc.py "$out"
  for f in mc_table1 mc_fig11b mc_profile_100kV; do cp "$out/$f.csv" "$out/$f.png" "$fig/"; done
  cp "$out/mc_bulk_backscatter.csv" "$fig/"
}

part_stream() {
  for variant in periodic finite; do
    out=$work/stream_$variant; rm -rf "$out"
    if [ $variant = periodic ]; then suffix=_periodic; set_boundary="periodic cell"; else suffix=; set_boundary="as geometry"; fi
    mpstream thermal inputs/hybrid_132kV.prm -o "$out" --set "Thermal/Whole stream lateral boundary=$set_boundary" > "$out.log" 2>&1
    $py postprocess/plot_stream_thermal.py "$out"
    cp "$out/stream_thermal.csv" "$fig/thermal_stream_132kV$suffix.csv"
    cp "$out/stream_thermal.png" "$fig/thermal_stream_132kV$suffix.png"
    cp "$out/stream_thermal_layers.csv" "$fig/thermal_stream_layers_132kV$suffix.csv"
  done
}

part_studies() {
  for study in free_space_electrode utube_sweep; do
    out=$work/study_$study; rm -rf "$out"
    mpstream charging "inputs/study_$study.prm" -o "$out" > "$out.log" 2>&1
    $py postprocess/plot_charging.py "$out"
    cp "$out/charging_sweep.csv" "$fig/charging_study_$study.csv"
    cp "$out/charging_sweep.png" "$fig/charging_study_$study.png"
  done
}

part_default() {
  out=$work/default; rm -rf "$out"
  mpstream run inputs/focal_spot_interior.prm -o "$out" > "$out.log" 2>&1
  cp "$out/charging_fig12.png" "$out/charging_section.png" "$out/charging_dwell.png" "$fig/"
  cp "$out/charging_dwell.png" "$fig/charging_dwell_interior.png"
  cp "$out/charging_dwell.csv" "$fig/charging_dwell_interior.csv"
  for f in charging_profile charging_spheres charging_dwell; do cp "$out/$f.csv" "$fig/${f}_default.csv"; done
  # A fresh folder: an MC state point left there by an earlier build would be resumed, not rerun.
  rm -rf "$work/mc132"
  mpstream mc inputs/mc_table1.prm --set "Monte Carlo/Tube voltages [V]=132e3" -o "$work/mc132" > "$work/mc132.log" 2>&1
  $py postprocess/headline_numbers.py "$out" --mc "$work/mc132"
}

for part in "${parts[@]}"; do
  start=$(date +%s)
  "part_$part"
  echo "make_figures: $part done in $(( $(date +%s) - start )) s"
done
