#include "solver/patch_centre.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

namespace mpstream::solver
{
  namespace
  {
    // How one lateral side of the electrode wall meets the sphere lattice: the lines of spheres
    // that run into it (equal coordinate along the side), the distinct distances of each line's
    // outermost sphere centre from the wall, and the lines' spacing along the side.
    struct WallSideLattice
    {
      std::vector<double> offsets; // m
      double spacing = 0;          // m
    };

    // Side with normal axis d (0: x, 1: y) on the sign (-1: min, +1: max) end of the patch.
    WallSideLattice wall_side_lattice(const layout::StreamLayout &layout, int d, int sign, double gap, double pitch)
    {
      const auto box   = layout.bounding_box();
      const double tol = 1e-3 * layout.spheres.front().radius;
      const double wall = sign < 0 ? box[0][d] - gap : box[1][d] + gap;
      std::map<long, double> offset_of_line;
      for (const auto &s : layout.spheres)
        {
          const long line = std::lround(s.centre[1 - d] / tol);
          const double o  = std::abs(wall - s.centre[d]);
          const auto it   = offset_of_line.find(line);
          if (it == offset_of_line.end() || o < it->second)
            offset_of_line[line] = o;
        }
      WallSideLattice side;
      std::vector<double> along;
      for (const auto &[line, o] : offset_of_line)
        {
          along.push_back(line * tol);
          if (std::none_of(side.offsets.begin(), side.offsets.end(), [&](double x) { return std::abs(x - o) < tol; }))
            side.offsets.push_back(o);
        }
      side.spacing = along.size() > 1 ? std::numeric_limits<double>::max() : pitch;
      for (std::size_t k = 1; k < along.size(); ++k)
        side.spacing = std::min(side.spacing, along[k] - along[k - 1]);
      return side;
    }
  } // namespace

  double lateral_distance(const layout::Sphere &a, const layout::Sphere &b)
  {
    return std::hypot(a.centre[0] - b.centre[0], a.centre[1] - b.centre[1]);
  }

