// Murphy-Good discharge (solver/emission_discharge.h) on an isolated sphere, whose surface
// field is uniform and exactly Q / (4 pi eps0 r^2): the state at the focal-spot exit is the
// steady state J_MG(F) 4 pi r^2 = |I_beam| when the emission time constant is much shorter than
// the dwell; F of that balance is found here by bisection on the cold Murphy-Good J
// (independent of the integrator). Charge is conserved step by step.
#include "solver/emission_discharge.h"
#include "solver/field_emission.h"
#include "common/constants.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;
namespace c = mpstream::constants;

namespace
{
  const double r    = 2.5e-6;
  const double area = 4 * c::pi * r * r;

  LinearFieldModel isolated_sphere()
  {
    LinearFieldModel m;
    m.field_per_charge = {{1 / (4 * c::pi * c::vacuum_permittivity * r * r)}};
    return m;
  }

  EmissionSurface uniform_surface(unsigned int n)
  {
    EmissionSurface s;
    s.shape.assign(n, 1.0);
    s.area_m2.assign(n, area / n);
    return s;
  }
} // namespace

TEST(EmissionDischarge, UniformSurfaceCurrent)
{
  const auto s = uniform_surface(10);
  EXPECT_NEAR(sphere_emission_current_A(s, 2e9, 4.5, 0) / (murphy_good_current_density(2e9, 4.5) * area), 1.0,
              1e-12);
  EXPECT_EQ(sphere_emission_current_A(s, -2e9, 4.5, 0), 0.0);
}

TEST(EmissionDischarge, SteadyStateOfIsolatedSphereAndChargeConservation)
{
  // The paper's point: q = 0.2, 132 kV, 46.2 kW: I_beam = -0.2 j pi r^2.
  const double I_beam = -0.2 * 1.67e5 * c::pi * r * r, dwell = 4.5e-6;
  // Balance field by bisection on log J.
  double lo = 1e8, hi = 1e10;
  for (int i = 0; i < 200; ++i)
    {
      const double mid = std::sqrt(lo * hi);
      (murphy_good_current_density(mid, 4.5) * area > -I_beam ? hi : lo) = mid;
    }
  const double F_balance = lo;
  EmissionSettings settings;
  settings.time_steps = 400;
  const auto res = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, {uniform_surface(1)}, settings);
  std::printf("balance field %.6e V/m, exit field %.6e V/m, Newton %u (max %u per step)\n", F_balance,
              res.reference_field[0], res.newton_iterations, res.max_newton_per_step);
  EXPECT_NEAR(res.reference_field[0] / F_balance, 1.0, 1e-4);
  EXPECT_NEAR(res.emission_current[0] / -I_beam, 1.0, 1e-3);
  // Conservation: Q_exit = deposited + emitted.
  EXPECT_NEAR(res.charges[0], res.deposited_charge[0] + res.emitted_charge[0], 1e-9 * std::abs(I_beam * dwell));
  EXPECT_NEAR(res.deposited_charge[0], I_beam * dwell, 1e-12 * std::abs(I_beam * dwell));
  EXPECT_GT(res.emitted_charge[0], 0.0);
  // The field never exceeds what the charge alone would give, and the sphere stays negative.
  EXPECT_LT(res.charges[0], 0.0);
}

TEST(EmissionDischarge, NoEmissionBelowThreshold)
{
  // A tiny current: the field stays far below 1 GV/m, no measurable emission, Q = I t.
  const double I_beam = -1e-9, dwell = 4.5e-6;
  EmissionSettings settings;
  settings.time_steps = 10;
  const auto res = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, {uniform_surface(1)}, settings);
  EXPECT_NEAR(res.charges[0], I_beam * dwell, 1e-12 * std::abs(I_beam * dwell));
  EXPECT_LT(res.emitted_charge[0], 1e-20);
}

TEST(EmissionDischarge, StepConvergence)
{
  // Backward Euler is first order: the exit state with 400 and 1600 steps agree closely
  // because the exit state is a quasi-steady balance.
  const double I_beam = -0.2 * 1.67e5 * c::pi * r * r, dwell = 4.5e-6;
  EmissionSettings a, b;
  a.time_steps = 100;
  b.time_steps = 1600;
  const auto ra = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, {uniform_surface(1)}, a);
  const auto rb = integrate_emission_discharge(isolated_sphere(), {I_beam}, dwell, {uniform_surface(1)}, b);
  EXPECT_NEAR(ra.charges[0] / rb.charges[0], 1.0, 1e-3);
}
