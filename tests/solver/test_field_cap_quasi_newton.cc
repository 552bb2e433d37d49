// The field cap without responses (solver/field_cap_quasi_newton.h) against the dense
// multipoint solver of solver/field_cap.h on the same problem with every matrix known: an
// independent method (semismooth Newton on the explicit rows). The synthetic "field solve" is
// a linear model with six surface points per sphere (the peak moves between them as charges
// change), built from exact point-charge fields at the surface points, the anode's images and
// a polarisation factor of 2, while the quasi-Newton iteration starts from the point-charge
// model of solver/point_charge_field_model.h (factor 3, fields at the centres): the model is
// wrong by tens of % and the iteration must correct it from the "solves" alone.
// Also: the point-charge model against the conducting sphere in a uniform field (Jackson,
// Classical Electrodynamics, 3rd ed., Sect. 2.5: sigma = 3 eps0 E0 cos(theta)).
#include "solver/field_cap_quasi_newton.h"
#include "solver/point_charge_field_model.h"
#include "common/error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <random>

using namespace mpstream;
using namespace mpstream::solver;

namespace
{
  constexpr double pi   = 3.14159265358979323846;
  constexpr double eps0 = 8.8541878128e-12;
  constexpr double r    = 2.5e-6;

  layout::StreamLayout hexagonal_stream(unsigned int rows, unsigned int columns, unsigned int seed)
  {
    layout::StreamLayout l;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> layer(0, 2);
    const double pitch = 2 * r * 1.02;
    for (unsigned int i = 0; i < rows; ++i)
      for (unsigned int j = 0; j < columns; ++j)
        l.spheres.push_back({{pitch * (j + 0.5 * (i % 2)), pitch * std::sqrt(3.0) / 2 * i, 2 * r + 4.4e-6 * layer(rng)}, r, 0});
    return l;
  }

  // E.n at six points per sphere (+-x, +-y, +-z) per unit charge of every sphere: the charge of
  // sphere j as a point at its centre with its anode image, polarising sphere i by a factor 2;
  // sphere i's own charge 1 / (4 pi eps0 r^2) at its surface.
  struct SyntheticField : FieldCapProblem
  {
    layout::StreamLayout layout;
    std::vector<FieldConstraintRow> rows; // six per sphere, cap set by the test
    std::vector<PeakPoint> points;        // of the rows
    unsigned int solves = 0;

    explicit SyntheticField(layout::StreamLayout l, double cap)
      : layout(std::move(l))
    {
      const std::size_t N = layout.spheres.size();
      for (std::size_t i = 0; i < N; ++i)
        for (int d = 0; d < 6; ++d)
          {
            PeakPoint n{0, 0, 0};
            n[d / 2] = d % 2 ? -1.0 : 1.0;
            const auto &c = layout.spheres[i].centre;
            PeakPoint p{c[0] + r * n[0], c[1] + r * n[1], c[2] + r * n[2]};
            FieldConstraintRow row{i, std::vector<double>(N, 0.0), 0.0, cap};
            for (std::size_t j = 0; j < N; ++j)
              {
                if (j == i)
                  {
                    row.field_per_charge[j] = 1 / (4 * pi * eps0 * r * r);
                    continue;
                  }
                const auto &s = layout.spheres[j].centre;
                double En     = 0;
                for (const double sign : {1.0, -1.0}) // the charge and its image in z = 0
                  {
                    const PeakPoint q{s[0], s[1], sign * s[2]};
                    const PeakPoint v{p[0] - q[0], p[1] - q[1], p[2] - q[2]};
                    const double d2 = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
                    En += sign * (v[0] * n[0] + v[1] * n[1] + v[2] * n[2]) / (4 * pi * eps0 * d2 * std::sqrt(d2));
                  }
                row.field_per_charge[j] = 2 * En;
              }
            rows.push_back(row);
            points.push_back(p);
          }
    }

    EmissionPeaks peaks(const std::vector<double> &Q) override
    {
      ++solves;
      const std::size_t N = Q.size();
      EmissionPeaks e{std::vector<double>(N, -1e300), std::vector<PeakPoint>(N)};
      for (std::size_t k = 0; k < rows.size(); ++k)
        {
          const std::size_t i = rows[k].sphere;
          double En           = 0;
          for (std::size_t j = 0; j < N; ++j)
            En += rows[k].field_per_charge[j] * Q[j];
          const double F = Q[i] < 0 ? -En : (Q[i] > 0 ? En : std::abs(En));
          if (F > e.field_V_per_m[i])
            {
              e.field_V_per_m[i] = F;
              e.location[i]      = points[k];
            }
        }
      return e;
    }

    DenseMatrix approximate_field_per_charge(const std::vector<PeakPoint> &at) const override
    {
      return point_charge_field_per_charge(layout, at);
    }
  };

  std::vector<double> uniform_charges(std::size_t N, double Q) { return std::vector<double>(N, Q); }
} // namespace

