// The transport with a field in the vacuum (issue 15), label: unit. Exact bookkeeping: every
// history's beam energy plus the field's work equals what is deposited, radiated, escaped or
// trapped (integers of meV, so exactly); a sphere held at -V is reached by no primary below
// e V (the exact statement of test_field_flight, here through the whole transport).
#include "common/constants.h"
#include "mc/transport.h"
#include "mc_test_cases.h"

#include <gtest/gtest.h>

namespace
{
  using namespace mpstream;
  using namespace mpstream::mc;
  using test_cases::tables;

  std::int64_t accounted_meV(const Tallies &t)
  {
    return t.sum[energy_spheres_meV] + t.sum[energy_anode_meV] + t.sum[energy_up_meV] + t.sum[energy_down_meV] +
           t.sum[energy_radiated_spheres_meV] + t.sum[energy_radiated_anode_meV] + t.sum[energy_trapped_meV];
  }

  TEST(TransportInField, BeamPlusFieldWorkIsAccountedForExactlyInEveryHistory)
  {
    const Geometry g = test_cases::hybrid_monolayer();
    const UniformField field({0, 0, 2e8}); // 200 V/um pulling electrons down onto the stream
    FieldFlightOptions flight;
    flight.escape_height_m = 30e-6;
    const double E = 30e3;
    const Transport tr(g, tables(), Source::for_geometry(g, E), TransportOptions{}, {}, &field, flight);
    std::int64_t work = 0;
    for (std::uint64_t i = 0; i < 200; ++i)
      {
        const Tallies t = tr.run_histories(i, i + 1);
        ASSERT_EQ(accounted_meV(t), static_cast<std::int64_t>(E * 1e3) + t.sum[energy_field_work_meV])
          << "history " << i;
        work += t.sum[energy_field_work_meV];
      }
    EXPECT_NE(work, 0); // the field did work (the test would pass vacuously otherwise)
  }

  TEST(TransportInField, SphereAtMinusVIsReachedOnlyAboveEV)
  {
    const double R = 2.5e-6, V = 10e3;
    layout::StreamLayout layout;
    layout.spheres       = {{{0, 0, 0}, R, 0}};
    layout.layer_heights = {0};
    layout.anode_present = false;
    const Geometry g     = Geometry::from_layout(layout);
    const CoulombField field({{{0, 0, 0}, -4 * constants::pi * constants::vacuum_permittivity * R * V}});
    FieldFlightOptions flight;
    flight.escape_height_m = 2000 * R;
    flight.escape_depth_m  = -2000 * R;
    const auto run = [&](double E) {
      Source source  = Source::for_geometry(g, E);
      source.z_start = 1000 * R; // where the sphere's potential is -10 V
      return Transport(g, tables(), source, TransportOptions{}, {}, &field, flight).run(200, 1);
    };
    const auto slow = run(9e3), fast = run(30e3);
    // Below e V: none on the sphere; the central ones turn back up, the others are deflected
    // past it and leave downwards; none trapped.
    EXPECT_EQ(slow.sum[primary_hits_sphere], 0);
    EXPECT_EQ(slow.sum[electrons_absorbed_spheres], 0);
    EXPECT_GT(slow.sum[electrons_up], 0);
    EXPECT_EQ(slow.sum[electrons_up] + slow.sum[electrons_down], 200);
    // Above e V a part of the beam over the sphere's square reaches it (pi b_max^2 / 4 R^2 =
    // 0.52 for b_max = 0.81 R at 30 keV; test_field_flight checks b_max itself).
    EXPECT_GT(fast.sum[primary_hits_sphere], 70);
    EXPECT_LT(fast.sum[primary_hits_sphere], 140);
  }
} // namespace
