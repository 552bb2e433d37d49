#include "mc/material.h"

#include "common/constants.h"

namespace mpstream::mc
{
  double Material::atoms_per_m3() const
  {
    return density_kg_per_m3 * 1e3 / molar_mass_g_per_mol * constants::avogadro;
  }

  Material tungsten() { return Material{}; }
} // namespace mpstream::mc
