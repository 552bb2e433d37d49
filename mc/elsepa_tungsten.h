#pragma once
// Reference elastic transport cross sections of W (Z = 74) for electrons from Dirac partial-wave
// calculations with the ELSEPA code (Salvat, Jablonski & Powell, Comput. Phys. Commun. 165 (2005)
// 157: Dirac-Hartree-Fock electron density, finite nucleus, exchange and correlation-polarisation
// potentials, absorption neglected), as tabulated in the PENELOPE-2008 database (file
// eeldx074.p08: sigma_0, sigma_1, sigma_2 per energy; the same calculations as ICRU Report 77).
// Published numbers, used with this citation; no code was taken.
//   sigma_l = 2 pi int (1 - P_l(cos theta)) dsigma/dOmega sin theta dtheta
// Used for: the screening parameter of our elastic model is fitted so that its first transport
// cross section sigma_1 equals ELSEPA's (elastic_scattering.cc); sigma_2 is kept for tests (it
// is not fitted); sigma_0 stays in the table as published, unused.
namespace mpstream::mc::elsepa_tungsten
{
  // Range of the table, eV.
  constexpr double min_energy_eV = 500;
  constexpr double max_energy_eV = 1e6;
  // Log-log interpolation in energy; T must lie in [min_energy_eV, max_energy_eV].
  double sigma1_m2(double T_eV); // first transport cross section
  double sigma2_m2(double T_eV); // second transport cross section
} // namespace mpstream::mc::elsepa_tungsten
