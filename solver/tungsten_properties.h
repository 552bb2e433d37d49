#pragma once
// Thermophysical properties of tungsten, solid and liquid, SI units (K, J, kg, m, W).
// Plain C++ (no deal.II) so that power limits and tests build in seconds.
//
// Sources (see doc/thermal.md for the full discussion):
//  - c_p(T), k(T), rho(T), T_melt, latent heat, liquid c_p: P. Tolias, "Analytical expressions
//    for thermophysical properties of solid and liquid tungsten relevant for fusion
//    applications", Nucl. Mater. Energy 13 (2017) 42-57 (arXiv:1703.06302). Tolias fits
//    White & Minges (1997) and Wilthan, Cagran & Pottlacher (2005) for c_p, Hust & Lankford
//    (NBS IR 84-3007) for k.
//  - total hemispherical emissivity: Forsythe & Worthing, Astrophys. J. 61 (1925) 146, as
//    tabulated in the CRC Handbook of Chemistry and Physics ("Properties of tungsten"),
//    interpolated linearly (values to be checked against the primary source; their effect
//    on every result here is below 0.3 %, see doc/thermal.md).
namespace mpstream::materials::tungsten
{
  constexpr double molar_mass            = 183.84e-3;       // kg/mol
  constexpr double melting_temperature   = 3695.0;          // K
  constexpr double latent_heat_fusion    = 52.3e3 / molar_mass; // J/kg (52.3 kJ/mol)
  constexpr double liquid_heat_capacity  = 51.3 / molar_mass;   // J/(kg K) (51.3 J/(mol K))
  constexpr double density_reference_temperature = 293.15;  // K
  // Range in which the property functions may be evaluated. The solid fits are valid from
  // 300 K; 200-300 K is a mild extrapolation kept so that T_env = 293 K can be evaluated.
  constexpr double minimum_temperature = 200.0;             // K
  constexpr double maximum_temperature = 6000.0;            // K

  // Isobaric specific heat capacity [J/(kg K)]; liquid value above T_melt.
  double specific_heat(double T);
  // Thermal conductivity [W/(m K)]. Above T_melt the value at T_melt is held (ours: Tolias'
  // solid fit ends there; liquid W barely matters for the dwell times considered).
  double thermal_conductivity(double T);
  // Mass density [kg/m^3] (thermal expansion of the solid; liquid not modelled).
  double density(double T);
  // Sensible heat [J/kg]: integral of c_p from T0 to T1 (no latent heat), analytic.
  double sensible_heat(double T0, double T1);
  // Total hemispherical emissivity [-].
  double total_emissivity(double T);

  // Throws mpstream::InputError if T is outside [minimum_temperature, maximum_temperature].
  void check_temperature(double T, const char *what);
} // namespace mpstream::materials::tungsten
