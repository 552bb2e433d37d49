#include "solver/sheet_model.h"

#include "common/constants.h"

#include <algorithm>
#include <cmath>

namespace mpstream::solver
{
  SheetModel::SheetModel(const layout::StreamLayout &layout, double pitch_m, double plate_lower_z_m,
                         double plate_upper_z_m)
    : layout_(layout)
    , pitch_(pitch_m)
    , a_(plate_lower_z_m)
    , b_(plate_upper_z_m)
  {}

  std::vector<double> SheetModel::layer_potentials(const std::vector<double> &Q) const
  {
    // Laterally infinite stream = charged planes at the layer heights between two grounded
    // plates z = a (anode) and z = b (enclosure top): Green's function of the 1D Poisson
    // equation, phi(z) = sum_l sigma_l (z_< - a)(b - z_>) / (eps0 (b - a)). Areal charge of a
    // layer: its charge spread over the patch area N sqrt(3)/2 p^2 (hexagonal packing).
    const double a = a_, b = b_;
    const std::size_t n_layers = layout_.layer_heights.size();
    const double area = layout_.spheres.size() * std::sqrt(3.0) / 2 * pitch_ * pitch_;
    std::vector<double> sigma(n_layers, 0.0);
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      if (layout_.spheres[i].layer >= 0 && static_cast<std::size_t>(layout_.spheres[i].layer) < n_layers)
        sigma[layout_.spheres[i].layer] += Q[i] / area;
    std::vector<double> V(n_layers, 0.0);
    for (std::size_t k = 0; k < n_layers; ++k)
      for (std::size_t l = 0; l < n_layers; ++l)
        {
          const double zl = std::min(layout_.layer_heights[k], layout_.layer_heights[l]);
          const double zg = std::max(layout_.layer_heights[k], layout_.layer_heights[l]);
          V[k] += sigma[l] * (zl - a) * (b - zg) / (constants::vacuum_permittivity * (b - a));
        }
    return V;
  }

  double SheetModel::potential_at(const std::vector<double> &Q, double z) const
  {
    // The same Green's function at any height z (the layer planes hold the charge).
    const double a = a_, b = b_;
    const std::size_t n_layers = layout_.layer_heights.size();
    const double area = layout_.spheres.size() * std::sqrt(3.0) / 2 * pitch_ * pitch_;
    double phi = 0;
    for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
      {
        const int l = layout_.spheres[i].layer;
        if (l < 0 || static_cast<std::size_t>(l) >= n_layers)
          continue;
        const double zl = std::min(z, layout_.layer_heights[l]), zg = std::max(z, layout_.layer_heights[l]);
        phi += Q[i] / area * (zl - a) * (b - zg) / (constants::vacuum_permittivity * (b - a));
      }
    return phi;
  }
} // namespace mpstream::solver
