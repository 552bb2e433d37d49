// Probed field tables (solver/probed_field_rows.h): the colouring's defining property, and
// exact recovery of a table whose far part is the point-charge model up to one factor per
// point (the probing's assumption) while the near part is arbitrary: the table is built
// explicitly here, the probes are its column sums, and the recovered rows must equal it.
#include "solver/point_charge_field_model.h"
#include "solver/probed_field_rows.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <set>

using namespace mpstream;
using namespace mpstream::solver;

namespace
{
  constexpr double r = 2.5e-6;

  // Hexagonal rows x columns at the stream's pitch, heights drawn from three layers.
  layout::StreamLayout hexagonal_stream(unsigned int rows, unsigned int columns, unsigned int seed)
  {
    layout::StreamLayout l;
    std::mt19937 rng(seed);
    std::uniform_int_distribution<int> layer(0, 2);
    const double pitch = 2 * r * 1.02;
    for (unsigned int i = 0; i < rows; ++i)
      for (unsigned int j = 0; j < columns; ++j)
        l.spheres.push_back(
          {{pitch * (j + 0.5 * (i % 2)), pitch * std::sqrt(3.0) / 2 * i, 2 * r + 3.75e-6 * layer(rng)}, r, 0});
    return l;
  }
} // namespace

TEST(ProbedFieldRows, ColoursSeparateEveryClosedNeighbourhood)
{
  const auto l    = hexagonal_stream(9, 12, 2);
  const auto near = near_spheres(l);
  std::vector<bool> charged(l.spheres.size(), true);
  charged[5] = false;
  const auto colours = probe_colours(near, charged);
  std::vector<int> colour_of(l.spheres.size(), -1);
  for (std::size_t c = 0; c < colours.size(); ++c)
    for (const auto j : colours[c])
      colour_of[j] = static_cast<int>(c);
  EXPECT_EQ(colour_of[5], -1);
  for (std::size_t i = 0; i < l.spheres.size(); ++i)
    {
      if (i != 5)
        EXPECT_GE(colour_of[i], 0) << i;
      std::multiset<int> seen;
      if (colour_of[i] >= 0)
        seen.insert(colour_of[i]);
      for (const auto j : near[i])
        if (colour_of[j] >= 0)
          {
            EXPECT_EQ(seen.count(colour_of[j]), 0u) << "sphere " << i << ", neighbour " << j;
            seen.insert(colour_of[j]);
          }
    }
  // Regression: the count does not grow with the stream (here 108 spheres).
  EXPECT_LE(colours.size(), 14u);
  std::cout << colours.size() << " colours for " << l.spheres.size() << " spheres\n";
}

TEST(ProbedFieldRows, RecoversATableOfTheAssumedForm)
{
  const auto l = hexagonal_stream(5, 6, 7);
  const std::size_t N = l.spheres.size();
  std::mt19937 rng(11);
  std::uniform_real_distribution<double> u(-1, 1);
  // Four points per sphere on random directions.
  FieldProbes p;
  std::vector<layout::Point3> points;
  for (std::size_t i = 0; i < N; ++i)
    for (int k = 0; k < 4; ++k)
      {
        layout::Point3 n{u(rng), u(rng), u(rng)};
        const double len = std::sqrt(n[0] * n[0] + n[1] * n[1] + n[2] * n[2]);
        const auto &c    = l.spheres[i].centre;
        points.push_back({c[0] + r * n[0] / len, c[1] + r * n[1] / len, c[2] + r * n[2] / len});
        p.point_sphere.push_back(i);
      }
  p.model      = point_charge_field_rows(l, p.point_sphere, points);
  p.neighbours = near_spheres(l);
  for (std::size_t i = 0; i < N; ++i)
    p.backscatter_charges.push_back(-1e-12 * (1 + 0.5 * u(rng)));
  p.backscatter_charges[3] = 0; // uncharged: no colour, its column unknown and unused
  std::vector<bool> charged;
  for (const double q : p.backscatter_charges)
    charged.push_back(q != 0);
  p.colours = probe_colours(p.neighbours, charged);
  // The true table: far columns = scale_k * model, near columns arbitrary, an offset per point.
  const std::size_t K = points.size();
  DenseMatrix A(K, std::vector<double>(N));
  std::vector<double> offset(K);
  for (std::size_t k = 0; k < K; ++k)
    {
      const double scale = 1 + 0.3 * u(rng);
      for (std::size_t j = 0; j < N; ++j)
        A[k][j] = scale * p.model[k][j];
      const std::size_t i = p.point_sphere[k];
      A[k][i] *= 1 + 0.5 * u(rng);
      for (const auto j : p.neighbours[i])
        A[k][j] = 2e21 * u(rng);
      offset[k] = 1e8 * u(rng);
    }
  p.probes.assign(K, std::vector<double>(p.colours.size(), 0.0));
  p.full_field = offset;
  for (std::size_t k = 0; k < K; ++k)
    {
      for (std::size_t c = 0; c < p.colours.size(); ++c)
        for (const auto j : p.colours[c])
          p.probes[k][c] += A[k][j] * p.backscatter_charges[j];
      for (std::size_t j = 0; j < N; ++j)
        p.full_field[k] += A[k][j] * p.backscatter_charges[j];
    }
  const auto rows = probed_field_rows(p);
  double worst = 0, largest = 0;
  for (std::size_t k = 0; k < K; ++k)
    {
      for (std::size_t j = 0; j < N; ++j)
        if (charged[j])
          {
            worst   = std::max(worst, std::abs(rows.rows[k][j] - A[k][j]));
            largest = std::max(largest, std::abs(A[k][j]));
          }
      EXPECT_NEAR(rows.offset[k], offset[k], 1e-6 * 1e8) << "point " << k;
    }
  // Exact up to round-off (and the 1e-12 pull that defines the far factor).
  EXPECT_LT(worst / largest, 1e-8) << "largest coefficient " << largest;
  std::cout << "largest relative error of the probed table " << worst / largest << " with " << p.colours.size()
            << " colours for " << N << " spheres\n";
}
