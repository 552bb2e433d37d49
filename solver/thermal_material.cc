#include "solver/thermal_material.h"

#include "common/constants.h"
#include "common/error.h"
#include "solver/tungsten_properties.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  namespace W = materials::tungsten;

  namespace
  {
    constexpr double enthalpy_reference_K = 300.0;
    constexpr double fd_step_K            = 0.01; // central differences of tabulated laws

    // C1 smoothed step 0 -> 1 over [-1, 1] and its derivative.
    double smoothstep(double x)
    {
      const double s = std::clamp(0.5 * (x + 1.0), 0.0, 1.0);
      return s * s * (3.0 - 2.0 * s);
    }
    double smoothstep_derivative(double x)
    {
      if (x <= -1.0 || x >= 1.0)
        return 0.0;
      const double s = 0.5 * (x + 1.0);
      return 0.5 * 6.0 * s * (1.0 - s);
    }
  } // namespace

  ConstantThermalMaterial::ConstantThermalMaterial(double rho_cp, double k, double h, double T_env)
    : rho_cp_(rho_cp), k_(k), h_(h), T_env_(T_env)
  {
    if (!(rho_cp > 0.0) || !(k > 0.0) || !(h >= 0.0))
      {
        std::ostringstream msg;
        msg << "ConstantThermalMaterial: rho c_p = " << rho_cp << ", k = " << k << ", h = " << h
            << " (need rho c_p > 0, k > 0, h >= 0)";
        throw InputError(msg.str());
      }
  }

  TungstenThermalMaterial::TungstenThermalMaterial(const Options &o) : o_(o)
  {
    if (!(o.melting_half_width_K > 0.0 && o.melting_half_width_K <= 100.0))
      {
        std::ostringstream msg;
        msg << "Thermal: 'Melting interval half width [K]' = " << o.melting_half_width_K
            << " is outside (0, 100] K";
        throw InputError(msg.str());
      }
    if (!(o.density_kg_per_m3 > 0.0) || !(o.emissivity_scale >= 0.0) ||
        !(o.surface_heat_transfer_W_per_m2K >= 0.0))
      throw InputError("Thermal: density must be > 0, emissivity scale and surface heat "
                       "transfer coefficient >= 0");
    W::check_temperature(o.environment_temperature_K, "environment temperature");
  }

  // The melting interval [T_m, T_m + 2 dT] starts at T_m, so the solid below T_m is exactly the
  // tabulated one and "peak temperature reaches T_m" means the onset of melting.
  double TungstenThermalMaterial::melting_centre() const
  {
    return W::melting_temperature + o_.melting_half_width_K;
  }

  double TungstenThermalMaterial::liquid_fraction(double T) const
  {
    if (!o_.latent_heat)
      return 0.0;
    return smoothstep((T - melting_centre()) / o_.melting_half_width_K);
  }

  double TungstenThermalMaterial::enthalpy(double T) const
  {
    return o_.density_kg_per_m3 *
           (W::sensible_heat(enthalpy_reference_K, T) + W::latent_heat_fusion * liquid_fraction(T));
  }

  double TungstenThermalMaterial::heat_capacity(double T) const
  {
    const double dw = o_.melting_half_width_K;
    if (!o_.latent_heat)
      return o_.density_kg_per_m3 * W::specific_heat(T);
    const double latent =
      W::latent_heat_fusion * smoothstep_derivative((T - melting_centre()) / dw) / dw;
    return o_.density_kg_per_m3 * (W::specific_heat(T) + latent);
  }

  double TungstenThermalMaterial::conductivity(double T) const { return W::thermal_conductivity(T); }

  double TungstenThermalMaterial::conductivity_derivative(double T) const
  {
    return (W::thermal_conductivity(T + fd_step_K) - W::thermal_conductivity(T - fd_step_K)) /
           (2.0 * fd_step_K);
  }

  double TungstenThermalMaterial::surface_flux(double T) const
  {
    const double Te = o_.environment_temperature_K;
    const double radiation = o_.emissivity_scale * W::total_emissivity(T) *
                             constants::stefan_boltzmann * (std::pow(T, 4) - std::pow(Te, 4));
    return radiation + o_.surface_heat_transfer_W_per_m2K * (T - Te);
  }

  double TungstenThermalMaterial::surface_flux_derivative(double T) const
  {
    return (surface_flux(T + fd_step_K) - surface_flux(T - fd_step_K)) / (2.0 * fd_step_K);
  }
} // namespace mpstream::solver
