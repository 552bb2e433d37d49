#include "solver/charge_sources.h"

#include "common/constants.h"
#include "common/error.h"

#include <cmath>
#include <string>

namespace mpstream::solver
{
  namespace
  {
    void valid_coefficient(double q, const std::string &what)
    {
      // q < 0 is allowed (net positive charging by secondary emission), NaN/inf is not.
      if (!std::isfinite(q))
        throw InputError("charge sources: q_muP of " + what + " is not a finite number");
    }
  } // namespace

  ChargingCoefficients ChargingCoefficients::uniform(double q)
  {
    valid_coefficient(q, "every sphere");
    return {Kind::uniform, {q}};
  }

  ChargingCoefficients ChargingCoefficients::per_layer(std::vector<double> q)
  {
    for (std::size_t k = 0; k < q.size(); ++k)
      valid_coefficient(q[k], "layer " + std::to_string(k));
    return {Kind::per_layer, std::move(q)};
  }

  ChargingCoefficients ChargingCoefficients::per_sphere(std::vector<double> q)
  {
    for (std::size_t k = 0; k < q.size(); ++k)
      valid_coefficient(q[k], "sphere " + std::to_string(k));
    return {Kind::per_sphere, std::move(q)};
  }

  double ChargingCoefficients::of_sphere(const layout::StreamLayout &layout, std::size_t n) const
  {
    switch (kind)
      {
        case Kind::uniform:
          if (values.size() != 1)
            throw InputError("charge sources: a uniform q_muP needs exactly one value");
          return values[0];
        case Kind::per_layer:
          {
            const int layer = layout.spheres.at(n).layer;
            if (layer < 0 || static_cast<std::size_t>(layer) >= values.size())
              throw InputError("charge sources: q_muP per layer has " + std::to_string(values.size()) +
                               " value(s), but sphere " + std::to_string(n) + " is on layer " +
                               std::to_string(layer));
            return values[layer];
          }
        case Kind::per_sphere:
          if (values.size() != layout.spheres.size())
            throw InputError("charge sources: q_muP per sphere has " + std::to_string(values.size()) +
                             " value(s) for " + std::to_string(layout.spheres.size()) + " spheres");
          return values[n];
      }
    return 0;
  }

  double charge_per_unit_q_C(const OperatingPoint &b, double radius)
  {
    require_positive_quantity(radius, "sphere_radius_m");
    return current_density_A_per_m2(b) * constants::pi * radius * radius * dwell_time_s(b);
  }

  std::vector<double> beam_charging_currents_A(const OperatingPoint &b, const layout::StreamLayout &layout,
                                               const ChargingCoefficients &q)
  {
    const double j = current_density_A_per_m2(b);
    std::vector<double> I(layout.spheres.size());
    for (std::size_t n = 0; n < I.size(); ++n)
      {
        const double r = layout.spheres[n].radius;
        require_positive_quantity(r, "sphere_radius_m");
        I[n] = -q.of_sphere(layout, n) * j * constants::pi * r * r;
      }
    return I;
  }

  std::vector<double> backscatter_only_charges_C(const OperatingPoint &b, const layout::StreamLayout &layout,
                                                 const ChargingCoefficients &q)
  {
    auto Q           = beam_charging_currents_A(b, layout, q);
    const double dwell = dwell_time_s(b);
    for (auto &x : Q)
      x *= dwell;
    return Q;
  }

  double hexagonal_areal_charge_C_per_m2(double charge_C, double pitch_m)
  {
    require_positive_quantity(pitch_m, "lattice_pitch_m");
    return charge_C / (std::sqrt(3.0) / 2.0 * pitch_m * pitch_m);
  }

  double sheet_field_V_per_m(double sigma) { return sigma / constants::vacuum_permittivity; }
} // namespace mpstream::solver
