// Tungsten properties against the spot values of Tolias (2017), as collected in
// /work/shared/REFERENCE_DATA.md. Tolerances: the spot values are given to 4 digits, so 0.1 %
// (c_p, k) unless stated; the integrals to 0.1 kJ/kg (their last digit).
#include "common/error.h"
#include "solver/tungsten_properties.h"

#include <gtest/gtest.h>

namespace W = mpstream::materials::tungsten;

TEST(TungstenProperties, SpecificHeatSpotValuesTolias2017)
{
  // Source: Tolias, Nucl. Mater. Energy 13 (2017) 42, spot values 131.3/158.6/275.3 J/(kg K).
  EXPECT_NEAR(W::specific_heat(300.0), 131.3, 0.001 * 131.3);
  EXPECT_NEAR(W::specific_heat(1500.0), 158.6, 0.001 * 158.6);
  EXPECT_NEAR(W::specific_heat(3695.0), 275.3, 0.001 * 275.3);
}

TEST(TungstenProperties, SpecificHeatBranchesAreContinuousAt3080K)
{
  // The two Tolias c_p branches meet at 3080 K; a jump would mean a mistyped coefficient.
  EXPECT_NEAR(W::specific_heat(3080.0 - 1e-9), W::specific_heat(3080.0 + 1e-9), 0.05);
}

TEST(TungstenProperties, ThermalConductivitySpotValuesTolias2017)
{
  // Source: Tolias (2017) / Hust & Lankford: 179.9/107.6/87.0 W/(m K).
  EXPECT_NEAR(W::thermal_conductivity(300.0), 179.9, 0.001 * 179.9);
  EXPECT_NEAR(W::thermal_conductivity(1500.0), 107.6, 0.001 * 107.6);
  EXPECT_NEAR(W::thermal_conductivity(3695.0), 87.0, 0.002 * 87.0); // 3 digits given
}

TEST(TungstenProperties, SensibleHeatIntegralsTolias2017)
{
  // Source: REFERENCE_DATA.md, integrals of the Tolias c_p up to 3695 K: 616.1 and 516.6 kJ/kg.
  EXPECT_NEAR(W::sensible_heat(373.15, 3695.0), 616.1e3, 0.1e3);
  EXPECT_NEAR(W::sensible_heat(1073.15, 3695.0), 516.6e3, 0.1e3);
}

TEST(TungstenProperties, SensibleHeatMatchesQuadratureOfSpecificHeat)
{
  // Independent check of the analytic antiderivative: composite Simpson over c_p(T),
  // across the 3080 K branch point and into the liquid. 1e-6 relative: Simpson with 20000
  // intervals on a smooth integrand is far more accurate than that.
  const double a = 400.0, b = 4000.0;
  const int n = 20000;
  const double h = (b - a) / n;
  double s = W::specific_heat(a) + W::specific_heat(b);
  for (int i = 1; i < n; ++i)
    s += (i % 2 ? 4.0 : 2.0) * W::specific_heat(a + i * h);
  EXPECT_NEAR(W::sensible_heat(a, b), s * h / 3.0, 1e-6 * W::sensible_heat(a, b));
}

TEST(TungstenProperties, MeltingConstants)
{
  // Tolias (2017): T_m = 3695 K, dH_f = 52.3 kJ/mol = 284.5 kJ/kg, liquid c_p = 51.3 J/(mol K).
  EXPECT_DOUBLE_EQ(W::melting_temperature, 3695.0);
  EXPECT_NEAR(W::latent_heat_fusion, 284.5e3, 0.1e3);
  EXPECT_NEAR(W::specific_heat(3800.0), 51.3 / 0.18384, 0.01);
}

TEST(TungstenProperties, DensityAtReferenceAndHot)
{
  // Tolias (2017): 19.25 g/cm3 at 293.15 K; the fit decreases monotonically with T.
  EXPECT_NEAR(W::density(293.15), 19250.0, 1e-9);
  EXPECT_LT(W::density(3000.0), W::density(1500.0));
  EXPECT_GT(W::density(3695.0), 17500.0); // about 5 % expansion at melting, not more
}

TEST(TungstenProperties, EmissivityTableInterpolation)
{
  // Forsythe & Worthing (1925) via CRC: 0.114 at 1000 K, 0.260 at 2000 K; midpoint linear.
  EXPECT_NEAR(W::total_emissivity(1000.0), 0.114, 1e-12);
  EXPECT_NEAR(W::total_emissivity(1100.0), 0.5 * (0.114 + 0.143), 1e-12);
  EXPECT_NEAR(W::total_emissivity(2000.0), 0.260, 1e-12);
  EXPECT_NEAR(W::total_emissivity(5000.0), 0.373, 1e-12);
}

TEST(TungstenProperties, OutOfRangeTemperatureThrowsInputError)
{
  EXPECT_THROW(W::specific_heat(100.0), mpstream::InputError);
  EXPECT_THROW(W::thermal_conductivity(7000.0), mpstream::InputError);
  EXPECT_THROW(W::sensible_heat(-1.0, 3000.0), mpstream::InputError);
}
