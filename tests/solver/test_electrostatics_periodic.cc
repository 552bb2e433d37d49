// Periodic lateral cell (label: verification; one rank, and the one-against-two-ranks
// regression test at the end). A monolayer of one sphere per square cell between the grounded anode and a
// grounded top plate: the sphere potential per unit charge against the analytic lattice
// reference (reference::periodic_monolayer_potential: exact sphere-plane, plus the top plate's
// images and the other cells' spheres to first order), at the verification resolution (10
// elements per radius, growth 0.15). Measured: -8e-5 (a = 16 R, here), -1.8e-4 (a = 8 R).
// Tolerance 1e-3 (issue 3: capacitance error < 0.1 %). Without the periodicity constraints the
// cell sides would be insulating walls (natural BC): for the sphere at the centre that is the
// same problem by mirror symmetry, so a second mesh puts the sphere across a cell corner (cut
// into four pieces by the sides): the infinite lattice is the same, so must be the answers.
// There, the field at a point where the sides cut the sphere checks the flux recovery across
// the sides (missing the other side's half would give ~50 % less).
#include "electrostatics_references.h"
#include "electrostatics_test_meshes.h"
#include "common/error.h"
#include "solver/electrostatics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;
  namespace ref = mpstream::solver::reference;
  constexpr double R = 2.5e-6, h = 2 * R, H = 8 * R, a = 16 * R; // m

  layout::StreamLayout cell_with_sphere_at(double x, double y)
  {
    auto layout = test_meshes::spheres_layout({{x, y, h}}, R, true);
    layout::PeriodicCell cell;
    cell.x_min = cell.y_min = -a / 2;
    cell.x_max = cell.y_max = a / 2;
    layout.periodic_cell = cell;
    return layout;
  }

  struct Result
  {
    double P;        // V/C
    double E_rim;    // V/m at the point (x_c + dx, y_c, h + dz) of the sphere's surface
    double E_bottom; // V/m at the lowest point
  };

  // The cell's mesh under the grounded plate at H (elements per radius, growth rate).
  std::string cell_mesh(const layout::StreamLayout &layout, const std::string &name, double per_radius, double growth)
  {
    meshing::MeshParameters mesh;
    mesh.elements_per_radius = per_radius;
    mesh.growth_rate         = growth;
    mesh.maximum_size        = 8e-6;
    meshing::EnclosureParameters box;
    box.height = H;
    return test_meshes::make_mesh(layout, box, mesh, name);
  }

  Result solve_cell(const layout::StreamLayout &layout, const std::string &name, double dx)
  {
    const auto file = cell_mesh(layout, name, 10, 0.15);
    Electrostatics es(MPI_COMM_SELF, file, layout, {});
    const double Q = -1e-15;
    es.set_sphere_charges({Q});
    es.solve();
    const auto &c   = layout.spheres[0].centre;
    const double dz = std::sqrt(R * R - dx * dx);
    const auto E = es.surface_fields_at({{0, {c[0] + dx, c[1], c[2] + dz}}, {0, {c[0], c[1], c[2] - R}}});
    const auto f = es.sphere_fields()[0];
    std::printf("[periodic %s] %zu DoFs: P = %.6e V/C, E.n rim %.5e, bottom %.5e V/m, charge %+.1e\n", name.c_str(),
                es.n_dofs(), es.sphere_potentials()[0] / Q, E[0], E[1], f.surface_charge / Q - 1);
    return {es.sphere_potentials()[0] / Q, E[0], E[1]};
  }

  TEST(ElectrostaticsPeriodic, MonolayerMatchesLatticeReference)
  {
    int rank = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (rank != 0)
      GTEST_SKIP() << "one-rank test";
    const double P_ref = ref::periodic_monolayer_potential(R, h, H, a, a);
    // Centred sphere; then across the corner (x_max, y_max): the sides cut it at 1 um from its
    // centre, and the rim point (dx = 1 um) lies on the side x = x_max. Measured: P equal to
    // 2e-6, rim fields to 8e-4, bottom fields to 9e-4 between the two meshes.
    const auto centred = solve_cell(cell_with_sphere_at(0, 0), "periodic_centre", 1e-6);
    const auto corner  = solve_cell(cell_with_sphere_at(a / 2 - 1e-6, a / 2 - 1e-6), "periodic_corner", 1e-6);
    std::printf("[periodic] P_ref = %.6e V/C (sphere-plane alone %.6e); errors: centred %+.2e, corner %+.2e\n",
                P_ref, 1 / ref::sphere_above_plane(R, h).capacitance, centred.P / P_ref - 1, corner.P / P_ref - 1);
    EXPECT_LT(std::abs(centred.P / P_ref - 1), 1e-3);
    EXPECT_LT(std::abs(corner.P / P_ref - 1), 1e-3);
    // Same lattice, different meshes: the fields agree to the discretisation error (peak-field
    // error up to 1.4 % per mesh at this resolution, doc/electrostatics.md).
    EXPECT_NEAR(corner.E_rim / centred.E_rim, 1.0, 0.03);
    EXPECT_NEAR(corner.E_bottom / centred.E_bottom, 1.0, 0.03);
  }

  // Label: regression (one rank against two, same code). The periodicity constraints pair
  // DoFs that different ranks own: the 2-rank solution must be the 1-rank one. The hardest
  // mesh: the sphere across the cell corner, cut into four pieces owned by different ranks,
  // with chains of constraints at the vertical edges. Both solved to a relative residual of
  // 1e-14 so that the solver's tolerance (the AMG differs with the partition) stays far below
  // the tolerance asked (1e-10 relative, issue 16); surface fields (flux recovery across the
  // sides and the ranks) to 1e-8.
  TEST(ElectrostaticsPeriodic, TwoRanksMatchOneRank)
  {
    int size = 1, rank = 0;
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    if (size != 2) // ctest runs it on 2 ranks (test_electrostatics_periodic_two_ranks), where a skip fails
      GTEST_SKIP() << "needs 2 ranks";
    const auto layout = cell_with_sphere_at(a / 2 - 1e-6, a / 2 - 1e-6);
    const auto file   = cell_mesh(layout, "periodic_two_ranks", 6, 0.3);
    const double Q    = -1e-15;
    const auto &c   = layout.spheres[0].centre;
    const std::vector<SurfacePoint> probes{{0, {c[0] + 1e-6, c[1], c[2] + std::sqrt(R * R - 1e-12)}},
                                           {0, {c[0], c[1], c[2] - R}}};
    const auto solve_on = [&](MPI_Comm comm) {
      Electrostatics es(comm, file, layout, {});
      es.set_sphere_charges({Q});
      es.solve(1e-14);
      auto values = es.surface_fields_at(probes);
      values.insert(values.begin(), es.sphere_potentials()[0]);
      values.push_back(es.sphere_fields()[0].field_max);
      return values;
    };
    const auto two = solve_on(MPI_COMM_WORLD);
    std::vector<double> one(two.size(), 0.0);
    if (rank == 0)
      one = solve_on(MPI_COMM_SELF);
    MPI_Bcast(one.data(), static_cast<int>(one.size()), MPI_DOUBLE, 0, MPI_COMM_WORLD);
    std::printf("[periodic 1 vs 2 ranks] potential %.12e / %.12e V (%+.1e); rim E.n %+.1e, bottom %+.1e, max %+.1e\n",
                one[0], two[0], two[0] / one[0] - 1, two[1] / one[1] - 1, two[2] / one[2] - 1, two[3] / one[3] - 1);
    EXPECT_NEAR(two[0] / one[0], 1.0, 1e-10);
    for (std::size_t k = 1; k < two.size(); ++k)
      EXPECT_NEAR(two[k] / one[k], 1.0, 1e-8) << "surface field " << k;
  }
} // namespace
