// Field-cap charge state (solver/field_cap.h) on two spheres, where the complementarity
// problem has closed-form answers (Cramer's rule on the 2 x 2 system), independent of the
// active-set algorithm. The field responses are of the size of the paper's spheres
// (1 / (4 pi eps0 r^2) = 1.44e21 V/m per C for r = 2.5 um) with cross terms of both signs.
#include "solver/field_cap.h"
#include "common/error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::solver;

namespace
{
  // E.n per charge: diagonal positive (a positive charge pushes field out of its own sphere).
  LinearFieldModel two_spheres(double a11, double a12, double a21, double a22)
  {
    LinearFieldModel m;
    m.field_per_charge = {{a11, a12}, {a21, a22}};
    return m;
  }
  constexpr double k = 1.44e21; // V/m per C
} // namespace

TEST(FieldCap, BothSpheresCapped)
{
  const auto m = two_spheres(1.2 * k, 0.3 * k, 0.25 * k, 1.1 * k);
  const std::vector<double> Q0{-2e-12, -1.5e-12}; // fields 3.9e9 and 2.3e9 V/m
  const double cap = 1e9;
  // Both at the cap: with g = -E.n for negative charges, -sum_j A_ij Q_j = cap.
  // A Q = -cap (1, 1): Cramer.
  const double det = 1.2 * k * 1.1 * k - 0.3 * k * 0.25 * k;
  const double Q1  = (-cap * 1.1 * k + cap * 0.3 * k) / det;
  const double Q2  = (-cap * 1.2 * k + cap * 0.25 * k) / det;
  const auto r     = solve_field_cap(m, Q0, {cap, cap});
  EXPECT_NEAR(r.charges[0], Q1, 1e-12 * std::abs(Q1));
  EXPECT_NEAR(r.charges[1], Q2, 1e-12 * std::abs(Q2));
  EXPECT_EQ(r.capped.size(), 2u);
  EXPECT_TRUE(r.infeasible.empty());
  // Never changes sign, never adds charge.
  for (int i = 0; i < 2; ++i)
    {
      EXPECT_LE(r.charges[i], 0.0);
      EXPECT_LE(std::abs(r.charges[i]), std::abs(Q0[i]));
    }
  const auto E = m.normal_field(r.charges);
  EXPECT_NEAR(-E[0], cap, 1e-9 * cap);
  EXPECT_NEAR(-E[1], cap, 1e-9 * cap);
}

TEST(FieldCap, OnlyOneSphereCapped)
{
  // Sphere 2 carries little charge: it keeps it all (field below the cap) while sphere 1 sits at
  // the cap: Q2 = Q0_2, A11 Q1 + A12 Q2 = -cap.
  const auto m = two_spheres(1.2 * k, 0.3 * k, 0.25 * k, 1.1 * k);
  const std::vector<double> Q0{-2e-12, -0.2e-12};
  const double cap = 1e9;
  const auto r     = solve_field_cap(m, Q0, {cap, cap});
  const double Q1  = (-cap - 0.3 * k * Q0[1]) / (1.2 * k);
  EXPECT_NEAR(r.charges[0], Q1, 1e-12 * std::abs(Q1));
  EXPECT_DOUBLE_EQ(r.charges[1], Q0[1]);
  ASSERT_EQ(r.capped.size(), 1u);
  EXPECT_EQ(r.capped[0], 0u);
  EXPECT_LT(-m.normal_field(r.charges)[1], cap);
}

TEST(FieldCap, NothingToDoBelowTheCap)
{
  const auto m = two_spheres(1.2 * k, 0.3 * k, 0.25 * k, 1.1 * k);
  const std::vector<double> Q0{-0.3e-12, -0.2e-12};
  const auto r = solve_field_cap(m, Q0, {1e9, 1e9});
  EXPECT_EQ(r.charges, Q0);
  EXPECT_TRUE(r.capped.empty());
  EXPECT_EQ(r.iterations, 1u);
}

