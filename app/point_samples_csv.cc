#include "app/point_samples_csv.h"

#include "common/atomic_file.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::app
{
  SamplingPoints sampling_points(const layout::StreamLayout &layout, const std::array<solver::Point3, 2> &box,
                                 const unsigned int section_points)
  {
    const auto &probe      = layout.spheres[layout.probe_sphere];
    const auto bbox        = layout.bounding_box();
    const double z_top     = std::min(box[1][2], bbox[1][2] + 2 * (bbox[1][2] - std::max(box[0][2], 0.0)));
    const double z_bottom  = layout.anode_present ? 1e-12 * z_top : box[0][2];
    SamplingPoints p;
    p.profile_from = {probe.centre[0], probe.centre[1], z_bottom};
    p.profile_to   = {probe.centre[0], probe.centre[1], z_top};
    // Two radii beyond the patch, but not past the enclosure (the electrode wall is closer).
    const double x0 = std::max(bbox[0][0] - 2 * probe.radius, box[0][0]);
    const double x1 = std::min(bbox[1][0] + 2 * probe.radius, box[1][0]);
    const unsigned int nx = section_points;
    const auto nz = static_cast<unsigned int>(std::max(2.0, std::round(nx * (z_top - z_bottom) / (x1 - x0))));
    for (unsigned int k = 0; k < nz; ++k)
      for (unsigned int i = 0; i < nx; ++i)
        p.section.push_back(
          {x0 + (x1 - x0) * i / (nx - 1), probe.centre[1], z_bottom + (z_top - z_bottom) * k / (nz - 1)});
    return p;
  }

  void write_point_samples_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                               const std::vector<SampledState> &states)
  {
    if (states.empty())
      throw RuntimeFailure("write_point_samples_csv: no state to write");
    const std::size_t n = states[0].samples.size();
    for (const auto &s : states)
      if (s.samples.size() != n)
        throw RuntimeFailure("write_point_samples_csv: states sampled at different point sets");
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    o << "x_m,y_m,z_m";
    for (const auto &s : states)
      {
        o << ',' << s.potential_column << ',' << s.magnitude_column;
        if (s.components)
          o << ",Ex_V_per_m,Ey_V_per_m,Ez_V_per_m";
      }
    o << ",region\n";
    for (std::size_t k = 0; k < n; ++k)
      {
        const auto &p    = states[0].samples[k].point;
        const int inside = layout.sphere_containing(p);
        bool found       = true;
        for (const auto &s : states)
          found = found && s.samples[k].found;
        o << p[0] << ',' << p[1] << ',' << p[2];
        for (const auto &s : states)
          {
            const auto &x = s.samples[k];
            if (inside >= 0)
              o << ',' << s.sphere_potentials[inside] << ",0" << (s.components ? ",0,0,0" : "");
            else if (!found)
              o << ",nan,nan" << (s.components ? ",nan,nan,nan" : "");
            else
              {
                o << ',' << x.potential << ',' << x.field_magnitude();
                if (s.components)
                  o << ',' << x.field[0] << ',' << x.field[1] << ',' << x.field[2];
              }
          }
        if (inside >= 0)
          o << ",sphere_" << inside << '\n';
        else
          o << (found ? ",vacuum\n" : ",outside\n");
      }
    out.commit();
  }
} // namespace mpstream::app
