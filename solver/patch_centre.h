#pragma once
// Where the finite patch stands for the laterally infinite stream (doc/charging.md): the
// spheres near the probe sphere's axis, the disc of points there at any height, and (electrode
// wall) the points that the wall's position maps to at the patch centre. Geometry of the layout
// only; plain C++.
#include "layout/stream_layout.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  double lateral_distance(const layout::Sphere &a, const layout::Sphere &b); // m, in x-y

  // Smallest lateral centre distance between two spheres (the packing pitch); 2 r if the
  // layout has no lateral neighbours.
  double lateral_pitch(const layout::StreamLayout &layout);

  class PatchCentre
  {
  public:
    // radius_pitches: reach of the centre disc around the probe sphere's axis; wall_gap_m: the
    // electrode wall's distance from the patch's sphere surfaces.
    PatchCentre(const layout::StreamLayout &layout, double radius_pitches, double wall_gap_m);

    double pitch() const { return pitch_; }

    // Spheres of each layer within R pitches (lateral) of the probe sphere; R grows from
    // radius_pitches until every layer in `electrode_layers` has at least two (or all of its
    // spheres).
    std::vector<std::vector<std::size_t>> sphere_sets(const std::vector<unsigned int> &electrode_layers) const;

    // Points of the patch-centre disc at height z (a grid of spacing pitch/4 within
    // radius_pitches of the probe sphere's axis): its mean is the laterally averaged
    // potential of the stream's interior. In a periodic cell the disc may be wider than the
    // cell: its points are taken at their images inside the cell (the stream repeats).
    std::vector<layout::Point3> window(double z) const;

    // Electrodes around a finite patch (frames or wall, wall_gap_m outside its sphere
    // surfaces) leave no vacuum beyond them: throws QuantityError (centre_radius_pitches,
    // naming the largest radius that fits) if the disc reaches past them. The charging stage
    // samples the disc (charging_centre_profile.csv) and calls this before meshing; the
    // electrodes' own consistency needs no disc points (frames: the spheres within the radius;
    // wall: wall_equivalent_points, which fall back to points inside the wall).
    void require_inside_electrodes() const;

    // Electrode wall: the wall's position relative to the sphere lattice, carried to the patch
    // centre at height z: for every sphere of the centre disc and each of the four sides, the
    // points as far beyond it (normal to the side) as the side is from its edge spheres, spread
    // along the side over one spacing of the sphere lines that meet it. Their mean potential
    // is what the laterally infinite stream has where the wall stands; the wall node at z is
    // held to it.
    std::vector<layout::Point3> wall_equivalent_points(double z) const;

  private:
    const layout::StreamLayout &layout_;
    double radius_pitches_, wall_gap_m_;
    double pitch_;
  };
} // namespace mpstream::solver
