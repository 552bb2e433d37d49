// Per-sphere charge fractions q_i (mc/sphere_charge.h) and the secondary-electron model
// (mc/secondary_yield.h): exact, split-independent tallies; the standard error against the
// spread of independent batches; the whole-stream ratio estimator for unshadowed spheres.
#include "mc/sphere_charge.h"
#include "mc/transport.h"
#include "mc_test_cases.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

namespace
{
  using namespace mpstream::mc;

  using test_cases::tables;
  Geometry monolayer_cell() { return test_cases::hybrid_monolayer(); }

  // Two layers of a small finite patch: the lower spheres are shadowed by the upper ones.
  Geometry two_layer_patch()
  {
    mpstream::layout::LayoutParameters p;
    p.rows = 2, p.spheres_per_row = 2, p.n_layers = 2;
    p.stream_thickness = 10e-6;
    return Geometry::from_layout(mpstream::layout::make_stream_layout(p));
  }

  TransportOptions with_secondaries()
  {
    TransportOptions o;
    o.secondary_emission = true;
    return o;
  }

  TEST(SphereCharge, TalliesAreBitIdenticalForAnyThreadCountAndSplitWithSecondaries)
  {
    const Geometry g = two_layer_patch();
    const Transport tr(g, tables(), Source::for_geometry(g, 132e3), with_secondaries());
    const std::uint64_t n = 1200;
    const Tallies one = tr.run(n, 1);
    EXPECT_TRUE(one == tr.run(n, 2));
    EXPECT_TRUE(one == tr.run(n, 3));
    Tallies split = tr.run_histories(0, 411);
    split.merge(tr.run_histories(411, n));
    EXPECT_TRUE(one == split);
    Tallies copy(g.spheres().size(), GridSpec{});
    copy.deserialize(one.serialize());
    EXPECT_TRUE(copy == one);
    std::int64_t secondaries = 0;
    for (const auto s : one.sphere_secondaries_ue)
      secondaries += s;
    EXPECT_GT(secondaries, 0); // the model scored something (the test can fail)
  }

  TEST(SphereCharge, SecondariesAreScoredOnlyWhenOn)
  {
    const Geometry g = monolayer_cell();
    const Tallies off = Transport(g, tables(), Source::for_geometry(g, 132e3), TransportOptions{}).run(300, 1);
    for (const auto s : off.sphere_secondaries_ue)
      EXPECT_EQ(s, 0);
    // Without secondaries the net charge is the absorbed count: sums of squares are 1e12 each.
    for (std::size_t i = 0; i < off.sphere_absorbed.size(); ++i)
      EXPECT_TRUE(off.sphere_charge_sq_ue2[i] ==
                  static_cast<int128>(off.sphere_absorbed[i]) * micro_electrons * micro_electrons);
  }

  // Standard error of q_i (per-history sums of squares) against an independent estimate: the
  // spread of q_i over 16 independent batches. The ratio of the two standard-error estimates of
  // a 16-batch sample scatters by ~1/sqrt(2 x 15) = 18 % (chi distribution): 0.55-1.6 is a
  // 3-sigma band.
  TEST(SphereCharge, StandardErrorMatchesTheSpreadOfIndependentBatches)
  {
    const Geometry g = two_layer_patch();
    const Source src = Source::for_geometry(g, 132e3);
    const Transport tr(g, tables(), src, with_secondaries());
    const std::uint64_t batch = 400, batches = 16;
    Tallies all(g.spheres().size(), GridSpec{});
    std::vector<std::vector<double>> q(g.spheres().size());
    for (std::uint64_t b = 0; b < batches; ++b)
      {
        const Tallies t = tr.run_histories(b * batch, (b + 1) * batch);
        const auto qb   = sphere_charge_fractions(t, g, src);
        for (std::size_t i = 0; i < qb.size(); ++i)
          q[i].push_back(qb[i].q.value);
        all.merge(t);
      }
    const auto total = sphere_charge_fractions(all, g, src);
    for (std::size_t i = 0; i < total.size(); ++i)
      {
        double mean = 0, var = 0;
        for (double x : q[i])
          mean += x / batches;
        for (double x : q[i])
          var += (x - mean) * (x - mean) / (batches - 1);
        const double batch_stderr = std::sqrt(var / batches);
        EXPECT_NEAR(mean, total[i].q.value, 1e-12) << "sphere " << i;
        const double ratio = total[i].q.stderr_ / batch_stderr;
        EXPECT_GT(ratio, 0.55) << "sphere " << i;
        EXPECT_LT(ratio, 1.6) << "sphere " << i;
      }
  }

  // In the periodic monolayer no sphere is shadowed: the primaries through a sphere's cross-
  // section are the primaries hitting it first, so the mean q_i (absorbed only) must agree with
  // the ratio estimator absorbed / first hits of mc/summary.h (other estimator, same run; the
  // difference is within statistics, 4 sigma of the larger error).
  TEST(SphereCharge, UnshadowedSpheresAgreeWithTheFirstHitRatioEstimator)
  {
    const Geometry g = monolayer_cell();
    const Source src = Source::for_geometry(g, 132e3);
    const Tallies t  = Transport(g, tables(), src, TransportOptions{}).run(6000, 2);
    const auto q     = sphere_charge_fractions(t, g, src);
    const Summary s  = summarize(t, 132e3);
    double mean = 0, err = 0;
    for (const auto &c : q)
      {
        mean += c.q.value / q.size();
        err = std::max(err, c.q.stderr_);
        EXPECT_EQ(c.q.value, c.q_without_secondaries.value);
      }
    EXPECT_NEAR(mean, s.q_muP.value, 4 * std::max(err, s.q_muP.stderr_));
  }

  // Group means (the layers of a periodic stream): without secondaries the mean of the members'
  // q_i, with the binomial error of the group's 0/1 count, which is below the members' mean error
  // (consistency of two formulas: a regression test).
  TEST(SphereCharge, RegressionGroupMeanOfTheLayers)
  {
    const Geometry g = two_layer_patch();
    const Source src = Source::for_geometry(g, 132e3);
    const Tallies t  = Transport(g, tables(), src, TransportOptions{}).run(3000, 2);
    const auto q     = sphere_charge_fractions(t, g, src);
    double z_low = 1e300;
    for (const auto &s : g.spheres())
      z_low = std::min(z_low, s.centre[2]);
    std::vector<int> layer;
    for (const auto &s : g.spheres())
      layer.push_back(s.centre[2] > z_low + 1e-9 ? 1 : 0);
    const auto groups = group_charge_fractions(t, g, src, layer, 2);
    for (int l = 0; l < 2; ++l)
      {
        double mean = 0, err = 0, members = 0;
        for (std::size_t i = 0; i < q.size(); ++i)
          if (layer[i] == l)
            mean += q[i].q.value, err += q[i].q.stderr_, members += 1;
        ASSERT_GT(members, 0);
        EXPECT_NEAR(groups[l].q.value, mean / members, 1e-12);
        EXPECT_GT(groups[l].q.stderr_, 0.0);
        EXPECT_LE(groups[l].q.stderr_, err / members);
      }
  }

  // Secondaries take charge away: q with them is lower, sphere by sphere.
  TEST(SphereCharge, SecondariesLowerEverySpheresCharge)
  {
    const Geometry g = monolayer_cell();
    const Source src = Source::for_geometry(g, 132e3);
    const Tallies t  = Transport(g, tables(), src, with_secondaries()).run(2000, 2);
    for (const auto &c : sphere_charge_fractions(t, g, src))
      EXPECT_LT(c.q.value, c.q_without_secondaries.value);
  }
} // namespace
