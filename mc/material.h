#pragma once
// Tungsten as the Monte Carlo sees it: the atomic and bulk numbers every model reads.
// Only W is supported: the Mott correction coefficients (elastic_scattering.cc) are W's.
namespace mpstream::mc
{
  struct Material
  {
    double Z                    = 74;
    double molar_mass_g_per_mol = 183.84;
    double density_kg_per_m3    = 19300;  // ICRU 37 / ESTAR value (REFERENCE_DATA.md)
    double mean_excitation_eV   = 727;    // I, ICRU 37
    double joy_luo_k            = 0.860;  // Joy & Luo, Scanning 11 (1989) 176, for W
    // Below this energy the Joy-Luo low-energy form replaces the relativistic Bethe formula
    // (scaled to be continuous there). 5 keV: see doc/mc.md ("Energy loss").
    double joy_luo_switch_eV = 5000;

    double atoms_per_m3() const;
  };

  Material tungsten();
} // namespace mpstream::mc
