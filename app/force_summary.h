#pragma once
// The summary keys of the net electrostatic forces on the spheres (doc/forces.md): the largest
// |F| and the mean F_z of each layer, with a key stem per charge state (e.g. "force_" for the
// state the stage ends in, "force_backscatter_only_" beside it).
#include "common/json.h"
#include "layout/stream_layout.h"

#include <array>
#include <string>
#include <vector>

namespace mpstream::app
{
  struct ForceSummary
  {
    double max_abs_N = 0;                 // largest |F| over the spheres
    std::vector<double> z_layer_mean_N;   // mean F_z of the spheres of each layer
  };

  ForceSummary summarise_forces(const layout::StreamLayout &layout, const std::vector<std::array<double, 3>> &forces);

  // Writes <stem>max_abs_N and <stem>z_layer_mean_N (a list by layer), e.g. stem "force_".
  void write_force_summary(Json &summary, const std::string &stem, const layout::StreamLayout &layout,
                           const std::vector<std::array<double, 3>> &forces);
} // namespace mpstream::app
