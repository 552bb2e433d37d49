#pragma once
// Power limits of the hybrid target (paper Sect. 3.1, PHYSICS.md "Power limits"):
//   P_max,anode = (1 - eta_E) * P_input,ref          (eta_E of the bare reference anode)
//   P_max,muP   = rho_W * pi/(3 sqrt 3) * 2r * L_CS * v_muP * [int_T0^Tm c_W dT + dH_f * s]
//   P_max       = min{ P_max,anode / S_anode ; P_max,muP / S_muP },  dwell = W_CS / v_muP.
// Plain C++. All quantities SI; coefficients S and eta_E as fractions (not percent).
#include "solver/operating_point.h"

#include <string>
#include <vector>

namespace mpstream::solver
{
  // Shielding coefficients per tube voltage (from the MC or, until it lands, the paper's
  // Table 1 given in the .prm). Interpolated linearly in U between rows (see power_limits.cc).
  struct ShieldingTable
  {
    std::vector<double> tube_voltage_V;             // strictly increasing
    std::vector<double> S_muP;                      // power fraction absorbed by the spheres
    std::vector<double> S_anode;                    // power fraction absorbed by the anode
    std::vector<double> one_minus_etaE_bare_anode;  // 1 - eta_E of the bare reference anode

    void validate() const; // throws InputError naming the offending entry
  };

  struct ShieldingCoefficients
  {
    double S_muP;
    double S_anode;
    double one_minus_etaE_bare_anode;
  };

  // Linear interpolation in U; throws InputError outside the table's voltage range.
  ShieldingCoefficients interpolate(const ShieldingTable &table, double tube_voltage_V);

  struct StreamParameters
  {
    double sphere_radius_m            = 2.5e-6;
    // Focal spot and stream speed; its tube voltage and power are not used here (the limits
    // take the voltage as an argument and give the power).
    OperatingPoint operating_point;
    double entry_temperature_K        = 1073.15;  // T0
    double maximum_temperature_K      = 3695.0;   // T_m,W
    bool   melting_allowed            = false;    // s in the formula
    double density_kg_per_m3          = 19250.0;  // rho_W (mass per reference volume)
    double reference_anode_power_W    = 25e3;     // P_input,ref

    void validate() const;
  };

  enum class LimitingComponent { anode, microparticles };
  std::string to_string(LimitingComponent c); // "anode" | "microparticles"

  struct PowerLimits
  {
    double tube_voltage_V;
    ShieldingCoefficients S;
    double P_max_anode_W;            // (1 - eta_E) P_input,ref: power the anode may absorb
    double P_max_muP_W;              // heat-capacity rate of the stream
    double P_input_limit_anode_W;    // P_max,anode / S_anode
    double P_input_limit_muP_W;      // P_max,muP / S_muP
    double P_max_W;                  // min of the two input limits
    LimitingComponent limiting_component;
    double dwell_time_s;             // W_CS / v_muP
    double percent_of_reference;     // 100 P_max / P_input,ref (Fig. 11a)
  };

  // Heat a unit mass of tungsten absorbs from T0 to T_m,W (+ latent heat if melting), J/kg.
  double heat_capacity_per_mass(const StreamParameters &p);
  // Mass flow of spheres through the focal spot per unit time, kg/s:
  // rho_W * pi/(3 sqrt 3) * 2r * L_CS * v.
  double stream_mass_rate(const StreamParameters &p);

  PowerLimits compute_power_limits(const StreamParameters &p, const ShieldingTable &table,
                                   double tube_voltage_V);

  // P_max over [U_min, U_max] in steps of dU (the last point is U_max).
  std::vector<PowerLimits> sweep_power_limits(const StreamParameters &p,
                                              const ShieldingTable &table, double U_min_V,
                                              double U_max_V, double dU_V);
} // namespace mpstream::solver
