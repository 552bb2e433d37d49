#include "solver/point_charge_field_model.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::solver
{
  namespace
  {
    constexpr double pi   = 3.14159265358979323846;
    constexpr double eps0 = 8.8541878128e-12; // F/m (CODATA 2018)

    using layout::Point3;

    // Field at `at` of a unit point charge at `source` (V/m per C).
    Point3 coulomb_field(const Point3 &source, const Point3 &at)
    {
      Point3 d{at[0] - source[0], at[1] - source[1], at[2] - source[2]};
      const double r2 = d[0] * d[0] + d[1] * d[1] + d[2] * d[2];
      const double k  = 1 / (4 * pi * eps0 * r2 * std::sqrt(r2));
      return {k * d[0], k * d[1], k * d[2]};
    }

    double dot(const Point3 &a, const Point3 &b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

    // Field at `at` of a unit charge at `source` and, with an anode, its image -1 in z = 0.
    Point3 field_with_image(const Point3 &source, const Point3 &at, bool anode)
    {
      Point3 E = coulomb_field(source, at);
      if (anode)
        {
          const Point3 Ei = coulomb_field({source[0], source[1], -source[2]}, at);
          for (int d = 0; d < 3; ++d)
            E[d] -= Ei[d];
        }
      return E;
    }

    Point3 unit_normal(const Point3 &centre, const Point3 &point)
    {
      Point3 n{point[0] - centre[0], point[1] - centre[1], point[2] - centre[2]};
      const double l = std::sqrt(dot(n, n));
      if (!(l > 0))
        throw RuntimeFailure("point-charge field model: a peak point sits at its sphere's centre");
      return {n[0] / l, n[1] / l, n[2] / l};
    }
  } // namespace

  DenseMatrix point_charge_field_rows(const layout::StreamLayout &layout, const std::vector<std::size_t> &spheres,
                                      const std::vector<Point3> &points)
  {
    const std::size_t N = layout.spheres.size();
    if (points.size() != spheres.size())
      throw RuntimeFailure("point-charge field model: one sphere per point expected");
    const bool anode = layout.anode_present;
    DenseMatrix G(points.size(), std::vector<double>(N, 0.0));
    for (std::size_t k = 0; k < points.size(); ++k)
      {
        const std::size_t i = spheres[k];
        const auto &si      = layout.spheres.at(i);
        const Point3 n      = unit_normal(si.centre, points[k]);
        const double r      = si.radius;
        // Own charge: the isolated sphere's uniform field plus its image's, polarised.
        G[k][i] = 1 / (4 * pi * eps0 * r * r);
        if (anode)
          G[k][i] -= 3 * dot(coulomb_field({si.centre[0], si.centre[1], -si.centre[2]}, si.centre), n);
        for (std::size_t j = 0; j < N; ++j)
          if (j != i)
            G[k][j] = 3 * dot(field_with_image(layout.spheres[j].centre, si.centre, anode), n);
      }
    return G;
  }

  std::vector<std::vector<std::size_t>> near_spheres(const layout::StreamLayout &layout, double gap_radii)
  {
    const auto &spheres = layout.spheres;
    std::vector<std::vector<std::size_t>> near(spheres.size());
    for (std::size_t i = 0; i < spheres.size(); ++i)
      for (std::size_t j = i + 1; j < spheres.size(); ++j)
        {
          const auto &a = spheres[i], &b = spheres[j];
          const Point3 d{b.centre[0] - a.centre[0], b.centre[1] - a.centre[1], b.centre[2] - a.centre[2]};
          const double gap = std::sqrt(dot(d, d)) - a.radius - b.radius;
          if (gap < gap_radii * std::min(a.radius, b.radius))
            {
              near[i].push_back(j);
              near[j].push_back(i);
            }
        }
    return near;
  }
} // namespace mpstream::solver
