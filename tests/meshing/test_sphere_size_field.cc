// SphereSizeField (tree search) against the brute-force minimum of ball_size over every ball,
// the way Gmsh's Min field evaluates its Ball sub-fields: results must be equal (==), since the
// mesher relies on the callback reproducing Gmsh's Min field bit for bit.
#include "meshing/sphere_size_field.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <stdexcept>

using namespace mpstream::meshing;

namespace
{
  double brute_force_minimum(const std::vector<SizeBall> &balls, double x, double y, double z)
  {
    double v = no_ball_size;
    for (const auto &b : balls)
      v = std::min(v, ball_size(b, x, y, z));
    return v;
  }

  // Sphere balls (graded) at random centres and radii in a box, plus sharp gap-like balls.
  std::vector<SizeBall> random_balls(std::mt19937_64 &rng, std::size_t n_graded, std::size_t n_sharp,
                                     double extent, double v_in, double v_out, double thickness)
  {
    std::uniform_real_distribution<double> position(0, extent), radius(0.5, 3.0), size(0.1, 0.5);
    std::vector<SizeBall> balls;
    for (std::size_t i = 0; i < n_graded; ++i)
      balls.push_back({{position(rng), position(rng), 0.2 * position(rng)}, radius(rng), v_in, v_out, thickness});
    for (std::size_t i = 0; i < n_sharp; ++i)
      balls.push_back({{position(rng), position(rng), 0.2 * position(rng)}, 0.3 * radius(rng), size(rng), v_out, 0});
    return balls;
  }

  // Query points from far outside the balls' box to inside the balls, denser near the balls.
  void expect_equal_to_brute_force(const std::vector<SizeBall> &balls, double extent, std::size_t n_queries,
                                   std::mt19937_64 &rng)
  {
    const SphereSizeField field(balls);
    ASSERT_EQ(field.size(), balls.size());
    std::uniform_real_distribution<double> wide(-extent, 2 * extent), unit(-1, 1);
    std::uniform_int_distribution<std::size_t> pick(0, balls.size() - 1);
    for (std::size_t n = 0; n < n_queries; ++n)
      {
        double x, y, z;
        if (n % 2 == 0)
          x = wide(rng), y = wide(rng), z = wide(rng);
        else // near a ball's surface
          {
            const auto &b   = balls[pick(rng)];
            const double s  = b.radius * (1 + 0.5 * unit(rng));
            x = b.centre[0] + s * unit(rng), y = b.centre[1] + s * unit(rng), z = b.centre[2] + s * unit(rng);
          }
        const double expected = brute_force_minimum(balls, x, y, z);
        ASSERT_EQ(field(x, y, z), expected) << "query (" << x << ", " << y << ", " << z << ")";
      }
  }
} // namespace

TEST(SphereSizeField, EqualsBruteForceOnRandomBalls)
{
  std::mt19937_64 rng(7);
  for (const std::size_t n : {1, 2, 9, 60, 700})
    {
      SCOPED_TRACE(n);
      const double extent = 4.0 * std::cbrt(static_cast<double>(n)) + 5;
      // Transition layers thinner and thicker than the balls' spacing.
      for (const double thickness : {2.0, 65.0})
        {
          const auto balls = random_balls(rng, n, n / 2 + 1, extent, 0.5, 20.0, thickness);
          expect_equal_to_brute_force(balls, extent, 20000, rng);
        }
    }
}

TEST(SphereSizeField, EqualsBruteForceWithOnlyOneKindOfBall)
{
  std::mt19937_64 rng(11);
  expect_equal_to_brute_force(random_balls(rng, 100, 0, 30, 0.5, 20.0, 10.0), 30, 20000, rng);
  expect_equal_to_brute_force(random_balls(rng, 0, 100, 30, 0.5, 20.0, 10.0), 30, 20000, rng);
  // Graded balls of equal VIn and VOut (a transition layer that changes nothing).
  expect_equal_to_brute_force(random_balls(rng, 50, 5, 30, 3.0, 3.0, 10.0), 30, 5000, rng);
}

