#pragma once
// A cheap, dense approximation of the surface-field responses of a sphere stream, the
// initial model of the field cap without responses (field_cap_quasi_newton.h): dE.n at a point p_i
// of sphere i per unit charge of sphere j, with
//  - j = i: the isolated sphere's 1 / (4 pi eps0 r_i^2), plus its own anode image;
//  - j != i: sphere j as a point charge at its centre (and its image -1 mirrored in the
//    grounded anode plane z = 0), whose field at c_i a conducting sphere with fixed charge
//    raises to 3 E.n_i on its surface (a conducting sphere in a uniform field E0 carries
//    sigma = 3 eps0 E0 cos(theta): Jackson, Classical Electrodynamics, 3rd ed., Sect. 2.5),
//    n_i = (p_i - c_i) / |p_i - c_i|.
// Left out: the enclosure, the auxiliary electrodes, periodic images, the non-uniform
// polarisation across the 0.1 um gaps. The iteration corrects it from the full solves; the
// closer it is, the fewer they are (doc/charging.md, "Field cap without responses").
#include "layout/stream_layout.h"
#include "solver/field_cap.h"

#include <vector>

namespace mpstream::solver
{
  // N x N (V/m per C); points: one per sphere, on (or near) its surface.
  DenseMatrix point_charge_field_per_charge(const layout::StreamLayout &layout,
                                            const std::vector<layout::Point3> &points);
} // namespace mpstream::solver
