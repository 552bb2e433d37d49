// The sphere-motion integrator (solver/sphere_dynamics.h) against exact motion: a charged
// sphere released above a grounded plane with the exact force of the image capacitance series
// (F = -d/dd Q^2 / 2C(d), electrostatic_force_references.h). Energy conservation gives the
// time to fall from d0 to d as t(d) = integral_d^d0 dx / sqrt(2 (W(d0) - W(x)) / m),
// W = Q^2 / 2C: the reference, by Gauss-Legendre quadrature after x = d0 - u^2 (which removes
// the 1/sqrt singularity at the start). Also: contact with the anode and between two spheres is
// found and timed, and bad settings are refused.
#include "electrostatic_force_references.h"
#include "common/error.h"
#include "solver/sphere_dynamics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;
  namespace ref = mpstream::solver::reference;
  constexpr double R = 2.5e-6, rho_W = 19300; // m, kg/m^3 (tungsten at room temperature)
  const double mass = rho_W * 4.0 / 3.0 * constants::pi * R * R * R;
  constexpr double Q = -1e-13; // C

  double energy(double d) { return Q * Q / (2 * ref::sphere_above_plane(R, d).capacitance); }

  // 20-point Gauss-Legendre on [0, U] of the fall time integrand in u (x = d0 - u^2).
  double fall_time(double d0, double d)
  {
    static const double x[10] = {0.0765265211334973, 0.2277858511416451, 0.3737060887154195, 0.5108670019508271,
                                 0.6360536807265150, 0.7463319064601508, 0.8391169718222188, 0.9122344282513259,
                                 0.9639719272779138, 0.9931285991850949};
    static const double w[10] = {0.1527533871307258, 0.1491729864726037, 0.1420961093183820, 0.1316886384491766,
                                 0.1181945319615184, 0.1019301198172404, 0.0832767415767048, 0.0626720483341091,
                                 0.0406014298003869, 0.0176140071391521};
    const double U = std::sqrt(d0 - d);
    const auto f   = [&](double u) {
      if (u == 0)
        return 2 / std::sqrt(2 * std::abs(ref::sphere_plane_force(R, d0, Q)) / mass);
      return 2 * u / std::sqrt(2 * (energy(d0) - energy(d0 - u * u)) / mass);
    };
    double t = 0;
    for (int k = 0; k < 10; ++k)
      for (const double sign : {-1.0, 1.0})
        t += w[k] * f(0.5 * U * (1 + sign * x[k]));
    return 0.5 * U * t;
  }

  ForceCallback sphere_plane_force()
  {
    return [](double, const std::vector<Vector3> &x) {
      return std::vector<Vector3>{{0.0, 0.0, ref::sphere_plane_force(R, x[0][2], Q)}};
    };
  }

  TEST(SphereDynamics, FallAboveGroundedPlaneMatchesEnergyConservation)
  {
    const double d0 = 2 * R, d1 = 1.3 * R;
    DynamicsSettings s;
    s.time_step_s           = 2e-9;
    s.end_time_s            = 1e-3;
    s.displacement_fraction = 0.99;
    const auto r = integrate_sphere_motion({{{0, 0, d0}, {}, R, mass}}, sphere_plane_force(), s);
    // Crossing of d1, interpolated between samples; energy along the way.
    double t_cross = -1, worst_energy = 0;
    const double W0 = energy(d0);
    for (std::size_t k = 1; k < r.samples.size(); ++k)
      {
        const double z0 = r.samples[k - 1].positions[0][2], z1 = r.samples[k].positions[0][2];
        const double v  = r.samples[k].velocities[0][2];
        if (z1 > 1.05 * R)
          worst_energy = std::max(worst_energy, std::abs(0.5 * mass * v * v + energy(z1) - W0) / W0);
        if (t_cross < 0 && z0 >= d1 && z1 < d1)
          t_cross = r.samples[k - 1].time_s + (z0 - d1) / (z0 - z1) * s.time_step_s;
      }
    const double t_ref = fall_time(d0, d1);
    std::printf("[dynamics sphere-plane] fall 2R -> 1.3R: %.6e s (energy conservation %.6e s, %+.2e); energy "
                "drift %.2e of W0; stop: %s\n",
                t_cross, t_ref, t_cross / t_ref - 1, worst_energy, r.stop_reason.c_str());
    EXPECT_NEAR(t_cross / t_ref, 1.0, 1e-4);
    EXPECT_LT(worst_energy, 1e-4);
    // It falls on until 99 % of its gap is gone (the threshold set), still short of the anode.
    EXPECT_EQ(r.stop_reason, "displacement threshold");
    EXPECT_FALSE(r.first_contact.has_value());
  }

  // A sphere moving towards the anode at constant velocity v, no force, the displacement stop
  // off: contact at gap / v, right below its centre.
  TEST(SphereDynamics, ContactWithTheAnodeAtTheExactTime)
  {
    const double v = 0.3, gap = 0.5 * R; // m/s, m
    DynamicsSettings s;
    s.time_step_s                    = 1e-7;
    s.end_time_s                     = 1e-3;
    s.stop_at_displacement_threshold = false;
    const auto none = [](double, const std::vector<Vector3> &) { return std::vector<Vector3>{{0, 0, 0}}; };
    const auto r    = integrate_sphere_motion({{{1e-6, 0, R + gap}, {0, 0, -v}, R, mass}}, none, s);
    ASSERT_TRUE(r.first_contact.has_value());
    EXPECT_EQ(r.stop_reason, "contact");
    EXPECT_NEAR(r.first_contact->time_s, gap / v, 1e-9 * gap / v);
    EXPECT_FALSE(r.first_contact->other.has_value());
    EXPECT_NEAR(r.first_contact->location[0], 1e-6, 1e-15);
    EXPECT_NEAR(r.first_contact->location[2], 0.0, 1e-15);
  }

  // Two spheres pulled together by a constant force F each: the gap g0 closes at
  // t = sqrt(2 g0 m / (2 F)) (each moves g0 / 2 with acceleration F / m).
  TEST(SphereDynamics, ContactBetweenSpheresAtTheExactTime)
  {
    const double g0 = 0.1e-6, F = 1e-6;
    DynamicsSettings s;
    s.time_step_s           = 1e-9;
    s.end_time_s            = 1e-3;
    s.stop_at_displacement_threshold = false;
    s.anode_present         = false;
    const auto force = [&](double, const std::vector<Vector3> &) {
      return std::vector<Vector3>{{F, 0, 0}, {-F, 0, 0}};
    };
    const auto r = integrate_sphere_motion({{{-R - g0 / 2, 0, 0}, {}, R, mass}, {{R + g0 / 2, 0, 0}, {}, R, mass}},
                                           force, s);
    ASSERT_TRUE(r.first_contact.has_value());
    const double t_exact = std::sqrt(g0 * mass / F);
    EXPECT_EQ(r.stop_reason, "contact");
    EXPECT_EQ(r.first_contact->sphere, 0u);
    EXPECT_EQ(r.first_contact->other, std::optional<std::size_t>(1));
    // Constant force: Verlet is exact at the steps; the linear interpolation of the gap between
    // two steps errs by at most a / 8 dt^2 of position, i.e. ~dt^2 / (8 t) in time.
    EXPECT_NEAR(r.first_contact->time_s, t_exact, 1e-3 * t_exact);
    EXPECT_NEAR(r.first_contact->location[0], 0.0, 1e-12);
  }

  // Two spheres in a periodic cell of length L along x, each moving outwards at v (apart inside
  // the cell): they meet each other's copies in the adjacent cells when the gap across the cell
  // side, L - 2x - 2R, has closed at 2 v: at t = gap / (2 v), on the cell side x = +-L/2.
  TEST(SphereDynamics, ContactWithANeighboursCopyInAPeriodicCell)
  {
    const double L = 5 * R, v = 0.2, x = 1.2 * R; // m, m/s, m (centres at -x and +x)
    DynamicsSettings s;
    s.time_step_s                    = 1e-8;
    s.end_time_s                     = 1e-3;
    s.stop_at_displacement_threshold = false;
    s.anode_present                  = false;
    for (const double a : {-1.0, 0.0, 1.0})
      for (const double b : {-1.0, 0.0, 1.0})
        s.image_shifts.push_back({a * L, b * L, 0.0});
    const auto none = [](double, const std::vector<Vector3> &) { return std::vector<Vector3>(2, Vector3{0, 0, 0}); };
    const auto r    = integrate_sphere_motion({{{-x, 0, 0}, {-v, 0, 0}, R, mass}, {{x, 0, 0}, {v, 0, 0}, R, mass}}, none, s);
    const double gap = L - 2 * x - 2 * R;
    ASSERT_TRUE(r.first_contact.has_value());
    EXPECT_NEAR(r.initial_minimum_gap_m, 2 * x - 2 * R, 1e-15); // inside the cell; across it: 0.6 R
    EXPECT_NEAR(r.first_contact->time_s, gap / (2 * v), 1e-9 * gap / v);
    EXPECT_NEAR(std::abs(r.first_contact->location[0]), L / 2, 1e-12);
  }

  TEST(SphereDynamics, StopsAtTheDisplacementThreshold)
  {
    DynamicsSettings s;
    s.time_step_s           = 1e-9;
    s.displacement_fraction = 0.1;
    const auto r = integrate_sphere_motion({{{0, 0, 2 * R}, {}, R, mass}}, sphere_plane_force(), s);
    EXPECT_EQ(r.stop_reason, "displacement threshold");
    EXPECT_GE(r.max_displacement_m, 0.1 * R);
    EXPECT_FALSE(r.first_contact.has_value());
  }

  // Constant force F from rest, the threshold recorded but not stopping the run (On threshold =
  // continue): the centre moves F t^2 / (2m), so it reaches fraction x gap at
  // t = sqrt(2 m fraction gap / F), the first step at or after it; the run goes on to the
  // anode; every 10th step, the start and the last step are kept.
  TEST(SphereDynamics, ThresholdTimeRecordedWhenTheRunContinues)
  {
    const double F = 1e-6, gap = R; // N, m (centre at 2R)
    DynamicsSettings s;
    s.time_step_s                    = 1e-9;
    s.end_time_s                     = 1e-3;
    s.displacement_fraction          = 0.3;
    s.stop_at_displacement_threshold = false;
    s.record_every_steps             = 10;
    const auto force = [&](double, const std::vector<Vector3> &) { return std::vector<Vector3>{{0, 0, -F}}; };
    const auto r     = integrate_sphere_motion({{{0, 0, 2 * R}, {}, R, mass}}, force, s);
    const double t_threshold = std::sqrt(2 * mass * 0.3 * gap / F), t_contact = std::sqrt(2 * mass * gap / F);
    ASSERT_TRUE(r.threshold_time_s.has_value());
    EXPECT_GE(*r.threshold_time_s, t_threshold);
    EXPECT_LT(*r.threshold_time_s, t_threshold + s.time_step_s);
    ASSERT_TRUE(r.first_contact.has_value());
    EXPECT_NEAR(r.first_contact->time_s, t_contact, 1e-6 * t_contact);
    EXPECT_EQ(r.samples.size(), 1 + r.steps / 10 + (r.steps % 10 != 0 ? 1 : 0));
    EXPECT_NEAR(r.samples.back().time_s, r.steps * s.time_step_s, 1e-9 * s.time_step_s);
  }

  TEST(SphereDynamics, BadSettingsAreRefused)
  {
    const std::vector<MovingSphere> one{{{0, 0, 2 * R}, {}, R, mass}};
    DynamicsSettings s;
    s.time_step_s = 0;
    EXPECT_THROW(validate(s, one), QuantityError);
    s = {};
    s.displacement_fraction = 1;
    EXPECT_THROW(validate(s, one), QuantityError);
    s = {};
    EXPECT_THROW(validate(s, {{{0, 0, 0.5 * R}, {}, R, mass}}), QuantityError); // in the anode
    EXPECT_THROW(validate(s, {{{0, 0, 2 * R}, {}, R, 0.0}}), QuantityError);     // no mass
    EXPECT_THROW(validate(s, {{{0, 0, 2 * R}, {}, R, mass}, {{1.5 * R, 0, 2 * R}, {}, R, mass}}), QuantityError);
  }
} // namespace
