#pragma once
// The stream's field for the Monte Carlo from an electrostatics solution (issue 15): phi and E
// sampled once at the nodes of a regular grid over the stream (Electrostatics::sample_grid:
// one pass over the cells, nodes inside a sphere marked as in the body), handed to the
// Monte Carlo as a SampledStreamField (solver/sampled_field.h). Collective over the
// electrostatics' communicator; every rank gets the same field.
#include "layout/stream_layout.h"
#include "solver/electrostatics.h"
#include "solver/sampled_field.h"

namespace mpstream::solver
{
  struct FieldSamplingSettings
  {
    double spacing_m             = 0.25e-6; // grid spacing (R / 10 for 5 um spheres)
    double height_above_stream_m = 10e-6;   // the grid's top above the highest sphere surface
    double lateral_margin_m      = 10e-6;   // finite patch: beyond the spheres' bounding box
  };

  struct SampledFieldReport
  {
    std::size_t nodes = 0, nodes_in_vacuum = 0;
    double seconds = 0;
  };

  // The grid: the periodic cell laterally (or the spheres' bounding box with the margin), from
  // the anode (or the margin below the spheres) to height_above_stream_m above them.
  FieldGridNodes stream_field_grid(const layout::StreamLayout &layout, const FieldSamplingSettings &settings);

  // Samples es's current solution on that grid; the lid (potential 0) at lid_height_m.
  SampledStreamField sample_stream_field(const Electrostatics &es, const layout::StreamLayout &layout,
                                         double lid_height_m, const FieldSamplingSettings &settings,
                                         SampledFieldReport *report = nullptr);
} // namespace mpstream::solver
