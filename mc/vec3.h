#pragma once
// Minimal 3-vector for the transport loop (position in m, direction cosines).
#include <array>
#include <cmath>

namespace mpstream::mc
{
  using Vec3 = std::array<double, 3>;

  inline Vec3 operator+(const Vec3 &a, const Vec3 &b) { return {{a[0] + b[0], a[1] + b[1], a[2] + b[2]}}; }
  inline Vec3 operator-(const Vec3 &a, const Vec3 &b) { return {{a[0] - b[0], a[1] - b[1], a[2] - b[2]}}; }
  inline Vec3 operator*(double s, const Vec3 &a) { return {{s * a[0], s * a[1], s * a[2]}}; }
  inline double dot(const Vec3 &a, const Vec3 &b) { return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]; }

  // Rotates the unit direction u by polar angle theta (given as cos_theta) and azimuth phi
  // (the standard formula, e.g. PENELOPE manual 2008, eq. 1.131).
  inline Vec3 rotate(const Vec3 &u, double cos_theta, double phi)
  {
    const double sin_theta = std::sqrt(std::max(0.0, 1.0 - cos_theta * cos_theta));
    const double cp = std::cos(phi), sp = std::sin(phi);
    const double w2 = 1.0 - u[2] * u[2];
    if (w2 < 1e-12)
      {
        const double sign = u[2] > 0 ? 1.0 : -1.0;
        return {{sin_theta * cp, sign * sin_theta * sp, sign * cos_theta}};
      }
    const double w = std::sqrt(w2);
    Vec3 v{{u[0] * cos_theta + sin_theta * (u[0] * u[2] * cp - u[1] * sp) / w,
            u[1] * cos_theta + sin_theta * (u[1] * u[2] * cp + u[0] * sp) / w,
            u[2] * cos_theta - w * sin_theta * cp}};
    const double norm = std::sqrt(dot(v, v)); // renormalise: rounding drift over many steps
    return (1.0 / norm) * v;
  }
} // namespace mpstream::mc
