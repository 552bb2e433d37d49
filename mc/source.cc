#include "mc/source.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mpstream::mc
{
  Source Source::for_geometry(const Geometry &geometry, double energy_eV, double angle)
  {
    Source s;
    s.energy_eV           = energy_eV;
    s.incidence_angle_rad = angle;
    if (const auto &cell = geometry.periodic_cell())
      {
        s.x_lo = cell->x_min, s.x_hi = cell->x_max, s.y_lo = cell->y_min, s.y_hi = cell->y_max;
      }
    else if (!geometry.spheres().empty())
      {
        s.x_lo = s.y_lo = 1e300;
        s.x_hi = s.y_hi = -1e300;
        for (const auto &sp : geometry.spheres())
          {
            s.x_lo = std::min(s.x_lo, sp.centre[0] - sp.radius);
            s.x_hi = std::max(s.x_hi, sp.centre[0] + sp.radius);
            s.y_lo = std::min(s.y_lo, sp.centre[1] - sp.radius);
            s.y_hi = std::max(s.y_hi, sp.centre[1] + sp.radius);
          }
      }
    s.z_start = geometry.top_z() + 1e-9;
    s.validate();
    return s;
  }

  void Source::validate() const
  {
    if (!(std::isfinite(energy_eV) && energy_eV > 0))
      throw QuantityError("tube_voltage_V", QuantityError::text(energy_eV), "must be a positive number");
    if (!(std::isfinite(incidence_angle_rad) && std::abs(incidence_angle_rad) < constants::pi / 2))
      throw InputError("Monte Carlo: the incidence angle " + std::to_string(incidence_angle_rad) +
                       " rad must lie in (-pi/2, pi/2)");
    if (!(x_hi >= x_lo && y_hi >= y_lo && std::isfinite(z_start)))
      throw InputError("Monte Carlo: the source rectangle is empty or not finite");
  }
} // namespace mpstream::mc
