#include "app/force_summary.h"

#include <algorithm>
#include <cmath>

namespace mpstream::app
{
  ForceSummary summarise_forces(const layout::StreamLayout &layout, const std::vector<std::array<double, 3>> &forces)
  {
    ForceSummary s;
    std::vector<double> sum(layout.layer_heights.size(), 0.0);
    std::vector<std::size_t> count(layout.layer_heights.size(), 0);
    for (std::size_t n = 0; n < forces.size(); ++n)
      {
        const auto &F = forces[n];
        s.max_abs_N   = std::max(s.max_abs_N, std::sqrt(F[0] * F[0] + F[1] * F[1] + F[2] * F[2]));
        const int layer = layout.spheres[n].layer;
        if (layer >= 0 && static_cast<std::size_t>(layer) < sum.size())
          {
            sum[layer] += F[2];
            ++count[layer];
          }
      }
    for (std::size_t l = 0; l < sum.size(); ++l)
      s.z_layer_mean_N.push_back(count[l] > 0 ? sum[l] / static_cast<double>(count[l]) : 0.0);
    return s;
  }

  void write_force_summary(Json &summary, const std::string &stem, const layout::StreamLayout &layout,
                           const std::vector<std::array<double, 3>> &forces)
  {
    const auto s = summarise_forces(layout, forces);
    Json means   = Json::array();
    for (const double F : s.z_layer_mean_N)
      means.push_back(F);
    summary[stem + "max_abs_N"]      = s.max_abs_N;
    summary[stem + "z_layer_mean_N"] = means;
  }
} // namespace mpstream::app
