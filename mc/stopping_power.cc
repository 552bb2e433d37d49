#include "mc/stopping_power.h"

#include "common/constants.h"
#include "common/error.h"

#include <cmath>
#include <string>

namespace mpstream::mc
{
  namespace
  {
    constexpr double mc2_eV = constants::electron_mass_energy;

    void check_energy(double T_eV)
    {
      if (!(std::isfinite(T_eV) && T_eV > 0))
        throw InputError("stopping power: kinetic energy T = " + std::to_string(T_eV) +
                         " eV must be a positive number");
    }
  } // namespace

  StoppingPower::StoppingPower(const Material &material)
    : material_(material)
  {
    const double Ts = material_.joy_luo_switch_eV;
    joy_luo_scale_  = rohrlich_carlson_eV_per_m(Ts) / joy_luo_eV_per_m(Ts);
  }

  double StoppingPower::rohrlich_carlson_eV_per_m(double T_eV) const
  {
    const double tau   = T_eV / mc2_eV;
    const double gamma = tau + 1;
    const double beta2 = 1 - 1 / (gamma * gamma);
    const double I     = material_.mean_excitation_eV / mc2_eV;
    // F^-(tau) for electrons (Moller cross section), ICRU 37 eq. 2.3.
    const double F = 1 - beta2 + (tau * tau / 8 - (2 * tau + 1) * std::log(2.0)) / (gamma * gamma);
    const double L = std::log(tau * tau * (tau + 2) / (2 * I * I)) + F;
    // 2 pi r_e^2 m c^2 n_e / beta^2, n_e = Z N_atoms.
    const double r_e = constants::classical_electron_radius;
    const double n_e = material_.Z * material_.atoms_per_m3();
    return 2 * constants::pi * r_e * r_e * mc2_eV * n_e / beta2 * L;
  }

  double StoppingPower::joy_luo_eV_per_m(double T_eV) const
  {
    // Joy & Luo: dE/ds = 78500 rho Z / (A E) ln(1.166 (E + k J)/J), keV/cm, E in keV, rho g/cm^3.
    const double T_keV = T_eV * 1e-3;
    const double J_keV = material_.mean_excitation_eV * 1e-3;
    const double rho   = material_.density_kg_per_m3 * 1e-3;
    const double keV_per_cm = 78500 * rho * material_.Z / (material_.molar_mass_g_per_mol * T_keV) *
                              std::log(1.166 * (T_keV + material_.joy_luo_k * J_keV) / J_keV);
    return keV_per_cm * 1e3 * 1e2;
  }

  double StoppingPower::collision_eV_per_m(double T_eV) const
  {
    check_energy(T_eV);
    if (T_eV >= material_.joy_luo_switch_eV)
      return rohrlich_carlson_eV_per_m(T_eV);
    return joy_luo_scale_ * joy_luo_eV_per_m(T_eV);
  }

  double StoppingPower::radiative_eV_per_m(double T_eV) const
  {
    check_energy(T_eV);
    // S_rad = N Z^2 alpha r_e^2 (T + m c^2) Phi_rad, Phi_rad = 16/3.
    const double r_e = constants::classical_electron_radius;
    return material_.atoms_per_m3() * material_.Z * material_.Z * constants::fine_structure * r_e *
           r_e * (T_eV + mc2_eV) * 16.0 / 3.0;
  }

  double StoppingPower::mass_collision_MeV_cm2_per_g(double T_eV) const
  {
    // eV/m -> MeV/cm, divided by g/cm^3.
    return collision_eV_per_m(T_eV) * 1e-6 * 1e-2 / (material_.density_kg_per_m3 * 1e-3);
  }
} // namespace mpstream::mc
