#include "solver/power_limits.h"

#include "common/constants.h"
#include "common/error.h"
#include "solver/tungsten_properties.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  namespace
  {
    [[noreturn]] void fail(const std::string &quantity, double value, const std::string &allowed)
    {
      throw QuantityError(quantity, QuantityError::text(value), "must be " + allowed);
    }

    void check_fraction(const std::string &name, double v, bool zero_allowed)
    {
      if (!(v <= 1.0 && (zero_allowed ? v >= 0.0 : v > 0.0)))
        fail(name, v, zero_allowed ? "[0, 1]" : "(0, 1]");
    }
  } // namespace

  void ShieldingTable::validate() const
  {
    const std::size_t n = tube_voltage_V.size();
    if (n < 2)
      fail("shielding_table_rows", static_cast<double>(n), ">= 2");
    if (S_muP.size() != n || S_anode.size() != n || one_minus_etaE_bare_anode.size() != n)
      fail("shielding_table_column_length", static_cast<double>(n),
           "the same for every column (one value per tube voltage)");
    for (std::size_t i = 0; i < n; ++i)
      {
        if (!(tube_voltage_V[i] > 0.0))
          fail("shielding_table_tube_voltage_V", tube_voltage_V[i], "> 0");
        if (i > 0 && !(tube_voltage_V[i] > tube_voltage_V[i - 1]))
          fail("shielding_table_tube_voltage_V", tube_voltage_V[i], "strictly increasing");
        check_fraction("shielding_table_S_muP", S_muP[i], false);
        check_fraction("shielding_table_S_anode", S_anode[i], false);
        check_fraction("shielding_table_one_minus_etaE_bare_anode", one_minus_etaE_bare_anode[i], false);
        check_fraction("shielding_table_S_muP_plus_S_anode", S_muP[i] + S_anode[i], false);
      }
  }

  void StreamParameters::validate() const
  {
    if (!(sphere_radius_m > 0.0 && sphere_radius_m < 1e-3))
      fail("sphere_radius_m", sphere_radius_m, "in (0, 1e-3)");
    solver::validate(operating_point);
    if (!(density_kg_per_m3 > 0.0))
      fail("tungsten_density_kg_per_m3", density_kg_per_m3, "> 0");
    if (!(reference_anode_power_W > 0.0))
      fail("reference_anode_power_W", reference_anode_power_W, "> 0");
    const double Tm = materials::tungsten::melting_temperature;
    const double T_hi = melting_allowed ? materials::tungsten::maximum_temperature : Tm;
    if (!(entry_temperature_K >= materials::tungsten::minimum_temperature &&
          entry_temperature_K < maximum_temperature_K))
      fail("entry_temperature_K", entry_temperature_K, "in [200 K, maximum temperature)");
    if (!(maximum_temperature_K <= T_hi))
      fail("maximum_temperature_K", maximum_temperature_K,
           melting_allowed ? "<= 6000 K" : "<= 3695 K (melting not allowed)");
    if (melting_allowed && maximum_temperature_K < Tm)
      fail("maximum_temperature_K", maximum_temperature_K, ">= 3695 K when melting is allowed");
  }

  std::string to_string(LimitingComponent c)
  {
    return c == LimitingComponent::anode ? "anode" : "microparticles";
  }

  ShieldingCoefficients interpolate(const ShieldingTable &t, double U)
  {
    const auto &u = t.tube_voltage_V;
    if (!(U >= u.front() && U <= u.back()))
      fail("tube_voltage_V", U,
           "in [" + QuantityError::text(u.front()) + ", " + QuantityError::text(u.back()) +
             "] V (the shielding table's range; no extrapolation)");
    // Linear in U between neighbouring rows: the simplest rule that reproduces every row
    // exactly; the MC curves are smooth on the 20-50 kV scale of the table (doc/validation.md).
    std::size_t i = std::upper_bound(u.begin(), u.end(), U) - u.begin();
    i = std::clamp<std::size_t>(i, 1, u.size() - 1);
    const double w = (U - u[i - 1]) / (u[i] - u[i - 1]);
    const auto lerp = [w, i](const std::vector<double> &c) { return c[i - 1] + w * (c[i] - c[i - 1]); };
    return {lerp(t.S_muP), lerp(t.S_anode), lerp(t.one_minus_etaE_bare_anode)};
  }

  double heat_capacity_per_mass(const StreamParameters &p)
  {
    namespace W = materials::tungsten;
    // int_T0^Tm,W c dT + dH_f s(Tm,W - Tm): sensible_heat() already switches to the liquid c_p
    // above T_melt, so only the latent heat is added here.
    return W::sensible_heat(p.entry_temperature_K, p.maximum_temperature_K) +
           (p.melting_allowed ? W::latent_heat_fusion : 0.0);
  }

  double stream_mass_rate(const StreamParameters &p)
  {
    const double packing = constants::pi / (3.0 * std::sqrt(3.0)); // monolayer vs bulk slab
    return p.density_kg_per_m3 * packing * 2.0 * p.sphere_radius_m * p.operating_point.focal_spot_length *
           p.operating_point.stream_speed;
  }

  PowerLimits compute_power_limits(const StreamParameters &p, const ShieldingTable &table,
                                   double U)
  {
    p.validate();
    table.validate();
    PowerLimits r{};
    r.tube_voltage_V        = U;
    r.S                     = interpolate(table, U);
    r.P_max_anode_W         = r.S.one_minus_etaE_bare_anode * p.reference_anode_power_W;
    r.P_max_muP_W           = stream_mass_rate(p) * heat_capacity_per_mass(p);
    r.P_input_limit_anode_W = r.P_max_anode_W / r.S.S_anode;
    r.P_input_limit_muP_W   = r.P_max_muP_W / r.S.S_muP;
    const bool anode_limits = r.P_input_limit_anode_W <= r.P_input_limit_muP_W;
    r.limiting_component = anode_limits ? LimitingComponent::anode : LimitingComponent::microparticles;
    r.P_max_W = anode_limits ? r.P_input_limit_anode_W : r.P_input_limit_muP_W;
    r.dwell_time_s = dwell_time_s(p.operating_point);
    r.percent_of_reference = 100.0 * r.P_max_W / p.reference_anode_power_W;
    return r;
  }

  std::vector<PowerLimits> sweep_power_limits(const StreamParameters &p,
                                              const ShieldingTable &table, double U_min,
                                              double U_max, double dU)
  {
    if (!(dU > 0.0))
      fail("sweep_tube_voltage_step_V", dU, "> 0");
    if (!(U_max >= U_min))
      fail("sweep_maximum_tube_voltage_V", U_max, ">= the minimum tube voltage");
    std::vector<PowerLimits> rows;
    const auto n = static_cast<std::size_t>(std::floor((U_max - U_min) / dU + 1e-9));
    for (std::size_t i = 0; i <= n; ++i)
      rows.push_back(compute_power_limits(p, table, U_min + i * dU));
    if (U_min + n * dU < U_max - 1e-9 * U_max)
      rows.push_back(compute_power_limits(p, table, U_max));
    return rows;
  }
} // namespace mpstream::solver
