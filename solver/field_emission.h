#pragma once
// Electron emission current density from a metal surface in a strong electric field.
//
// Cold field emission: the Murphy-Good (1956) Fowler-Nordheim-type equation for a
// Schottky-Nordheim (planar image-rounded) barrier, in Forbes' SI form (Forbes, Appl. Phys.
// Lett. 89 (2006) 113122; Forbes & Deane, Proc. R. Soc. A 463 (2007) 2907):
//   J = (a / (phi t(f)^2)) F^2 exp(-v(f) b phi^{3/2} / F),  f = c_S^2 F / phi^2,
//   v(f) ~ 1 - f + (f/6) ln f,  t(f) ~ 1 + f/9 - (f/18) ln f   (Forbes 2006 approximations).
// F is the barrier field (V/m, > 0: the field that pulls electrons out), phi the work function (eV).
//
// Temperature: the zero-temperature form holds only while k T is well below the decay width
// d_F of the tunnelling probability at the Fermi level (a few 10 meV at 1-5 GV/m). Two
// regimes are offered, each with its own validity check (doc/charging.md):
//  - Murphy-Good's thermal-field factor (pi k T / d_F) / sin(pi k T / d_F), valid for
//    p = pi k T / d_F <= thermal_field_p_max (the series diverges at p = 1);
//  - Richardson-Schottky thermionic emission over the image-lowered barrier, valid when the
//    lowered barrier top stays well above the Fermi level (f < 1) and k T >> d_F.
// The general thermal-field regime between them (Jensen's model) is not implemented:
// emission_current_density() returns the larger of the two valid asymptotic forms, a lower
// bound in the intermediate regime.
namespace mpstream::solver
{
  namespace field_emission_constants
  {
    constexpr double a   = 1.541434e-6;  // A eV V^-2, first Fowler-Nordheim constant
    constexpr double b   = 6.830890e9;   // eV^-3/2 V m^-1, second Fowler-Nordheim constant
    constexpr double cS2 = 1.439964e-9;  // eV^2 m V^-1, Schottky constant squared (e^3/4 pi eps0)
    constexpr double richardson = 1.20173e6; // A m^-2 K^-2, universal Richardson constant A_0
    constexpr double boltzmann_eV = 8.617333262e-5; // eV/K
  } // namespace field_emission_constants

  // Scaled barrier field f = c_S^2 F / phi^2 (f = 1: barrier top at the Fermi level).
  double scaled_barrier_field(double field_V_per_m, double work_function_eV);
  // Forbes' approximations of the Schottky-Nordheim barrier functions, 0 < f <= 1.
  double barrier_function_v(double f);
  double barrier_function_t(double f);

  // Cold (0 K) Murphy-Good current density (A/m^2); 0 for F <= 0. InputError for phi <= 0 or
  // f > 1 (barrier gone: the formula does not apply).
  double murphy_good_current_density(double field_V_per_m, double work_function_eV);

  // Decay width d_F (eV) of the barrier transmission at the Fermi level.
  double decay_width_eV(double field_V_per_m, double work_function_eV);

  // Murphy-Good thermal-field factor p / sin(p), p = pi k T / d_F; 1 at T = 0.
  // InputError if p > p_max (outside the low-temperature expansion).
  constexpr double thermal_field_p_max = 0.7;
  double thermal_field_factor(double field_V_per_m, double work_function_eV, double temperature_K);

  // Richardson-Schottky: A_0 T^2 exp(-(phi - sqrt(c_S^2 F)) / k T) (A/m^2).
  double richardson_schottky_current_density(double field_V_per_m, double work_function_eV,
                                             double temperature_K);

  // Cold form times the thermal-field factor where that is valid (p <= p_max), else 0; the
  // larger of that and Richardson-Schottky (which is 0 at T = 0). See the header comment.
  double emission_current_density(double field_V_per_m, double work_function_eV, double temperature_K);

  // d ln J / d ln F of the cold form (steepness; ~ 20-30 near 1-3 GV/m for 4.5 eV).
  double murphy_good_log_slope(double field_V_per_m, double work_function_eV);
} // namespace mpstream::solver
