#pragma once
// Physical constants (CODATA 2018, exact where SI defines them). SI units throughout.
namespace mpstream::constants
{
  constexpr double pi                   = 3.14159265358979323846;
  constexpr double elementary_charge    = 1.602176634e-19;   // C (exact)
  constexpr double vacuum_permittivity  = 8.8541878128e-12;  // F/m
  constexpr double electron_mass_energy = 510998.95;         // eV, m_e c^2
  constexpr double speed_of_light       = 299792458.0;       // m/s (exact)
  constexpr double boltzmann            = 1.380649e-23;      // J/K (exact)
  constexpr double stefan_boltzmann     = 5.670374419e-8;    // W/(m^2 K^4)
  constexpr double avogadro             = 6.02214076e23;     // 1/mol (exact)
  constexpr double fine_structure       = 7.2973525693e-3;
  constexpr double classical_electron_radius = 2.8179403262e-15; // m
} // namespace mpstream::constants
