// Verification of solve_sphere_transient() (solver/thermal.cc).
// 1. Constant properties, uniform volumetric heating Q, surface loss h (T - T0), T(0) = T0:
//    the classical eigenfunction series (Carslaw & Jaeger, Conduction of Heat in Solids, 2nd ed.,
//    Sect. 9.4 / 9.8 technique; derivation in doc/thermal.md):
//      theta_s(r) = Q (a^2 - r^2) / (6k) + Q a / (3h)
//      theta(r,t) = theta_s(r) - (a/r) sum_n C_n sin(b_n r/a) exp(-b_n^2 kappa t / a^2),
//      1 - b_n cot b_n = Bi = h a / k,  C_n = int_0^a (r/a) theta_s sin(b_n r/a) dr / int_0^a sin^2.
//    Required: |T_FE - T_exact| <= 1 % of the local rise at every probe and sample time.
// 2. Energy balance with tungsten properties, radiation and melting: stored + radiated =
//    deposited to 1e-6 relative.
// 3. A Newton iteration that cannot converge ends in RuntimeFailure, not in a wrong answer.
#include "common/error.h"
#include "solver/heat_source.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"
#include "solver/tungsten_properties.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

using namespace mpstream::solver;

namespace
{
  struct SeriesSolution
  {
    double a, k, kappa, h, Q;
    std::vector<double> beta, C;

    double steady(double r) const { return Q * (a * a - r * r) / (6 * k) + Q * a / (3 * h); }

    SeriesSolution(double a_, double k_, double rho_c, double h_, double Q_, int n_terms)
      : a(a_), k(k_), kappa(k_ / rho_c), h(h_), Q(Q_)
    {
      const double Bi = h * a / k;
      for (int n = 1; n <= n_terms; ++n)
        {
          // b cot b = 1 - Bi has one root in ((n-1) pi, n pi); b cot b decreases there.
          double lo = (n - 1) * M_PI + 1e-12, hi = n * M_PI - 1e-12;
          for (int it = 0; it < 200; ++it)
            {
              const double mid = 0.5 * (lo + hi);
              (mid / std::tan(mid) - (1 - Bi) > 0 ? lo : hi) = mid;
            }
          const double b = 0.5 * (lo + hi);
          // C_n by Simpson on [0, a] (smooth integrand, 4000 intervals: error << 1e-6).
          const int m = 4000;
          double num = 0, den = 0;
          for (int i = 0; i <= m; ++i)
            {
              const double r = a * i / m, w = (i == 0 || i == m) ? 1 : (i % 2 ? 4 : 2);
              num += w * (r / a) * steady(r) * std::sin(b * r / a);
              den += w * std::pow(std::sin(b * r / a), 2);
            }
          beta.push_back(b);
          C.push_back(num / den);
        }
    }

    double rise(double r, double t) const
    {
      double s = 0;
      for (std::size_t n = 0; n < beta.size(); ++n)
        {
          const double shape = r > 1e-14 * a ? (a / r) * std::sin(beta[n] * r / a) : beta[n];
          s += C[n] * shape * std::exp(-beta[n] * beta[n] * kappa * t / (a * a));
        }
      return steady(r) - s;
    }
  };
} // namespace

TEST(ThermalVerification, SeriesSolutionAtT0IsZero)
{
  // The series must cancel the steady part at t = 0; otherwise the reference is wrong.
  const SeriesSolution ex(2.5e-6, 100.0, 3e6, 4e7, 3.2e15, 400);
  for (double r : {0.0, 1.25e-6, 2.0e-6})
    EXPECT_NEAR(ex.rise(r, 0.0), 0.0, 2e-3 * ex.steady(0.0)) << r;
}

