// Thermal and power-limit benchmark (issue 6): one sphere's transient over the dwell, and the
// Fig. 9 sweep of the analytic power limits. Prints wall times and solver statistics; never
// fails on a time (timings on a shared 2-core machine are noisy).
#include "solver/heat_source.h"
#include "solver/power_limits.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

using namespace mpstream::solver;

namespace
{
  double seconds_since(std::chrono::steady_clock::time_point t0)
  {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  }
} // namespace

int main(int argc, char **argv)
{
  const unsigned refinements = argc > 1 ? std::atoi(argv[1]) : 1;
  const double   P_input     = argc > 2 ? std::atof(argv[2]) : 46.2e3; // W, Fig. 9a at 132 kV
  const double   S_muP       = 0.3048;                                 // Table 1 at 132 kV (lin.)
  TungstenThermalMaterial::Options o;
  o.environment_temperature_K = 1473.15; // anode body 1200 C
  TungstenThermalMaterial material(o);
  ThermalSettings         s;
  s.refinements       = refinements;
  s.initial_temperature_K = 1073.15;
  s.heating_time_s    = 450e-6 / 100.0;
  s.relaxation_time_s = 1e-6;
  const double P_sphere = sphere_power(P_input, S_muP, s.sphere_radius_m, 450e-6, 4670e-6);
  const auto   t0 = std::chrono::steady_clock::now();
  const auto   r  = solve_sphere_transient(s, material,
                                        exponential_depth_source(s.sphere_radius_m, 2e-6, P_sphere));
  const double wall = seconds_since(t0);
  std::printf("sphere transient: refinements %u, cells %u, dofs %u, steps %u (+%u rejected), "
              "Newton iterations %u, wall %.2f s\n",
              refinements, r.n_cells, r.n_dofs, r.n_steps, r.n_rejected_steps,
              r.n_newton_iterations, wall);
  std::printf("  P_sphere %.4g W, exit peak %.1f K mean %.1f K min %.1f K, peak %.1f K, "
              "liquid %.3g, equalisation %.3g s, energy error %.2e\n",
              P_sphere, r.exit_peak_temperature_K, r.exit_mean_temperature_K,
              r.exit_min_temperature_K, r.peak_temperature_K, r.max_liquid_fraction,
              r.equalization_time_s, r.energy_balance_relative_error);
  if (argc > 3) // optional history CSV for inspection
    if (FILE *f = std::fopen(argv[3], "w"))
      {
        std::fprintf(f, "time_s,T_max_K,T_min_K,T_mean_K,liquid_fraction\n");
        for (const auto &h : r.history)
          std::fprintf(f, "%.6e,%.4f,%.4f,%.4f,%.5f\n", h.time_s, h.max_K, h.min_K, h.mean_K,
                       h.liquid_fraction);
        std::fclose(f);
      }
  return 0;
}
