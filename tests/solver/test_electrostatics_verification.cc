// Verification of solver::Electrostatics against analytic solutions (label: verification).
// Goals of issue 3: capacitance error < 0.1 %, maximum surface field error < 1 %. They are
// checked at the mesher's default resolution (5 elements per radius, size growth 0.3;
// GoalsAtDefaultResolution) and at the "verification resolution" below (10 per radius,
// growth 0.15). Measurements are recorded in doc/electrostatics.md. The references and their
// sources are in electrostatics_references.h; the finite grounded enclosure is included in
// each reference by the image series of the box (no tuning, no fitted constants).
#include "electrostatics_references.h"
#include "electrostatics_test_meshes.h"
#include "solver/electrostatics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <iostream>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;
  namespace ref = mpstream::solver::reference;
  constexpr double R = 2.5e-6; // m, the paper's sphere radius

  meshing::MeshParameters verification_resolution()
  {
    meshing::MeshParameters mesh;
    mesh.elements_per_radius = 10;
    mesh.growth_rate         = 0.15;
    mesh.maximum_size        = 20e-6;
    return mesh;
  }

  bool root()
  {
    int r = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &r);
    return r == 0;
  }

  // The box images are summed far enough to be converged: the cube-centre value must be the
  // NaCl Madelung constant (a check of the reference itself).
  TEST(ElectrostaticsReferences, BoxImagesReproduceMadelungConstant)
  {
    const double L = 1.0;
    const double phi = ref::box_image_potential({-0.5, -0.5, -0.5}, {0.5, 0.5, 0.5}, {0, 0, 0}, {0, 0, 0}, 12, false);
    EXPECT_NEAR(phi / ref::k_e * L, -ref::madelung_nacl, 2e-4);
  }

  // Smythe's closed series and the successive-image construction agree (two equal spheres).
  TEST(ElectrostaticsReferences, TwoSphereSeriesAgree)
  {
    const auto images = ref::two_sphere_capacitance(R, R, 2.4 * R);
    const auto smythe = ref::two_equal_spheres_smythe(R, 2.4 * R);
    EXPECT_NEAR(images[0] / smythe[0], 1.0, 1e-10);
    EXPECT_NEAR(images[1] / smythe[1], 1.0, 1e-10);
  }

  struct Measured
  {
    double capacitance_error;
    double field_error;
    std::size_t n_dofs;
    unsigned int iterations;
  };

  // Isolated sphere at the centre of a grounded cube of side L = 40 R:
  // phi = Q [k_e / R + G_box(0, 0)], G_box from the box images (-M k_e / L for the cube).
  // Surface field: E.n = Q k_e / R^2 uniformly (the box images shift it by O((R/L)^3)).
  Measured isolated_sphere(double elements_per_radius, double growth, double h_max, const std::string &name)
  {
    const double L  = 40 * R;
    const auto layout = test_meshes::spheres_layout({{0, 0, 0}}, R, false);
    meshing::MeshParameters mesh;
    mesh.elements_per_radius = elements_per_radius;
    mesh.growth_rate         = growth;
    mesh.maximum_size        = h_max;
    const auto file = test_meshes::make_mesh(layout, test_meshes::cube(L), mesh, name);
    Electrostatics es(MPI_COMM_WORLD, file, layout, {});
    const double Q = -1e-15;
    es.set_sphere_charges({Q});
    const auto report = es.solve();
    const auto field  = es.sphere_fields()[0];
    const double P_ref = ref::k_e / R + ref::box_image_potential({-L / 2, -L / 2, -L / 2}, {L / 2, L / 2, L / 2},
                                                                 {0, 0, 0}, {0, 0, 0}, 12, false);
    const double C_fe = Q / es.sphere_potentials()[0], C_ref = 1 / P_ref;
    const double E_ref = std::abs(Q) * ref::k_e / (R * R);
    Measured m{C_fe / C_ref - 1, field.field_abs_max / E_ref - 1, es.n_dofs(), report.iterations};
    if (root())
      std::printf("[isolated %s] C = %.6e F (ref %.6e, err %+.2e), |E.n|max = %.6e V/m (ref %.6e, "
                  "err %+.2e; FE-gradient max err %+.2e), mean E.n err %+.2e, area err %+.2e, charge %+.2e, %zu DoFs, %u it\n",
                  name.c_str(), C_fe, C_ref, m.capacitance_error, field.field_abs_max, E_ref,
                  m.field_error, field.gradient_field_abs_max / E_ref - 1, -field.field_mean / E_ref - 1,
                  field.area / (4 * constants::pi * R * R) - 1, field.surface_charge / Q - 1, m.n_dofs,
                  m.iterations);
    return m;
  }

  TEST(ElectrostaticsVerification, IsolatedSphereInGroundedCube)
  {
    const auto m = isolated_sphere(10, 0.15, 20e-6, "isolated");
    EXPECT_LT(std::abs(m.capacitance_error), 1e-3); // goal: < 0.1 %
    EXPECT_LT(std::abs(m.field_error), 1e-2);       // goal: < 1 %
  }

  // Mesh convergence: every length of the mesh halved per level (elements per radius doubled,
  // growth rate and size cap halved). Expected: capacitance (an energy functional) converges
  // at up to O(h^4) for P2 on a P2 geometry; the peak surface field (a gradient) at O(h^2).
  TEST(ElectrostaticsVerification, MeshConvergenceOrder)
  {
    const auto a = isolated_sphere(2.5, 0.6, 40e-6, "conv_1");
    const auto b = isolated_sphere(5, 0.3, 20e-6, "conv_2");
    const auto c = isolated_sphere(10, 0.15, 10e-6, "conv_3");
    const double order_C1 = std::log2(std::abs(a.capacitance_error / b.capacitance_error));
    const double order_C2 = std::log2(std::abs(b.capacitance_error / c.capacitance_error));
    const double order_E1 = std::log2(std::abs(a.field_error / b.field_error));
    const double order_E2 = std::log2(std::abs(b.field_error / c.field_error));
    if (root())
      std::printf("[convergence] capacitance orders %.2f %.2f, peak field orders %.2f %.2f\n", order_C1,
                  order_C2, order_E1, order_E2);
    EXPECT_GT(order_C1, 3.5);
    EXPECT_GT(order_C2, 3.5);
    // O(h^2) expected for the recovered surface charge. Its maximum sits on one vertex and
    // varies with the (run-to-run different) Gmsh mesh, so the order is taken over the whole
    // factor 4 in h (single steps measured 1.4 ... 2.7).
    const double order_E = std::log2(std::abs(a.field_error / c.field_error)) / 2;
    EXPECT_GT(order_E, 1.5);
    // AMG: iterations stay nearly constant under refinement.
    EXPECT_LT(c.iterations, 2 * a.iterations + 10);
  }

  struct SpherePlaneMeasured
  {
    double capacitance_error;
    double bottom_field_error; // E.n at the point nearest the plane
    double max_field_error;    // max |E.n| against the bottom reference
    double max_location_z;
    std::size_t n_dofs;
  };

  // Sphere with centre at d = 2R above the grounded anode plane, in the default 200 x 200 x
  // 100 um enclosure. Reference: sphere-plane image series (capacitance and E.n at the point
  // nearest the plane) plus the box's remaining images for the potential (point charge; the
  // box shifts the bottom field by ~2 d R^2 / L^3 ~ 1e-4 relative, below the goal's reach).
  SpherePlaneMeasured sphere_above_plane(const meshing::MeshParameters &mesh, const std::string &name)
  {
    const double d = 2 * R;
    const auto layout = test_meshes::spheres_layout({{0, 0, d}}, R, true);
    meshing::EnclosureParameters box; // defaults: 200 x 200 x 100 um, anode at z = 0
    const auto file = test_meshes::make_mesh(layout, box, mesh, name);
    Electrostatics es(MPI_COMM_WORLD, file, layout, {});
    const double Q = -1e-15;
    es.set_sphere_charges({Q});
    const auto report = es.solve();
    const auto sp     = ref::sphere_above_plane(R, d);
    const double P_ref = 1 / sp.capacitance +
                         ref::box_image_potential({-box.size_x / 2, -box.size_y / 2, 0},
                                                  {box.size_x / 2, box.size_y / 2, box.height},
                                                  {0, 0, d}, {0, 0, d}, 12, true);
    const double C_fe = Q / es.sphere_potentials()[0], C_ref = 1 / P_ref;
    const double E_bottom_ref = sp.bottom_field_per_charge * Q;
    const double E_bottom     = es.surface_field_at(0, {0, 0, d - R});
    const auto field          = es.sphere_fields()[0];
    const SpherePlaneMeasured m{C_fe / C_ref - 1, E_bottom / E_bottom_ref - 1,
                                field.field_abs_max / std::abs(E_bottom_ref) - 1,
                                field.field_abs_max_location[2], es.n_dofs()};
    if (root())
      std::printf("[sphere-plane d/R=2 %s] C = %.6e F (ref %.6e, free %.6e, err %+.2e); E.n bottom = "
                  "%.6e V/m (ref %.6e, err %+.2e); max |E.n| = %.6e at z = %.3e (err vs bottom ref "
                  "%+.2e); %zu DoFs, %u it\n",
                  name.c_str(), C_fe, C_ref, sp.capacitance, m.capacitance_error, E_bottom, E_bottom_ref,
                  m.bottom_field_error, field.field_abs_max, m.max_location_z, m.max_field_error, m.n_dofs,
                  report.iterations);
    return m;
  }

  void expect_sphere_plane_goals(const SpherePlaneMeasured &m)
  {
    EXPECT_LT(std::abs(m.capacitance_error), 1e-3);
    EXPECT_LT(std::abs(m.bottom_field_error), 1e-2);
    EXPECT_LT(std::abs(m.max_field_error), 1e-2);
    EXPECT_NEAR(m.max_location_z, R, 0.2 * R); // the peak faces the plane (z = d - R)
  }

  // At the verification resolution.
  TEST(ElectrostaticsVerification, SphereAboveGroundedPlane)
  {
    expect_sphere_plane_goals(sphere_above_plane(verification_resolution(), "sphere_plane"));
  }

  // The goals at the mesher's default resolution (5 elements per radius, growth 0.3), which
  // the 77-sphere stream uses. The peak field meets them through the patch recovery of sigma
  // (ElectrostaticsParameters::surface_recovery_rings; lumped values alone: +2.6 %).
  TEST(ElectrostaticsVerification, GoalsAtDefaultResolution)
  {
    const meshing::MeshParameters mesher_default;
    const auto isolated = isolated_sphere(mesher_default.elements_per_radius, mesher_default.growth_rate,
                                          mesher_default.maximum_size, "isolated_default");
    EXPECT_LT(std::abs(isolated.capacitance_error), 1e-3); // goal: < 0.1 %
    EXPECT_LT(std::abs(isolated.field_error), 1e-2);       // goal: < 1 %
    expect_sphere_plane_goals(sphere_above_plane(mesher_default, "sphere_plane_default"));
  }

  // Two equal spheres, centres 2.4 R apart, at the centre of a grounded cube of side 40 R, at
  // the verification resolution.
  // Reference: Smythe's series (free space) -> P_free = C_free^-1, plus the box images of
  // each (point) charge at both centres: P = P_free + G_box. Compared: the Maxwell matrix.
  TEST(ElectrostaticsVerification, TwoEqualSpheres)
  {
    const double L = 40 * R, c = 2.4 * R;
    const auto layout = test_meshes::spheres_layout({{-c / 2, 0, 0}, {c / 2, 0, 0}}, R, false);
    const auto file   = test_meshes::make_mesh(layout, test_meshes::cube(L), verification_resolution(), "two_spheres");
    // Reciprocity is checked to 1e-8 below: responses as tight as a direct solve (the default
    // response tolerance 1e-8 alone moves P by ~1e-8).
    ElectrostaticsParameters tight;
    tight.response_tolerance = tight.relative_tolerance;
    Electrostatics es(MPI_COMM_WORLD, file, layout, tight);
    const auto responses = es.compute_responses();
    const auto free      = ref::two_equal_spheres_smythe(R, c);
    if (root())
      std::printf("[two spheres] P = [[%.6e, %.6e], [%.6e, %.6e]] V/C\n", responses.potential_coefficients[0][0],
                  responses.potential_coefficients[0][1], responses.potential_coefficients[1][0],
                  responses.potential_coefficients[1][1]);
    // Free-space potential coefficients: inverse of [[C11, C12], [C12, C11]].
    const double det = free[0] * free[0] - free[1] * free[1];
    const double P11 = free[0] / det, P12 = -free[1] / det;
    const ref::P3 lo{-L / 2, -L / 2, -L / 2}, hi{L / 2, L / 2, L / 2};
    const ref::P3 x1{-c / 2, 0, 0}, x2{c / 2, 0, 0};
    const double P[2][2] = {{P11 + ref::box_image_potential(lo, hi, x1, x1, 12, false),
                             P12 + ref::box_image_potential(lo, hi, x2, x1, 12, false)},
                            {P12 + ref::box_image_potential(lo, hi, x1, x2, 12, false),
                             P11 + ref::box_image_potential(lo, hi, x2, x2, 12, false)}};
    const double detP = P[0][0] * P[1][1] - P[0][1] * P[1][0];
    const double C_ref[2][2] = {{P[1][1] / detP, -P[0][1] / detP}, {-P[1][0] / detP, P[0][0] / detP}};
    for (int i = 0; i < 2; ++i)
      for (int j = 0; j < 2; ++j)
        {
          const double err = responses.capacitance[i][j] / C_ref[i][j] - 1;
          if (root())
            std::printf("[two spheres c=2.4R] C%d%d = %.6e F (ref %.6e, free %.6e, err %+.2e)\n", i + 1,
                        j + 1, responses.capacitance[i][j], C_ref[i][j], i == j ? free[0] : free[1], err);
          EXPECT_LT(std::abs(err), 1e-3);
        }
    // Reciprocity (Green): the discrete operator is symmetric, so is P.
    EXPECT_NEAR(responses.potential_coefficients[0][1] / responses.potential_coefficients[1][0], 1.0, 1e-8);
  }
} // namespace
