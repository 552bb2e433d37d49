#include "app/thermal_limits.h"

#include "solver/tungsten_properties.h"

namespace mpstream::app
{
  solver::PowerLimits non_melting_power_limits(const Scenario &sc, double U)
  {
    auto solid = sc.power_limits.stream;
    solid.melting_allowed       = false;
    solid.maximum_temperature_K = materials::tungsten::melting_temperature;
    return solver::compute_power_limits(solid, sc.power_limits.table, U);
  }

  solver::TungstenThermalMaterial material_without_latent_heat(const Scenario &sc)
  {
    auto options = sc.thermal.material;
    options.latent_heat = false;
    return solver::TungstenThermalMaterial(options);
  }
} // namespace mpstream::app
