#pragma once
// Shape measures of linear tetrahedra, for the mesh report (Gmsh 4.8's API has no
// getElementQualities yet).
#include <array>

namespace mpstream::meshing
{
  using Tet = std::array<std::array<double, 3>, 4>;

  double tet_volume(const Tet &t); // signed: positive for positive orientation
  // 3 r_inscribed / r_circumscribed: 1 for the regular tetrahedron, 0 for a flat one.
  double tet_radius_ratio(const Tet &t);
  // Smallest of the six dihedral angles, in degrees (70.53 for the regular tetrahedron).
  double tet_min_dihedral_angle_deg(const Tet &t);
} // namespace mpstream::meshing
