#include "solver/tungsten_properties.h"

#include "common/error.h"

#include <algorithm>
#include <array>
#include <sstream>
#include <utility>

namespace mpstream::materials::tungsten
{
  namespace
  {
    // Tolias (2017) c_p fits in J/(mol K); the two branches meet continuously at 3080 K.
    constexpr double cp_branch_temperature = 3080.0; // K
    constexpr double to_per_kg            = 1.0 / molar_mass;

    double cp_low_molar(double T)
    {
      return 21.868372 + 8.068661e-3 * T - 3.756196e-6 * T * T + 1.075862e-9 * T * T * T +
             1.406637e4 / (T * T);
    }
    double cp_low_molar_antiderivative(double T)
    {
      return 21.868372 * T + 8.068661e-3 * T * T / 2 - 3.756196e-6 * T * T * T / 3 +
             1.075862e-9 * T * T * T * T / 4 - 1.406637e4 / T;
    }
    double cp_high_molar(double T) { return 2.022 + 1.315e-2 * T; }
    double cp_high_molar_antiderivative(double T) { return 2.022 * T + 1.315e-2 * T * T / 2; }

    // Antiderivative of c_p [J/kg] of the solid (and of the liquid above T_melt, without the
    // latent heat), continuous, zero at 0 K by the branch constants chosen here.
    double heat_antiderivative(double T)
    {
      if (T <= cp_branch_temperature)
        return cp_low_molar_antiderivative(T) * to_per_kg;
      const double at_branch = cp_low_molar_antiderivative(cp_branch_temperature);
      if (T <= melting_temperature)
        return (at_branch + cp_high_molar_antiderivative(T) -
                cp_high_molar_antiderivative(cp_branch_temperature)) *
               to_per_kg;
      return heat_antiderivative(melting_temperature) +
             liquid_heat_capacity * (T - melting_temperature);
    }

    // Forsythe & Worthing (1925) via CRC Handbook: (T [K], total hemispherical emissivity).
    constexpr std::array<std::pair<double, double>, 19> emissivity_table{{
      {300, 0.032},  {400, 0.042},  {500, 0.053},  {600, 0.064},  {800, 0.088},
      {1000, 0.114}, {1200, 0.143}, {1400, 0.175}, {1600, 0.207}, {1800, 0.236},
      {2000, 0.260}, {2200, 0.280}, {2400, 0.298}, {2600, 0.314}, {2800, 0.329},
      {3000, 0.341}, {3200, 0.353}, {3400, 0.363}, {3600, 0.373},
    }};
  } // namespace

  void check_temperature(double T, const char *what)
  {
    if (!(T >= minimum_temperature && T <= maximum_temperature))
      {
        std::ostringstream msg;
        msg << "tungsten " << what << ": temperature " << T << " K is outside the allowed range ["
            << minimum_temperature << ", " << maximum_temperature << "] K";
        throw InputError(msg.str());
      }
  }

  double specific_heat(double T)
  {
    check_temperature(T, "specific heat");
    if (T > melting_temperature)
      return liquid_heat_capacity;
    return (T <= cp_branch_temperature ? cp_low_molar(T) : cp_high_molar(T)) * to_per_kg;
  }

  double thermal_conductivity(double T)
  {
    check_temperature(T, "thermal conductivity");
    const double t = std::min(T, melting_temperature);
    return 149.441 - 45.466e-3 * t + 13.193e-6 * t * t - 1.484e-9 * t * t * t + 3.866e6 / (t * t);
  }

  double density(double T)
  {
    check_temperature(T, "density");
    const double dT = std::min(T, melting_temperature) - density_reference_temperature;
    const double rho_g_per_cm3 = 19.25 - 2.66207e-4 * dT - 3.0595e-9 * dT * dT - 9.5185e-12 * dT * dT * dT;
    return 1000.0 * rho_g_per_cm3;
  }

  double sensible_heat(double T0, double T1)
  {
    check_temperature(T0, "sensible heat (lower limit)");
    check_temperature(T1, "sensible heat (upper limit)");
    return heat_antiderivative(T1) - heat_antiderivative(T0);
  }

  double total_emissivity(double T)
  {
    check_temperature(T, "emissivity");
    const auto &tab = emissivity_table;
    if (T <= tab.front().first)
      return tab.front().second;
    if (T >= tab.back().first)
      return tab.back().second; // held constant above 3600 K (ours)
    const auto hi = std::upper_bound(tab.begin(), tab.end(), T,
                                     [](double t, const auto &p) { return t < p.first; });
    const auto lo = hi - 1;
    const double w = (T - lo->first) / (hi->first - lo->first);
    return lo->second + w * (hi->second - lo->second);
  }
} // namespace mpstream::materials::tungsten
