#include "solver/field_emission.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace mpstream::solver
{
  namespace c = field_emission_constants;

  namespace
  {
    void check_work_function(double phi)
    {
      if (!(phi > 0) || !std::isfinite(phi))
        throw InputError("field emission: work function " + std::to_string(phi) + " eV must be > 0");
    }
  } // namespace

  double scaled_barrier_field(double F, double phi)
  {
    check_work_function(phi);
    return c::cS2 * F / (phi * phi);
  }

  double barrier_function_v(double f)
  {
    if (f <= 0)
      return 1.0;
    return 1.0 - f + (f / 6.0) * std::log(f);
  }

  double barrier_function_t(double f)
  {
    if (f <= 0)
      return 1.0;
    return 1.0 + f / 9.0 - (f / 18.0) * std::log(f);
  }

  double murphy_good_current_density(double F, double phi)
  {
    check_work_function(phi);
    if (!std::isfinite(F))
      throw InputError("field emission: field is not finite");
    if (F <= 0)
      return 0.0;
    const double f = scaled_barrier_field(F, phi);
    if (f > 1)
      throw InputError("field emission: field " + std::to_string(F) + " V/m removes the barrier of a " +
                       std::to_string(phi) + " eV work function (f = " + std::to_string(f) +
                       " > 1); the Murphy-Good form does not apply");
    const double t = barrier_function_t(f);
    return c::a / (phi * t * t) * F * F * std::exp(-barrier_function_v(f) * c::b * std::pow(phi, 1.5) / F);
  }

  double decay_width_eV(double F, double phi)
  {
    check_work_function(phi);
    if (F <= 0)
      return 0.0;
    // d_F^-1 = dG/dW at the Fermi level = (3/2) b phi^{1/2} t(f) / F.
    return F / (1.5 * c::b * std::sqrt(phi) * barrier_function_t(scaled_barrier_field(F, phi)));
  }

  double thermal_field_factor(double F, double phi, double T)
  {
    if (!(T >= 0) || !std::isfinite(T))
      throw InputError("field emission: temperature " + std::to_string(T) + " K must be >= 0");
    if (T == 0 || F <= 0)
      return 1.0;
    const double p = M_PI * c::boltzmann_eV * T / decay_width_eV(F, phi);
    if (p > thermal_field_p_max)
      throw InputError("field emission: T = " + std::to_string(T) + " K at F = " + std::to_string(F) +
                       " V/m is outside the Murphy-Good low-temperature expansion (pi k T / d_F = " +
                       std::to_string(p) + " > " + std::to_string(thermal_field_p_max) + ")");
    return p / std::sin(p);
  }

  double richardson_schottky_current_density(double F, double phi, double T)
  {
    check_work_function(phi);
    if (!(T >= 0) || !std::isfinite(T))
      throw InputError("field emission: temperature " + std::to_string(T) + " K must be >= 0");
    if (T == 0)
      return 0.0;
    const double lowering = std::sqrt(c::cS2 * std::max(F, 0.0)); // eV, Schottky lowering
    return c::richardson * T * T * std::exp(-std::max(phi - lowering, 0.0) / (c::boltzmann_eV * T));
  }

  double emission_current_density(double F, double phi, double T)
  {
    if (F <= 0)
      return T > 0 ? richardson_schottky_current_density(0.0, phi, T) : 0.0;
    double field = 0;
    const double p = T > 0 ? M_PI * c::boltzmann_eV * T / decay_width_eV(F, phi) : 0.0;
    if (p <= thermal_field_p_max)
      field = murphy_good_current_density(F, phi) * thermal_field_factor(F, phi, T);
    return std::max(field, richardson_schottky_current_density(F, phi, T));
  }

  double murphy_good_log_slope(double F, double phi)
  {
    const double h = 1e-4;
    return (std::log(murphy_good_current_density(F * (1 + h), phi)) -
            std::log(murphy_good_current_density(F * (1 - h), phi))) /
           (std::log1p(h) - std::log1p(-h));
  }
} // namespace mpstream::solver
