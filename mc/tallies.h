#pragma once
// Scores of a Monte Carlo run, kept apart from the transport (OpenMC style).
// Every energy is an integer number of meV and every count an integer, so sums are exact and
// independent of the order in which histories are added: any split of the histories over
// threads or MPI ranks gives bit-identical tallies (merge() is plain integer addition).
// Per-history scalar scores also keep their sums of squares (128-bit) for standard errors.
#include "common/cartesian_grid.h"

#include <array>
#include <cstdint>
#include <utility>
#include <vector>

namespace mpstream::mc
{
  __extension__ using int128  = __int128;
  __extension__ using uint128 = unsigned __int128;

  // Per-history scalar scores (index into HistoryScores::values).
  enum Score : std::size_t
  {
    energy_spheres_meV,   // deposited in spheres
    energy_anode_meV,     // deposited in the anode
    energy_up_meV,        // carried away by electrons escaping upwards (backscatter, eta_E)
    energy_down_meV,      // carried away by electrons escaping downwards (no anode: transmitted)
    energy_radiated_spheres_meV, // radiative (bremsstrahlung) loss in spheres: leaves as photons
    energy_radiated_anode_meV,   // same, in the anode
    electrons_up,         // number backscatter (eta)
    electrons_down,
    electrons_absorbed_spheres,
    primary_hits_sphere,  // primary's first body is a sphere
    // In a field (mc/field_flight.h): work the field did on the electrons in vacuum (the energy
    // balance: beam + field work = deposited + radiated + escaped + trapped), and electrons
    // still in vacuum after the flight's step limit with their energy.
    energy_field_work_meV,
    electrons_trapped,
    energy_trapped_meV,
    n_scores
  };

  // Charge bookkeeping per sphere is in micro-electrons, so that the expected number of
  // secondary electrons of a surface crossing (a fraction) is an integer too.
  constexpr std::int64_t micro_electrons = 1000000;

  struct HistoryScores
  {
    std::array<std::int64_t, n_scores> values{};
    // Net charge left in each sphere this history touched (micro-electrons: +1e6 for the
    // electron stopping there, minus the expected secondaries emitted); few entries per history.
    std::vector<std::pair<std::size_t, std::int64_t>> sphere_charge_ue;
    void add_sphere_charge(std::size_t sphere, std::int64_t ue);
  };

  struct GridSpec
  {
    std::size_t cells_per_axis = 0; // per-sphere power grid (0: none)
    // Depth profile, integrated over y: n_x x n_z cells over [x_lo, x_hi] x [z_lo, z_hi].
    std::size_t profile_nx = 0, profile_nz = 0;
    double profile_x_lo = 0, profile_x_hi = 0, profile_z_lo = 0, profile_z_hi = 0;
  };

  class Tallies
  {
  public:
    Tallies() = default;
    Tallies(std::size_t n_spheres, const GridSpec &grid);

    void add_history(const HistoryScores &h);
    void merge(const Tallies &other);
    // Flat integer image (128-bit sums as two 64-bit halves) for an MPI gather; deserialize()
    // needs a Tallies of the same shape (spheres, grids).
    std::vector<std::int64_t> serialize() const;
    void deserialize(const std::vector<std::int64_t> &data);
    bool operator==(const Tallies &other) const;

    std::uint64_t histories = 0;
    std::array<std::int64_t, n_scores> sum{};
    std::array<int128, n_scores> sum_sq{};
    int128 sum_absorbed_times_hits = 0; // for the ratio estimator of q_muP
    std::vector<std::int64_t> sphere_energy_meV, sphere_absorbed, sphere_primary_hits;
    // Per sphere: expected secondary electrons emitted (micro-electrons; 0 with secondary
    // emission off) and the sum over histories of the squared per-history net charge
    // (micro-electrons^2), for the standard error of each sphere's charge (mc/sphere_charge.h).
    std::vector<std::int64_t> sphere_secondaries_ue;
    std::vector<int128> sphere_charge_sq_ue2;
    GridSpec grid;
    std::vector<std::vector<std::int64_t>> sphere_grid_meV; // [sphere][cell], x fastest
    std::vector<std::int64_t> profile_meV;                   // [ix + nx * iz]
  };
} // namespace mpstream::mc
