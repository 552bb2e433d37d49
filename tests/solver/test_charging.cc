// solver::StreamCharging on a small multilayer stream (2 rows x 3 spheres, 2 layers, one
// electrode frame per layer, 1 rank, coarse mesh): backscatter-only potentials grow with the power;
// the field cap is met by the confirming full solve, never changes a sign or adds charge;
// the electrodes end up at the patch-centre potentials (or at given ones); the Murphy-Good
// discharge conserves charge and lowers the potential; the linear models at the surface points
// reproduce the full solve. Label: verification (FE solves, ~1-2 min).
#include "electrostatics_test_meshes.h"
#include "common/error.h"
#include "meshing/mesher.h"
#include "solver/stream_charging.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace
{
  using namespace mpstream;
  using namespace mpstream::solver;

  layout::StreamLayout small_stream() { return test_meshes::small_multilayer_stream(); }
  meshing::EnclosureParameters small_box() { return test_meshes::small_multilayer_box(); }

  const std::string &mesh()
  {
    static const std::string file =
      test_meshes::make_mesh(small_stream(), small_box(), test_meshes::coarse_resolution(), "charging_small", meshing::ElectrodeParameters{});
    return file;
  }

  ChargingSettings settings(ChargingMode mode)
  {
    ChargingSettings s;
    s.mode          = mode;
    s.plate_upper_z = small_box().height;
    s.emission.time_steps    = 100;
    return s;
  }

  // `after` sees the Electrostatics with the solution StreamCharging left in place.
  ChargingResult run(ChargingMode mode, double power = 46.2e3, ChargingSettings *custom = nullptr,
                     const std::function<void(const Electrostatics &)> &after = {})
  {
    const auto layout = small_stream();
    // The Murphy-Good test once needed the default mesh: the emission field was one point's
    // response times a surface shape normalised by a nearly vanishing field, re-sampled until it
    // oscillated (7e9 -> 3e10 V/m). With the response at every emission point it runs here.
    Electrostatics es(MPI_COMM_WORLD, mesh(), layout, {});
    OperatingPoint beam;
    beam.input_power = power;
    StreamCharging c(es, layout, beam, ChargingCoefficients::uniform(0.18), custom ? *custom : settings(mode),
                     &std::cout);
    const auto result = c.run();
    if (after)
      after(es);
    return result;
  }
} // namespace

TEST(Charging, BackscatterOnlyGrowsWithPower)
{
  const auto a = run(ChargingMode::backscatter_only, 20e3);
  const auto b = run(ChargingMode::backscatter_only, 46.2e3);
  std::printf("backscatter only: min potential %.4e V at 20 kW, %.4e V at 46.2 kW; max field %.3e V/m\n",
              a.final_state.potential_min(), b.final_state.potential_min(), b.final_state.field_abs_max());
  EXPECT_LT(a.final_state.potential_min(), 0.0);
  EXPECT_LT(b.final_state.potential_min(), a.final_state.potential_min());
  // Linear electrostatics: the ratio is the power ratio (to the solver tolerance).
  EXPECT_NEAR(b.final_state.potential_min() / a.final_state.potential_min(), 46.2 / 20, 1e-6);
  // The FE surface charge of each sphere equals the charge set (charge conservation of the solve).
  for (const auto &f : b.final_state.fields)
    EXPECT_NEAR(f.surface_charge, f.charge, 1e-8 * std::abs(f.charge));
}

TEST(Charging, ElectrodesAtPatchCentrePotential)
{
  const auto r = run(ChargingMode::backscatter_only);
  ASSERT_EQ(r.centre_potentials.size(), 2u);
  for (std::size_t l = 0; l < 2; ++l)
    {
      std::printf("layer %zu: electrode %.5e V, centre %.5e V, 1D sheet model %.5e V\n", l,
                  r.backscatter_only.electrode_potentials[l], r.centre_potentials[l], r.sheet_model_potentials[l]);
      EXPECT_NEAR(r.backscatter_only.electrode_potentials[l], r.centre_potentials[l],
                  1e-8 * std::abs(r.centre_potentials[l]));
    }
}