  double lateral_pitch(const layout::StreamLayout &layout)
  {
    double pitch = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < layout.spheres.size(); ++i)
      for (std::size_t j = i + 1; j < layout.spheres.size(); ++j)
        {
          const double d = lateral_distance(layout.spheres[i], layout.spheres[j]);
          if (d > 1e-3 * layout.spheres[i].radius)
            pitch = std::min(pitch, d);
        }
    return pitch == std::numeric_limits<double>::max() ? 2 * layout.spheres.at(0).radius : pitch;
  }

  PatchCentre::PatchCentre(const layout::StreamLayout &layout, double radius_pitches, double wall_gap_m)
    : layout_(layout)
    , radius_pitches_(radius_pitches)
    , wall_gap_m_(wall_gap_m)
    , pitch_(lateral_pitch(layout))
  {}

  std::vector<std::vector<std::size_t>>
  PatchCentre::sphere_sets(const std::vector<unsigned int> &electrode_layers) const
  {
    const auto &probe = layout_.spheres.at(layout_.probe_sphere);
    std::vector<std::vector<std::size_t>> sets(std::max<std::size_t>(layout_.layer_heights.size(), 1));
    for (double R = radius_pitches_;; R += 0.5)
      {
        for (auto &s : sets)
          s.clear();
        for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
          {
            const int l = layout_.spheres[i].layer;
            if (l >= 0 && static_cast<std::size_t>(l) < sets.size() &&
                lateral_distance(layout_.spheres[i], probe) <= R * pitch_ * (1 + 1e-9))
              sets[l].push_back(i);
          }
        bool enough = true;
        for (const unsigned int l : electrode_layers)
          {
            std::size_t in_layer = 0;
            for (const auto &s : layout_.spheres)
              in_layer += s.layer == static_cast<int>(l);
            if (l >= sets.size() || sets[l].size() < std::min<std::size_t>(2, in_layer))
              enough = false;
          }
        if (enough || R > 100)
          return sets;
      }
  }

  std::vector<layout::Point3> PatchCentre::window(double z) const
  {
    const auto &probe  = layout_.spheres.at(layout_.probe_sphere);
    const double reach = radius_pitches_ * pitch_, step = pitch_ / 4;
    const int n        = static_cast<int>(std::floor(reach / step));
    std::vector<layout::Point3> points;
    for (int i = -n; i <= n; ++i)
      for (int j = -n; j <= n; ++j)
        if (std::hypot(i * step, j * step) <= reach)
          {
            const layout::Point3 p{probe.centre[0] + i * step, probe.centre[1] + j * step, z};
            points.push_back(layout_.periodic_cell ? layout_.periodic_cell->image_inside(p) : p);
          }
    return points;
  }

  void PatchCentre::require_inside_electrodes() const
  {
    if (layout_.periodic_cell)
      return;
    const auto box    = layout_.bounding_box(); // sphere surfaces included
    const auto &probe = layout_.spheres.at(layout_.probe_sphere);
    double room = std::numeric_limits<double>::max(); // m, probe axis to the nearest electrode side
    for (int d = 0; d < 2; ++d)
      room = std::min({room, probe.centre[d] - (box[0][d] - wall_gap_m_), box[1][d] + wall_gap_m_ - probe.centre[d]});
    if (radius_pitches_ * pitch_ > room * (1 + 1e-9))
      throw QuantityError("centre_radius_pitches", QuantityError::text(radius_pitches_),
                          "the patch-centre disc reaches past the auxiliary electrodes around this patch; "
                          "use at most " + QuantityError::text(std::floor(room / pitch_ * 100) / 100) +
                            " or a wider patch");
  }

  std::vector<layout::Point3> PatchCentre::wall_equivalent_points(double z) const
  {
    using layout::Point3;
    const auto box    = layout_.bounding_box(); // sphere surfaces included
    const auto &probe = layout_.spheres.at(layout_.probe_sphere);
    // Per centre-disc sphere its points; preferred are the spheres whose points all stay
    // within the patch (else, on small patches, the disc's points inside the wall).
    std::vector<std::vector<Point3>> per_sphere(layout_.spheres.size());
    constexpr int n_along = 6;
    for (int d = 0; d < 2; ++d)
      for (const int sign : {-1, 1})
        {
          const int a     = 1 - d; // along the side
          const auto side = wall_side_lattice(layout_, d, sign, wall_gap_m_, pitch_);
          for (std::size_t i = 0; i < layout_.spheres.size(); ++i)
            {
              const auto &c = layout_.spheres[i];
              if (lateral_distance(c, probe) > radius_pitches_ * pitch_ * (1 + 1e-9))
                continue;
              for (const double o : side.offsets)
                for (int k = 0; k < n_along; ++k)
                  {
                    Point3 p{0, 0, z};
                    p[d] = c.centre[d] + sign * o;
                    p[a] = c.centre[a] + side.spacing * ((k + 0.5) / n_along - 0.5);
                    per_sphere[i].push_back(p);
                  }
            }
        }
    const auto within = [&](const Point3 &p, double margin) {
      return p[0] >= box[0][0] - margin && p[0] <= box[1][0] + margin && p[1] >= box[0][1] - margin &&
             p[1] <= box[1][1] + margin;
    };
    std::vector<Point3> interior, inside_wall;
    for (const auto &pts : per_sphere)
      {
        if (!pts.empty() && std::all_of(pts.begin(), pts.end(), [&](const Point3 &p) { return within(p, 0); }))
          interior.insert(interior.end(), pts.begin(), pts.end());
        for (const auto &p : pts)
          if (within(p, wall_gap_m_ * (1 - 1e-9)))
            inside_wall.push_back(p);
      }
    return interior.empty() ? inside_wall : interior;
  }
} // namespace mpstream::solver
