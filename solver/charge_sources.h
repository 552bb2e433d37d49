#pragma once
// Charge collected by each sphere while it crosses the focal spot (paper Sect. 3.3).
// The beam current density is uniform over the focal spot (FS), j = P / (U W_CS L_CS); a sphere
// of radius r crossing the FS width W_CS at speed v collects, per primary electron hitting its
// cross-section, the net charge -q_muP e (q_muP from the Monte Carlo, Fig. 11b):
//   I_i = -q_i j pi r_i^2 (A, while in the FS),   Q_i = I_i W_CS / v.
// Plain C++ (no deal.II), so it is tested in isolation.
#include "layout/stream_layout.h"
#include "solver/operating_point.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  // How q_muP is given: one value, one per layer, or one per sphere.
  struct ChargingCoefficients
  {
    enum class Kind
    {
      uniform,
      per_layer,
      per_sphere
    } kind = Kind::uniform;
    std::vector<double> values{0.18}; // dimensionless, net electrons per primary (>= 0 charges negatively)

    static ChargingCoefficients uniform(double q);
    static ChargingCoefficients per_layer(std::vector<double> q);
    static ChargingCoefficients per_sphere(std::vector<double> q);
    // q of sphere n of the layout (InputError if the layer or sphere has no value).
    double of_sphere(const layout::StreamLayout &layout, std::size_t n) const;
  };

  // Charging current of each sphere while it is in the FS (A, negative for q > 0).
  std::vector<double> beam_charging_currents_A(const OperatingPoint &beam, const layout::StreamLayout &layout,
                                               const ChargingCoefficients &q);
  // Charge of each sphere at the FS exit without any discharge (C): current x dwell time.
  std::vector<double> backscatter_only_charges_C(const OperatingPoint &beam, const layout::StreamLayout &layout,
                                                 const ChargingCoefficients &q);

  // Charge per unit q_muP of a sphere of radius r: j pi r^2 W / v (C).
  double charge_per_unit_q_C(const OperatingPoint &beam, double radius);

  // Macroscopic sheet: areal charge (C/m^2) of spheres of charge Q on a hexagonal lattice of
  // lateral pitch p (area per sphere sqrt(3)/2 p^2), and the field of that sheet over a
  // grounded plane with nothing above it, sigma / eps0 (V/m).
  double hexagonal_areal_charge_C_per_m2(double charge_C, double pitch_m);
  double sheet_field_V_per_m(double areal_charge_C_per_m2);
} // namespace mpstream::solver
