#pragma once
// A cheap, dense approximation of the surface-field responses of a sphere stream, the far
// field of the probed field tables (probed_field_rows.h): dE.n at a point p of sphere i per
// unit charge of sphere j, with
//  - j = i: the isolated sphere's 1 / (4 pi eps0 r_i^2), plus its own anode image;
//  - j != i: sphere j as a point charge at its centre (and its image -1 mirrored in the
//    grounded anode plane z = 0), whose field at c_i a conducting sphere with fixed charge
//    raises to 3 E.n on its surface (a conducting sphere in a uniform field E0 carries
//    sigma = 3 eps0 E0 cos(theta): Jackson, Classical Electrodynamics, 3rd ed., Sect. 2.5),
//    n = (p - c_i) / |p - c_i|.
// Left out: the enclosure, the auxiliary electrodes, periodic images, and the near field
// across the stream's narrow gaps (non-uniform polarisation), which the probing measures.
#include "layout/stream_layout.h"
#include "solver/field_cap.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  // One row per point (V/m per C, points x N): points[k] lies on sphere spheres[k].
  DenseMatrix point_charge_field_rows(const layout::StreamLayout &layout, const std::vector<std::size_t> &spheres,
                                      const std::vector<layout::Point3> &points);

  // For every sphere, the spheres whose surfaces come within `gap_radii` radii of its own:
  // where the point-charge model is poor.
  std::vector<std::vector<std::size_t>> near_spheres(const layout::StreamLayout &layout, double gap_radii = 1.0);
} // namespace mpstream::solver
