// solver::Electrostatics on a small multilayer stream with auxiliary electrodes (labels: mpi;
// run with 2 ranks): 2-rank results equal a 1-rank solve of the same mesh; the capacitance /
// response superposition equals a direct solve; bad input is refused with a clear message.
#include "electrostatics_test_meshes.h"
#include "common/error.h"
#include "solver/electrostatics.h"

#include <deal.II/base/mpi.h>
#include <gtest/gtest.h>
#include <mpi.h>

#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;

  // The shared small stream: 2 rows x 3 spheres in 2 layers, one electrode frame per layer.
  layout::StreamLayout small_stream() { return test_meshes::small_multilayer_stream(); }
  meshing::EnclosureParameters small_box() { return test_meshes::small_multilayer_box(); }

  const std::string &small_stream_mesh()
  {
    static const std::string file = test_meshes::make_mesh(small_stream(), small_box(), {}, "small_stream",
                                                           meshing::ElectrodeParameters{});
    return file;
  }

  std::vector<double> test_charges(std::size_t n)
  {
    std::mt19937_64 rng(7);
    std::uniform_real_distribution<double> u(-2e-15, 0.5e-15);
    std::vector<double> q(n);
    for (auto &x : q)
      x = u(rng);
    return q;
  }

  TEST(ElectrostaticsMpi, TwoRanksReproduceOneRank)
  {
    const auto layout = small_stream();
    const auto &file  = small_stream_mesh();
    const auto Q      = test_charges(layout.spheres.size());
    const std::vector<double> V = std::vector<double>{-300, -500};

    // One-rank solve on rank 0's own communicator, broadcast to everyone.
    int rank = 0, size = 1;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    ASSERT_GE(size, 2) << "ctest runs this on 2 ranks; on one it would compare one rank with itself";
    MPI_Comm self;
    MPI_Comm_split(MPI_COMM_WORLD, rank == 0 ? 0 : MPI_UNDEFINED, 0, &self);
    // Point samples on a grid in the plane through the probe sphere's centre (many points on
    // cell faces and partition boundaries): found and phi, E as on one rank.
    std::vector<Point3> grid;
    {
      const auto &c = layout.spheres[layout.probe_sphere].centre;
      const double R = layout.spheres[0].radius;
      for (int i = 0; i < 24; ++i)
        for (int k = 0; k < 24; ++k)
          grid.push_back({c[0] - 6 * R + 12 * R * i / 23.0, c[1], 0.05 * R + 6 * R * k / 23.0});
    }
    const std::size_t N = layout.spheres.size(), G = grid.size();
    std::vector<double> serial(2 * N + 5 * G);
    const auto pack_samples = [&](const std::vector<PointSample> &samples, double *out) {
      for (std::size_t g = 0; g < G; ++g)
        {
          out[5 * g]     = samples[g].found ? 1 : 0;
          out[5 * g + 1] = samples[g].potential;
          for (unsigned int d = 0; d < 3; ++d)
            out[5 * g + 2 + d] = samples[g].field[d];
        }
    };
    if (rank == 0)
      {
        Electrostatics es(self, file, layout, {});
        es.set_sphere_charges(Q);
        es.set_electrode_potentials(V);
        es.solve();
        const auto phi    = es.sphere_potentials();
        const auto fields = es.sphere_fields();
        for (std::size_t i = 0; i < phi.size(); ++i)
          {
            serial[i]              = phi[i];
            serial[phi.size() + i] = fields[i].field_abs_max;
          }
        pack_samples(es.sample_points(grid), serial.data() + 2 * N);
        MPI_Comm_free(&self);
      }
    MPI_Bcast(serial.data(), static_cast<int>(serial.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);

    Electrostatics es(MPI_COMM_WORLD, file, layout, {});
    es.set_sphere_charges(Q);
    es.set_electrode_potentials(V);
    es.solve();
    const auto phi    = es.sphere_potentials();
    const auto fields = es.sphere_fields();
    double worst_phi = 0, worst_field = 0;
    for (std::size_t i = 0; i < phi.size(); ++i)
      {
        worst_phi   = std::max(worst_phi, std::abs(phi[i] / serial[i] - 1));
        worst_field = std::max(worst_field, std::abs(fields[i].field_abs_max / serial[phi.size() + i] - 1));
      }
    if (rank == 0)
      std::printf("[mpi] %zu DoFs: max relative difference 1 vs 2 ranks: potentials %.2e, peak fields %.2e\n",
                  es.n_dofs(), worst_phi, worst_field);
    EXPECT_LT(worst_phi, 1e-8);   // issue 3
    EXPECT_LT(worst_field, 1e-6); // same discrete field; differences are solver round-off

    // Sampling: each point is evaluated in the same cell whatever the partition (see
    // Electrostatics::sample_points), so only solver round-off separates the values.
    std::vector<double> parallel(5 * G);
    pack_samples(es.sample_points(grid), parallel.data());
    double phi_scale = 0, field_scale = 0, phi_diff = 0, field_diff = 0;
    std::size_t n_found = 0;
    for (std::size_t g = 0; g < G; ++g)
      {
        const double *a = serial.data() + 2 * N + 5 * g, *b = parallel.data() + 5 * g;
        EXPECT_EQ(a[0], b[0]) << "point " << g << ": found on one rank but not on all, or the reverse";
        n_found += b[0] > 0;
        phi_scale = std::max(phi_scale, std::abs(a[1]));
        phi_diff  = std::max(phi_diff, std::abs(a[1] - b[1]));
        for (unsigned int d = 0; d < 3; ++d)
          {
            field_scale = std::max(field_scale, std::abs(a[2 + d]));
            field_diff  = std::max(field_diff, std::abs(a[2 + d] - b[2 + d]));
          }
      }
    if (rank == 0)
      std::printf("[mpi] %zu of %zu grid points in the vacuum; 1 vs 2 ranks: phi %.2e, E %.2e (relative to max)\n",
                  n_found, G, phi_diff / phi_scale, field_diff / field_scale);
    EXPECT_GT(n_found, G / 2);
    EXPECT_LT(phi_diff, 1e-8 * phi_scale);
    EXPECT_LT(field_diff, 1e-6 * field_scale);
  }

  // K points spread evenly over sphere n (Fibonacci lattice), on the exact sphere.
  std::vector<SurfacePoint> fibonacci_points(const layout::StreamLayout &layout, std::size_t n, unsigned int K)
  {
    const auto &s = layout.spheres[n];
    const double golden = 3.14159265358979 * (3 - std::sqrt(5.0));
    std::vector<SurfacePoint> points;
    for (unsigned int k = 0; k < K; ++k)
      {
        const double z = 1 - 2 * (k + 0.5) / K, rho = std::sqrt(1 - z * z), a = golden * k;
        points.push_back({n, {s.centre[0] + s.radius * rho * std::cos(a), s.centre[1] + s.radius * rho * std::sin(a),
                              s.centre[2] + s.radius * z}});
      }
    return points;
  }

  // surface_fields_at / compute_responses(surface_points), the API of the field-cap and
  // Murphy-Good charging: (1) the field at many points equals surface_field_at point by point
  // (same location, to round-off); (2) it lies between the sphere's vertex extremes of E.n
  // (sigma is P1 on the surface, so a correctly located point is a convex combination);
  // (3) linearity: sum_j G_mj Q_j + g_m equals a direct solve, to 1e-8 of the largest |E.n|
  // (relative to the largest value, as E.n changes sign on the surface).
  // Called after compute_responses(points) and a direct solve with charges Q (see the
  // superposition test, which shares its set-up and N + 1 solves).
  void check_surface_field_responses(const Electrostatics &es, const std::vector<SurfacePoint> &points,
                                     const Responses &r, const std::vector<double> &Q)
  {
    ASSERT_EQ(r.surface_field_per_charge.size(), points.size());
    ASSERT_EQ(r.surface_field_electrodes.size(), points.size());
    const auto start  = std::chrono::steady_clock::now();
    const auto E      = es.surface_fields_at(points); // locate + evaluate
    const double locate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto fields = es.sphere_fields();
    ASSERT_EQ(E.size(), points.size());
    double scale = 0;
    for (const double e : E)
      scale = std::max(scale, std::abs(e));
    double worst_linearity = 0, worst_single = 0;
    for (std::size_t m = 0; m < points.size(); ++m)
      {
        double sup = r.surface_field_electrodes[m];
        for (std::size_t j = 0; j < Q.size(); ++j)
          sup += r.surface_field_per_charge[m][j] * Q[j];
        worst_linearity = std::max(worst_linearity, std::abs(sup - E[m]) / scale);
        const auto &f = fields[points[m].sphere];
        EXPECT_GE(E[m], f.field_min - 1e-12 * scale) << "point " << m;
        EXPECT_LE(E[m], f.field_max + 1e-12 * scale) << "point " << m;
        if (m % 9 == 0)
          {
            const double single = es.surface_field_at(points[m].sphere, points[m].point);
            worst_single = std::max(worst_single, std::abs(single - E[m]) / scale);
          }
      }
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank == 0)
      std::printf("[surface points] %zu points x %zu solves in %.2f s (locating + evaluating them once: %.3f s); "
                  "linearity %.2e, vs single-point %.2e (of max |E.n| = %.4e V/m)\n",
                  points.size(), Q.size() + 1, r.seconds, locate_seconds, worst_linearity, worst_single, scale);
    EXPECT_LT(worst_linearity, 1e-8);
    EXPECT_LT(worst_single, 1e-12);

    // Located once, evaluated later (the probed field cap's path): the same faces and
    // coordinates, so the same values bit for bit (regression test of the API).
    const auto located = es.locate_surface_points(points);
    ASSERT_EQ(located.size(), points.size());
    EXPECT_EQ(es.surface_fields_at(located), E);

    // Not on the sphere, or no such sphere: refused, naming the point.
    auto off = points.front();
    off.point[2] += 1e-6; // radius 2.5 um
    EXPECT_THROW(es.surface_fields_at({off}), InputError);
    EXPECT_THROW(es.surface_fields_at({SurfacePoint{es.n_spheres(), points.front().point}}), InputError);
  }

  // phi = P Q + phi_electrodes and E.n(x_i) = G Q + g from compute_responses() equal a direct
  // solve with those charges and potentials (linearity of the discrete problem); the same for
  // the field at 40 points per sphere (check_surface_field_responses).
  TEST(ElectrostaticsMpi, SuperpositionEqualsDirectSolve)
  {
    const auto layout = small_stream();
    // Linearity is checked to 1e-8 here, so the responses are solved as tightly as the direct
    // solve (the default response tolerance, 1e-8, by itself changes potentials by ~1e-8; its
    // effect is measured in doc/electrostatics.md).
    ElectrostaticsParameters tight;
    tight.response_tolerance = tight.relative_tolerance;
    Electrostatics es(MPI_COMM_WORLD, small_stream_mesh(), layout, tight);
    ASSERT_EQ(es.electrode_layers().size(), 2u);
    const std::vector<double> V = {-300, -500};
    es.set_electrode_potentials(V);
    std::vector<SurfacePoint> points;
    for (std::size_t n = 0; n < layout.spheres.size(); ++n)
      for (const auto &p : fibonacci_points(layout, n, 40))
        points.push_back(p);
    const auto r = es.compute_responses(points);
    const auto Q = test_charges(layout.spheres.size());
    es.set_sphere_charges(Q);
    es.solve();
    check_surface_field_responses(es, points, r, Q);
    const auto phi = es.sphere_potentials();
    const std::size_t N = Q.size();
    for (std::size_t i = 0; i < N; ++i)
      {
        double phi_sup = r.electrode_potentials[i], E_sup = r.field_electrodes[i];
        for (std::size_t j = 0; j < N; ++j)
          {
            phi_sup += r.potential_coefficients[i][j] * Q[j];
            E_sup += r.field_per_charge[i][j] * Q[j];
          }
        EXPECT_NEAR(phi_sup / phi[i], 1.0, 1e-8) << "sphere " << i;
        EXPECT_NEAR(E_sup / es.surface_field_at(i, r.field_points[i]), 1.0, 1e-6) << "sphere " << i;
        // Maxwell matrix: diagonal positive, off-diagonal negative (induction), C P = 1.
        EXPECT_GT(r.capacitance[i][i], 0);
        for (std::size_t j = 0; j < N; ++j)
          {
            double cp = 0;
            for (std::size_t k = 0; k < N; ++k)
              cp += r.capacitance[i][k] * r.potential_coefficients[k][j];
            EXPECT_NEAR(cp, i == j ? 1.0 : 0.0, 1e-9);
            if (j != i)
              EXPECT_LT(r.capacitance[i][j], 0);
          }
      }
    // Sampling along the anode normal through the probe sphere's centre: phi(0) = 0 (anode).
    const auto &c = layout.spheres[layout.probe_sphere].centre;
    const auto line = es.sample_line({c[0] + 1.1 * layout.spheres[0].radius, c[1], 1e-9},
                                     {c[0] + 1.1 * layout.spheres[0].radius, c[1], 30e-6}, 31);
    ASSERT_TRUE(line.front().found);
    // 1 nm above the grounded anode: |phi| <= |E| * 1 nm (+ round-off).
    EXPECT_LE(std::abs(line.front().potential), line.front().field_magnitude() * 1.01e-9 + 1e-9);
    // Found exactly where the point is in the vacuum (the line may cross a neighbour sphere).
    for (const auto &s : line)
      {
        bool in_sphere = false;
        for (const auto &sphere : layout.spheres)
          in_sphere = in_sphere || std::hypot(s.point[0] - sphere.centre[0], s.point[1] - sphere.centre[1],
                                              s.point[2] - sphere.centre[2]) < sphere.radius;
        EXPECT_EQ(s.found, !in_sphere) << "z = " << s.point[2];
      }
    es.write_vtu((test_meshes::scratch_directory() / "vtu").string(), "small_stream");
    EXPECT_TRUE(std::filesystem::exists(test_meshes::scratch_directory() / "vtu" / "small_stream.pvd"));
  }

  // The two response methods (unit potentials on the grounded-sphere operator, unit charges on
  // the floating operator) minimise the same energy on the same discrete space, so they must
  // give the same P, C and field tables, up to the solver tolerance (both solved at 1e-12
  // here; compared to 1e-8 of each table's largest entry). Space charge and electrodes on.
  TEST(ElectrostaticsMpi, ResponseMethodsAgree)
  {
    const auto layout = small_stream();
    std::vector<SurfacePoint> points;
    for (std::size_t n = 0; n < layout.spheres.size(); ++n)
      for (const auto &p : fibonacci_points(layout, n, 12))
        points.push_back(p);
    std::array<Responses, 2> r;
    for (const bool by_potentials : {true, false})
      {
        ElectrostaticsParameters prm;
        prm.response_tolerance           = prm.relative_tolerance;
        prm.responses_by_unit_potentials = by_potentials;
        Electrostatics es(MPI_COMM_WORLD, small_stream_mesh(), layout, prm);
        es.set_electrode_potentials({-300, -500});
        es.set_space_charge_density(-2e-3);
        r[by_potentials ? 0 : 1] = es.compute_responses(points);
      }
    const auto worst_relative = [](const std::vector<std::vector<double>> &a, const std::vector<std::vector<double>> &b) {
      double diff = 0, scale = 0;
      for (std::size_t i = 0; i < a.size(); ++i)
        for (std::size_t j = 0; j < a[i].size(); ++j)
          {
            diff  = std::max(diff, std::abs(a[i][j] - b[i][j]));
            scale = std::max(scale, std::abs(b[i][j]));
          }
      return diff / scale;
    };
    EXPECT_LT(worst_relative(r[0].potential_coefficients, r[1].potential_coefficients), 1e-8);
    EXPECT_LT(worst_relative(r[0].capacitance, r[1].capacitance), 1e-8);
    EXPECT_LT(worst_relative(r[0].surface_field_per_charge, r[1].surface_field_per_charge), 1e-8);
    EXPECT_LT(worst_relative({r[0].electrode_potentials}, {r[1].electrode_potentials}), 1e-8);
    EXPECT_LT(worst_relative({r[0].surface_field_electrodes}, {r[1].surface_field_electrodes}), 1e-8);
    EXPECT_LT(worst_relative(r[0].potential_per_electrode_volt, r[1].potential_per_electrode_volt), 1e-8);
    EXPECT_LT(worst_relative(r[0].surface_field_per_electrode_volt, r[1].surface_field_per_electrode_volt), 1e-8);
    // Unit potentials: N + E solves + 1 for the space charge; unit charges: N + E + 1.
    EXPECT_EQ(r[0].solves, layout.spheres.size() + 3);
    EXPECT_EQ(r[1].solves, layout.spheres.size() + 3);
  }

  TEST(ElectrostaticsMpi, BadInputIsRefused)
  {
    auto layout = small_stream();
    Electrostatics es(MPI_COMM_WORLD, small_stream_mesh(), layout, {});
    auto Q = test_charges(layout.spheres.size());
    Q[3]   = std::numeric_limits<double>::quiet_NaN();
    EXPECT_THROW(es.set_sphere_charges(Q), InputError);
    Q.pop_back();
    EXPECT_THROW(es.set_sphere_charges(Q), InputError);

    // A layout with one more sphere than the mesh: the missing group is named.
    auto bigger = layout;
    bigger.spheres.push_back({{0, 0, 40e-6}, 2.5e-6, 0});
    try
      {
        Electrostatics bad(MPI_COMM_WORLD, small_stream_mesh(), bigger, {});
        ADD_FAILURE() << "a mesh without sphere_" << layout.spheres.size() << " was accepted";
      }
    catch (const InputError &e)
      {
        EXPECT_NE(std::string(e.what()).find("sphere_" + std::to_string(layout.spheres.size())), std::string::npos)
          << e.what();
      }

    // More ranks than cells (issue 16, bad input): a one-tetrahedron mesh on 2 ranks is refused
    // before anything else is checked, with the counts in the message.
    const std::string one_tet = "one_tetrahedron.msh";
    if (dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0)
      std::ofstream(one_tet) << "$MeshFormat\n2.2 0 8\n$EndMeshFormat\n$Nodes\n4\n1 0 0 0\n2 1 0 0\n"
                                "3 0 1 0\n4 0 0 1\n$EndNodes\n$Elements\n1\n1 4 2 1 1 1 2 3 4\n$EndElements\n";
    MPI_Barrier(MPI_COMM_WORLD);
    try
      {
        Electrostatics bad(MPI_COMM_WORLD, one_tet, layout, {});
        ADD_FAILURE() << "a one-tetrahedron mesh was accepted on 2 ranks";
      }
    catch (const InputError &e)
      {
        EXPECT_NE(std::string(e.what()).find("2 MPI ranks for a mesh of 1 tetrahedra"), std::string::npos)
          << e.what();
      }

    // CG capped at 2 iterations: RuntimeFailure with iterations and residual.
    ElectrostaticsParameters few;
    few.max_iterations = 2;
    Electrostatics capped(MPI_COMM_WORLD, small_stream_mesh(), layout, few);
    capped.set_sphere_charges(test_charges(layout.spheres.size()));
    try
      {
        capped.solve();
        ADD_FAILURE() << "2 CG iterations reported convergence";
      }
    catch (const RuntimeFailure &e)
      {
        EXPECT_NE(std::string(e.what()).find("did not converge in 2 iterations"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("residual"), std::string::npos) << e.what();
      }
  }
} // namespace
