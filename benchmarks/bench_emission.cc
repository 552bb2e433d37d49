// ns per evaluation of the general thermal-field current density (solver/thermal_field_emission.h)
// over a grid of (F, T) typical of the spheres (thread CPU time), and the ratio to the cold Murphy-Good formula
// (solver/field_emission.h) in the same run. Usage: bench_emission [repeats]
#include "solver/field_emission.h"
#include "solver/thermal_field_emission.h"

#include <cstdio>
#include <ctime>
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
  // Thread CPU time, not wall time: on a shared machine the wall clock counts the time this thread
  // waits for a core.
  struct clock
  {
    static double now()
    {
      timespec t;
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return 1e9 * t.tv_sec + t.tv_nsec;
    }
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
  thermal_field_current_density(1e9, 1000, phi); // builds the tables
  const double ns_tf = time_it([&](double F, double T) { return thermal_field_current_density(F, T, phi); });
  const double ns_mg = time_it([&](double F, double) { return murphy_good_current_density(F, phi); });
  std::printf("thermal-field J(F, T): %zu fields 1e8-5e9 V/m x %zu temperatures 300-3695 K, phi = %.1f eV\n",
              fields.size(), temperatures.size(), phi);
  std::printf("  general thermal-field: %8.1f ns/evaluation\n", ns_tf);
  std::printf("  cold Murphy-Good:      %8.1f ns/evaluation\n", ns_mg);
  std::printf("  ratio:                 %8.1f\n", ns_tf / ns_mg);
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
      std::printf("  F = %.0e V/m, T = %4.0f K (%s): %6.1f ns\n", F, T, to_string(emission_regime(F, T, phi)).c_str(),
                  (t1 - t0) / m);
    }
  return 0;
}
