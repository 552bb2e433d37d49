// ns per evaluation of the general thermal-field current density over a grid of (F, T) typical of
// the spheres (thread CPU time): the fast table (solver/thermal_field_emission_table.h), the energy
// integral it is built from (solver/thermal_field_emission.h) and the cold Murphy-Good formula
// (solver/field_emission.h), all in the same run, with their ratios and the table's build time.
// Usage: bench_emission [repeats]
#include "solver/field_emission.h"
#include "solver/thermal_field_emission.h"
#include "solver/thermal_field_emission_table.h"
#include "thread_cpu_time.h"

#include <cstdio>
#include <cstdlib>
#include <vector>

int main(int argc, char **argv)
{
  using namespace mpstream::solver;
  const int repeats = argc > 1 ? std::atoi(argv[1]) : 200;
  const double phi = 4.5;
  std::vector<double> fields, temperatures;
  for (double F = 1e8; F <= 5.01e9; F *= 1.25)
    fields.push_back(F);
  for (double T = 300; T <= 3695; T += 200)
    temperatures.push_back(T);
  const auto n = double(repeats) * fields.size() * temperatures.size();
  struct clock // thread CPU time in ns
  {
    static double now() { return 1e9 * mpstream::bench::thread_cpu_seconds(); }
  };
  volatile double sink = 0;

  auto time_it = [&](auto &&f) {
    double sum = 0;
    const auto t0 = clock::now();
    for (int r = 0; r < repeats; ++r)
      for (double F : fields)
        for (double T : temperatures)
          sum += f(F * (1 + 1e-9 * r), T);
    const auto t1 = clock::now();
    sink = sink + sum;
    return (t1 - t0) / n;
  };
  thermal_field_current_density(1e9, 1000, phi); // builds the v(f) table and the quadrature rules
  const double build_start = clock::now();
  const ThermalFieldEmission emission(phi);
  const double build_ms = (clock::now() - build_start) / 1e6;
  const double ns_table = time_it([&](double F, double T) { return emission.current_density(F, T); });
  const double ns_tf = time_it([&](double F, double T) { return thermal_field_current_density(F, T, phi); });
  const double ns_mg = time_it([&](double F, double) { return murphy_good_current_density(F, phi); });
  std::printf("thermal-field J(F, T): %zu fields 1e8-5e9 V/m x %zu temperatures 300-3695 K, phi = %.1f eV\n",
              fields.size(), temperatures.size(), phi);
  std::printf("  fast table (ThermalFieldEmission): %8.1f ns/evaluation (built in %.0f ms, %zu cells, %zu integrals)\n",
              ns_table, build_ms, emission.cell_count(), emission.energy_integral_evaluations());
  std::printf("  energy integral:                   %8.1f ns/evaluation\n", ns_tf);
  std::printf("  cold Murphy-Good:                  %8.1f ns/evaluation\n", ns_mg);
  std::printf("  integral / table:                  %8.1f\n", ns_tf / ns_table);
  std::printf("  table / Murphy-Good:               %8.1f\n", ns_table / ns_mg);
  std::printf("  integral / Murphy-Good:            %8.1f\n", ns_tf / ns_mg);
  // Per regime: where the time goes.
  for (auto [F, T] : std::vector<std::pair<double, double>>{{3e9, 300}, {2e9, 2000}, {1e9, 3000}, {1e8, 3000}})
    {
      const int m = 20000;
      double sum = 0;
      const auto t0 = clock::now();
      for (int i = 0; i < m; ++i)
        sum += thermal_field_current_density(F * (1 + 1e-9 * i), T, phi);
      const auto t1 = clock::now();
      sink = sink + sum;
      double sum_table = 0;
      const auto t2 = clock::now();
      for (int i = 0; i < m; ++i)
        sum_table += emission.current_density(F * (1 + 1e-9 * i), T);
      const auto t3 = clock::now();
      sink = sink + sum_table;
      std::printf("  F = %.0e V/m, T = %4.0f K (%s): integral %6.1f ns, table %6.1f ns\n", F, T,
                  to_string(emission_regime(F, T, phi)).c_str(), (t1 - t0) / m, (t3 - t2) / m);
    }
  return 0;
}
