#include "mc/secondary_yield.h"

#include <algorithm>
#include <cmath>

namespace mpstream::mc
{
  double SecondaryYield::at_normal(double E_eV) const
  {
    if (!(E_eV > 0))
      return 0.0;
    const double x = E_eV / E_max_eV;
    return delta_max * 1.28 * std::pow(x, -0.67) * -std::expm1(-1.614 * std::pow(x, 1.67));
  }

  double SecondaryYield::of_crossing(double E_eV, double cos_theta) const
  {
    return at_normal(E_eV) / std::max(std::abs(cos_theta), cos_min);
  }

} // namespace mpstream::mc