TEST(FieldCapQuasiNewton, MatchesTheDenseMultipointSolver)
{
  // 40 spheres, -2 pC each: peak fields 4-7 GV/m against a 2 GV/m cap, so most spheres are
  // capped, the peaks move between the six points, some neighbours may end at zero charge.
  const double cap = 2e9;
  SyntheticField field(hexagonal_stream(5, 8, 3), cap);
  const auto Q0 = uniform_charges(field.layout.spheres.size(), -2e-12);
  const auto reference = solve_field_cap_multipoint(field.rows, Q0);
  ASSERT_GT(reference.capped.size(), 10u);

  QuasiNewtonSettings settings;
  settings.cap_V_per_m = cap;
  settings.tolerance   = 1e-9;
  settings.max_solves  = 200;
  const auto r = solve_field_cap_quasi_newton(field, Q0, settings);
  EXPECT_EQ(r.capped, reference.capped);
  EXPECT_EQ(r.infeasible, reference.infeasible);
  for (std::size_t i = 0; i < Q0.size(); ++i)
    EXPECT_NEAR(r.charges[i], reference.charges[i], 1e-7 * 2e-12) << "sphere " << i;
  EXPECT_LE(r.worst_deviation, 1e-9);
  std::cout << "quasi-Newton: " << r.field_solves << " field solves for " << Q0.size() << " spheres\n";
}

TEST(FieldCapQuasiNewton, FewerSolvesThanSpheresAtTheDefaultTolerance)
{
  // Regression test of the cost: at the default 5 % the iteration must stop in far fewer
  // solves than the N + 1 unit responses would take (measured: see the output).
  const double cap = 2e9;
  SyntheticField field(hexagonal_stream(6, 10, 5), cap);
  const auto Q0 = uniform_charges(field.layout.spheres.size(), -2e-12);
  QuasiNewtonSettings settings;
  settings.cap_V_per_m = cap;
  const auto r = solve_field_cap_quasi_newton(field, Q0, settings);
  EXPECT_LE(r.worst_deviation, settings.tolerance);
  EXPECT_LT(r.field_solves, Q0.size() / 3);
  std::cout << "quasi-Newton at 5 %: " << r.field_solves << " field solves for " << Q0.size() << " spheres\n";
}

TEST(FieldCapQuasiNewton, NoDischargeBelowTheCap)
{
  SyntheticField field(hexagonal_stream(3, 4, 1), 1e12);
  const auto Q0 = uniform_charges(12, -1e-13);
  QuasiNewtonSettings settings;
  settings.cap_V_per_m = 1e12;
  const auto r = solve_field_cap_quasi_newton(field, Q0, settings);
  EXPECT_EQ(r.field_solves, 1u);
  EXPECT_TRUE(r.capped.empty());
  EXPECT_EQ(r.charges, Q0);
}

TEST(FieldCapQuasiNewton, NotConvergedIsAClearFailure)
{
  SyntheticField field(hexagonal_stream(5, 8, 3), 2e9);
  QuasiNewtonSettings settings;
  settings.cap_V_per_m = 2e9;
  settings.tolerance   = 1e-12;
  settings.max_solves  = 2;
  try
    {
      solve_field_cap_quasi_newton(field, uniform_charges(40, -2e-12), settings);
      FAIL() << "expected RuntimeFailure";
    }
  catch (const RuntimeFailure &e)
    {
      EXPECT_NE(std::string(e.what()).find("not converged"), std::string::npos) << e.what();
    }
}

TEST(FieldCapQuasiNewton, RejectsANonPositiveCap)
{
  SyntheticField field(hexagonal_stream(2, 2, 1), 1e9);
  QuasiNewtonSettings settings;
  settings.cap_V_per_m = 0;
  EXPECT_THROW(solve_field_cap_quasi_newton(field, uniform_charges(4, -1e-13), settings), QuantityError);
}

TEST(PointChargeFieldModel, ConductingSphereInTheFieldOfAFarCharge)
{
  // Two spheres 200 r apart, no anode: the model takes the unit charge of sphere 1 as the
  // uniform field E0 it makes at sphere 0's centre, so on sphere 0's surface it must give
  // Jackson's E.n = 3 E0 cos(theta) (Sect. 2.5; signs and directions are what this checks),
  // and for sphere 0's own charge the isolated sphere's 1 / (4 pi eps0 r^2).
  layout::StreamLayout l;
  l.anode_present = false;
  const double d  = 200 * r;
  l.spheres       = {{{0, 0, 0}, r, 0}, {{d, 0, 0}, r, 0}};
  const double E0 = 1 / (4 * pi * eps0 * d * d); // at sphere 0, pointing -x (away from sphere 1)
  for (const double theta : {0.0, 0.7, 2.0, pi})
    {
      // Point on sphere 0 at angle theta from -x (the direction of E0).
      const PeakPoint p{-r * std::cos(theta), r * std::sin(theta), 0};
      const auto G = point_charge_field_per_charge(l, {p, {d + r, 0, 0}});
      EXPECT_NEAR(G[0][1], 3 * E0 * std::cos(theta), 1e-12 * 3 * E0) << "theta " << theta;
      EXPECT_NEAR(G[0][0], 1 / (4 * pi * eps0 * r * r), 1e-12 / (4 * pi * eps0 * r * r));
    }
}
