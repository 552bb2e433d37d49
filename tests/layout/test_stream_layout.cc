// StreamLayout: the paper's Fig. 5 stream (7 x 11 hexagonal, 5 layers, H = 20 um, d_gap = r),
// monolayers, CSV layouts, periodic cells and the inputs they must refuse.
#include "common/error.h"
#include "tests/common/input_error_of.h"
#include "layout/stream_layout.h"

#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>

using namespace mpstream;
using namespace mpstream::layout;
using mpstream::testing::input_error_of;

namespace
{
  std::string temporary_file(const std::string &name, const std::string &content)
  {
    const auto path = std::filesystem::temp_directory_path() / ("mpstream_test_" + name);
    std::ofstream(path) << content;
    return path.string();
  }
} // namespace

TEST(StreamLayout, PaperStreamHasSeventySevenSpheresInFiveBalancedLayers)
{
  const auto layout = make_stream_layout(LayoutParameters{});
  ASSERT_EQ(layout.spheres.size(), 77u);
  ASSERT_EQ(layout.layer_heights.size(), 5u);
  std::map<int, int> count;
  for (const auto &s : layout.spheres)
    ++count[s.layer];
  for (const auto &[layer, n] : count)
    EXPECT_TRUE(n == 15 || n == 16) << "layer " << layer << " has " << n; // 77 = 2 x 16 + 3 x 15
}

TEST(StreamLayout, LayersSpanTheStreamThicknessAboveTheGap)
{
  LayoutParameters p; // r = 2.5 um, H = 20 um, d_gap = 2.5 um
  const auto layout = make_stream_layout(p);
  EXPECT_NEAR(layout.layer_heights.front(), 5e-6, 1e-15);   // d_gap + r
  EXPECT_NEAR(layout.layer_heights.back(), 20e-6, 1e-15);   // d_gap + H - r
  EXPECT_NEAR(layout.minimum_anode_clearance(), 2.5e-6, 1e-15);
  const auto box = layout.bounding_box();
  EXPECT_NEAR(box[1][2] - box[0][2], 20e-6, 1e-15);         // the stream is H thick
}

TEST(StreamLayout, ProbeSphereIsTheCentreOneInTheMiddleLayer)
{
  const auto layout = make_stream_layout(LayoutParameters{});
  EXPECT_EQ(layout.probe_sphere, 3u * 11u + 5u); // row 4, sphere 6 (1-based)
  const auto &probe = layout.spheres[layout.probe_sphere];
  EXPECT_EQ(probe.layer, 2);
  EXPECT_DOUBLE_EQ(probe.centre[0], 0.0);
  EXPECT_DOUBLE_EQ(probe.centre[1], 0.0);
}

TEST(StreamLayout, SameSeedSameLayoutOtherSeedOtherLayout)
{
  LayoutParameters p;
  const auto a = make_stream_layout(p);
  const auto b = make_stream_layout(p);
  p.layer_seed = 2;
  const auto c = make_stream_layout(p);
  int differences = 0;
  for (std::size_t n = 0; n < a.spheres.size(); ++n)
    {
      EXPECT_EQ(a.spheres[n].layer, b.spheres[n].layer);
      differences += a.spheres[n].layer != c.spheres[n].layer;
    }
  EXPECT_GT(differences, 10);
}

TEST(StreamLayout, BalancedLayersDifferByAtMostOne)
{
  for (unsigned int n_layers : {1u, 2u, 3u, 5u, 7u})
    {
      const auto labels = balanced_random_layers(77, n_layers, 38, 12345);
      std::map<int, int> count;
      for (int l : labels)
        ++count[l];
      int lo = 1000, hi = 0;
      for (const auto &[l, n] : count)
        lo = std::min(lo, n), hi = std::max(hi, n);
      EXPECT_LE(hi - lo, 1) << n_layers << " layers";
      EXPECT_EQ(labels[38], static_cast<int>(n_layers / 2));
    }
}

TEST(StreamLayout, NoOverlapsAndTheLateralClearanceIsKept)
{
  const auto layout = make_stream_layout(LayoutParameters{});
  // Same-layer neighbours are one pitch apart: gap = 2 r clearance = 0.1 um.
  EXPECT_NEAR(layout.minimum_gap(), 2 * 2.5e-6 * 0.02, 1e-12);
}

TEST(StreamLayout, MonolayerSitsAtGapPlusRadius)
{
  LayoutParameters p;
  p.kind      = LayoutKind::monolayer;
  p.anode_gap = 0; // resting on the anode: valid for the Monte Carlo
  const auto layout = make_stream_layout(p);
  ASSERT_EQ(layout.layer_heights.size(), 1u);
  for (const auto &s : layout.spheres)
    EXPECT_DOUBLE_EQ(s.centre[2], 2.5e-6);
}

