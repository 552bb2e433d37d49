#pragma once
// Continuous energy loss of electrons in W (CSDA).
// Collision: relativistic Bethe formula in the Rohrlich-Carlson form (ICRU 37, eq. 2.1-2.3,
// density effect neglected: < 0.1 % below 300 keV in W) with I = 727 eV; below
// Material::joy_luo_switch_eV the Joy-Luo form (Joy & Luo, Scanning 11 (1989) 176), which stays
// finite as T -> I, scaled to join continuously.
// Radiative: Bethe-Heitler, non-screened low-energy (Born) limit, Phi_rad = 16/3
// (Heitler, Quantum Theory of Radiation; ICRU 37 sect. 3): energy that leaves as photons.
#include "mc/material.h"

namespace mpstream::mc
{
  class StoppingPower
  {
  public:
    explicit StoppingPower(const Material &material);

    // Linear stopping powers in eV/m at kinetic energy T (eV). Throw InputError for T <= 0.
    double collision_eV_per_m(double T_eV) const;
    double radiative_eV_per_m(double T_eV) const;
    double total_eV_per_m(double T_eV) const
    {
      return collision_eV_per_m(T_eV) + radiative_eV_per_m(T_eV);
    }

    // Mass stopping power in MeV cm^2/g (the unit of ICRU 37 tables).
    double mass_collision_MeV_cm2_per_g(double T_eV) const;

  private:
    double rohrlich_carlson_eV_per_m(double T_eV) const;
    double joy_luo_eV_per_m(double T_eV) const;

    Material material_;
    double joy_luo_scale_ = 1; // continuity factor at the switch energy
  };
} // namespace mpstream::mc
