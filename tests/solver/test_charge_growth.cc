// The charge grown in its own field (solver/charge_growth.h), label: verification against
// closed-form solutions of dQ/ds = q(V(Q)) Q1:
//  - one sphere, V = -k c (c = Q / Q1 the accumulated q), q rising with the charge,
//    q(V) = q0 (1 + |V| / Vs): c(s) = (Vs / k) (exp(q0 k s / Vs) - 1), so V(1) = -Vs (e - 1) for
//    q0 k = Vs. Forward Euler is first order: the error halves with the potential step;
//  - the same sphere with the beam's cut-off at -U (q = 0 below it): the charge stops in the
//    cut-off band, never beyond -U, at the time the exact solution reaches -U,
//    s* = (Vs / (q0 k)) ln(1 + U / Vs);
//  - two coupled spheres with constant q (V = P Q): the first reaches the cut-off at the time the
//    linear solution says; then only the second charges, until it reaches the cut-off too; the
//    first is pushed beyond -U by its neighbour and takes no charge (exact final charges from P).
#include "common/error.h"
#include "solver/charge_growth.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream::solver;
  constexpr double Q1 = -1e-12;           // C, the charge of q = 1 over the dwell
  constexpr double q0 = 0.2, Vs = 60e3;   // field-free q; the potential over which q doubles
  constexpr double k  = Vs / q0;          // V per unit accumulated q: q0 k = Vs
  constexpr double C  = -Q1 / k;          // F, V = Q / C

  // One sphere, q rising with |V|, zero at and below the cut-off U_cut (V).
  ChargeGrowthModel one_sphere(double U_cut, double &V_last)
  {
    ChargeGrowthModel m;
    m.potentials_V = [&V_last](const std::vector<double> &Q) {
      V_last = Q[0] / C;
      return std::vector<double>{V_last};
    };
    m.q_in_field = [&V_last, U_cut](unsigned int) {
      return std::vector<double>{V_last <= -U_cut ? 0.0 : q0 * (1 + std::abs(V_last) / Vs)};
    };
    return m;
  }

  ChargeGrowthSettings settings(double potential_step_V, double U)
  {
    ChargeGrowthSettings s;
    s.growth_steps       = 10;
    s.potential_step_V   = potential_step_V;
    s.cutoff_potential_V = -U;
    s.cutoff_band_V      = 200;
    return s;
  }
} // namespace

TEST(ChargeGrowth, RisingChargeFractionIsFirstOrderAccurate)
{
  const double exact = -Vs * (std::exp(1.0) - 1); // -103.1 kV
  double V           = 0;
  double error[2];
  const double steps_V[2] = {2000, 1000};
  for (int n = 0; n < 2; ++n)
    {
      const auto r = grow_charge_in_own_field({Q1}, {q0}, one_sphere(1e7, V), settings(steps_V[n], 1e7));
      error[n]     = r.potentials_V[0] - exact;
      EXPECT_LT(r.cutoff_reached_at, 0);
      std::printf("potential step %.0f V: %zu steps, V(1) = %.1f V (exact %.1f V)\n", steps_V[n], r.steps.size(),
                  r.potentials_V[0], exact);
    }
  // Euler with q at the step's start underestimates a rising q: the charge lags (error > 0).
  EXPECT_GT(error[1], 0);
  EXPECT_NEAR(error[0] / error[1], 2.0, 0.1); // first order
  EXPECT_LT(std::abs(error[1]), 0.01 * std::abs(exact));
}

