// Monte Carlo geometry: half-space anode, spheres, periodic images, straight vacuum flights.
#include "common/error.h"
#include "mc/geometry.h"
#include "layout/stream_layout.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream::mc;
  using mpstream::layout::LayoutKind;
  using mpstream::layout::LayoutParameters;

  LayoutParameters monolayer(bool periodic, bool anode_present, double gap)
  {
    LayoutParameters p;
    p.kind            = LayoutKind::monolayer;
    p.rows            = 2;
    p.spheres_per_row = 1;
    p.periodic        = periodic;
    p.anode_present   = anode_present;
    p.anode_gap       = gap;
    return p;
  }

  TEST(Geometry, BulkAnodeIsHitFromAboveAndLeftUpwards)
  {
    const Geometry g = Geometry::bulk();
    const Flight f   = g.fly({1e-6, 0, 1e-9}, {0, 0, -1});
    EXPECT_EQ(f.body, anode);
    EXPECT_DOUBLE_EQ(f.position[2], 0.0);
    EXPECT_EQ(g.fly({0, 0, 0}, {0, 0.6, 0.8}).body, vacuum);
    EXPECT_NEAR(g.distance_to_exit(anode, {0, 0, -3e-6}, {0, 0.6, 0.8}), 3e-6 / 0.8, 1e-18);
  }

  TEST(Geometry, ElectronLeavingASphereDownwardsHitsTheAnode)
  {
    const auto layout = mpstream::layout::make_stream_layout(monolayer(false, true, 2.5e-6));
    const Geometry g  = Geometry::from_layout(layout);
    const auto &s     = g.spheres()[0];
    // Start at the sphere's bottom pole moving down: next body is the anode, 2.5 um below.
    const Flight f = g.fly({s.centre[0], s.centre[1], s.centre[2] - s.radius}, {0, 0, -1});
    EXPECT_EQ(f.body, anode);
    EXPECT_NEAR(f.distance, 2.5e-6, 1e-12);
    // From inside, the distance to the surface along +z is the radius.
    EXPECT_NEAR(g.distance_to_exit(0, s.centre, {0, 0, 1}), s.radius, 1e-15);
  }

  TEST(Geometry, PeriodicImagesAreHit)
  {
    const auto layout = mpstream::layout::make_stream_layout(monolayer(true, false, 2.5e-6));
    const Geometry g  = Geometry::from_layout(layout);
    ASSERT_TRUE(g.periodic_cell().has_value());
    const auto &s  = g.spheres()[0];
    const double lx = g.periodic_cell()->length_x();
    // A horizontal flight through the sphere centre's height, starting half-way between the
    // sphere and its +x image, moving +x, must enter the image and report primary-frame
    // coordinates on the sphere's -x side.
    const Vec3 start{s.centre[0] + 0.5 * lx, s.centre[1], s.centre[2]};
    const Flight f = g.fly(start, {1, 0, 0});
    ASSERT_EQ(f.body, 0);
    EXPECT_NEAR(f.position[0], s.centre[0] - s.radius, 1e-12);
    EXPECT_NEAR(f.distance, 0.5 * lx - s.radius, 1e-12);
  }

  TEST(Geometry, FreeStandingLayerTransmitsThroughGaps)
  {
    const auto layout = mpstream::layout::make_stream_layout(monolayer(true, false, 2.5e-6));
    const Geometry g  = Geometry::from_layout(layout);
    // Straight down through a point no sphere covers (cell corner between spheres).
    const auto &c = *g.periodic_cell();
    const Flight f = g.fly({c.x_min + 1e-9, c.y_min + 1e-9, g.top_z() + 1e-9}, {0, 0, -1});
    EXPECT_EQ(f.body, vacuum);
    EXPECT_EQ(g.locate({c.x_min + 1e-9, c.y_min + 1e-9, 5e-6}), vacuum);
  }

  TEST(Geometry, WrapFoldsIntoTheCell)
  {
    const auto layout = mpstream::layout::make_stream_layout(monolayer(true, true, 0.0));
    const Geometry g  = Geometry::from_layout(layout);
    const auto &c     = *g.periodic_cell();
    Vec3 r{c.x_max + 3.25 * c.length_x(), c.y_min - 0.5 * c.length_y(), 1e-6};
    g.wrap(r);
    EXPECT_GE(r[0], c.x_min);
    EXPECT_LT(r[0], c.x_max);
    EXPECT_NEAR(r[1], c.y_min + 0.5 * c.length_y(), 1e-15);
  }
} // namespace
