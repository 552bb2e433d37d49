#pragma once
// What the charging stage leaves for later stages of the same run: its driver, which holds the
// responses and the force form (no second set of unit solves for the dynamics), and its result
// (the exit states and the coupled dwell's history).
#include "solver/charging.h"
#include "solver/stream_charging.h"

#include <memory>

namespace mpstream::app
{
  struct ChargingProducts
  {
    std::shared_ptr<solver::StreamCharging> driver;
    solver::ChargingResult result;
  };
} // namespace mpstream::app