TEST(ThermalVerification, UniformlyHeatedSphereMatchesSeriesWithin1Percent)
{
  const double a = 2.5e-6, k = 100.0, rho_c = 3e6, h = 4e7 /* Bi = 1 */, Q = 3.2e15, T0 = 1000.0;
  const SeriesSolution    ex(a, k, rho_c, h, Q, 400);
  ConstantThermalMaterial material(rho_c, k, h, T0);
  ThermalSettings         s;
  s.sphere_radius_m        = a;
  s.initial_temperature_K  = T0;
  s.heating_time_s         = 0.4e-6; // about 2 a^2 / kappa: close to steady state
  s.refinements            = 1;
  s.time_error_tolerance_K = 0.02;   // 2e-4 of the ~100 K rise per step
  s.probes                 = {{{0, 0, 0}}, {{0.5 * a, 0, 0}}, {{0, 0.9 * a, 0}}, {{0, 0, -0.9 * a}}};
  const double radii[]     = {0.0, 0.5 * a, 0.9 * a, 0.9 * a};
  const auto   result = solve_sphere_transient(s, material, uniform_source(a, Q * 4.0 / 3.0 * M_PI * a * a * a));

  int checked = 0;
  for (const auto &sample : result.history)
    if (sample.time_s >= 0.01e-6)
      for (std::size_t p = 0; p < s.probes.size(); ++p)
        {
          const double exact = ex.rise(radii[p], sample.time_s);
          EXPECT_NEAR(sample.probes_K[p] - T0, exact, 0.01 * exact)
            << "t = " << sample.time_s << " s, r = " << radii[p] << " m";
          ++checked;
        }
  EXPECT_GT(checked, 40);
  // At the end the centre is within 1 % of the series (which is near the steady state).
  EXPECT_NEAR(result.history.back().probes_K[0] - T0, ex.rise(0, s.heating_time_s),
              0.01 * ex.rise(0, s.heating_time_s));
}

TEST(ThermalVerification, EnergyBalanceTungstenWithRadiationAndMelting)
{
  namespace W = mpstream::materials::tungsten;
  TungstenThermalMaterial::Options o;
  o.environment_temperature_K = 300.0;
  o.emissivity_scale          = 1.0;
  TungstenThermalMaterial material(o);
  ThermalSettings         s;
  s.initial_temperature_K = 1073.15;
  s.heating_time_s        = 4.5e-6;
  s.relaxation_time_s     = 1e-6;
  s.refinements           = 1;
  // Enough energy to melt part of the sphere: sensible heat to T_m plus half the latent heat.
  const double mass = 19250.0 * 4.0 / 3.0 * M_PI * std::pow(s.sphere_radius_m, 3);
  const double E    = mass * (W::sensible_heat(1073.15, W::melting_temperature) + 0.5 * W::latent_heat_fusion);
  const auto result = solve_sphere_transient(
    s, material, exponential_depth_source(s.sphere_radius_m, 1.5e-6, E / s.heating_time_s));
  EXPECT_LT(result.energy_balance_relative_error, 1e-6);
  EXPECT_NEAR(result.deposited_energy_J, E, 1e-3 * E); // quadrature of the analytic profile
  EXPECT_GT(result.surface_loss_J, 0.0);
  EXPECT_GT(result.max_liquid_fraction, 0.05);
  EXPECT_LT(result.max_liquid_fraction, 0.95);
}

TEST(ThermalVerification, NonConvergingNewtonThrowsRuntimeFailure)
{
  ConstantThermalMaterial material(3e6, 100.0, 0.0, 1000.0);
  ThermalSettings         s;
  s.initial_temperature_K = 1000.0;
  s.refinements           = 0;
  s.max_newton_iterations = 1;       // one iteration cannot reach a 1e-30 K update
  s.newton_tolerance_K    = 1e-30;
  s.minimum_time_step_s   = s.initial_time_step_s;
  EXPECT_THROW(solve_sphere_transient(s, material, uniform_source(s.sphere_radius_m, 0.1)),
               mpstream::RuntimeFailure);
}

TEST(ThermalVerification, SourcePowerNormalisationOfCellGrid)
{
  // A coarse cube grid around the sphere is integrated only approximately by the quadrature;
  // with source_power_W set, the deposited energy is exactly power x heating time.
  mpstream::CartesianGrid g;
  const double r = 2.5e-6;
  g.lower   = {-r, -r, -r};
  g.upper   = {r, r, r};
  g.n_cells = {4, 4, 4};
  g.values.assign(g.size(), 1e15);
  ConstantThermalMaterial material(3e6, 100.0, 0.0, 1000.0);
  ThermalSettings         s;
  s.initial_temperature_K = 1000.0;
  s.heating_time_s        = 0.1e-6;
  s.refinements           = 0;
  s.source_power_W        = 0.2;
  const auto res = solve_sphere_transient(s, material, sphere_grid_source(g, r));
  EXPECT_NEAR(res.deposited_energy_J, 0.2 * 0.1e-6, 1e-12 * 0.2 * 0.1e-6);
  EXPECT_LT(res.energy_balance_relative_error, 1e-6);
}
