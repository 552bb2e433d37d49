// Elastic scattering model: Mott ratio limits and the mixed-scheme tables.
#include "common/error.h"
#include "mc/elastic_scattering.h"
#include "mc/physics_tables.h"

#include <gtest/gtest.h>

namespace
{
  using namespace mpstream::mc;

  TEST(ElasticScattering, MottRatioIsOneAtSmallAngles)
  {
    // Any Mott/Rutherford ratio tends to 1 as theta -> 0 (Born limit of forward scattering).
    const ElasticScattering el(tungsten());
    for (double T : {5e3, 30e3, 100e3, 300e3})
      EXPECT_NEAR(el.mott_ratio(T, 1e-8), 1.0, 0.01) << T;
  }

  TEST(ElasticScattering, MottRatioEnhancesBackscatteringForHighZ)
  {
    // For Z = 74 at 20-100 keV the Mott cross section exceeds Rutherford's at large angles
    // (e.g. Lijian et al. 1995, Fig. 2 for heavy elements): R(180 deg) between 1.3 and 2.5.
    const ElasticScattering el(tungsten());
    for (double T : {20e3, 50e3, 100e3})
      {
        const double R = el.mott_ratio(T, 1.0);
        EXPECT_GT(R, 1.3) << T;
        EXPECT_LT(R, 2.5) << T;
      }
  }

  TEST(ElasticScattering, HardMeanFreePathFollowsC1)
  {
    PhysicsOptions options;
    options.C1 = 0.1;
    const PhysicsTables tables(tungsten(), options);
    for (double T : {20e3, 100e3, 300e3})
      {
        const auto e = tables.elastic(T);
        const double expected = std::max(tables.lambda_elastic_m(T), 0.1 * tables.lambda1_m(T));
        EXPECT_NEAR(e.lambda_hard_m / expected, 1.0, 0.01) << T;
        EXPECT_GT(e.mu_cut, 0.0);
        EXPECT_LT(e.mu_cut, 0.1);
        EXPECT_GT(e.lambda1_soft_m, tables.lambda1_m(T)); // soft part scatters less
      }
  }

  TEST(ElasticScattering, BadOptionsThrow)
  {
    PhysicsOptions options;
    options.C1 = -0.1;
    EXPECT_THROW(PhysicsTables(tungsten(), options), mpstream::InputError);
    options.C1            = 0.1;
    options.max_energy_eV = 5e6;
    EXPECT_THROW(PhysicsTables(tungsten(), options), mpstream::InputError);
  }
} // namespace
