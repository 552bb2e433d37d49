#include "solver/surface_points.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::solver
{
  namespace
  {
    using Vec = layout::Point3;

    Vec normalised(const Vec &a)
    {
      const double n = std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]);
      return {a[0] / n, a[1] / n, a[2] / n};
    }

    Vec cross(const Vec &a, const Vec &b)
    {
      return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }

    // n unit vectors on the spherical cap of half-angle theta around d (theta = pi: the whole
    // sphere), Fibonacci spiral: equal-area bands, golden-angle azimuths.
    std::vector<Vec> fibonacci_cap(const Vec &d, double theta, unsigned int n)
    {
      const Vec w  = normalised(d);
      const Vec a  = std::abs(w[0]) < 0.9 ? Vec{1, 0, 0} : Vec{0, 1, 0};
      const Vec u  = normalised(cross(w, a)), v = cross(w, u);
      const double golden = constants::pi * (3 - std::sqrt(5.0));
      const double c_min  = std::cos(theta);
      std::vector<Vec> out(n);
      for (unsigned int k = 0; k < n; ++k)
        {
          const double z   = 1 - (1 - c_min) * (k + 0.5) / n;
          const double rho = std::sqrt(std::max(0.0, 1 - z * z)), phi = golden * k;
          for (int c = 0; c < 3; ++c)
            out[k][c] = rho * std::cos(phi) * u[c] + rho * std::sin(phi) * v[c] + z * w[c];
        }
      return out;
    }

    // Area weights of one sphere's points: the share of a fine uniform lattice nearest to each.
    std::vector<double> nearest_area(const std::vector<Vec> &dirs, double radius, unsigned int lattice)
    {
      std::vector<double> area(dirs.size(), 0.0);
      const double each = 4 * constants::pi * radius * radius / lattice;
      for (const auto &x : fibonacci_cap({0, 0, 1}, constants::pi, lattice))
        {
          std::size_t best = 0;
          double best_dot  = -2;
          for (std::size_t k = 0; k < dirs.size(); ++k)
            {
              const double dot = x[0] * dirs[k][0] + x[1] * dirs[k][1] + x[2] * dirs[k][2];
              if (dot > best_dot)
                {
                  best_dot = dot;
                  best     = k;
                }
            }
          area[best] += each;
        }
      return area;
    }
  } // namespace

  SurfacePointSet make_surface_points(const layout::StreamLayout &layout, const SurfacePointSettings &s)
  {
    if (s.uniform_points < 8 || !(s.patch_half_angle_rad > 0 && s.patch_half_angle_rad < constants::pi) ||
        s.weight_lattice < s.uniform_points)
      throw InputError("Charging surface points: need >= 8 uniform points, a patch half-angle in (0, pi) and a "
                       "weight lattice at least as fine as the uniform points");
    SurfacePointSet set;
    const std::size_t N = layout.spheres.size();
    const std::vector<Vec> shifts =
      layout.periodic_cell ? layout.periodic_cell->image_shifts() : std::vector<Vec>{{0.0, 0.0, 0.0}};
    for (std::size_t i = 0; i < N; ++i)
      {
        const auto &si = layout.spheres[i];
        auto dirs = fibonacci_cap({0, 0, 1}, constants::pi, s.uniform_points);
        std::vector<Vec> patches;
        for (std::size_t j = 0; j < N; ++j)
          for (const auto &shift : shifts) // a periodic cell's neighbours include images
            {
              const auto &sj = layout.spheres[j];
              const Vec d{sj.centre[0] + shift[0] - si.centre[0], sj.centre[1] + shift[1] - si.centre[1],
                          sj.centre[2] - si.centre[2]};
              const double dist = std::sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
              if (dist > 0 && dist - si.radius - sj.radius <= s.neighbour_gap_radii * si.radius * (1 + 1e-9))
                patches.push_back(d);
            }
        if (layout.anode_present && si.centre[2] - si.radius <= s.anode_gap_radii * si.radius * (1 + 1e-9))
          patches.push_back({0, 0, -1});
        for (const auto &d : patches)
          {
            const auto cap = fibonacci_cap(d, s.patch_half_angle_rad, s.patch_points);
            dirs.insert(dirs.end(), cap.begin(), cap.end());
            dirs.push_back(normalised(d)); // the apex itself (the gap's narrowest point)
          }
        const auto area = nearest_area(dirs, si.radius, s.weight_lattice);
        for (std::size_t k = 0; k < dirs.size(); ++k)
          {
            Vec x{si.centre[0] + si.radius * dirs[k][0], si.centre[1] + si.radius * dirs[k][1],
                  si.centre[2] + si.radius * dirs[k][2]};
            // A sphere cut by a periodic side is meshed as pieces of its images inside the cell.
            if (layout.periodic_cell)
              x = layout.periodic_cell->image_inside(x);
            set.add(i, x, area[k]);
          }
      }
    return set;
  }

  void SurfacePointSet::add(std::size_t sphere_index, const layout::Point3 &p, double area)
  {
    sphere.push_back(sphere_index);
    point.push_back(p);
    area_m2.push_back(area);
  }
} // namespace mpstream::solver
