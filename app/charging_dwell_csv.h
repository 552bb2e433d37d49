#pragma once
// charging_dwell.csv (Charging/Mode = dwell): the coupled dwell over time, one row per time
// step and group (the whole stream, then each layer): charges, potentials, the largest
// emission-direction surface field, emitted currents and temperatures, means and extremes,
// and the net electrostatic forces (mean components, largest |F|; from the force form).
#include "layout/stream_layout.h"
#include "solver/charging.h"

#include <filesystem>
#include <vector>

namespace mpstream::app
{
  void write_charging_dwell_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                const std::vector<solver::DwellSample> &dwell);

  // Extremes over the whole dwell and every sphere.
  struct DwellExtremes
  {
    double potential_min_V = 0, emission_current_max_A = 0, emission_current_total_max_A = 0;
    double potential_min_time_s = 0;
    double force_abs_max_N = 0; // largest |F| on a sphere over the dwell
  };
  DwellExtremes dwell_extremes(const std::vector<solver::DwellSample> &dwell);
} // namespace mpstream::app
