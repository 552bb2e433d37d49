#include "layout/stream_layout.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <random>
#include <sstream>

namespace mpstream::layout
{
  namespace
  {
    std::string micrometres(double x)
    {
      std::ostringstream s;
      s.precision(4);
      s << x * 1e6 << " um";
      return s.str();
    }

    double distance(const Point3 &a, const Point3 &b)
    {
      return std::hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
    }

    // Layer centres equally spaced from z = gap + r to z = gap + H - r (PHYSICS.md, ours).
    std::vector<double> layer_heights(const LayoutParameters &p, unsigned int n_layers)
    {
      const double r = p.sphere_radius;
      std::vector<double> z(n_layers, p.anode_gap + r);
      if (n_layers > 1)
        for (unsigned int k = 0; k < n_layers; ++k)
          z[k] = p.anode_gap + r + k * (p.stream_thickness - 2 * r) / (n_layers - 1);
      return z;
    }

    void check_parameters(const LayoutParameters &p)
    {
      if (!(std::isfinite(p.sphere_radius) && p.sphere_radius > 0))
        throw QuantityError("sphere_radius_m", QuantityError::text(p.sphere_radius), "must be > 0");
      if (p.rows == 0 || p.spheres_per_row == 0)
        throw InputError("layout: a hexagonal layout needs at least one row and one sphere per row");
      if (p.kind == LayoutKind::multilayer && p.n_layers > 1 &&
          !(p.stream_thickness >= 2 * p.sphere_radius))
        throw QuantityError("stream_thickness_m", micrometres(p.stream_thickness),
                            "must be at least one sphere diameter (" + micrometres(2 * p.sphere_radius) + ")");
      if (p.periodic && p.rows % 2 != 0)
        throw QuantityError("rows", std::to_string(p.rows),
                            "a periodic lateral cell of a hexagonal packing needs an even number "
                            "of rows (alternate rows are offset by half a pitch)");
    }

    StreamLayout make_hexagonal_layout(const LayoutParameters &p)
    {
      check_parameters(p);
      const unsigned int n_layers = p.kind == LayoutKind::monolayer ? 1 : p.n_layers;
      const double r     = p.sphere_radius;
      const double pitch = 2 * r * (1 + p.lateral_clearance);
      const double row_spacing = pitch * std::sqrt(3.0) / 2;
      // The probe sphere is the centre one (row 4, sphere 6 of 7 x 11); it sits at x = y = 0.
      const int probe_row = static_cast<int>(p.rows) / 2;
      const int probe_col = static_cast<int>(p.spheres_per_row) / 2;

      StreamLayout layout;
      layout.anode_present = p.anode_present;
      layout.layer_heights = layer_heights(p, n_layers);
      for (int i = 0; i < static_cast<int>(p.rows); ++i)
        for (int j = 0; j < static_cast<int>(p.spheres_per_row); ++j)
          {
            // Rows of the probe row's parity are unshifted; the others shift by half a pitch.
            const bool shifted = ((i - probe_row) % 2) != 0;
            Sphere s;
            s.radius    = r;
            s.centre[0] = (j - probe_col + (shifted ? 0.5 : 0.0)) * pitch;
            s.centre[1] = (i - probe_row) * row_spacing;
            if (i == probe_row && j == probe_col)
              layout.probe_sphere = layout.spheres.size();
            layout.spheres.push_back(s);
          }

      const auto layers = balanced_random_layers(layout.spheres.size(), n_layers,
                                                 layout.probe_sphere, p.layer_seed);
      for (std::size_t n = 0; n < layout.spheres.size(); ++n)
        {
          layout.spheres[n].layer     = layers[n];
          layout.spheres[n].centre[2] = layout.layer_heights[static_cast<std::size_t>(layers[n])];
        }

      if (p.periodic)
        {
          // The cell repeats the pattern: rows*row_spacing in y (rows even), columns*pitch in x.
          PeriodicCell cell;
          cell.x_min = (-probe_col - 0.25) * pitch;
          cell.x_max = cell.x_min + p.spheres_per_row * pitch;
          cell.y_min = (-probe_row - 0.5) * row_spacing;
          cell.y_max = cell.y_min + p.rows * row_spacing;
          layout.periodic_cell = cell;
        }
      return layout;
    }
  } // namespace

  std::vector<int> balanced_random_layers(std::size_t n_spheres, unsigned int n_layers,
                                          std::size_t probe, unsigned int seed)
  {
    std::vector<int> labels(n_spheres);
    for (std::size_t n = 0; n < n_spheres; ++n)
      labels[n] = static_cast<int>(n % n_layers);

    std::mt19937_64 engine(seed);
    for (std::size_t n = n_spheres; n > 1; --n)
      {
        // Unbiased index in [0, n) by rejection, from the engine's fully specified output.
        const std::uint64_t bound = std::numeric_limits<std::uint64_t>::max() -
                                    std::numeric_limits<std::uint64_t>::max() % n;
        std::uint64_t draw;
        do
          draw = engine();
        while (draw >= bound);
        std::swap(labels[n - 1], labels[draw % n]);
      }

    // Put the probe in the middle layer by swapping labels with a sphere that has it.
    const int middle = static_cast<int>(n_layers / 2);
    if (probe < n_spheres && labels[probe] != middle)
      {
        const auto other = std::find(labels.begin(), labels.end(), middle);
        if (other != labels.end())
          std::swap(*other, labels[probe]);
      }
    return labels;
  }

