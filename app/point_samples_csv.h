#pragma once
// CSV of point samples (profiles, cross-sections) for one or several solved states of the same
// geometry: one row per point, x_m,y_m,z_m, then per state its potential and |E| columns (and
// optionally E's components), then the region. Inside a sphere: that sphere's potential, E = 0,
// region sphere_<i>; a point no state found (electrode, outside the box): nan, region outside.
// Shared by the electrostatics and charging stages.
#include "layout/stream_layout.h"
#include "solver/electrostatics.h"

#include <array>
#include <filesystem>
#include <string>
#include <vector>

namespace mpstream::app
{
  struct SampledState
  {
    const std::vector<solver::PointSample> &samples;
    const std::vector<double> &sphere_potentials; // V
    std::string potential_column;                 // e.g. "potential_V"
    std::string magnitude_column;                 // e.g. "E_V_per_m"
    bool components = false;                      // adds Ex_V_per_m,Ey_V_per_m,Ez_V_per_m
  };

  // Where the stages sample (paper Fig. 12): the anode normal through the probe sphere from
  // the anode (or the box floor) to twice the stream height above the stream top (at most the
  // box top), and the plane y = y_probe over the stream's x extent plus two radii, with
  // `section_points` along x and square cells.
  struct SamplingPoints
  {
    solver::Point3 profile_from, profile_to;
    std::vector<solver::Point3> section;
  };
  SamplingPoints sampling_points(const layout::StreamLayout &layout, const std::array<solver::Point3, 2> &box,
                                 unsigned int section_points);

  void write_point_samples_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                               const std::vector<SampledState> &states);
} // namespace mpstream::app
