// Shape measures against closed forms: the regular tetrahedron (radius ratio 1, dihedral
// angle arccos(1/3) = 70.5288 deg), the right-corner tetrahedron and a flat one.
#include "meshing/mesh_quality.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mpstream::meshing;

TEST(MeshQuality, RegularTetrahedron)
{
  const Tet t    = {{{1, 1, 1}, {1, -1, -1}, {-1, 1, -1}, {-1, -1, 1}}};
  EXPECT_NEAR(std::abs(tet_volume(t)), 8.0 / 3.0, 1e-12); // edge 2 sqrt 2: V = a^3 / (6 sqrt 2); this order is negatively oriented
  EXPECT_NEAR(tet_radius_ratio(t), 1.0, 1e-12);
  EXPECT_NEAR(tet_min_dihedral_angle_deg(t), std::acos(1.0 / 3.0) * 180 / M_PI, 1e-9);
}

TEST(MeshQuality, RightCornerTetrahedron)
{
  const Tet t = {{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};
  EXPECT_NEAR(tet_volume(t), 1.0 / 6.0, 1e-15);
  // r_in = 3V/A = 0.5 / (1.5 + sqrt(3)/2), r_circ = sqrt(3)/2.
  const double r_in = 0.5 / (1.5 + std::sqrt(3.0) / 2), r_circ = std::sqrt(3.0) / 2;
  EXPECT_NEAR(tet_radius_ratio(t), 3 * r_in / r_circ, 1e-12);
  // Smallest dihedral: at the slanted face's edges, arccos(1/sqrt 3) = 54.7356 deg.
  EXPECT_NEAR(tet_min_dihedral_angle_deg(t), std::acos(1 / std::sqrt(3.0)) * 180 / M_PI, 1e-9);
}

TEST(MeshQuality, FlatTetrahedronHasZeroQuality)
{
  const Tet t = {{{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {1, 1, 0}}};
  EXPECT_EQ(tet_volume(t), 0.0);
  EXPECT_EQ(tet_radius_ratio(t), 0.0);
}
