#pragma once
// Electron emission from a metal over the whole range from cold field emission through the
// thermal-field regime to Schottky and thermionic emission, as ONE energy integral (no
// patchwork of limiting formulas):
//
//   J(F, T) = (4 pi m e k T / h^3) Int D(W) ln[1 + exp(-(W - E_F) / k T)] dW
//           = (A_0 / k^2) Int D(E) S(E) dE,   E = W - E_F (normal energy), A_0 = 4 pi m e k^2 / h^3,
//   S(E) = k T ln(1 + exp(-E / k T))  (-> max(-E, 0) at T = 0),
//   D(E) = 1 / (1 + exp G(E))          (Kemble form of the WKB transmission),
//
// for the Schottky-Nordheim (planar, image-rounded) barrier U(x) = E_F + phi - e F x - e^2/(16 pi eps0 x)
// (Murphy & Good, Phys. Rev. 102 (1956) 1464; Jensen, J. Appl. Phys. 102 (2007) 024911).
// Below the barrier top E_top = phi - sqrt(c_S^2 F), G(E) = (b / F) H^{3/2} v(f_H) with
// H = phi - E and f_H = c_S^2 F / H^2, v the exact Schottky-Nordheim barrier function (complete
// elliptic integrals; Forbes & Deane, Proc. R. Soc. A 463 (2007) 2907). Above the top the
// default continues G with the parabolic-top (Kemble) form G = -(E - E_top) / w_top, which joins
// the exact G with a continuous slope at the top (w_top = 1 / |dG/dE| at the top); the
// alternative D = 1 above the top is kept for the sensitivity study (doc/emission.md).
//
// Validity range (checked; outside it: InputError naming the quantity, value and range):
//   work function 2-7 eV, temperature 0-5000 K, barrier field 0 <= F <= phi^2 / c_S^2 (the
//   field at which the barrier top reaches the Fermi level, f = 1; 14.1 GV/m at 4.5 eV).
// Planar barrier (sphere radius >> barrier width ~ 1-3 nm), free-electron supply, the bottom of
// the conduction band at -infinity (its contribution is below exp(-25) of the peak).
//
// Many calls at one work function (the charging dwell): ThermalFieldEmission in
// solver/thermal_field_emission_table.h gives the same J within 1e-3 in ~0.2 us instead of ~3 us.
#include <string>

namespace mpstream::solver
{
  // Where the normal-energy distribution D(E) S(E) peaks (doc/emission.md, "Regimes"):
  //  cold_field:    at or below the Fermi level (tunnelling of the Fermi sea);
  //  thermal_field: between the Fermi level and the barrier top;
  //  schottky:      at or above the barrier top, with a Schottky lowering sqrt(c_S^2 F) >= k T;
  //  thermionic:    at or above the barrier top, lowering < k T (the field barely matters).
  enum class EmissionRegime
  {
    cold_field,
    thermal_field,
    schottky,
    thermionic
  };
  std::string to_string(EmissionRegime regime);

  // Transmission above the barrier top: Kemble parabolic-top continuation (default), or 1.
  enum class AboveBarrierTransmission
  {
    kemble_parabolic,
    classical
  };

  namespace thermal_field_limits
  {
    constexpr double min_work_function_eV = 2.0;
    constexpr double max_work_function_eV = 7.0;
    constexpr double max_temperature_K    = 5000.0;
  } // namespace thermal_field_limits

  // Field (V/m) at which the Schottky-Nordheim barrier top reaches the Fermi level: phi^2 / c_S^2.
  double barrier_removal_field(double work_function_eV);

  // Exact Schottky-Nordheim barrier functions v(f), t(f) = v - (4/3) f dv/df, 0 <= f <= 1
  // (Forbes & Deane 2007, complete elliptic integrals; evaluated with Boost.Math).
  double schottky_nordheim_v_exact(double f);
  double schottky_nordheim_t_exact(double f);

  // WKB exponent G (dimensionless) of the Schottky-Nordheim barrier for an electron whose normal
  // energy lies H eV below the vacuum level far from the surface (H = phi - E), field F (V/m);
  // H must be >= sqrt(c_S^2 F) (at or below the top). Uses the tabulated exact v.
  double schottky_nordheim_exponent(double barrier_height_eV, double field_V_per_m);

  // The model's characteristic energies (eV, relative to the Fermi level) at (F, T, phi).
  struct EmissionScales
  {
    double barrier_top_eV;          // E_top = phi - sqrt(c_S^2 F)
    double fermi_decay_width_eV;    // d_F = 1 / |dG/dE| at E_F (0 when F = 0)
    double top_decay_width_eV;      // w_top = 1 / |dG/dE| at the top (0 when F = 0)
    double thermal_energy_eV;       // k T
    double peak_energy_eV;          // where D(E) S(E) peaks
  };
  EmissionScales emission_scales(double field_V_per_m, double temperature_K, double work_function_eV);

  // J (A/m^2) of the energy integral above. F = barrier field (V/m, the field that pulls
  // electrons out), T (K), phi (eV). F = 0: D = step at the vacuum level (Richardson-Dushman
  // with the Fermi-Dirac supply). T = 0: the zero-temperature supply max(-E, 0).
  double thermal_field_current_density(double field_V_per_m, double temperature_K, double work_function_eV,
                                       AboveBarrierTransmission above = AboveBarrierTransmission::kemble_parabolic);

  EmissionRegime emission_regime(double field_V_per_m, double temperature_K, double work_function_eV);
} // namespace mpstream::solver
