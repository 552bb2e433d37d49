// The Monte Carlo's field sampled from an FE solution (solver/stream_field_sampling.h, issue
// 15), label: unit (an accuracy measurement of the sampling against the same solution
// evaluated directly). Two charged spheres above the anode, grounded lid; the sampled field at
// random vacuum points against Electrostatics::sample_points there: away from the spheres (more
// than one spacing) within the trilinear estimate's order (h / d)^2 plus the FE field's own
// cell-to-cell jumps; the sphere potentials exact at entry.
#include "electrostatics_test_meshes.h"
#include "mc/random.h"
#include "solver/stream_field_sampling.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;
  constexpr double R = 2.5e-6;

  double norm(const std::array<double, 3> &a) { return std::sqrt(a[0] * a[0] + a[1] * a[1] + a[2] * a[2]); }

  constexpr double box_height = 30e-6;
  // Two spheres above the anode in a 40 x 40 x 30 um box, coarse mesh (mesh file `name`).
  layout::StreamLayout two_spheres() { return test_meshes::spheres_layout({{0, 0, 2 * R}, {2 * R + 1e-6, 0, 2 * R}}, R, true); }
  std::string two_sphere_mesh(const layout::StreamLayout &layout, const std::string &name)
  {
    meshing::EnclosureParameters box;
    box.height = box_height;
    box.size_x = box.size_y = 40e-6;
    return test_meshes::make_mesh(layout, box, test_meshes::coarse_resolution(), name);
  }
} // namespace

TEST(StreamFieldSampling, SampledFieldMatchesDirectEvaluation)
{
  const auto layout = two_spheres();
  Electrostatics es(MPI_COMM_WORLD, two_sphere_mesh(layout, "sampled_field"), layout, {});
  es.set_sphere_charges({-2e-15, -1e-15});
  es.solve();
  FieldSamplingSettings settings;
  settings.spacing_m             = R / 5;
  settings.height_above_stream_m = 5e-6;
  settings.lateral_margin_m      = 5e-6;
  SampledFieldReport report;
  const auto field = sample_stream_field(es, layout, box_height, settings, &report);
  std::printf("sampled %zu nodes (%zu in the vacuum) in %.2f s\n", report.nodes, report.nodes_in_vacuum, report.seconds);
  // Random points inside the grid, more than one spacing from both spheres.
  mc::RandomStream rng(3, 0);
  const auto &g = field.nodes();
  std::vector<Point3> points;
  while (points.size() < 300)
    {
      Point3 x;
      for (int d = 0; d < 3; ++d)
        x[d] = g.lower[d] + (0.05 + 0.9 * rng.uniform()) * (g.upper[d] - g.lower[d]);
      bool clear = x[2] > settings.spacing_m;
      for (const auto &s : layout.spheres)
        clear = clear && norm({x[0] - s.centre[0], x[1] - s.centre[1], x[2] - s.centre[2]}) > R + settings.spacing_m;
      if (clear)
        points.push_back(x);
    }
  const auto direct = es.sample_points(points);
  double E_scale = 0;
  for (const auto &d : direct)
    E_scale = std::max(E_scale, norm(d.field));
  double worst_E = 0, worst_phi = 0, phi_scale = std::abs(es.sphere_potentials()[0]);
  for (std::size_t m = 0; m < points.size(); ++m)
    {
      ASSERT_TRUE(direct[m].found);
      const auto s = field.at(points[m]);
      worst_E      = std::max(worst_E, norm({s.E[0] - direct[m].field[0], s.E[1] - direct[m].field[1],
                                             s.E[2] - direct[m].field[2]}) / E_scale);
      worst_phi    = std::max(worst_phi, std::abs(s.potential - direct[m].potential) / phi_scale);
    }
  std::printf("sampled against direct, 300 points: worst |dE| %.2e of the largest |E|, worst dphi %.2e of the sphere potential\n",
              worst_E, worst_phi);
  // h = R / 5 at d >= R + h: (h / d)^2 <= 1/36, times the trilinear factor 0.75: 2 %; the P2
  // field's gradient jumps between cells add their own on this coarse mesh (3 elements per
  // radius: cells of ~R/3 at the spheres). Measured 9.2e-2 worst, 3.3e-3 in phi (2026-12-04).
  EXPECT_LT(worst_E, 0.1);
  EXPECT_LT(worst_phi, 0.01);
  EXPECT_DOUBLE_EQ(field.body_potential(1, {}), es.sphere_potentials()[1]);
}

