#pragma once
// What the transient limits of the thermal stage (one sphere, hottest sphere of the stream)
// share: the heat-capacity limit they are compared with and the material they melt in.
#include "app/scenario.h"
#include "solver/power_limits.h"
#include "solver/thermal_material.h"

namespace mpstream::app
{
  // The stream must not melt: P_max,muP / S_muP up to T_melt, no latent heat, at tube voltage U.
  solver::PowerLimits non_melting_power_limits(const Scenario &sc, double U);

  // Without latent heat the solution is unchanged until the peak reaches T_m, and the peak
  // keeps rising smoothly beyond it (with latent heat it stalls at T_m: a poor root function).
  solver::TungstenThermalMaterial material_without_latent_heat(const Scenario &sc);
} // namespace mpstream::app
