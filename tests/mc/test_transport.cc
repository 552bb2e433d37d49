// Transport invariants: exact energy conservation per history, reproducibility for any thread
// count or split of the history range, input checks.
#include "common/error.h"
#include "mc/summary.h"
#include "mc/transport.h"
#include "mc_test_cases.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace
{
  using namespace mpstream::mc;

  using test_cases::tables;
  using test_cases::hybrid_monolayer;

  std::int64_t accounted_meV(const Tallies &t)
  {
    return t.sum[energy_spheres_meV] + t.sum[energy_anode_meV] + t.sum[energy_up_meV] +
           t.sum[energy_down_meV] + t.sum[energy_radiated_spheres_meV] +
           t.sum[energy_radiated_anode_meV];
  }

  TEST(Transport, EnergyIsConservedExactlyInEveryHistory)
  {
    const Geometry g = hybrid_monolayer();
    for (double E : {30e3, 150e3})
      {
        const Transport tr(g, tables(), Source::for_geometry(g, E), TransportOptions{});
        for (std::uint64_t i = 0; i < 200; ++i)
          {
            const Tallies t = tr.run_histories(i, i + 1);
            ASSERT_EQ(accounted_meV(t), static_cast<std::int64_t>(E * 1e3)) << "history " << i;
          }
      }
  }

  TEST(Transport, EnergyIsConservedInThePapersMultilayerPatch)
  {
    // The 77-sphere, 5-layer finite patch of the paper's Fig. 5, 2.5 um above the anode, 132 kV.
    const Geometry g =
      Geometry::from_layout(mpstream::layout::make_stream_layout(mpstream::layout::LayoutParameters{}));
    ASSERT_EQ(g.spheres().size(), 77u);
    const Transport tr(g, tables(), Source::for_geometry(g, 132e3), TransportOptions{});
    std::int64_t hits = 0;
    for (std::uint64_t i = 0; i < 100; ++i)
      {
        const Tallies t = tr.run_histories(i, i + 1);
        ASSERT_EQ(accounted_meV(t), static_cast<std::int64_t>(132e3 * 1e3)) << "history " << i;
        hits += t.sum[primary_hits_sphere];
      }
    EXPECT_GT(hits, 50); // the patch covers most of the source rectangle
  }

  TEST(Transport, TalliesAreBitIdenticalForOneTwoAndThreeThreads)
  {
    const Geometry g = hybrid_monolayer();
    GridSpec grid;
    grid.cells_per_axis = 8;
    grid.profile_nx = 10, grid.profile_nz = 10;
    grid.profile_x_lo = g.periodic_cell()->x_min, grid.profile_x_hi = g.periodic_cell()->x_max;
    grid.profile_z_lo = -10e-6, grid.profile_z_hi = g.top_z();
    const Transport tr(g, tables(), Source::for_geometry(g, 100e3), TransportOptions{}, grid);
    const std::uint64_t n = 1500;
    const Tallies one   = tr.run(n, 1);
    const Tallies two   = tr.run(n, 2);
    const Tallies three = tr.run(n, 3);
    EXPECT_TRUE(one == two);
    EXPECT_TRUE(one == three);
    // Rank-style split: [0, a) + [a, n) on separate calls, summed.
    Tallies split = tr.run_histories(0, 617);
    split.merge(tr.run_histories(617, n));
    EXPECT_TRUE(one == split);
    // A different seed gives different tallies (the test could fail).
    TransportOptions other;
    other.seed = 2;
    const Transport tr2(g, tables(), Source::for_geometry(g, 100e3), other, grid);
    EXPECT_FALSE(one == tr2.run(n, 1));
  }

  TEST(Transport, SummaryFractionsAddUp)
  {
    const Geometry g = hybrid_monolayer();
    const Transport tr(g, tables(), Source::for_geometry(g, 100e3), TransportOptions{});
    const Summary s = summarize(tr.run(2000, 2), 100e3);
    EXPECT_NEAR(s.S_muP.value + s.S_anode.value + s.eta_E.value + s.eta_E_down.value, 1.0, 1e-12);
    EXPECT_NEAR(s.one_minus_eta_E.value, s.S_muP.value + s.S_anode.value, 1e-12);
    EXPECT_GT(s.q_muP.value, 0.0);
    EXPECT_GT(s.eta.stderr_, 0.0);
  }

  TEST(Transport, BadInputThrowsInputError)
  {
    const Geometry g = Geometry::bulk();
    EXPECT_THROW(Source::for_geometry(g, -5e3), mpstream::InputError);
    EXPECT_THROW(Source::for_geometry(g, std::numeric_limits<double>::quiet_NaN()),
                 mpstream::InputError);
    const Transport tr(g, tables(), Source::for_geometry(g, 50e3), TransportOptions{});
    EXPECT_THROW(tr.run(0, 1), mpstream::InputError);
    TransportOptions bad;
    bad.cutoff_energy_eV = -1;
    EXPECT_THROW(Transport(g, tables(), Source::for_geometry(g, 50e3), bad), mpstream::InputError);
    EXPECT_THROW(Transport(g, tables(), Source::for_geometry(g, 400e3), TransportOptions{}),
                 mpstream::InputError);
  }
} // namespace

namespace
{
  TEST(Transport, TalliesSurviveSerialisation)
  {
    const Geometry g = hybrid_monolayer();
    GridSpec grid;
    grid.cells_per_axis = 4;
    const Transport tr(g, tables(), Source::for_geometry(g, 80e3), TransportOptions{}, grid);
    const Tallies t = tr.run(300, 1);
    Tallies copy(g.spheres().size(), grid);
    copy.deserialize(t.serialize());
    EXPECT_TRUE(copy == t);
    EXPECT_THROW(Tallies(g.spheres().size(), GridSpec{}).deserialize(t.serialize()),
                 mpstream::RuntimeFailure);
  }
} // namespace

namespace
{
  // The primitive cell (2 rows x 1 sphere) and a larger periodic cell (4 rows x 3 spheres) are
  // the same infinite monolayer: their energy fractions must agree within statistics (4 sigma).
  TEST(Transport, PrimitiveAndLargerPeriodicCellsAgree)
  {
    auto cell = [](unsigned rows, unsigned per_row) {
      mpstream::layout::LayoutParameters p;
      p.kind            = mpstream::layout::LayoutKind::monolayer;
      p.rows            = rows;
      p.spheres_per_row = per_row;
      p.periodic        = true;
      p.anode_gap       = 1e-6;
      return Geometry::from_layout(mpstream::layout::make_stream_layout(p));
    };
    const Geometry small = cell(2, 1), large = cell(4, 3);
    ASSERT_EQ(large.spheres().size(), 12u);
    const auto run = [&](const Geometry &g) {
      return summarize(Transport(g, tables(), Source::for_geometry(g, 100e3), TransportOptions{})
                         .run(4000, 2),
                       100e3);
    };
    const Summary a = run(small), b = run(large);
    auto agree = [](const Estimate &x, const Estimate &y) {
      return std::abs(x.value - y.value) < 4 * std::hypot(x.stderr_, y.stderr_);
    };
    EXPECT_TRUE(agree(a.S_muP, b.S_muP)) << a.S_muP.value << " vs " << b.S_muP.value;
    EXPECT_TRUE(agree(a.S_anode, b.S_anode)) << a.S_anode.value << " vs " << b.S_anode.value;
    EXPECT_TRUE(agree(a.eta, b.eta)) << a.eta.value << " vs " << b.eta.value;
    EXPECT_TRUE(agree(a.q_muP, b.q_muP)) << a.q_muP.value << " vs " << b.q_muP.value;
  }
} // namespace
