#include "mc/electric_field.h"

#include "common/constants.h"

#include <algorithm>
#include <cmath>

namespace mpstream::mc
{
  FieldSample CoulombField::at(const Vec3 &r) const
  {
    const double k = 1 / (4 * constants::pi * constants::vacuum_permittivity);
    FieldSample s;
    for (const auto &q : charges_)
      {
        const Vec3 d     = r - q.centre;
        const double rho = std::sqrt(dot(d, d));
        s.potential += k * q.charge_C / rho;
        s.E = s.E + (k * q.charge_C / (rho * rho * rho)) * d;
      }
    return s;
  }

  double CoulombField::variation_length(const Vec3 &r) const
  {
    double L = std::numeric_limits<double>::infinity();
    for (const auto &q : charges_)
      {
        const Vec3 d = r - q.centre;
        L = std::min(L, std::sqrt(dot(d, d)));
      }
    return L;
  }
} // namespace mpstream::mc
