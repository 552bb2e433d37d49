#pragma once
// Each sphere's temperature over the dwell for the coupled charging dwell (Charging/Mode =
// dwell): the whole-stream thermal transient (solver/stream_thermal.h) of the charging stage's
// own layout, every sphere heated by its own MC power grid at the operating point, sampled at
// equally spaced times from the focal-spot entry to the exit. The emission temperature of a
// sphere is its volume mean: a 5 um W sphere equalises in ~0.1 us (r^2 / alpha), far below
// the 4.5 us dwell, so its surface follows the mean (the peak is reported beside it).
#include "app/run_context.h"
#include "app/scenario.h"

#include <cstddef>
#include <vector>

namespace mpstream::app
{
  struct DwellTemperatures
  {
    std::vector<std::vector<double>> mean_K, peak_K; // [sphere][sample]
    double monte_carlo_s = 0, thermal_s = 0;
  };

  // Collective over context.comm; every rank gets the same histories.
  DwellTemperatures dwell_temperatures(const Scenario &scenario, const layout::StreamLayout &layout,
                                       std::size_t samples, RunContext &context);
} // namespace mpstream::app
