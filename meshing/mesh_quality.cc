#include "meshing/mesh_quality.h"

#include <algorithm>
#include <cmath>

namespace mpstream::meshing
{
  namespace
  {
    using V = std::array<double, 3>;
    V sub(const V &a, const V &b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }
    V cross(const V &a, const V &b)
    {
      return {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]};
    }
    double dot(const V &a, const V &b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }
    double norm(const V &a) { return std::sqrt(dot(a, a)); }

    // Faces opposite each vertex, as vertex index triples.
    constexpr int face_vertices[4][3] = {{1, 2, 3}, {0, 2, 3}, {0, 1, 3}, {0, 1, 2}};

    V face_area_vector(const Tet &t, int face)
    {
      const auto &f = face_vertices[face];
      return cross(sub(t[f[1]], t[f[0]]), sub(t[f[2]], t[f[0]]));
    }
  } // namespace

  double tet_volume(const Tet &t)
  {
    return dot(sub(t[1], t[0]), cross(sub(t[2], t[0]), sub(t[3], t[0]))) / 6.0;
  }

  double tet_radius_ratio(const Tet &t)
  {
    const double volume = std::abs(tet_volume(t));
    double area         = 0;
    for (int f = 0; f < 4; ++f)
      area += 0.5 * norm(face_area_vector(t, f));
    const double r_in = 3 * volume / area;

    // Circumradius: |a^2 (b x c) + b^2 (c x a) + c^2 (a x b)| / (12 V), edges from vertex 0.
    const V a = sub(t[1], t[0]), b = sub(t[2], t[0]), c = sub(t[3], t[0]);
    const V bc = cross(b, c), ca = cross(c, a), ab = cross(a, b);
    const double a2 = dot(a, a), b2 = dot(b, b), c2 = dot(c, c);
    const V n = {a2 * bc[0] + b2 * ca[0] + c2 * ab[0], a2 * bc[1] + b2 * ca[1] + c2 * ab[1],
                 a2 * bc[2] + b2 * ca[2] + c2 * ab[2]};
    if (volume == 0)
      return 0;
    const double r_circ = norm(n) / (12 * volume);
    return 3 * r_in / r_circ;
  }

  double tet_min_dihedral_angle_deg(const Tet &t)
  {
    // The dihedral angle at the edge shared by faces i and j is pi minus the angle between
    // their outward normals.
    std::array<V, 4> normals;
    for (int f = 0; f < 4; ++f)
      {
        normals[f] = face_area_vector(t, f);
        // Orient outward: away from the vertex opposite the face.
        const V to_face = sub(t[face_vertices[f][0]], t[f]);
        if (dot(normals[f], to_face) < 0)
          normals[f] = {-normals[f][0], -normals[f][1], -normals[f][2]};
      }
    double smallest = 180;
    for (int i = 0; i < 4; ++i)
      for (int j = i + 1; j < 4; ++j)
        {
          const double c = std::clamp(dot(normals[i], normals[j]) /
                                        (norm(normals[i]) * norm(normals[j])), -1.0, 1.0);
          smallest = std::min(smallest, 180.0 - std::acos(c) * 180.0 / M_PI);
        }
    return smallest;
  }
} // namespace mpstream::meshing
