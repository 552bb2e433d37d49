// The electrode wall (Auxiliary electrodes/Shape = wall) on the small multilayer test stream
// (2 x 3 spheres, 2 layers, coarse mesh, 2 ranks):
//  - the wall carries sum_k V_k hat_k(z): above the top node, where the profile is linear up
//    to the grounded lid, the FE potential at the wall is that line (P2 reproduces it exactly);
//  - mean_potential_responses (one reciprocity solve per window) reproduce the window means of
//    a direct solve for arbitrary charges, node potentials and space charge;
//  - StreamCharging holds every node at its centre-window mean (checked by direct sampling).
// Label: verification, mpi.
#include "electrostatics_test_meshes.h"
#include "solver/stream_charging.h"

#include <gtest/gtest.h>

#include <cmath>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;

  meshing::ElectrodeParameters wall()
  {
    meshing::ElectrodeParameters e;
    e.shape = meshing::ElectrodeShape::wall;
    return e;
  }

  const std::string &mesh()
  {
    static const std::string file = test_meshes::make_mesh(test_meshes::small_multilayer_stream(),
                                                           test_meshes::small_multilayer_box(), test_meshes::coarse_resolution(),
                                                           "electrode_wall", wall());
    return file;
  }

  ElectrostaticsParameters wall_parameters(double response_tolerance)
  {
    ElectrostaticsParameters p;
    p.wall_node_heights  = meshing::wall_node_heights(test_meshes::small_multilayer_stream(), wall(),
                                                      test_meshes::small_multilayer_box());
    p.response_tolerance = response_tolerance;
    return p;
  }

  // Window mean of the solution in place; a point inside a sphere takes that sphere's potential.
  double direct_mean(const Electrostatics &es, const layout::StreamLayout &layout, const std::vector<Point3> &points)
  {
    const auto samples = es.sample_points(points);
    const auto phi     = es.sphere_potentials();
    double mean = 0;
    for (std::size_t m = 0; m < points.size(); ++m)
      {
        double value = samples[m].potential;
        if (!samples[m].found)
          {
            bool inside = false;
            for (std::size_t i = 0; i < layout.spheres.size(); ++i)
              {
                const auto &c = layout.spheres[i].centre;
                if (std::hypot(points[m][0] - c[0], points[m][1] - c[1], points[m][2] - c[2]) < layout.spheres[i].radius)
                  {
                    value  = phi[i];
                    inside = true;
                  }
              }
            EXPECT_TRUE(inside) << "point " << m << " neither in the vacuum nor in a sphere";
          }
        mean += value / points.size();
      }
    return mean;
  }
} // namespace

TEST(ElectrodeWall, PotentialIsLinearAboveTheTopNode)
{
  const auto layout = test_meshes::small_multilayer_stream();
  const auto prm    = wall_parameters(1e-8);
  Electrostatics es(MPI_COMM_WORLD, mesh(), layout, prm);
  ASSERT_TRUE(es.has_electrode_wall());
  const std::size_t K = prm.wall_node_heights.size();
  ASSERT_EQ(es.electrode_layers().size(), K);
  std::vector<double> V(K);
  for (std::size_t k = 0; k < K; ++k)
    V[k] = -1e3 * (1.0 + k);
  es.set_sphere_charges(std::vector<double>(layout.spheres.size(), -1e-14));
  es.set_electrode_potentials(V);
  es.solve();
  const auto box   = meshing::enclosure_box(layout, test_meshes::small_multilayer_box(), wall());
  const double top = box[1][2], z_node = prm.wall_node_heights.back();
  std::vector<Point3> points;
  for (int i = 1; i < 8; ++i)
    {
      const double z = z_node + 2e-6 + (top - z_node - 4e-6) * i / 8.0;
      points.push_back({box[0][0], 0.3 * box[1][1], z}); // on the wall x = x_min
      points.push_back({0.2 * box[1][0], box[1][1], z}); // on the wall y = y_max
    }
  const auto samples = es.sample_points(points);
  for (std::size_t m = 0; m < points.size(); ++m)
    {
      ASSERT_TRUE(samples[m].found);
      const double expected = V.back() * (top - points[m][2]) / (top - z_node);
      // Exact up to the point location (reference coordinates to ~1e-10) and round-off; a wrong
      // node height or hat would be off by percents.
      EXPECT_NEAR(samples[m].potential, expected, 1e-7 * std::abs(V.back())) << "z = " << points[m][2];
    }
}

