// Thermal and power-limit benchmark (issue 6). Prints wall times and solver statistics and never
// fails on a time (the machine is shared: timings are noisy).
//   1. one sphere's transient over the dwell (Fig. 9a operating point), refinement R (default 1);
//   2. the Fig. 9 sweep: analytic P_max(U) for the three cases, 30-300 kV in 1 kV steps;
//   3. the transient stream limit (peak reaches T_melt) at the Table-1 voltages of Fig. 9a,
//      refinement 0 (0.1 K from refinement 1 at the operating point), beside the heat-capacity
//      limit; CSV to the file given as the second argument;
//   4. a whole-stream transient of 16 spheres (refinement 0, different powers) on 1 and on 2
//      threads: wall-time ratio (the speed-up of solve_stream_transient).
// Usage: bench_thermal [R] [transient_limits.csv]
#include "solver/heat_source.h"
#include "solver/paper_inputs.h"
#include "solver/power_limits.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"
#include "solver/transient_limit.h"
#include "solver/tungsten_properties.h"

#include <deal.II/base/mpi.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>

using namespace mpstream::solver;

namespace
{
  using Clock = std::chrono::steady_clock;
  double seconds_since(Clock::time_point t0)
  {
    return std::chrono::duration<double>(Clock::now() - t0).count();
  }
  // CPU seconds of this process (all threads): steadier than wall time on a shared machine.
  double cpu_seconds() { return static_cast<double>(std::clock()) / CLOCKS_PER_SEC; }

  // Paper Table 1 and the bare-anode estimate of inputs/fig9*.prm (shared with the tests).
  ShieldingTable table_1() { return paper::table_1(); }

  ThermalSettings fig9a_settings(unsigned refinements)
  {
    ThermalSettings s;
    s.refinements           = refinements;
    s.initial_temperature_K = 1073.15;
    s.heating_time_s        = 450e-6 / 100.0;
    return s;
  }