TEST(Charging, FieldCapConfirmedByFullSolve)
{
  auto s               = settings(ChargingMode::field_cap);
  s.field_cap_V_per_m  = 1e9;
  const auto r         = run(ChargingMode::field_cap, 46.2e3, &s);
  std::printf("field cap: %u confirming solves, %zu capped, min potential %.4e V (backscatter only %.4e V), "
              "max field %.4e V/m (backscatter only %.4e V/m)\n",
              r.iterations, r.capped.size(), r.final_state.potential_min(), r.backscatter_only.potential_min(),
              r.final_state.field_abs_max(), r.backscatter_only.field_abs_max());
  EXPECT_GT(r.backscatter_only.field_abs_max(), 1e9); // the cap is active
  std::vector<bool> at_zero(r.final_state.charges.size(), false);
  for (const auto i : r.infeasible)
    {
      // Reported: at zero charge, still above the cap from its neighbours' field alone.
      EXPECT_EQ(r.final_state.charges[i], 0.0);
      std::printf("sphere %zu at zero charge, field %.4e V/m\n", i, r.final_state.fields[i].field_abs_max);
      at_zero[i] = true;
    }
  for (std::size_t i = 0; i < r.final_state.charges.size(); ++i)
    {
      const double Q = r.final_state.charges[i], Q0 = r.backscatter_only.charges[i];
      EXPECT_LE(Q, 0.0);
      EXPECT_GE(Q, Q0); // |Q| <= |Q0|, Q0 < 0
      // The cap limits the emission-direction field (-min E.n on a negative sphere).
      if (!at_zero[i])
        {
          EXPECT_LE(r.final_state.emission_field(i), 1e9 * (1 + s.cap_tolerance));
        }
      // Charge bookkeeping: what is left plus what was emitted is what the beam brought.
      EXPECT_NEAR(Q - r.emitted_charge[i], Q0, 1e-12 * std::abs(Q0));
    }
  for (const auto i : r.capped)
    EXPECT_GE(r.final_state.emission_field(i), 1e9 * (1 - s.cap_tolerance));
  EXPECT_GT(r.final_state.potential_min(), r.backscatter_only.potential_min());
  // The tables (P at the backscatter-only state, E.n at every surface point at the final
  // state) reproduce the full solves (linearity). Bound: CG stops at 1e-12 relative residual;
  // the recovered surface field is a flux (error amplified by the operator's conditioning,
  // ~1e4 here), and the final fields are ~20x smaller than the backscatter-only ones they are
  // summed from (cancellation): ~1e-12 * 1e4 * 20 = 2e-7; 1e-6 allows that. Measured 2.7e-8.
  // A wrong table (e.g. electrodes not folded in) gives O(1).
  EXPECT_LT(r.model_error, 1e-6);
  EXPECT_GT(r.surface_points, 100 * r.final_state.charges.size());
}

TEST(Charging, MurphyGoodConservesChargeAndDischarges)
{
  const auto r = run(ChargingMode::murphy_good);
  std::printf("Murphy-Good (0 K): %u confirming solve(s), min potential %.4e V, max field %.4e V/m\n", r.iterations,
              r.final_state.potential_min(), r.final_state.field_abs_max());
  for (std::size_t i = 0; i < r.final_state.charges.size(); ++i)
    {
      const double Q = r.final_state.charges[i], Q0 = r.backscatter_only.charges[i];
      EXPECT_NEAR(Q, Q0 + r.emitted_charge[i], 1e-6 * std::abs(Q0));
      // Emission only removes electrons; a sphere polarised by its neighbours may end positive.
      EXPECT_GE(Q, Q0);
    }
  EXPECT_GT(r.final_state.potential_min(), r.backscatter_only.potential_min());
  // Cold emission needs a few GV/m: the exit fields lie between the onset (~1 GV/m) and the
  // backscatter-only fields.
  EXPECT_GT(r.final_state.field_abs_max(), 1e9);
  EXPECT_LT(r.final_state.field_abs_max(), r.backscatter_only.field_abs_max());
  EXPECT_LT(r.model_error, 1e-6); // as in FieldCapConfirmedByFullSolve
}

TEST(Charging, DwellConservesChargeAndHotSpheresFloatNearZero)
{
  // The coupled dwell with given temperature histories: the first sphere stays at 1100 K, the
  // others heat from 1100 K to 3000 K, where the thermionic current (Richardson-Dushman,
  // 4 pi r^2 A_0 T^2 exp(-phi / kT) = 2.4e-5 A) exceeds the beam's (~5e-7 A) fifty-fold: they
  // end near their thermionic balance, a few k T / e (0.26 V) from zero, far from the tens
  // of kV of the backscatter-only state.
  auto s = settings(ChargingMode::dwell);
  const std::size_t N = small_stream().spheres.size();
  s.emission.temperature_history_K.assign(N, {1100, 2000, 3000});
  s.emission.temperature_history_K[0] = {1100, 1100};
  const auto r = run(ChargingMode::dwell, 46.2e3, &s);
  ASSERT_EQ(r.dwell.size(), s.emission.time_steps + 1u);
  EXPECT_DOUBLE_EQ(r.dwell.back().temperature_K[1], 3000);
  double force_scale = 0;
  for (const auto &F : r.backscatter_only.forces)
    force_scale = std::max(force_scale, std::sqrt(F[0] * F[0] + F[1] * F[1] + F[2] * F[2]));
  ASSERT_GT(force_scale, 0);
  for (std::size_t i = 0; i < N; ++i)
    {
      const double Q = r.final_state.charges[i], Q0 = r.backscatter_only.charges[i];
      EXPECT_NEAR(Q, Q0 + r.emitted_charge[i], 1e-6 * std::abs(Q0));
      // The linear model's potentials at the exit against the confirming full solve.
      EXPECT_NEAR(r.dwell.back().potentials_V[i], r.final_state.potentials[i],
                  1e-6 * std::abs(r.backscatter_only.potential_min()));
      // Regression: the force form of the responses at the exit against the confirming full
      // solve's forces (the same discrete quantity; response tolerance 1e-8), on the scale of
      // the backscatter-only forces.
      ASSERT_EQ(r.dwell.back().forces_N.size(), N);
      for (int d = 0; d < 3; ++d)
        EXPECT_NEAR(r.dwell.back().forces_N[i][d], r.final_state.forces[i][d], 1e-5 * force_scale)
          << "sphere " << i << " component " << d;
      if (i > 0)
        {
          EXPECT_LT(std::abs(r.final_state.potentials[i]), 1e-3 * std::abs(r.backscatter_only.potential_min()));
        }
    }
  std::printf("dwell: exit potentials %.4e .. %.4e V (backscatter only %.4e V)\n", r.final_state.potential_min(),
              *std::max_element(r.final_state.potentials.begin(), r.final_state.potentials.end()),
              r.backscatter_only.potential_min());
}

