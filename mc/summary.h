#pragma once
// Headline figures of a run with standard errors (of the mean over independent histories).
// Energy fractions are of the incident beam energy; S_muP and S_anode count the energy lost in
// a body, including the radiative part emitted there (as the paper's S add up to 1 - eta_E);
// the deposited-only parts are given too.
#include "common/cartesian_grid.h"
#include "mc/geometry.h"
#include "mc/tallies.h"

#include <vector>

namespace mpstream::mc
{
  struct Estimate
  {
    double value  = 0;
    double stderr_ = 0;
  };

  struct Summary
  {
    std::uint64_t histories = 0;
    Estimate eta;            // electrons escaping upwards per primary
    Estimate eta_E;          // energy escaping upwards / beam energy
    Estimate eta_down;       // electrons escaping downwards per primary (no anode)
    Estimate eta_E_down;
    Estimate S_muP;          // energy lost in spheres (deposited + radiated there)
    Estimate S_anode;
    Estimate S_muP_deposited, S_anode_deposited, radiated;
    Estimate one_minus_eta_E; // absorbed by the hybrid target (spheres + anode)
    Estimate q_muP;          // electrons absorbed in spheres per primary hitting a sphere
    // In the stream's field (mc/field_flight.h): the field's work on the electrons in the
    // vacuum / beam energy (< 0: the stream repels them), and electrons trapped per primary.
    Estimate field_work, trapped;
  };

  Summary summarize(const Tallies &tallies, double beam_energy_eV);

  // Energy deposited in each sphere per primary, as a fraction of the beam energy.
  std::vector<double> sphere_deposited_fractions(const Tallies &tallies, double beam_energy_eV);

  // Per-sphere power density in W/m^3 per W of beam power (cell energy / (beam energy x cell
  // volume)); one CartesianGrid per sphere, cube around the sphere. Empty without grids.
  std::vector<CartesianGrid> power_density_grids(const Tallies &tallies, const Geometry &geometry,
                                                 double beam_energy_eV);
  // Depth profile integrated over y: W/m^2 per W of beam power in the x-z plane, as a grid
  // with one cell in y (values per unit x-z area).
  CartesianGrid depth_profile(const Tallies &tallies, double beam_energy_eV);
} // namespace mpstream::mc