TEST(ChargeGrowth, StopsInTheCutoffBandWhenTheExactSolutionReachesTheCutoff)
{
  const double U      = 80e3;
  const double s_star = (Vs / (q0 * k)) * std::log(1 + U / Vs); // 0.847
  double V            = 0;
  const auto set      = settings(500, U);
  const auto r        = grow_charge_in_own_field({Q1}, {q0}, one_sphere(U, V), set);
  // Never beyond the cut-off; stopped in the band's middle.
  EXPECT_NEAR(r.potentials_V[0], -U + set.cutoff_band_V / 2, 1e-6 * U);
  // Reached at s*, up to the Euler lag (first order, the 500 V step: < 1 % of the dwell here)
  // and the band (200 V at dV/ds ~ 2 U: 1e-3).
  EXPECT_NEAR(r.cutoff_reached_at, s_star, 0.01);
  EXPECT_EQ(r.steps.back().limit, GrowthStepLimit::beam_turned_back);
  EXPECT_DOUBLE_EQ(r.steps.back().dwell_fraction + r.steps.back().length, 1.0);
  std::printf("cut-off reached at s = %.4f (exact %.4f), %zu steps\n", r.cutoff_reached_at, s_star, r.steps.size());
}

TEST(ChargeGrowth, CoupledSpheresReachTheCutoffOneAfterTheOther)
{
  // V = P Q with mutual coupling; constant q (Euler is exact between the limits).
  const double P11 = 1e17, P22 = 1e17, P12 = 4e16; // V/C
  const double U = 100e3, band = 200;
  const std::vector<double> Q1s = {-2e-12, -1.5e-12}, q = {0.5, 0.5};
  ChargeGrowthModel m;
  m.potentials_V = [&](const std::vector<double> &Q) {
    return std::vector<double>{P11 * Q[0] + P12 * Q[1], P12 * Q[0] + P22 * Q[1]};
  };
  m.q_in_field = [&](unsigned int) { return q; };
  ChargeGrowthSettings set;
  set.potential_step_V   = 5e3;
  set.cutoff_potential_V = -U;
  set.cutoff_band_V      = band;
  const auto r = grow_charge_in_own_field(Q1s, q, m, set);
  // Sphere 0 first: V0(s) = s (P11 q Q1_0 + P12 q Q1_1) reaches the band's middle at s0.
  const double slope0 = P11 * q[0] * Q1s[0] + P12 * q[1] * Q1s[1];
  const double s0     = (-U + band / 2) / slope0;
  EXPECT_NEAR(r.cutoff_reached_at, s0, 1e-9);
  // Then sphere 1 alone, until it too stops at the band's middle: Q0 is frozen at its value at s0.
  const double Q0_final = s0 * q[0] * Q1s[0];
  const double Q1_final = (-U + band / 2 - P12 * Q0_final) / P22;
  EXPECT_NEAR(r.charges_C[0], Q0_final, 1e-9 * std::abs(Q0_final));
  EXPECT_NEAR(r.charges_C[1], Q1_final, 1e-9 * std::abs(Q1_final));
  // The neighbour pushed sphere 0 beyond the cut-off: no primary reaches it, it took no charge.
  EXPECT_LT(r.potentials_V[0], -U);
  EXPECT_EQ(r.steps.back().at_cutoff, 2u);
  std::printf("%s\n", growth_history_text(r.steps).c_str());
}

TEST(ChargeGrowth, RefusesBadSettingsAndTooManySteps)
{
  double V = 0;
  auto s   = settings(0, 80e3);
  EXPECT_THROW(grow_charge_in_own_field({Q1}, {q0}, one_sphere(80e3, V), s), mpstream::QuantityError);
  s = settings(1000, 80e3);
  s.cutoff_band_V = 90e3;
  EXPECT_THROW(grow_charge_in_own_field({Q1}, {q0}, one_sphere(80e3, V), s), mpstream::QuantityError);
  s           = settings(100, 80e3);
  s.max_steps = 5;
  try
    {
      grow_charge_in_own_field({Q1}, {q0}, one_sphere(80e3, V), s);
      FAIL() << "expected a QuantityError";
    }
  catch (const mpstream::QuantityError &e)
    {
      EXPECT_NE(std::string(e.what()).find("history"), std::string::npos) << e.what();
    }
}