TEST(Charging, FixedElectrodesSetThePotential)
{
  // Electrodes at given potentials (a different one per layer, so that a mix-up shows): the FE
  // potential on each electrode frame's surface is its Dirichlet value. Exact up to round-off:
  // every DoF of an electrode face is constrained to that value and the shape functions sum to 1,
  // so 1e-9 relative; a potential not applied, or applied to the other frame, is off by O(1).
  // The field-cap state is computed with them (model error as in FieldCapConfirmedByFullSolve).
  auto s                       = settings(ChargingMode::field_cap);
  s.electrodes                 = ElectrodeModel::fixed;
  s.fixed_electrode_potentials = {-2e3, -1e3};
  std::vector<double> sphere_potentials_in_place;
  std::vector<std::vector<PointSample>> on_frame; // per layer
  const auto r = run(ChargingMode::field_cap, 46.2e3, &s, [&](const Electrostatics &es) {
    sphere_potentials_in_place = es.sphere_potentials();
    // On each frame: the top face at the middle of each of its four bars, and the inner face
    // (towards the patch) at the layer's height.
    for (const auto &f : meshing::auxiliary_electrodes(small_stream(), meshing::ElectrodeParameters{}))
      {
        const double xm = 0.5 * (f.inner_lower[0] + f.inner_upper[0]), ym = 0.5 * (f.inner_lower[1] + f.inner_upper[1]);
        const double top = f.outer_upper[2], mid = 0.5 * (f.outer_lower[2] + f.outer_upper[2]);
        const std::vector<Point3> points{{0.5 * (f.inner_upper[0] + f.outer_upper[0]), ym, top},
                                         {0.5 * (f.inner_lower[0] + f.outer_lower[0]), ym, top},
                                         {xm, 0.5 * (f.inner_upper[1] + f.outer_upper[1]), top},
                                         {xm, 0.5 * (f.inner_lower[1] + f.outer_lower[1]), top},
                                         {f.inner_upper[0], ym, mid}};
        on_frame.resize(std::max<std::size_t>(on_frame.size(), f.layer + 1));
        on_frame[f.layer] = es.sample_points(points);
      }
  });
  // The solution in place is the final state's.
  ASSERT_EQ(sphere_potentials_in_place.size(), r.final_state.potentials.size());
  for (std::size_t i = 0; i < sphere_potentials_in_place.size(); ++i)
    EXPECT_NEAR(sphere_potentials_in_place[i], r.final_state.potentials[i], 1e-9 * 2e3) << "sphere " << i;
  ASSERT_EQ(on_frame.size(), 2u);
  for (std::size_t l = 0; l < 2; ++l)
    {
      const double V = s.fixed_electrode_potentials[l];
      EXPECT_EQ(r.backscatter_only.electrode_potentials[l], V);
      EXPECT_EQ(r.final_state.electrode_potentials[l], V);
      for (const auto &p : on_frame[l])
        {
          ASSERT_TRUE(p.found) << "layer " << l << ": point on the frame not in the mesh";
          EXPECT_NEAR(p.potential, V, 1e-9 * std::abs(V))
            << "layer " << l << " at (" << p.point[0] << ", " << p.point[1] << ", " << p.point[2] << ")";
        }
    }
  double mean = 0;
  for (const double p : r.final_state.potentials)
    mean += p / r.final_state.potentials.size();
  std::printf("fixed electrodes at -2 / -1 kV: field-cap sphere potentials mean %.4e V, min %.4e V "
              "(backscatter only %.4e V)\n",
              mean, r.final_state.potential_min(), r.backscatter_only.potential_min());
  EXPECT_LT(r.model_error, 1e-6); // as in FieldCapConfirmedByFullSolve
  EXPECT_GT(r.final_state.potential_min(), r.backscatter_only.potential_min());
}

TEST(Charging, BadSettings)
{
  auto s              = settings(ChargingMode::field_cap);
  s.field_cap_V_per_m = -1;
  EXPECT_THROW(run(ChargingMode::field_cap, 46.2e3, &s), InputError);
  EXPECT_THROW(charging_mode_from_string("cap"), InputError);
}
