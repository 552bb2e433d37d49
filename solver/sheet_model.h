#pragma once
// The 1D macroscopic model of a laterally infinite stream (doc/charging.md): each layer's
// charge as a uniformly charged plane between two grounded plates, z = a (anode) and z = b
// (enclosure top). The electrode model "sheet model", the start values of the others and the
// comparison column of charging_electrodes.csv. Plain C++.
#include "layout/stream_layout.h"

#include <vector>

namespace mpstream::solver
{
  class SheetModel
  {
  public:
    // pitch_m: lateral nearest-neighbour distance (hexagonal packing sets the patch area).
    SheetModel(const layout::StreamLayout &layout, double pitch_m, double plate_lower_z_m, double plate_upper_z_m);

    // Potentials at the layer heights for sphere charges Q (V, by layer).
    std::vector<double> layer_potentials(const std::vector<double> &Q) const;
    // Potential at height z (V).
    double potential_at(const std::vector<double> &Q, double z) const;

  private:
    const layout::StreamLayout &layout_;
    double pitch_, a_, b_;
  };
} // namespace mpstream::solver
