#pragma once
// The mesher's tetrahedral mesh of the vacuum held in memory: what the MSH file carries for
// the solver (corner nodes, tetrahedra, tagged boundary triangles), handed to it without the
// file's write and parse (issue 16 item 5). Pure C++ (no Gmsh, no deal.II).
#include "layout/stream_layout.h"

#include <array>
#include <vector>

namespace mpstream::meshing
{
  struct VolumeMesh
  {
    std::vector<layout::Point3> nodes;                // m
    std::vector<std::array<unsigned int, 4>> tetrahedra; // node indices; all in the vacuum (tags::vacuum)
    std::vector<std::array<unsigned int, 3>> boundary_triangles; // node indices
    std::vector<unsigned int> boundary_tags;          // physical surface tag of each triangle (physical_tags.h)
  };
} // namespace mpstream::meshing
