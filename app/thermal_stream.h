#pragma once
// The thermal stage's whole stream (Thermal/Whole stream): every sphere of the Geometry
// section's stream (made laterally periodic by default) with its own MC power grid, over all
// ranks and threads; stream_thermal.csv, stream_thermal_layers.csv, summary keys, and
// (Thermal/Transient limit) the input power at which the hottest sphere reaches T_melt.
#include "app/run_context.h"
#include "app/scenario.h"

namespace mpstream::app
{
  void run_whole_stream_thermal(const Scenario &scenario, RunContext &context);

  // The stream the whole-stream transient heats: the Geometry section's, made laterally
  // periodic (Thermal/Whole stream periodic) when it is a hexagonal patch.
  layout::StreamLayout whole_stream_layout(const Scenario &scenario, RunContext &context);
} // namespace mpstream::app
