// The coupled dwell's emission law (solver/emission_discharge.h, EmissionLaw::thermal_field)
// on an isolated sphere in free space, whose surface field is uniform and exactly
// E.n = Q / (4 pi eps0 r^2), its potential V = Q / (4 pi eps0 r). References, none computed
// with the integrator:
//  - a hot sphere whose thermionic current exceeds the beam's floats positive, where the
//    electrons that overcome the retarding potential balance the beam:
//    V = (k T / e) ln(I_th / |I_beam|), I_th = 4 pi r^2 A_0 T^2 exp(-phi / k T)
//    (Richardson-Dushman, A_0 = 4 pi m e k^2 / h^3 = 1.20173e6 A m^-2 K^-2; the Maxwellian
//    normal-energy tail passes a barrier e V with probability exp(-e V / k T));
//  - with the temperature rising over the dwell, the same balance at the exit temperature
//    (the charge relaxes in C (kT/e) / |I| ~ 1e-10 s, far below the dwell);
//  - a cold sphere charges negative until the field-emission current balances the beam; the
//    balance field found by bisection on J(F, T) alone.
#include "common/constants.h"
#include "solver/emission_discharge.h"
#include "solver/thermal_field_emission.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;
namespace c = mpstream::constants;

namespace
{
  const double r = 2.5e-6, area = 4 * c::pi * r * r, phi = 4.5, dwell = 4.5e-6;
  const double eps0 = c::vacuum_permittivity;

  // One sphere, K points of equal area sharing the uniform field.
  PointFieldModel isolated_sphere(std::size_t K = 12)
  {
    PointFieldModel m;
    m.n_spheres = 1;
    for (std::size_t k = 0; k < K; ++k)
      {
        m.sphere.push_back(0);
        m.field_per_charge.push_back({1 / (4 * c::pi * eps0 * r * r)});
        m.area_m2.push_back(area / K);
      }
    return m;
  }

  EmissionSettings thermal_field_settings()
  {
    EmissionSettings s;
    s.law              = EmissionLaw::thermal_field;
    s.work_function_eV = phi;
    s.sphere_radius_m  = {r};
    s.time_steps       = 200;
    return s;
  }

  double kT_over_e(double T) { return c::boltzmann * T / c::elementary_charge; }

  double richardson_dushman_current(double T)
  {
    return area * 1.20173e6 * T * T * std::exp(-phi / kT_over_e(T));
  }

  double potential(double Q) { return Q / (4 * c::pi * eps0 * r); }
} // namespace

TEST(DwellEmission, HotSphereFloatsPositiveAtTheThermionicBalance)
{
  const double T = 3000, I_beam = -1e-7;
  auto settings  = thermal_field_settings();
  settings.temperature_K = {T};
  const auto res = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, settings);
  const double V_expected = kT_over_e(T) * std::log(richardson_dushman_current(T) / -I_beam);
  std::printf("exit potential %.6f V, expected %.6f V\n", potential(res.charges[0]), V_expected);
  EXPECT_GT(V_expected, 1.0); // the test's point: a few k T / e positive
  EXPECT_NEAR(potential(res.charges[0]) / V_expected, 1.0, 1e-4);
  EXPECT_NEAR(res.emission_current[0] / -I_beam, 1.0, 1e-6);
  EXPECT_NEAR(res.charges[0], res.deposited_charge[0] + res.emitted_charge[0], 1e-9 * std::abs(I_beam * dwell));
}

TEST(DwellEmission, RisingTemperatureEndsAtTheExitBalance)
{
  const double I_beam = -1e-7;
  auto settings       = thermal_field_settings();
  settings.temperature_history_K = {{2800, 2900, 3000, 3100, 3200}};
  settings.record_history        = true;
  const auto res = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, settings);
  const double V_exit = kT_over_e(3200) * std::log(richardson_dushman_current(3200) / -I_beam);
  EXPECT_NEAR(potential(res.charges[0]) / V_exit, 1.0, 1e-3);
  // The history: entry plus every step, temperatures linear between the samples.
  ASSERT_EQ(res.history.size(), settings.time_steps + 1);
  EXPECT_DOUBLE_EQ(res.history.front().temperature_K[0], 2800);
  EXPECT_NEAR(res.history[settings.time_steps / 2].temperature_K[0], 3000, 1e-9);
  EXPECT_DOUBLE_EQ(res.history.back().temperature_K[0], 3200);
  EXPECT_DOUBLE_EQ(res.history.back().charges_C[0], res.charges[0]);
}

TEST(DwellEmission, ColdSphereChargesToTheFieldEmissionBalance)
{
  const double T = 300, I_beam = -0.2 * 1.67e5 * c::pi * r * r;
  double lo = 1e8, hi = 1.3e10; // balance field by bisection on J(F, T)
  for (int i = 0; i < 200; ++i)
    {
      const double mid = std::sqrt(lo * hi);
      (thermal_field_current_density(mid, T, phi) * area > -I_beam ? hi : lo) = mid;
    }
  auto settings          = thermal_field_settings();
  settings.temperature_K = {T};
  const auto res = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, settings);
  std::printf("balance field %.6e V/m, exit field %.6e V/m\n", lo, res.reference_field[0]);
  EXPECT_NEAR(res.reference_field[0] / lo, 1.0, 1e-4);
  EXPECT_LT(res.charges[0], 0.0);
}

TEST(DwellEmission, RetardedElectronsOfANegativeSphereStayHome)
{
  // A hot sphere held negative cannot have retarding points in free space; with the field
  // reversed by a (fictitious) offset the points retard by |F| r ~ kV: no emission at all.
  auto model = isolated_sphere(4);
  model.offset.assign(4, 1e9); // E.n = +1 GV/m: retarding, |F| r = 2.5 kV
  auto settings          = thermal_field_settings();
  settings.temperature_K = {3000};
  settings.time_steps    = 5;
  const double I_beam = -1e-9;
  const auto res = integrate_emission_discharge(model, {I_beam}, dwell, settings);
  EXPECT_EQ(res.emitted_charge[0], 0.0);
  EXPECT_NEAR(res.charges[0], I_beam * dwell, 1e-12 * std::abs(I_beam * dwell));
}