  std::array<Point3, 2> StreamLayout::bounding_box() const
  {
    constexpr double inf = std::numeric_limits<double>::infinity();
    std::array<Point3, 2> box{{{inf, inf, inf}, {-inf, -inf, -inf}}};
    for (const auto &s : spheres)
      for (unsigned int d = 0; d < 3; ++d)
        {
          box[0][d] = std::min(box[0][d], s.centre[d] - s.radius);
          box[1][d] = std::max(box[1][d], s.centre[d] + s.radius);
        }
    return box;
  }

  double StreamLayout::minimum_gap() const
  {
    double gap = std::numeric_limits<double>::infinity();
    // With a periodic cell, compare each pair also with the 8 lateral images of the second.
    const std::vector<Point3> shifts = periodic_cell ? periodic_cell->image_shifts() : std::vector<Point3>{{0.0, 0.0, 0.0}};
    for (std::size_t i = 0; i < spheres.size(); ++i)
      for (std::size_t j = i; j < spheres.size(); ++j)
        for (const auto &shift : shifts)
          {
            if (i == j && shift[0] == 0.0 && shift[1] == 0.0)
              continue;
            Point3 other = spheres[j].centre;
            other[0] += shift[0];
            other[1] += shift[1];
            gap = std::min(gap, distance(spheres[i].centre, other) - spheres[i].radius -
                                  spheres[j].radius);
          }
    return gap;
  }

  double StreamLayout::minimum_anode_clearance() const
  {
    double clearance = std::numeric_limits<double>::infinity();
    for (const auto &s : spheres)
      clearance = std::min(clearance, s.centre[2] - s.radius);
    return clearance;
  }

  Point3 PeriodicCell::image_inside(const Point3 &point) const
  {
    const auto wrap = [](double x, double lo, double length) { return x - length * std::floor((x - lo) / length); };
    return {wrap(point[0], x_min, length_x()), wrap(point[1], y_min, length_y()), point[2]};
  }

  std::vector<Point3> PeriodicCell::image_shifts() const
  {
    std::vector<Point3> shifts;
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b)
        shifts.push_back({a * length_x(), b * length_y(), 0.0});
    return shifts;
  }

  int StreamLayout::sphere_containing(const Point3 &point) const
  {
    for (std::size_t n = 0; n < spheres.size(); ++n)
      if (distance(point, spheres[n].centre) < spheres[n].radius)
        return static_cast<int>(n);
    return -1;
  }

  void validate_layout(const StreamLayout &layout)
  {
    if (layout.spheres.empty())
      throw InputError("layout: the layout has no spheres");
    for (std::size_t n = 0; n < layout.spheres.size(); ++n)
      {
        const auto &s = layout.spheres[n];
        const bool finite = std::isfinite(s.radius) && std::isfinite(s.centre[0]) &&
                            std::isfinite(s.centre[1]) && std::isfinite(s.centre[2]);
        if (!finite)
          throw InputError("layout: sphere " + std::to_string(n) +
                           " has a non-finite centre or radius");
        if (s.radius <= 0)
          throw InputError("layout: sphere " + std::to_string(n) + " has radius " +
                           micrometres(s.radius) + "; radii must be positive");
        // Relative tolerance: a sphere resting on the anode (z = r) is valid.
        if (layout.anode_present && s.centre[2] - s.radius < -1e-9 * s.radius)
          throw InputError("layout: sphere " + std::to_string(n) + " reaches below the anode "
                           "(lowest point z = " + micrometres(s.centre[2] - s.radius) + ")");
      }
    // O(N^2) pair check: N is at most a few hundred spheres here.
    const double r_scale = layout.spheres.front().radius;
    for (std::size_t i = 0; i < layout.spheres.size(); ++i)
      for (std::size_t j = i + 1; j < layout.spheres.size(); ++j)
        {
          const auto &a = layout.spheres[i];
          const auto &b = layout.spheres[j];
          const double gap = distance(a.centre, b.centre) - a.radius - b.radius;
          if (gap < -1e-9 * r_scale)
            throw InputError("layout: spheres " + std::to_string(i) + " and " +
                             std::to_string(j) + " overlap by " + micrometres(-gap));
        }
    if (layout.periodic_cell && layout.minimum_gap() < -1e-9 * r_scale)
      throw InputError("layout: a sphere overlaps a periodic image of another sphere; the "
                       "periodic cell is too small for the layout");
  }

  void validate_inside_box(const StreamLayout &layout, const Point3 &lower, const Point3 &upper,
                           const std::string &box_name)
  {
    for (std::size_t n = 0; n < layout.spheres.size(); ++n)
      {
        const auto &s = layout.spheres[n];
        for (unsigned int d = 0; d < 3; ++d)
          if (s.centre[d] - s.radius < lower[d] || s.centre[d] + s.radius > upper[d])
            throw InputError("layout: sphere " + std::to_string(n) + " at (" +
                             micrometres(s.centre[0]) + ", " + micrometres(s.centre[1]) + ", " +
                             micrometres(s.centre[2]) + ") is not inside the " + box_name);
      }
  }

  StreamLayout make_stream_layout(const LayoutParameters &parameters)
  {
    StreamLayout layout = parameters.kind == LayoutKind::csv ?
                            read_layout_csv(parameters.sphere_file, parameters.anode_present) :
                            make_hexagonal_layout(parameters);
    validate_layout(layout);
    return layout;
  }
} // namespace mpstream::layout