TEST(StreamLayout, CsvRoundTripKeepsEveryDigit)
{
  const auto layout = make_stream_layout(LayoutParameters{});
  const auto file   = (std::filesystem::temp_directory_path() / "mpstream_roundtrip.csv").string();
  write_layout_csv(layout, file);
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = file;
  const auto back = make_stream_layout(p);
  ASSERT_EQ(back.spheres.size(), layout.spheres.size());
  for (std::size_t n = 0; n < layout.spheres.size(); ++n)
    {
      for (int d = 0; d < 3; ++d)
        EXPECT_EQ(back.spheres[n].centre[d], layout.spheres[n].centre[d]);
      EXPECT_EQ(back.spheres[n].radius, layout.spheres[n].radius);
      EXPECT_EQ(back.spheres[n].layer, layout.spheres[n].layer);
    }
  EXPECT_EQ(back.layer_heights.size(), 5u);
  EXPECT_EQ(back.probe_sphere, layout.probe_sphere);
}

TEST(StreamLayout, PeriodicCellRepeatsThePackingWithoutOverlap)
{
  LayoutParameters p;
  p.rows = 8;
  p.periodic = true;
  const auto layout = make_stream_layout(p);
  ASSERT_TRUE(layout.periodic_cell.has_value());
  const double pitch = 2 * 2.5e-6 * 1.02;
  EXPECT_NEAR(layout.periodic_cell->length_x(), 11 * pitch, 1e-15);
  EXPECT_NEAR(layout.periodic_cell->length_y(), 8 * pitch * std::sqrt(3.0) / 2, 1e-15);
  EXPECT_NEAR(layout.minimum_gap(), 2 * 2.5e-6 * 0.02, 1e-12); // images are no closer than neighbours
  p.rows = 7;
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("even number of rows"), std::string::npos);
}

TEST(StreamLayoutErrors, OverlappingSpheresAreNamed)
{
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = temporary_file("overlap.csv", "x,y,z,radius\n0,0,1e-5,2.5e-6\n4e-6,0,1e-5,2.5e-6\n");
  const auto message = input_error_of([&] { make_stream_layout(p); });
  EXPECT_NE(message.find("spheres 0 and 1 overlap"), std::string::npos) << message;
}

TEST(StreamLayoutErrors, NegativeRadiusIsRefused)
{
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = temporary_file("negative.csv", "x,y,z,radius\n0,0,1e-5,-2.5e-6\n");
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("radii must be positive"), std::string::npos);
  LayoutParameters q;
  q.sphere_radius = -1;
  EXPECT_NE(input_error_of([&] { make_stream_layout(q); }).find("sphere_radius_m"), std::string::npos);
}

TEST(StreamLayoutErrors, NotANumberIsRefusedWithItsLine)
{
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = temporary_file("nan.csv", "x,y,z,radius\n0,0,1e-5,2.5e-6\n0,nan,3e-5,2.5e-6\n");
  const auto message = input_error_of([&] { make_stream_layout(p); });
  EXPECT_NE(message.find(":3: 'nan' is not a finite number"), std::string::npos) << message;
}

TEST(StreamLayoutErrors, SphereBelowTheAnodeIsRefused)
{
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = temporary_file("below.csv", "x,y,z,radius\n0,0,1e-6,2.5e-6\n");
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("below the anode"), std::string::npos);
  p.anode_present = false; // a free-standing stream may be anywhere
  EXPECT_EQ(input_error_of([&] { make_stream_layout(p); }), "");
}

TEST(StreamLayoutErrors, MissingFileAndBadHeaderAreNamed)
{
  LayoutParameters p;
  p.kind        = LayoutKind::csv;
  p.sphere_file = "/nonexistent/spheres.csv";
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("cannot be opened"), std::string::npos);
  p.sphere_file = temporary_file("header.csv", "x,y,r\n0,0,1\n");
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("header"), std::string::npos);
}

TEST(StreamLayoutErrors, StreamThinnerThanASphereIsRefused)
{
  LayoutParameters p;
  p.stream_thickness = 4e-6;
  EXPECT_NE(input_error_of([&] { make_stream_layout(p); }).find("stream_thickness_m"), std::string::npos);
}

// A point's image inside a periodic cell: shifted by whole periods only (the reference is the
// cell's definition), z untouched, points inside the cell kept.
TEST(StreamLayout, PeriodicCellImageInsideShiftsByWholePeriods)
{
  PeriodicCell cell;
  cell.x_min = -3e-6, cell.x_max = 7e-6, cell.y_min = -2e-6, cell.y_max = 2e-6;
  const Point3 inside{1e-6, 0.5e-6, 9e-6};
  EXPECT_EQ(cell.image_inside(inside), inside);
  const Point3 image = cell.image_inside({1e-6 + 2 * 10e-6, 0.5e-6 - 3 * 4e-6, 9e-6});
  EXPECT_NEAR(image[0], 1e-6, 1e-18);
  EXPECT_NEAR(image[1], 0.5e-6, 1e-18);
  EXPECT_EQ(image[2], 9e-6);
  const Point3 edge = cell.image_inside({7e-6, -2e-6, 0}); // the max side maps to the min side
  EXPECT_NEAR(edge[0], -3e-6, 1e-18);
  EXPECT_NEAR(edge[1], -2e-6, 1e-18);
}
