// The charge histories of the dynamics (solver/charge_history.h) against their definitions
// worked out by hand: the linear ramp to the exit charge, the ramp held at the discharged value,
// linear interpolation of the dwell's samples, constant charges; bad input refused.
#include "common/error.h"
#include "solver/charge_history.h"

#include <gtest/gtest.h>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;
  constexpr double dwell = 4.5e-6;

  TEST(ChargeHistory, RampGrowsLinearlyToTheExitAndHolds)
  {
    const auto Q = ramp_history({-2e-13, 1e-13}, dwell);
    EXPECT_DOUBLE_EQ(Q(0)[0], 0.0);
    EXPECT_DOUBLE_EQ(Q(dwell / 4)[0], -0.5e-13);
    EXPECT_DOUBLE_EQ(Q(dwell / 4)[1], 0.25e-13);
    EXPECT_DOUBLE_EQ(Q(2 * dwell)[0], -2e-13); // after the exit: the exit charge
  }

  TEST(ChargeHistory, ClippedRampHoldsAtTheDischargedValue)
  {
    // Sphere 0 reaches its hold |-0.5e-13| at a quarter of the dwell; sphere 1's hold has the
    // other sign: held at 0; sphere 2 holds more than it ever gets: the plain ramp.
    const auto Q = clipped_ramp_history({-2e-13, -2e-13, -1e-13}, {-0.5e-13, 1e-14, -5e-13}, dwell);
    EXPECT_DOUBLE_EQ(Q(dwell / 8)[0], -0.25e-13);
    EXPECT_DOUBLE_EQ(Q(dwell / 2)[0], -0.5e-13);
    EXPECT_DOUBLE_EQ(Q(dwell)[0], -0.5e-13);
    EXPECT_DOUBLE_EQ(Q(dwell / 2)[1], 0.0);
    EXPECT_DOUBLE_EQ(Q(dwell / 2)[2], -0.5e-13);
    EXPECT_THROW(clipped_ramp_history({1.0}, {1.0, 2.0}, dwell), InputError);
  }

  TEST(ChargeHistory, SampledIsLinearBetweenSamplesAndHeldOutside)
  {
    const auto Q = sampled_history({0, 1e-6, 3e-6}, {{0.0}, {-1e-13}, {-3e-13}});
    EXPECT_DOUBLE_EQ(Q(-1)[0], 0.0);
    EXPECT_DOUBLE_EQ(Q(0.5e-6)[0], -0.5e-13);
    EXPECT_DOUBLE_EQ(Q(2e-6)[0], -2e-13);
    EXPECT_DOUBLE_EQ(Q(1e-6)[0], -1e-13);
    EXPECT_DOUBLE_EQ(Q(5e-6)[0], -3e-13);
    EXPECT_THROW(sampled_history({0, 2e-6, 1e-6}, {{0.0}, {0.0}, {0.0}}), InputError);
    EXPECT_THROW(sampled_history({0, 1e-6}, {{0.0}}), InputError);
  }

  TEST(ChargeHistory, ConstantAndNames)
  {
    EXPECT_DOUBLE_EQ(constant_history({-1e-15, 2e-15})(3e-6)[1], 2e-15);
    for (const auto kind : {ChargeHistoryKind::backscatter_only, ChargeHistoryKind::discharged,
                            ChargeHistoryKind::dwell, ChargeHistoryKind::constant})
      EXPECT_EQ(charge_history_from_string(to_string(kind)), kind);
    EXPECT_THROW(charge_history_from_string("sideways"), InputError);
  }
} // namespace
