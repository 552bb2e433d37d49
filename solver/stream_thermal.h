#pragma once
// Whole-stream transient (issue 6, item 2): every sphere of a stream over its dwell, each with its
// own heat source (the MC's per-sphere grid). The spheres exchange no heat: vacuum gaps, no
// conduction; radiative exchange between them is neglected (its size: doc/thermal.md). So they
// are solved independently, spread over MPI ranks (round robin) and, within a rank, over threads
// (a shared work queue), all on one SphereDiscretization built once per rank. A sphere's result
// depends only on its own input, so any rank and thread count gives the same numbers bit for bit.
#include "solver/thermal.h"

#include <mpi.h>

#include <vector>

namespace mpstream::solver
{
  struct StreamSphereResult
  {
    double sphere_power_W;
    double exit_peak_temperature_K, exit_mean_temperature_K, exit_min_temperature_K;
    double exit_molten_fraction;
    double peak_temperature_K, max_molten_fraction;
    double deposited_energy_J, radiated_energy_J, energy_balance_relative_error;
    double n_steps, n_newton_iterations;
  };

  struct StreamThermalResult
  {
    std::vector<StreamSphereResult> spheres; // same order as the sources; on every rank
    // history_samples > 0: each sphere's volume-mean and peak temperature at history_samples
    // equally spaced times from 0 to the heating time (linear between the adaptive steps).
    std::vector<std::vector<double>> mean_temperature_history_K, peak_temperature_history_K;
    unsigned n_dofs = 0;
    std::size_t hottest() const; // index of the highest exit peak temperature
  };

  // sources[i]: sphere i's power density; sphere_powers_W[i] > 0 scales it to exactly that power
  // on the discrete sphere (ThermalSettings::source_power_W), 0 takes q as given. threads = 0:
  // hardware threads / ranks. Throws what a sphere's solve throws (lowest sphere index first);
  // on the other ranks a RuntimeFailure naming the sphere.
  StreamThermalResult solve_stream_transient(const ThermalSettings &settings,
                                             const ThermalMaterial &material,
                                             const std::vector<PowerDensity> &sources,
                                             const std::vector<double> &sphere_powers_W,
                                             unsigned threads, MPI_Comm comm, std::size_t history_samples = 0);
} // namespace mpstream::solver