// The cell-wise grid sampler (Electrostatics::sample_grid: straight-cell barycentric location,
// Newton on the curved cells' P2 position nodes, shape functions evaluated directly) against
// the point sampler (Electrostatics::sample_points: R-tree search, deal.II's MappingFEField
// inversion and FEValues) at the same nodes: two independent evaluations of one FE solution,
// equal to rounding where both take the same cell. That holds beyond the curved cells (cells
// with an edge on a sphere, ~R/3 deep on this coarse mesh; checked beyond 1.5 um). Within
// them the point sampler takes the smallest-id cell whose *straight* shape holds the node and
// clamps the curved reference point into the cell, while the grid sampler asks the curved
// cells themselves: their difference there is reported, not asserted (measured 2026-12-04:
// 2.8e-2 of the largest |E| within 1.5 um of a sphere).
TEST(StreamFieldSampling, GridSamplerEqualsPointSampler)
{
  const auto layout = two_spheres();
  Electrostatics es(MPI_COMM_WORLD, two_sphere_mesh(layout, "grid_sampler"), layout, {});
  es.set_sphere_charges({-2e-15, 1e-15});
  es.solve();
  const Point3 lower{-9e-6, -6e-6, 0.0}, spacing{0.37e-6, 0.41e-6, 0.33e-6};
  const std::array<std::size_t, 3> n{55, 30, 40};
  const auto grid = es.sample_grid(lower, spacing, n);
  std::vector<Point3> points;
  for (std::size_t k = 0; k < n[2]; ++k)
    for (std::size_t j = 0; j < n[1]; ++j)
      for (std::size_t i = 0; i < n[0]; ++i)
        points.push_back({lower[0] + i * spacing[0], lower[1] + j * spacing[1], lower[2] + k * spacing[2]});
  const auto direct = es.sample_points(points);
  double E_scale = 0, phi_scale = std::abs(es.sphere_potentials()[0]);
  for (const auto &d : direct)
    E_scale = std::max(E_scale, norm(d.field));
  std::size_t found = 0, near = 0, disagree = 0;
  double worst_E = 0, worst_phi = 0, worst_E_near = 0, worst_phi_near = 0;
  for (std::size_t m = 0; m < points.size(); ++m)
    {
      double clearance = 1e9;
      for (const auto &s : layout.spheres)
        clearance = std::min(clearance, norm({points[m][0] - s.centre[0], points[m][1] - s.centre[1],
                                              points[m][2] - s.centre[2]}) - R);
      const bool is_near = clearance < 1.5e-6;
      if (!is_near)
        EXPECT_EQ(bool(grid.found[m]), direct[m].found)
          << "node (" << points[m][0] << ", " << points[m][1] << ", " << points[m][2] << ") m, " << clearance << " m from a sphere";
      if (!grid.found[m] || !direct[m].found)
        {
          disagree += grid.found[m] != direct[m].found;
          continue;
        }
      ++found;
      const double dE = norm({grid.field[m][0] - direct[m].field[0], grid.field[m][1] - direct[m].field[1],
                              grid.field[m][2] - direct[m].field[2]}) / E_scale;
      const double dphi = std::abs(grid.potential[m] - direct[m].potential) / phi_scale;
      if (is_near)
        {
          ++near;
          worst_E_near   = std::max(worst_E_near, dE);
          worst_phi_near = std::max(worst_phi_near, dphi);
        }
      else
        {
          worst_E   = std::max(worst_E, dE);
          worst_phi = std::max(worst_phi, dphi);
        }
    }
  std::printf("grid vs point sampler: %zu nodes found (%zu within 1.5 um of a sphere), %zu found by one only; "
              "worst |dE| %.2e (near spheres %.2e) of the largest |E|, worst dphi %.2e (near spheres %.2e)\n",
              found, near, disagree, worst_E, worst_E_near, worst_phi, worst_phi_near);
  EXPECT_GT(found, points.size() / 2);
  EXPECT_LT(worst_phi, 1e-9);
  EXPECT_LT(worst_E, 1e-9);
}
