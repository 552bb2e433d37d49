#pragma once
// Points on the sphere surfaces where the charging models evaluate E.n (field-cap constraints,
// Murphy-Good emission integral). The max-|E.n| point of a sphere moves as the charges change
// (bottom towards the anode, the 0.1 um gaps to same-layer neighbours, the electrodes), so one
// point per sphere cannot follow it (doc/charging.md). Each sphere gets
//  - a uniform Fibonacci lattice (nearly equal areas), and
//  - a denser patch around every direction where the field can peak: towards each neighbour
//    whose surface is within `neighbour_gap_radii` radii, and down towards the anode.
// The FE surface field is P1 on the surface triangles (solver/electrostatics/surface_recovery.cc),
// so its maximum sits at a mesh vertex; the points are meant to be at least as dense as those
// vertices in the patches, which makes the sampled maximum close to the vertex maximum.
// Emission weights: each point represents the part of the surface closest to it (estimated on a
// fine uniform lattice), so the emission integral does not over-weight the dense patches.
// Plain C++.
#include "layout/stream_layout.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  struct SurfacePointSettings
  {
    unsigned int uniform_points   = 192;  // per sphere
    unsigned int patch_points     = 48;   // per neighbour / anode direction
    double patch_half_angle_rad   = 0.45; // angular radius of a patch
    double neighbour_gap_radii    = 1.0;  // neighbours closer than this (surface gap / radius)
    double anode_gap_radii        = 1.0;  // anode patch if the sphere's bottom is this close
    unsigned int weight_lattice   = 4096; // fine lattice for the emission area weights
  };

  struct SurfacePointSet
  {
    std::vector<std::size_t> sphere;          // owner of each point
    std::vector<layout::Point3> point;       // m, on the sphere surface
    std::vector<double> area_m2;              // area represented by the point (0: constraint only)
    std::size_t size() const { return point.size(); }
    void add(std::size_t sphere_index, const layout::Point3 &p, double area);
  };

  SurfacePointSet make_surface_points(const layout::StreamLayout &layout, const SurfacePointSettings &settings);

} // namespace mpstream::solver
