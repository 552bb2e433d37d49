#include "solver/stream_field_sampling.h"

#include "common/error.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mpstream::solver
{
  FieldGridNodes stream_field_grid(const layout::StreamLayout &layout, const FieldSamplingSettings &settings)
  {
    if (!(settings.spacing_m > 0 && settings.height_above_stream_m > 0 && settings.lateral_margin_m >= 0))
      throw InputError("field sampling: the spacing and the height above the stream must be positive");
    const auto box = layout.bounding_box();
    FieldGridNodes g;
    if (layout.periodic_cell)
      {
        g.lower = {layout.periodic_cell->x_min, layout.periodic_cell->y_min, 0.0};
        g.upper = {layout.periodic_cell->x_max, layout.periodic_cell->y_max, 0.0};
      }
    else
      for (int d = 0; d < 2; ++d)
        {
          g.lower[d] = box[0][d] - settings.lateral_margin_m;
          g.upper[d] = box[1][d] + settings.lateral_margin_m;
        }
    g.lower[2] = layout.anode_present ? 0.0 : box[0][2] - settings.lateral_margin_m;
    g.upper[2] = box[1][2] + settings.height_above_stream_m;
    for (int d = 0; d < 3; ++d)
      g.n_nodes[d] = std::max<std::size_t>(2, static_cast<std::size_t>(std::ceil((g.upper[d] - g.lower[d]) /
                                                                                 settings.spacing_m)) + 1);
    return g;
  }

  SampledStreamField sample_stream_field(const Electrostatics &es, const layout::StreamLayout &layout,
                                         double lid_height_m, const FieldSamplingSettings &settings,
                                         SampledFieldReport *report)
  {
    const auto start = std::chrono::steady_clock::now();
    FieldGridNodes g = stream_field_grid(layout, settings);
    Point3 spacing{};
    for (int d = 0; d < 3; ++d)
      spacing[d] = (g.upper[d] - g.lower[d]) / static_cast<double>(g.n_nodes[d] - 1);
    auto samples = es.sample_grid(g.lower, spacing, g.n_nodes);
    const auto phi     = es.sphere_potentials();
    g.potential = std::move(samples.potential);
    g.field     = std::move(samples.field);
    g.in_vacuum = std::move(samples.found);
    const std::size_t in_vacuum = static_cast<std::size_t>(std::count(g.in_vacuum.begin(), g.in_vacuum.end(), 1));
    if (report)
      {
        report->nodes           = g.size();
        report->nodes_in_vacuum = in_vacuum;
        report->seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      }
    double r_min = layout.spheres.front().radius;
    for (const auto &s : layout.spheres)
      r_min = std::min(r_min, s.radius);
    return SampledStreamField(std::move(g), lid_height_m, r_min, phi);
  }
} // namespace mpstream::solver