TEST(FieldCap, NegativeCrossTermAndPerSphereCaps)
{
  // A negative cross term (sphere 2 charge lowers sphere 1's field at its reference point) and
  // different caps: both capped; Cramer on A Q = -(c1, c2).
  const auto m = two_spheres(1.0 * k, -0.2 * k, 0.4 * k, 0.9 * k);
  const std::vector<double> Q0{-3e-12, -3e-12};
  const double c1 = 1e9, c2 = 2e9;
  const double det = 1.0 * 0.9 * k * k + 0.2 * 0.4 * k * k;
  const double Q1  = (-c1 * 0.9 * k - 0.2 * k * c2) / det;
  const double Q2  = (-c2 * 1.0 * k + 0.4 * k * c1) / det;
  const auto r     = solve_field_cap(m, Q0, {c1, c2});
  EXPECT_NEAR(r.charges[0], Q1, 1e-12 * std::abs(Q1));
  EXPECT_NEAR(r.charges[1], Q2, 1e-12 * std::abs(Q2));
}

TEST(FieldCap, InfeasibleWhenNeighbourAlonePushesOverCap)
{
  // Sphere 1's reference field is dominated by sphere 2: even at Q1 = 0 it stays above the cap
  // while sphere 2 is at its own cap. Reported, not hidden.
  const auto m = two_spheres(1.0 * k, 2.0 * k, 0.01 * k, 1.0 * k);
  const std::vector<double> Q0{-1e-12, -3e-12};
  const auto r = solve_field_cap(m, Q0, {1e9, 1e9});
  // Sphere 2 at cap with Q1 = 0: Q2 = -1e9 / k; sphere 1 field 2 k |Q2| = 2e9 > cap.
  EXPECT_NEAR(r.charges[1], -1e9 / k, 1e-12 * 1e9 / k);
  EXPECT_EQ(r.charges[0], 0.0);
  ASSERT_EQ(r.infeasible.size(), 1u);
  EXPECT_EQ(r.infeasible[0], 0u);
}

TEST(FieldCap, BadInput)
{
  const auto m = two_spheres(1.2 * k, 0.3 * k, 0.25 * k, 1.1 * k);
  EXPECT_THROW(solve_field_cap(m, {-1e-12}, {1e9, 1e9}), mpstream::InputError);
  EXPECT_THROW(solve_field_cap(m, {-1e-12, -1e-12}, {1e9, 0.0}), mpstream::InputError);
  // A response in which losing charge raises the own field is unphysical.
  const auto wrong = two_spheres(-1.2 * k, 0.3 * k, 0.25 * k, 1.1 * k);
  EXPECT_THROW(solve_field_cap(wrong, {-1e-12, -1e-12}, {1e9, 1e9}), mpstream::RuntimeFailure);
}

TEST(FieldCap, MultipointBindingRowSwitches)
{
  // Sphere 0 has two constraint points: a (self-dominated) is the larger at the backscatter-only
  // charges, b (facing sphere 1) becomes the larger once both spheres lose charge. Known answer
  // (units cap / k): with a binding, the solution has b = 1.077 > 1, so the answer binds b:
  //   0.5 Q0 + 1.0 Q1 = -1,  0.25 Q0 + 1.1 Q1 = -1  ->  Q0 = -1/3, Q1 = -5/6  (Cramer, det 0.3),
  // where a = 1.5/3 + 0.1 * 5/6 = 0.583 < 1. The solver must get there without cycling.
  const double cap = 1e9, u = cap / k;
  const std::vector<double> Q0{-2e-12, -2e-12};
  // E.n per charge (V/m per C), positive like the two-sphere models above.
  // Rows: sphere, E.n per charge, offset, cap.
  const std::vector<std::size_t> sphere_of_row{0, 0, 1};
  const DenseMatrix field_per_charge{{1.5 * k, 0.1 * k}, {0.5 * k, 1.0 * k}, {0.25 * k, 1.1 * k}};
  const auto r = solve_field_cap_multipoint(sphere_of_row, field_per_charge, {0.0, 0.0, 0.0}, {cap, cap, cap}, Q0);
  EXPECT_NEAR(r.charges[0], -u / 3, 1e-9 * u);
  EXPECT_NEAR(r.charges[1], -5 * u / 6, 1e-9 * u);
  EXPECT_EQ(r.capped.size(), 2u);
  EXPECT_LT(r.residual, 1e-9);
}
