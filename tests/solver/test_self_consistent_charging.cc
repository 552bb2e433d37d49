// The self-consistent charge-source iteration (solver/self_consistent_charging.h), label:
// verification of the iteration scheme on a model with a closed-form fixed point: a stream whose
// minimum potential is linear in its charge fraction, V = -a q, and whose charge fraction falls
// with the potential as primaries are slowed, q(V) = q0 / (1 + |V| / V0). The fixed point solves
// a q^2 / V0 + q - q0 = 0. Also: a noisy Monte Carlo (common random numbers: the same offset every
// iteration) converges to the shifted fixed point; a fixed point on a cliff of q(V) (Anderson
// mixing; the damped iteration fails there); non-convergence and bad settings are refused.
#include "common/error.h"
#include "solver/self_consistent_charging.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream::solver;
  constexpr double a = 6e5, V0 = 60e3, q0 = 0.17; // V per unit q; V; field-free q

  double exact_fixed_point(double q_free) { return (-1 + std::sqrt(1 + 4 * a * q_free / V0)) / (2 * a / V0); }

  struct ModelStream
  {
    double V      = 0;
    double offset = 0; // a Monte Carlo's bias, the same in every run
    double potential_min(const std::vector<double> &q)
    {
      V = -a * q[0];
      return V;
    }
    std::vector<double> q_in_field() const { return {q0 / (1 + std::abs(V) / V0) + offset}; }
  };

  SelfConsistentOutcome iterate(ModelStream &m, const SelfConsistentSettings &s)
  {
    return iterate_self_consistent_q(
      {q0}, [&](const std::vector<double> &q) { return m.potential_min(q); }, [&] { return m.q_in_field(); }, s);
  }
} // namespace

TEST(SelfConsistentCharging, ConvergesToTheClosedFormFixedPoint)
{
  ModelStream m;
  SelfConsistentSettings s;
  s.tolerance      = 1e-6;
  s.max_iterations = 60;
  const auto out   = iterate(m, s);
  const double q   = exact_fixed_point(q0);
  // Stopping at a relative change 1e-6 of V with a contraction factor c leaves an error of at
  // most c / (1 - c) x 1e-6 (c = 1 - damping (1 - |g'|) ~ 0.7 here): 1e-5 relative is safe.
  EXPECT_NEAR(out.q[0], q, 1e-5 * q);
  EXPECT_NEAR(out.history.back().potential_min_V, -a * q, 1e-5 * a * q);
  EXPECT_EQ(out.history.front().iteration, 0u);
  EXPECT_GT(out.history.size(), 2u);
  std::printf("fixed point q = %.6f (exact %.6f) after %zu iterations: %s\n", out.q[0], q, out.history.size() - 1,
              history_text(out.history).c_str());
}

TEST(SelfConsistentCharging, ABiasedMonteCarloShiftsTheFixedPointOnly)
{
  ModelStream m;
  m.offset = -0.01;
  SelfConsistentSettings s;
  s.tolerance      = 1e-7;
  s.max_iterations = 80;
  const auto out   = iterate(m, s);
  // q = q0 / (1 + a q / V0) + offset: solved by bisection here, independently.
  double lo = 0, hi = q0;
  for (int i = 0; i < 200; ++i)
    {
      const double mid = 0.5 * (lo + hi);
      (q0 / (1 + a * mid / V0) + m.offset - mid > 0 ? lo : hi) = mid;
    }
  EXPECT_NEAR(out.q[0], lo, 1e-5 * lo);
}

