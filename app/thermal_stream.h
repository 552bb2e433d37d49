#pragma once
// The thermal stage's whole stream (Thermal/Whole stream): every sphere of the Geometry
// section's stream (made laterally periodic by default) with its own MC power grid, over all
// ranks and threads; stream_thermal.csv, stream_thermal_layers.csv, summary keys, and
// (Thermal/Transient limit) the input power at which the hottest sphere reaches T_melt.
#include "app/run_context.h"
#include "app/scenario.h"
#include "solver/mc_heat_source.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"

#include <cstddef>

namespace mpstream::app
{
  void run_whole_stream_thermal(const Scenario &scenario, RunContext &context);

  // The whole-stream transient: the MC power grids of whole_stream_layout() at the operating
  // point and every sphere's transient over the dwell, with its temperature history sampled at
  // history_samples times (0: none; solve_stream_transient).
  struct WholeStreamTransient
  {
    layout::StreamLayout layout;
    solver::StreamMcSource mc;
    solver::ThermalSettings settings;
    solver::StreamThermalResult result;
    std::size_t history_samples = 0;
    unsigned threads            = 1;
    double thermal_s            = 0;
  };

  // Computed once per run and kept in the context: the charging stage's coupled dwell and the
  // thermal stage share it (a request for other history samples recomputes it).
  const WholeStreamTransient &ensure_whole_stream_transient(const Scenario &scenario, RunContext &context,
                                                            std::size_t history_samples);

  // The stream the whole-stream transient heats: the Geometry section's, made laterally
  // periodic (Thermal/Whole stream periodic) when it is a hexagonal patch.
  layout::StreamLayout whole_stream_layout(const Scenario &scenario, RunContext &context);
} // namespace mpstream::app