TEST(ElectrodeWall, WindowMeansByReciprocityMatchDirectSolve)
{
  const auto layout = test_meshes::small_multilayer_stream();
  ElectrostaticsParameters tight = wall_parameters(1e-12);
  Electrostatics es(MPI_COMM_WORLD, mesh(), layout, tight);
  const std::size_t N = layout.spheres.size(), K = tight.wall_node_heights.size();
  // Windows around the middle sphere's axis at three heights (below, inside, above the stream),
  // each with points in spheres and in the vacuum.
  const auto &c = layout.spheres[layout.probe_sphere].centre;
  std::vector<std::vector<Point3>> windows;
  for (const double z : {1.5e-6, c[2], 14e-6})
    {
      std::vector<Point3> w;
      for (int i = -4; i <= 4; ++i)
        for (int j = -4; j <= 4; ++j)
          w.push_back({c[0] + 1.1e-6 * i, c[1] + 1.1e-6 * j, z});
      windows.push_back(w);
    }
  const auto r = es.mean_potential_responses(windows);
  ASSERT_EQ(r.per_charge.size(), windows.size());
  EXPECT_EQ(r.solves, windows.size());

  std::vector<double> Q(N), V(K);
  for (std::size_t j = 0; j < N; ++j)
    Q[j] = -1e-14 * (1.0 + 0.37 * j);
  for (std::size_t k = 0; k < K; ++k)
    V[k] = -2e3 + 450.0 * k;
  const double rho = -3.0; // C/m^3
  es.set_sphere_charges(Q);
  es.set_electrode_potentials(V);
  es.set_space_charge_density(rho);
  es.solve();
  for (std::size_t f = 0; f < windows.size(); ++f)
    {
      double model = r.per_space_charge[f] * rho;
      for (std::size_t j = 0; j < N; ++j)
        model += r.per_charge[f][j] * Q[j];
      for (std::size_t k = 0; k < K; ++k)
        model += r.per_electrode_volt[f][k] * V[k];
      const double direct = direct_mean(es, layout, windows[f]);
      std::printf("window %zu: direct %.10e V, reciprocity %.10e V\n", f, direct, model);
      EXPECT_NEAR(model, direct, 1e-8 * std::abs(direct));
    }
}

TEST(ElectrodeWall, ChargingHoldsEveryNodeAtItsCentreWindowMean)
{
  const auto layout = test_meshes::small_multilayer_stream();
  Electrostatics es(MPI_COMM_WORLD, mesh(), layout, wall_parameters(1e-8));
  ChargingSettings s;
  s.mode          = ChargingMode::backscatter_only;
  s.plate_upper_z = test_meshes::small_multilayer_box().height;
  OperatingPoint beam;
  StreamCharging c(es, layout, beam, ChargingCoefficients::uniform(0.18), s, nullptr);
  const auto result = c.run();
  // model_error: max |window mean of the full solve - node potential| / max |node potential|,
  // the reciprocity tables and T checked end to end (response tolerance 1e-8).
  std::printf("wall nodes at the window means to %.3e; probe sphere %.5e V\n", result.model_error,
              result.backscatter_only.potentials[layout.probe_sphere]);
  EXPECT_LT(result.model_error, 1e-6);
  for (const double V : result.backscatter_only.electrode_potentials)
    EXPECT_LT(V, 0.0); // a negatively charged stream pulls every node negative
}