// The stream's own case (doc/charging.md): q rises as primaries arrive slower (fewer cross a
// sphere) and falls to zero over a few kV where they stop reaching the spheres (|V| -> U). The
// fixed point sits on that cliff, where the map's slope far exceeds 1 / damping: the damped
// iteration oscillates; the bracketed scale (default) and Anderson mixing must find the root
// (bisection here, independently).
TEST(SelfConsistentCharging, BracketAndAndersonFindAFixedPointOnTheCliffWhereTheDampedIterationOscillates)
{
  constexpr double U = 132e3;
  const auto q_of_V = [&](double V) {
    const double x = std::abs(V) / U;
    return q0 * (1 + 3 * x) / (1 + std::exp((x - 0.95) / 0.01));
  };
  double V_now = 0;
  const auto potential = [&](const std::vector<double> &q) { return V_now = -a * q[0]; };
  const auto mc        = [&] { return std::vector<double>{q_of_V(V_now)}; };
  SelfConsistentSettings s;
  s.tolerance      = 1e-6;
  s.max_iterations = 40;
  const auto out   = iterate_self_consistent_q({q0}, potential, mc, s);
  double lo = 0, hi = 1; // q - q(-a q) changes sign once on [0, 1]
  for (int i = 0; i < 200; ++i)
    {
      const double mid = 0.5 * (lo + hi);
      (mid - q_of_V(-a * mid) < 0 ? lo : hi) = mid;
    }
  EXPECT_NEAR(out.q[0], lo, 1e-4 * lo);
  std::printf("cliff: q = %.6f (bisection %.6f) after %zu iterations\n", out.q[0], lo, out.history.size() - 1);
  s.method = SelfConsistentMethod::anderson;
  const auto anderson = iterate_self_consistent_q({q0}, potential, mc, s);
  EXPECT_NEAR(anderson.q[0], lo, 1e-4 * lo);
  std::printf("cliff, Anderson: q = %.6f after %zu iterations\n", anderson.q[0], anderson.history.size() - 1);
  s.method = SelfConsistentMethod::damped;
  EXPECT_THROW(iterate_self_consistent_q({q0}, potential, mc, s), mpstream::QuantityError);
}

// A jump instead of a steep slope: primaries reach the spheres while |V| < 0.95 U, none beyond.
// No root exists; the charge saturates at the jump (where a charge that grows only while the beam
// arrives stops). The bracketed scale must close on it, flagged, at V = -0.95 U to the
// tolerance, and must not stop early on two iterates beyond the jump that lie close together.
TEST(SelfConsistentCharging, BracketClosesOnTheJumpWhereTheBeamIsTurnedBack)
{
  constexpr double U = 132e3;
  const auto q_of_V = [&](double V) { return std::abs(V) < 0.95 * U ? q0 * (1 + 3 * std::abs(V) / U) : 0.0; };
  double V_now = 0;
  const auto potential = [&](const std::vector<double> &q) { return V_now = -a * q[0]; };
  const auto mc        = [&] { return std::vector<double>{q_of_V(V_now)}; };
  SelfConsistentSettings s;
  s.tolerance      = 1e-3;
  s.max_iterations = 60;
  const auto out   = iterate_self_consistent_q({q0}, potential, mc, s);
  EXPECT_TRUE(out.at_cliff);
  EXPECT_NEAR(out.history.back().potential_min_V, -0.95 * U, 2e-3 * 0.95 * U);
  std::printf("jump: V = %.1f kV (jump at %.1f kV) after %zu iterations\n", out.history.back().potential_min_V / 1e3,
              -0.95 * U / 1e3, out.history.size() - 1);
}

TEST(SelfConsistentCharging, NonConvergenceNamesTheIterationsAndShowsTheHistory)
{
  ModelStream m;
  SelfConsistentSettings s;
  s.tolerance      = 1e-9;
  s.max_iterations = 3;
  try
    {
      iterate(m, s);
      FAIL() << "no error";
    }
  catch (const mpstream::QuantityError &e)
    {
      EXPECT_EQ(e.quantity(), "self_consistent_iterations");
      const std::string what = e.what();
      EXPECT_NE(what.find("did not converge"), std::string::npos) << what;
      EXPECT_NE(what.find("3: "), std::string::npos) << what; // the last iterate is listed
    }
}

TEST(SelfConsistentCharging, BadSettings)
{
  SelfConsistentSettings s;
  s.damping = 0;
  EXPECT_THROW(s.validate(), mpstream::QuantityError);
  s.damping   = 0.5;
  s.tolerance = 0;
  EXPECT_THROW(s.validate(), mpstream::QuantityError);
  s.tolerance      = 0.01;
  s.max_iterations = 0;
  EXPECT_THROW(s.validate(), mpstream::QuantityError);
}