  TungstenThermalMaterial::Options fig9a_material()
  {
    TungstenThermalMaterial::Options o;
    o.environment_temperature_K = 1473.15;
    return o;
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const unsigned refinements = argc > 1 ? std::atoi(argv[1]) : 1;
  const double   r = 2.5e-6, W_cs = 450e-6, L_cs = 4670e-6, lambda = 2e-6;

  // 1. One sphere at the Fig. 9a operating point (46.2 kW, 132 kV).
  {
    const TungstenThermalMaterial material(fig9a_material());
    auto s = fig9a_settings(refinements);
    s.relaxation_time_s = 1e-6;
    const double S_muP = interpolate(table_1(), 132e3).S_muP;
    const double P     = sphere_power(46.2e3, S_muP, r, W_cs, L_cs);
    const auto   t0    = Clock::now();
    const double c0    = cpu_seconds();
    const auto   res   = solve_sphere_transient(s, material, exponential_depth_source(r, lambda, P));
    std::printf("[1] sphere transient (dwell 4.5 us + 1 us relaxation): refinements %u, cells %u, "
                "dofs %u, steps %u (+%u rejected), Newton iterations %u: wall %.2f s, CPU %.2f s\n",
                refinements, res.n_cells, res.n_dofs, res.n_steps, res.n_rejected_steps,
                res.n_newton_iterations, seconds_since(t0), cpu_seconds() - c0);
    std::printf("    exit peak %.1f K, mean %.1f K, min %.1f K, molten fraction %.4f, energy error %.1e\n",
                res.exit_peak_temperature_K, res.exit_mean_temperature_K, res.exit_min_temperature_K,
                res.exit_liquid_fraction, res.energy_balance_relative_error);
    // Same with full Newton (Jacobian and its factorisation rebuilt every iteration): CPU ratio.
    s.reuse_jacobian = false;
    const double c1   = cpu_seconds();
    const auto   full = solve_sphere_transient(s, material, exponential_depth_source(r, lambda, P));
    const double cpu_full = cpu_seconds() - c1;
    std::printf("    full Newton: %u iterations, CPU %.2f s, exit peak %.3f K (modified: %.3f K); "
                "CPU ratio full / modified %.2f\n", full.n_newton_iterations, cpu_full,
                full.exit_peak_temperature_K, res.exit_peak_temperature_K, cpu_full / (c1 - c0));
  }

  // 2. Analytic Fig. 9 sweep, three cases, melting and not.
  {
    const auto t0 = Clock::now();
    std::size_t n = 0;
    for (const auto fig9 : {&paper::fig9a, &paper::fig9b, &paper::fig9c})
      for (bool melt : {false, true})
        n += sweep_power_limits(fig9(melt), table_1(), 30e3, 300e3, 1e3).size();
    std::printf("[2] analytic Fig. 9 sweep: %zu operating points: wall %.4f s\n", n, seconds_since(t0));
  }

  // 3. Transient limit vs heat-capacity limit at the Table-1 voltages (Fig. 9a).
  {
    auto options = fig9a_material();
    options.latent_heat = false; // see app/stage_thermal.cc: smooth root function
    const TungstenThermalMaterial material(options);
    const auto  s  = fig9a_settings(0);
    const StreamParameters p = paper::fig9a(false);
    FILE *csv = argc > 2 ? std::fopen(argv[2], "w") : nullptr;
    if (csv)
      std::fprintf(csv, "tube_voltage_V,P_input_limit_muP_capacity_W,P_input_limit_muP_transient_W,ratio,transient_solves\n");
    const auto t0 = Clock::now();
    unsigned   solves = 0;
    for (double U : table_1().tube_voltage_V)
      {
        const auto   lim = compute_power_limits(p, table_1(), U);
        const double S   = lim.S.S_muP;
        const auto   peak = [&](double P_in) {
          return solve_sphere_transient(s, material,
                                        exponential_depth_source(r, lambda, sphere_power(P_in, S, r, W_cs, L_cs)))
            .peak_temperature_K;
        };
        const auto t = find_power_for_peak_temperature(peak, mpstream::materials::tungsten::melting_temperature,
                                                       0.9 * lim.P_input_limit_muP_W,
                                                       1.02 * lim.P_input_limit_muP_W, 2e-3, 0.5);
        solves += t.evaluations;
        std::printf("    %5.0f kV: capacity limit %8.1f W, transient limit %8.1f W, ratio %.4f (%u solves)\n",
                    U / 1e3, lim.P_input_limit_muP_W, t.P_input_W, t.P_input_W / lim.P_input_limit_muP_W,
                    t.evaluations);
        if (csv)
          std::fprintf(csv, "%.0f,%.2f,%.2f,%.5f,%u\n", U, lim.P_input_limit_muP_W, t.P_input_W,
                       t.P_input_W / lim.P_input_limit_muP_W, t.evaluations);
      }
    if (csv)
      std::fclose(csv);
    std::printf("[3] transient limits at 8 voltages (refinement 0): %u transient solves: wall %.1f s\n",
                solves, seconds_since(t0));
  }
  
  // 4. Whole stream: 16 independent spheres on 1 and 2 threads (MPI_COMM_SELF).
  {
    const TungstenThermalMaterial material(fig9a_material());
    const auto s = fig9a_settings(0);
    std::vector<PowerDensity> sources;
    std::vector<double>       powers;
    for (int i = 0; i < 16; ++i)
      {
        powers.push_back(0.06 + 0.005 * i); // the 132 kV stream's range of sphere powers
        sources.push_back(exponential_depth_source(r, lambda, powers.back()));
      }
    double wall[2];
    for (unsigned threads : {1u, 2u})
      {
        const auto   t0  = Clock::now();
        const double c0  = cpu_seconds();
        const auto   res = solve_stream_transient(s, material, sources, powers, threads, MPI_COMM_SELF);
        wall[threads - 1] = seconds_since(t0);
        std::printf("[4] whole stream, 16 spheres, refinement 0, %u thread(s): wall %.2f s, CPU %.2f s "
                    "(%.2f s CPU per sphere), hottest %.1f K\n", threads, wall[threads - 1],
                    cpu_seconds() - c0, (cpu_seconds() - c0) / 16,
                    res.spheres[res.hottest()].exit_peak_temperature_K);
      }
    // On a machine shared with other jobs the ratio measures the free cores, not the code.
    std::printf("    wall-time ratio 1 thread / 2 threads: %.2f\n", wall[0] / wall[1]);
  }
  return 0;
}
