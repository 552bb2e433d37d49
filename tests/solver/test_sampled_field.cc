// The sampled field the Monte Carlo flies through (solver/sampled_field.h, issue 15), label:
// verification. Nodes sampled from the exact exterior field of an isolated sphere at -V
// (Coulomb; nodes inside the sphere flagged as in the body), interpolated at random points in
// the vacuum against the exact field. Expected: trilinear interpolation of a 1/d^2 field errs by
// about (h^2 / 8) |E''| / |E| = 0.75 (h / d)^2 at a distance d from the centre; within one
// spacing of the surface the renormalised weights extrapolate from the outer nodes, an error of
// first order in h / R. Grid spacing h = R / 10.
#include "solver/sampled_field.h"

#include "common/error.h"
#include "common/constants.h"
#include "mc/random.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream;
using namespace mpstream::solver;
using mpstream::mc::operator-;

namespace
{
  constexpr double R = 2.5e-6, V = 10e3;

  const mc::CoulombField &sphere_field()
  {
    static const mc::CoulombField f({{{0, 0, 0}, -4 * constants::pi * constants::vacuum_permittivity * R * V}});
    return f;
  }

  SampledStreamField sampled(double h)
  {
    FieldGridNodes g;
    g.lower = {-4 * R, -4 * R, -4 * R};
    g.upper = {4 * R, 4 * R, 4 * R};
    const auto n = static_cast<std::size_t>(std::lround(8 * R / h)) + 1;
    g.n_nodes = {n, n, n};
    for (const auto &x : g.positions())
      {
        const bool vacuum = std::sqrt(mc::dot(x, x)) >= R;
        const auto s      = sphere_field().at(x);
        g.in_vacuum.push_back(vacuum);
        g.potential.push_back(vacuum ? s.potential : -V);
        g.field.push_back(vacuum ? s.E : mc::Vec3{0, 0, 0});
      }
    return SampledStreamField(std::move(g), 100 * R, R, {-V});
  }

  double norm(const mc::Vec3 &a) { return std::sqrt(mc::dot(a, a)); }
} // namespace

TEST(SampledField, InterpolatesTheExteriorFieldOfASphere)
{
  const double h     = R / 10;
  const auto field   = sampled(h);
  mc::RandomStream rng(7, 0);
  double worst_far = 0, worst_near = 0, worst_phi = 0;
  for (int m = 0; m < 20000; ++m)
    {
      const mc::Vec3 x{(2 * rng.uniform() - 1) * 3.9 * R, (2 * rng.uniform() - 1) * 3.9 * R,
                       (2 * rng.uniform() - 1) * 3.9 * R};
      const double d = norm(x);
      if (d < R)
        continue;
      const auto exact = sphere_field().at(x), approx = field.at(x);
      const double error = norm(approx.E - exact.E) / norm(exact.E);
      (d > R + h ? worst_far : worst_near) = std::max(d > R + h ? worst_far : worst_near,
                                                      d > R + h ? error / (0.75 * (h / (d - h)) * (h / (d - h))) : error);
      worst_phi = std::max(worst_phi, std::abs(approx.potential - exact.potential) / V);
    }
  std::printf("sampled field, h = R/10: far (> h from the surface) worst error / 0.75 (h/(d-h))^2 = %.2f; "
              "within h of the surface worst relative error %.3f; potential worst %.1e of V\n",
              worst_far, worst_near, worst_phi);
  // Far from the surface: within 2x the trilinear estimate (with d - h for the nearest node).
  EXPECT_LT(worst_far, 2.0);
  // Within one spacing of the surface: first order in h / R.
  EXPECT_LT(worst_near, 3 * h / R);
  // The potential next to the surface: extrapolated from vacuum nodes up to sqrt(3) h away, an
  // error of at most |E| sqrt(3) h = sqrt(3) (h / R) V. (An electron entering the sphere takes the
  // sphere's own potential: body_potential.)
  EXPECT_LT(worst_phi, std::sqrt(3.0) * h / R);
  EXPECT_EQ(field.body_potential(0, {R, 0, 0}), -V);
}

TEST(SampledField, LinearToTheLidAboveTheGrid)
{
  const auto field = sampled(R / 4);
  const double top = 4 * R, lid = 100 * R;
  const auto below_lid = field.at({0, 0, 0.5 * (top + lid)});
  const auto mean_top  = field.at({0, 0, top}).potential; // = the top layer's mean here (by symmetry, nearly)
  EXPECT_NEAR(below_lid.potential, 0.5 * mean_top, 0.02 * std::abs(mean_top));
  EXPECT_LT(below_lid.E[2], 0.0); // E points down to the negative stream: electrons (-eE) are pushed up
  EXPECT_EQ(field.at({0, 0, lid}).potential, 0.0);
}

// Bad input (issue 15): a field that is not finite (a diverged solve) is refused before any
// electron flies, naming how many nodes are affected and where the first one is.
TEST(SampledField, RefusesAFieldThatIsNotFinite)
{
  FieldGridNodes g;
  g.lower   = {-R, -R, -R};
  g.upper   = {R, R, R};
  g.n_nodes = {3, 3, 3};
  g.potential.assign(g.size(), -V);
  g.field.assign(g.size(), mc::Vec3{0, 0, 1e6});
  g.in_vacuum.assign(g.size(), 1);
  g.field[13][2] = std::nan("");
  try
    {
      SampledStreamField(g, 100 * R, R, {-V});
      FAIL() << "expected a RuntimeFailure";
    }
  catch (const RuntimeFailure &e)
    {
      EXPECT_NE(std::string(e.what()).find("not finite"), std::string::npos) << e.what();
      EXPECT_NE(std::string(e.what()).find("1 of 27 grid nodes (first at 0, 0, 0 m)"), std::string::npos) << e.what();
    }
  g.field[13][2] = 0;
  EXPECT_THROW(SampledStreamField(g, 100 * R, R, {std::nan("")}), RuntimeFailure);
  EXPECT_NO_THROW(SampledStreamField(g, 100 * R, R, {-V}));
}
