// Whole-stream transient (solver/stream_thermal.cc): the spheres are independent, so the result
// must not depend on how they are spread over threads and MPI ranks (bit for bit), and every
// sphere's numbers must equal those of its own single-sphere solve. Run on 2 ranks by ctest.
// Sources: exponential depth profiles (solver/heat_source.h) of different powers and decay
// lengths, so that the spheres differ; tungsten with radiation; refinement 0, 0.1 us dwell.
#include "solver/heat_source.h"
#include "solver/stream_thermal.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"

#include <deal.II/base/mpi.h>

#include <gtest/gtest.h>

#include <vector>

using namespace mpstream::solver;

namespace
{
  struct Case
  {
    ThermalSettings settings;
    TungstenThermalMaterial material{TungstenThermalMaterial::Options{}};
    std::vector<PowerDensity> sources;
    std::vector<double> powers; // 0: as given
    Case()
    {
      settings.refinements           = 0;
      settings.initial_temperature_K = 1073.15;
      settings.heating_time_s        = 0.1e-6;
      const double r = settings.sphere_radius_m;
      for (int i = 0; i < 5; ++i)
        {
          sources.push_back(exponential_depth_source(r, (1.0 + 0.5 * i) * 1e-6, 0.2 + 0.1 * i));
          powers.push_back(i % 2 ? 0.0 : 0.2 + 0.1 * i); // both ways of giving the power
        }
    }
  };

  void expect_identical(const StreamThermalResult &a, const StreamThermalResult &b, const char *what)
  {
    ASSERT_EQ(a.spheres.size(), b.spheres.size()) << what;
    for (std::size_t i = 0; i < a.spheres.size(); ++i)
      {
        const auto &x = a.spheres[i], &y = b.spheres[i];
        EXPECT_EQ(x.exit_peak_temperature_K, y.exit_peak_temperature_K) << what << ", sphere " << i;
        EXPECT_EQ(x.exit_mean_temperature_K, y.exit_mean_temperature_K) << what << ", sphere " << i;
        EXPECT_EQ(x.exit_min_temperature_K, y.exit_min_temperature_K) << what << ", sphere " << i;
        EXPECT_EQ(x.exit_molten_fraction, y.exit_molten_fraction) << what << ", sphere " << i;
        EXPECT_EQ(x.deposited_energy_J, y.deposited_energy_J) << what << ", sphere " << i;
        EXPECT_EQ(x.radiated_energy_J, y.radiated_energy_J) << what << ", sphere " << i;
        EXPECT_EQ(x.n_newton_iterations, y.n_newton_iterations) << what << ", sphere " << i;
      }
  }
} // namespace

TEST(StreamThermal, SameResultForAnyThreadAndRankCount)
{
  const Case c;
  const auto serial   = solve_stream_transient(c.settings, c.material, c.sources, c.powers, 1, MPI_COMM_SELF);
  const auto threaded = solve_stream_transient(c.settings, c.material, c.sources, c.powers, 3, MPI_COMM_SELF);
  const auto ranks    = solve_stream_transient(c.settings, c.material, c.sources, c.powers, 2, MPI_COMM_WORLD);
  expect_identical(serial, threaded, "1 vs 3 threads");
  expect_identical(serial, ranks, "1 thread vs all ranks x 2 threads");
}

TEST(StreamThermal, EachSphereEqualsItsOwnSolveAndConservesEnergy)
{
  const Case c;
  const auto stream = solve_stream_transient(c.settings, c.material, c.sources, c.powers, 2, MPI_COMM_WORLD);
  for (std::size_t i = 0; i < c.sources.size(); ++i)
    {
      auto s = c.settings;
      s.source_power_W = c.powers[i];
      const auto one = solve_sphere_transient(s, c.material, c.sources[i]);
      EXPECT_EQ(stream.spheres[i].exit_peak_temperature_K, one.exit_peak_temperature_K) << i;
      EXPECT_EQ(stream.spheres[i].exit_mean_temperature_K, one.exit_mean_temperature_K) << i;
      // Energy balance of the enthalpy scheme (doc/thermal.md): 1e-6 relative, as for one sphere.
      EXPECT_LT(stream.spheres[i].energy_balance_relative_error, 1e-6) << i;
      EXPECT_EQ(stream.spheres[i].deposited_energy_J, one.deposited_energy_J) << i;
      // Deposited = P t exactly when the power is imposed (ThermalSettings::source_power_W).
      if (c.powers[i] > 0)
        EXPECT_NEAR(stream.spheres[i].deposited_energy_J, c.powers[i] * c.settings.heating_time_s,
                    1e-12 * c.powers[i] * c.settings.heating_time_s) << i;
    }
  // More power in the same sphere heats it more: the last sphere has the most.
  EXPECT_EQ(stream.hottest(), c.sources.size() - 1);
}
