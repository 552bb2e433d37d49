// Constraint / emission points on the sphere surfaces (solver/surface_points.h): every point on
// its sphere, the emission weights sum to the sphere's area 4 pi r^2 (exactly: they partition a
// uniform lattice), a patch (with its apex) towards a near neighbour and towards the anode,
// none towards a distant sphere.
#include "solver/surface_points.h"
#include "common/constants.h"
#include "common/error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream;
using namespace mpstream::solver;

namespace
{
  // Spheres 0 and 1 with a 0.1 um gap at the anode's height r + 2.5 um; sphere 2 far away.
  layout::StreamLayout three_spheres()
  {
    const double r = 2.5e-6, z = 2 * r;
    layout::StreamLayout layout;
    layout.spheres       = {{{0, 0, z}, r, 0}, {{2 * r + 0.1e-6, 0, z}, r, 0}, {{40e-6, 0, z + 20e-6}, r, 0}};
    layout.layer_heights = {z};
    layout.anode_present = true;
    return layout;
  }

  std::size_t count_near(const SurfacePointSet &s, std::size_t sphere, const layout::Point3 &x, double tol)
  {
    std::size_t n = 0;
    for (std::size_t k = 0; k < s.size(); ++k)
      n += s.sphere[k] == sphere && std::hypot(s.point[k][0] - x[0], s.point[k][1] - x[1], s.point[k][2] - x[2]) < tol;
    return n;
  }
} // namespace

TEST(SurfacePoints, OnSurfaceWeightsSumToArea)
{
  const auto layout = three_spheres();
  SurfacePointSettings settings;
  const auto s = make_surface_points(layout, settings);
  std::vector<double> area(3, 0.0);
  std::vector<std::size_t> count(3, 0);
  for (std::size_t k = 0; k < s.size(); ++k)
    {
      const auto &sp = layout.spheres[s.sphere[k]];
      const double d = std::hypot(s.point[k][0] - sp.centre[0], s.point[k][1] - sp.centre[1], s.point[k][2] - sp.centre[2]);
      EXPECT_NEAR(d, sp.radius, 1e-12 * sp.radius);
      area[s.sphere[k]] += s.area_m2[k];
      ++count[s.sphere[k]];
    }
  const double r = 2.5e-6, full = 4 * constants::pi * r * r;
  for (int i = 0; i < 3; ++i)
    EXPECT_NEAR(area[i], full, 1e-9 * full);
  // Spheres 0 and 1: a neighbour patch and an anode patch (bottom at 2.5 um < 1 radius), each
  // patch_points + its apex; sphere 2: bottom 22.5 um above the anode, no neighbour: uniform only.
  const std::size_t patch = settings.patch_points + 1;
  EXPECT_EQ(count[0], settings.uniform_points + 2 * patch);
  EXPECT_EQ(count[1], settings.uniform_points + 2 * patch);
  EXPECT_EQ(count[2], settings.uniform_points);
  // The gap apex of sphere 0 (towards sphere 1) and the bottom point are among the points.
  EXPECT_EQ(count_near(s, 0, {r, 0, 2 * r}, 1e-12), 1u);
  EXPECT_EQ(count_near(s, 0, {0, 0, r}, 1e-12), 1u);
  // The patch is denser than the uniform lattice: within 0.3 r of the gap apex.
  EXPECT_GT(count_near(s, 0, {r, 0, 2 * r}, 0.3 * r), count_near(s, 0, {0, r, 2 * r}, 0.3 * r) + 10);
}

// A periodic cell: sphere 0 cut by the side x_max, its neighbour across that side is sphere 1's
// image (gap 0.1 um), and every point lies inside the cell (the mesh has only the pieces of
// the images there).
TEST(SurfacePoints, PeriodicCellImagesAndPointsInside)
{
  const double r = 2.5e-6, z = 2 * r, L = 20e-6, gap = 0.1e-6;
  layout::StreamLayout layout;
  layout::PeriodicCell cell;
  cell.x_min = cell.y_min = 0;
  cell.x_max = cell.y_max = L;
  layout.periodic_cell = cell;
  // Sphere 0's centre 1 um inside x_max; sphere 1's image at x_0 + 2r + gap lies past x_max.
  const double x0 = L - 1e-6;
  layout.spheres       = {{{x0, L / 2, z}, r, 0}, {{x0 + 2 * r + gap - L, L / 2, z}, r, 0}};
  layout.layer_heights = {z};
  layout.anode_present = true;
  SurfacePointSettings settings;
  const auto s = make_surface_points(layout, settings);
  std::vector<std::size_t> count(2, 0);
  for (std::size_t k = 0; k < s.size(); ++k)
    {
      ++count[s.sphere[k]];
      EXPECT_GE(s.point[k][0], 0.0);
      EXPECT_LT(s.point[k][0], L);
      EXPECT_GE(s.point[k][1], 0.0);
      EXPECT_LT(s.point[k][1], L);
    }
  const std::size_t patch = settings.patch_points + 1;
  EXPECT_EQ(count[0], settings.uniform_points + 2 * patch); // the image neighbour and the anode
  EXPECT_EQ(count[1], settings.uniform_points + 2 * patch);
  // Sphere 0's gap apex towards the image, at x0 + r, wrapped into the cell.
  EXPECT_EQ(count_near(s, 0, {x0 + r - L, L / 2, z}, 1e-12), 1u);
}

TEST(SurfacePoints, BadSettings)
{
  SurfacePointSettings settings;
  settings.uniform_points = 2;
  EXPECT_THROW(make_surface_points(three_spheres(), settings), InputError);
}
