// Throughput of the electron Monte Carlo: histories/s at 100 keV in bulk W on 1 and 2 threads
// (and their ratio), and the time and standard error of one Table-1 row (100 kV).
// Prints numbers, asserts nothing. Wall-clock rates on a shared machine are noisy, so the CPU
// time of the process (all threads) is reported too: histories per CPU-second is the per-core
// throughput even when other jobs compete for the cores.
// Usage: mc_throughput [HISTORIES=20000]
#include "mc/cases.h"

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>

int main(int argc, char **argv)
{
  using namespace mpstream::mc;
  const std::uint64_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 20000;
  PhysicsOptions po;
  po.max_energy_eV = 300e3;
  const PhysicsTables tables(tungsten(), po);
  const Geometry bulk = Geometry::bulk();
  const std::clock_t c0 = std::clock();
  const auto one = run_case(bulk, tables, 100e3, n, 1, TransportOptions{});
  const std::clock_t c1 = std::clock();
  const auto two = run_case(bulk, tables, 100e3, n, 2, TransportOptions{});
  const std::clock_t c2 = std::clock();
  const double r1 = n / one.seconds, r2 = n / two.seconds;
  const double cpu1 = static_cast<double>(c1 - c0) / CLOCKS_PER_SEC;
  const double cpu2 = static_cast<double>(c2 - c1) / CLOCKS_PER_SEC;
  // The machine's load: wall-clock rates mean little when other jobs compete for the cores.
  std::string load = "unknown";
  if (std::ifstream f("/proc/loadavg"); f)
    std::getline(f, load);
  std::printf("bulk W, 100 keV, %llu histories (load average: %s)\n",
              static_cast<unsigned long long>(n), load.c_str());
  std::printf("  1 thread : %8.0f histories/s wall, %8.0f histories per CPU-second\n", r1,
              n / cpu1);
  std::printf("  2 threads: %8.0f histories/s wall, %8.0f histories per CPU-second\n", r2,
              n / cpu2);
  std::printf("  2-vs-1-thread ratio: wall %.2f, per CPU-second %.2f (1.00 = no threading "
              "overhead)\n",
              r2 / r1, cpu1 / cpu2);
  std::printf("  eta = %.4f +- %.4f, eta_E = %.4f +- %.4f\n", one.summary.eta.value,
              one.summary.eta.stderr_, one.summary.eta_E.value, one.summary.eta_E.stderr_);
  std::printf("  identical tallies 1 vs 2 threads: %s\n",
              one.tallies == two.tallies ? "yes" : "NO");

  // One Table-1 row: enough histories for a standard error < 0.3 percentage points.
  const Geometry hybrid = monolayer_geometry(2.5e-6, 0.0, true, 0.0); // touching, as Table 1
  const std::uint64_t n_row = 30000;
  const auto row = run_case(hybrid, tables, 100e3, n_row, 2, TransportOptions{});
  const auto &s = row.summary;
  std::printf("Table-1 row, 100 kV, %llu histories, 2 threads: %.1f s\n",
              static_cast<unsigned long long>(n_row), row.seconds);
  std::printf("  S_muP = %.2f +- %.2f %%, S_anode = %.2f +- %.2f %%, 1-eta_E = %.2f +- %.2f %%\n",
              100 * s.S_muP.value, 100 * s.S_muP.stderr_, 100 * s.S_anode.value,
              100 * s.S_anode.stderr_, 100 * s.one_minus_eta_E.value,
              100 * s.one_minus_eta_E.stderr_);
  return 0;
}