// Where VIn + 1 * (VOut - VIn) rounds above VOut, a ball at the very end of its transition layer
// is not the minimum if another ball is beyond its layer (VOut): the corner case of the search.
TEST(SphereSizeField, EqualsBruteForceAtTheEndOfTheTransitionLayer)
{
  // About 1 % of random pairs round so.
  std::mt19937_64 rng(3);
  std::uniform_real_distribution<double> inside(0.01, 1), outside(1, 30);
  double v_in = 0, v_out = 0;
  for (int attempt = 0; attempt < 100000 && v_out == 0; ++attempt)
    {
      const double a = inside(rng), b = outside(rng);
      if (a + (b - a) > b)
        v_in = a, v_out = b;
    }
  ASSERT_GT(v_out, 0) << "no VIn/VOut pair that rounds above VOut";
  const double thickness = 3.0;
  const std::vector<SizeBall> balls = {{{0, 0, 0}, 1.0, v_in, v_out, thickness},
                                       {{100, 0, 0}, 1.0, v_in, v_out, thickness}};
  const std::vector<SizeBall> alone = {balls.front()};
  const SphereSizeField pair(balls), single(alone);
  // Walk along x in ulp steps across surface distance = thickness.
  std::size_t above_v_out = 0;
  double x = 1.0 + thickness;
  for (int k = 0; k < 64; ++k)
    x = std::nextafter(x, 0.0);
  for (int k = 0; k < 128; ++k, x = std::nextafter(x, 10.0))
    {
      if (ball_size(balls.front(), x, 0, 0) > v_out)
        ++above_v_out;
      ASSERT_EQ(pair(x, 0, 0), brute_force_minimum(balls, x, 0, 0)) << x;
      ASSERT_EQ(single(x, 0, 0), brute_force_minimum(alone, x, 0, 0)) << x;
    }
  EXPECT_GT(above_v_out, 0u) << "the walk did not reach the rounding corner case";
}

// Power-law balls (exponent != 1, not a Gmsh field): the tree search relies only on a ball's
// size being non-decreasing in its surface distance, which the power law keeps.
TEST(SphereSizeField, PowerLawBallsEqualBruteForce)
{
  std::mt19937_64 rng(5);
  for (const double exponent : {1.2, 1.5, 2.0})
    {
      SCOPED_TRACE(exponent);
      auto balls = random_balls(rng, 80, 20, 30, 0.5, 20.0, 0);
      for (auto &b : balls)
        if (b.thickness == 0 && b.v_in == 0.5) // the graded ones
          b = graded_ball(b.centre, b.radius, 0.5, 20.0, 0.15, exponent);
      expect_equal_to_brute_force(balls, 30, 20000, rng);
    }
}

// The power law's defining properties: v_in on the surface, slope `growth` there, v_out at the
// thickness graded_ball returns (and beyond), exponent 1 the linear Gmsh ball.
TEST(SphereSizeField, PowerLawBallGrowsFromVInWithTheGivenSlopeToVOut)
{
  const double v_in = 0.3, v_out = 40, growth = 0.115, radius = 2.5;
  for (const double exponent : {1.0, 1.5})
    {
      SCOPED_TRACE(exponent);
      const auto ball = graded_ball({0, 0, 0}, radius, v_in, v_out, growth, exponent);
      const auto size = [&](double s) { return ball_size(ball, radius + s, 0, 0); };
      EXPECT_EQ(size(0), v_in);
      const double ds = 1e-6;
      EXPECT_NEAR((size(ds) - size(0)) / ds, growth, 1e-6);
      EXPECT_NEAR(size(ball.thickness), v_out, 1e-9 * v_out);
      EXPECT_EQ(size(1.01 * ball.thickness), v_out);
      for (double s = 0; s < ball.thickness; s += ball.thickness / 97)
        EXPECT_LE(size(s), size(s + ball.thickness / 97));
    }
  // Faster than linear away from the sphere: thinner layer for the same v_in, v_out, slope.
  EXPECT_LT(graded_ball({0, 0, 0}, radius, v_in, v_out, growth, 1.5).thickness,
            graded_ball({0, 0, 0}, radius, v_in, v_out, growth, 1.0).thickness);
  EXPECT_EQ(graded_ball({0, 0, 0}, radius, v_in, v_out, growth, 1.0).thickness, (v_out - v_in) / growth);
}

TEST(SphereSizeField, NoBallsGiveGmshsEmptyMinValue)
{
  const SphereSizeField field({});
  EXPECT_EQ(field(1, 2, 3), no_ball_size);
}

TEST(SphereSizeField, RejectsBallsItCannotSearch)
{
  EXPECT_THROW(SphereSizeField({{{0, 0, 0}, 1, 0.5, 2, 1}, {{5, 0, 0}, 1, 0.5, 2, 2}}), std::invalid_argument);
  EXPECT_THROW(SphereSizeField({{{0, 0, 0}, 1, 3, 2, 1}}), std::invalid_argument);
  EXPECT_THROW(SphereSizeField({{{0, 0, 0}, 1, 0.5, 2, 0}, {{5, 0, 0}, 1, 0.5, 3, 0}}), std::invalid_argument);
}
