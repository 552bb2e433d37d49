// One source for each default: an empty .prm must give exactly the default-constructed structs
// (the declarations print their defaults from the struct initialisers, app/parameter_defaults.h),
// and every parameter error reads "Section/Name = value: must ...".
#include "app/parameter_defaults.h"
#include "app/quantity_names.h"
#include "app/scenario.h"
#include "common/error.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <random>

using namespace mpstream;
using namespace mpstream::app;

namespace
{
  Scenario read(const std::string &text, const std::vector<std::string> &overrides = {})
  {
    const std::filesystem::path file = std::filesystem::path(testing::TempDir()) / "parameter_defaults.prm";
    std::ofstream(file) << text;
    dealii::ParameterHandler prm;
    return read_scenario(file, overrides, prm);
  }

  std::string error_of(const std::vector<std::string> &overrides)
  {
    try
      {
        read("", overrides);
      }
    catch (const QuantityError &e) // a library's check, named as main() names it
      {
        return describe_quantity_error(e);
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace

#define EXPECT_FIELD(parsed, defaults, field) EXPECT_EQ((parsed).field, (defaults).field) << #field

TEST(ParameterDefaults, EmptyPrmGivesTheDefaultStructs)
{
  const Scenario s = read("");
  const Scenario d;

  const auto &l = s.layout;
  const auto &ld = d.layout;
  EXPECT_FIELD(l, ld, kind);
  EXPECT_FIELD(l, ld, sphere_radius);
  EXPECT_FIELD(l, ld, rows);
  EXPECT_FIELD(l, ld, spheres_per_row);
  EXPECT_FIELD(l, ld, n_layers);
  EXPECT_FIELD(l, ld, stream_thickness);
  EXPECT_FIELD(l, ld, anode_gap);
  EXPECT_FIELD(l, ld, lateral_clearance);
  EXPECT_FIELD(l, ld, layer_seed);
  EXPECT_FIELD(l, ld, periodic);
  EXPECT_FIELD(l, ld, anode_present);
  EXPECT_FIELD(l, ld, sphere_file);

  EXPECT_FIELD(s, d, enclosure.size_x);
  EXPECT_FIELD(s, d, enclosure.size_y);
  EXPECT_FIELD(s, d, enclosure.height);
  EXPECT_FIELD(s, d, enclosure.floor);

  EXPECT_FIELD(s, d, electrodes.enabled);
  EXPECT_FIELD(s, d, electrodes.gap);
  EXPECT_FIELD(s, d, electrodes.width);
  EXPECT_FIELD(s, d, electrodes.thickness);
  EXPECT_FIELD(s, d, electrodes.shape);
  EXPECT_FIELD(s, d, electrodes.wall_node_spacing);

  EXPECT_FIELD(s, d, mesh.elements_per_radius);
  EXPECT_FIELD(s, d, mesh.growth_rate);
  EXPECT_FIELD(s, d, mesh.growth_exponent);
  EXPECT_FIELD(s, d, mesh.maximum_size);
  EXPECT_FIELD(s, d, mesh.maximum_size_above_stream);
  EXPECT_FIELD(s, d, mesh.order);
  EXPECT_FIELD(s, d, mesh.threads);
  EXPECT_FIELD(s, d, mesh.minimum_gap_fraction);
  EXPECT_FIELD(s, d, mesh.volume_algorithm);

  EXPECT_FIELD(s, d, operating_point.tube_voltage);
  EXPECT_FIELD(s, d, operating_point.input_power);
  EXPECT_FIELD(s, d, operating_point.focal_spot_width);
  EXPECT_FIELD(s, d, operating_point.focal_spot_length);
  EXPECT_FIELD(s, d, operating_point.stream_speed);

  EXPECT_FIELD(s, d, output.directory);
  EXPECT_FIELD(s, d, output.write_vtu);
}

TEST(ParameterDefaults, ThermalAndPowerLimits)
{
  const Scenario s = read("");
  const Scenario d;
  const auto &t  = s.thermal;
  const auto &td = d.thermal;
  EXPECT_FIELD(t, td, settings.sphere_radius_m);
  EXPECT_FIELD(t, td, settings.initial_temperature_K);
  EXPECT_DOUBLE_EQ(t.settings.heating_time_s, td.settings.heating_time_s); // W_CS / v_muP
  EXPECT_FIELD(t, td, settings.relaxation_time_s);
  EXPECT_FIELD(t, td, settings.refinements);
  EXPECT_FIELD(t, td, settings.fe_degree);
  EXPECT_FIELD(t, td, settings.initial_time_step_s);
  EXPECT_FIELD(t, td, settings.minimum_time_step_s);
  EXPECT_FIELD(t, td, settings.maximum_time_step_s);
  EXPECT_FIELD(t, td, settings.time_error_tolerance_K);
  EXPECT_FIELD(t, td, settings.max_newton_iterations);
  EXPECT_FIELD(t, td, settings.newton_tolerance_K);
  EXPECT_FIELD(t, td, settings.reuse_jacobian);
  EXPECT_FIELD(t, td, settings.equalization_fraction);
  EXPECT_FIELD(t, td, settings.source_power_W);
  EXPECT_FIELD(t, td, settings.probes);
  EXPECT_FIELD(t, td, material.density_kg_per_m3);
  EXPECT_FIELD(t, td, material.melting_half_width_K);
  EXPECT_FIELD(t, td, material.environment_temperature_K);
  EXPECT_FIELD(t, td, material.emissivity_scale);
  EXPECT_FIELD(t, td, material.surface_heat_transfer_W_per_m2K);
  EXPECT_FIELD(t, td, material.latent_heat);
  EXPECT_FIELD(t, td, source_model);
  EXPECT_FIELD(t, td, mc_histories);
  EXPECT_FIELD(t, td, mc_grid_cells);
  EXPECT_FIELD(t, td, source_decay_length_m);
  EXPECT_FIELD(t, td, transient_limit);
  EXPECT_FIELD(t, td, transient_limit_voltages);
  EXPECT_FIELD(t, td, whole_stream);
  EXPECT_FIELD(t, td, whole_stream_periodic);
  EXPECT_FIELD(t, td, whole_stream_refinements);
  EXPECT_FIELD(t, td, whole_stream_mc_histories);
  EXPECT_FIELD(t, td, threads);

  const auto &p  = s.power_limits;
  const auto &pd = d.power_limits;
  EXPECT_FIELD(p, pd, table.tube_voltage_V);
  EXPECT_FIELD(p, pd, table.S_muP);
  EXPECT_FIELD(p, pd, table.S_anode);
  EXPECT_FIELD(p, pd, table.one_minus_etaE_bare_anode);
  EXPECT_FIELD(p, pd, stream.sphere_radius_m);
  EXPECT_FIELD(p, pd, stream.operating_point.focal_spot_width);
  EXPECT_FIELD(p, pd, stream.operating_point.focal_spot_length);
  EXPECT_FIELD(p, pd, stream.operating_point.stream_speed);
  EXPECT_FIELD(p, pd, stream.entry_temperature_K);
  EXPECT_FIELD(p, pd, stream.maximum_temperature_K);
  EXPECT_FIELD(p, pd, stream.melting_allowed);
  EXPECT_FIELD(p, pd, stream.density_kg_per_m3);
  EXPECT_FIELD(p, pd, stream.reference_anode_power_W);
  EXPECT_FIELD(p, pd, sweep_min_V);
  EXPECT_FIELD(p, pd, sweep_max_V);
  EXPECT_FIELD(p, pd, sweep_step_V);
  EXPECT_FIELD(p, pd, coefficients);
  EXPECT_FIELD(p, pd, mc_histories);
}

TEST(ParameterDefaults, MonteCarlo)
{
  const auto m  = read("").monte_carlo;
  const auto md = MonteCarloParameters{};
  EXPECT_FIELD(m, md, histories);
  EXPECT_FIELD(m, md, seed);
  EXPECT_FIELD(m, md, threads);
  EXPECT_FIELD(m, md, bulk);
  EXPECT_FIELD(m, md, tube_voltages);
  EXPECT_FIELD(m, md, incidence_angle_rad);
  EXPECT_FIELD(m, md, physics.max_energy_eV);
  EXPECT_FIELD(m, md, physics.C1);
  EXPECT_FIELD(m, md, transport.cutoff_energy_eV);
  EXPECT_FIELD(m, md, transport.C2);
  EXPECT_FIELD(m, md, transport.max_step_m);
  EXPECT_FIELD(m, md, transport.range_rejection_m);
  EXPECT_FIELD(m, md, transport.seed);
  EXPECT_FIELD(m, md, transport.secondary_emission);
  EXPECT_FIELD(m, md, grid_cells);
  EXPECT_FIELD(m, md, profile_nx);
  EXPECT_FIELD(m, md, profile_nz);
  EXPECT_FIELD(m, md, profile_bottom_m);
  EXPECT_FIELD(m, md, field_from_electrostatics);
  EXPECT_FIELD(m, md, field_grid.spacing_m);
  EXPECT_FIELD(m, md, field_grid.height_above_stream_m);
  EXPECT_FIELD(m, md, field_flight.step_fraction);
}

TEST(ParameterDefaults, ElectrostaticsAndCharging)
{
  const Scenario s = read("");
  const auto &e  = s.electrostatics;
  const auto ed  = ElectrostaticsScenario{};
  EXPECT_FIELD(e, ed, charge_mode);
  EXPECT_FIELD(e, ed, sphere_charge);
  EXPECT_FIELD(e, ed, layer_charges);
  EXPECT_FIELD(e, ed, sphere_charge_file);
  EXPECT_FIELD(e, ed, electrode_potentials);
  EXPECT_FIELD(e, ed, space_charge_density);
  EXPECT_FIELD(e, ed, solver.fe_degree);
  EXPECT_FIELD(e, ed, solver.curved_spheres);
  EXPECT_FIELD(e, ed, solver.relative_tolerance);
  EXPECT_FIELD(e, ed, solver.response_tolerance);
  EXPECT_FIELD(e, ed, solver.responses_by_unit_potentials);
  EXPECT_FIELD(e, ed, solver.max_iterations);
  EXPECT_FIELD(e, ed, solver.amg_strong_threshold);
  EXPECT_FIELD(e, ed, solver.amg_coarsening);
  EXPECT_FIELD(e, ed, solver.straighten_inverted_cells);
  EXPECT_FIELD(e, ed, solver.wall_node_heights);
  EXPECT_FIELD(e, ed, solver.surface_recovery_rings);
  EXPECT_FIELD(e, ed, capacitance_matrix);
  EXPECT_FIELD(e, ed, profile_points);
  EXPECT_FIELD(e, ed, section_points);

  const auto &c  = s.charging;
  const auto cd  = ChargingScenario{};
  EXPECT_FIELD(c, cd, settings.mode);
  EXPECT_FIELD(c, cd, settings.field_cap_V_per_m);
  EXPECT_FIELD(c, cd, settings.cap_tolerance);
  EXPECT_FIELD(c, cd, settings.max_iterations);
  EXPECT_FIELD(c, cd, settings.max_refreshes);
  EXPECT_FIELD(c, cd, settings.electrodes);
  EXPECT_FIELD(c, cd, settings.fixed_electrode_potentials);
  EXPECT_FIELD(c, cd, settings.centre_radius_pitches);
  EXPECT_FIELD(c, cd, settings.wall_gap_m);
  EXPECT_FIELD(c, cd, settings.plate_lower_z);
  EXPECT_FIELD(c, cd, settings.plate_upper_z);
  EXPECT_FIELD(c, cd, settings.points.uniform_points);
  EXPECT_FIELD(c, cd, settings.points.patch_points);
  EXPECT_FIELD(c, cd, settings.points.patch_half_angle_rad);
  EXPECT_FIELD(c, cd, settings.points.neighbour_gap_radii);
  EXPECT_FIELD(c, cd, settings.points.anode_gap_radii);
  EXPECT_FIELD(c, cd, settings.points.weight_lattice);
  EXPECT_FIELD(c, cd, settings.emission.work_function_eV);
  EXPECT_FIELD(c, cd, settings.emission.temperature_K);
  EXPECT_FIELD(c, cd, settings.emission.time_steps);
  EXPECT_FIELD(c, cd, settings.emission.max_newton);
  EXPECT_FIELD(c, cd, settings.emission.newton_tolerance);
  EXPECT_FIELD(c, cd, settings.sweep_tube_voltages_V);
  EXPECT_FIELD(c, cd, settings.sweep_q_muP);
  EXPECT_FIELD(c, cd, settings.sweep_electrode_potentials_V);
  EXPECT_FIELD(c, cd, q_muP);
  EXPECT_FIELD(c, cd, charge_source);
  EXPECT_FIELD(c, cd, mc_periodic_embedding);
  EXPECT_FIELD(c, cd, temperature_K);
  EXPECT_FIELD(c, cd, profile_points);
  EXPECT_FIELD(c, cd, section_points);
  EXPECT_FIELD(c, cd, self_consistent_field);
  EXPECT_FIELD(c, cd, self_consistent.max_iterations);
  EXPECT_FIELD(c, cd, self_consistent.tolerance);
  EXPECT_FIELD(c, cd, self_consistent.damping);
  EXPECT_FIELD(c, cd, self_consistent.anderson_depth);
  EXPECT_FIELD(c, cd, self_consistent.method);
  EXPECT_FIELD(c, cd, self_consistent.growth.growth_steps);
  EXPECT_FIELD(c, cd, self_consistent.growth.potential_step_V);
  EXPECT_FIELD(c, cd, self_consistent.growth.cutoff_band_V);
}

TEST(ParameterDefaults, Dynamics)
{
  const Scenario s = read("");
  const auto &y  = s.dynamics;
  const auto yd  = DynamicsScenario{};
  EXPECT_FIELD(y, yd, enabled);
  EXPECT_FIELD(y, yd, density_kg_per_m3);
  EXPECT_FIELD(y, yd, time_step_s);
  EXPECT_FIELD(y, yd, end_time_s);
  EXPECT_FIELD(y, yd, output_interval_s);
  EXPECT_FIELD(y, yd, displacement_fraction);
  EXPECT_FIELD(y, yd, on_threshold);
  EXPECT_FIELD(y, yd, charge_history);
  EXPECT_FIELD(y, yd, other_histories);
}

TEST(ParameterChecks, DynamicsBadInput)
{
  EXPECT_EQ(error_of({"Dynamics/Tungsten density [kg/m^3]=0"}), "Dynamics/Tungsten density [kg/m^3] = 0: must be > 0");
  EXPECT_EQ(error_of({"Dynamics/Time step [s]=-1e-9"}), "Dynamics/Time step [s] = -1e-9: must be > 0");
  EXPECT_EQ(error_of({"Dynamics/Displacement fraction=1"}), "Dynamics/Displacement fraction = 1: must be in (0, 1)");
  EXPECT_EQ(error_of({"Dynamics/Other charge histories=constant, sideways"}),
            "Dynamics/Other charge histories = constant, sideways: must list backscatter only, discharged, dwell "
            "and/or constant");
}

TEST(ParameterDefaults, NumbersReadBackExactlyInTheUsualStyle)
{
  EXPECT_EQ(prm_default(1e9), "1e9");
  EXPECT_EQ(prm_default(132e3), "132e3");
  EXPECT_EQ(prm_default(46.2e3), "46.2e3");
  EXPECT_EQ(prm_default(450e-6), "450e-6");
  EXPECT_EQ(prm_default(-1e-15), "-1e-15");
  EXPECT_EQ(prm_default(0.172), "0.172");
  EXPECT_EQ(prm_default(1073.15), "1073.15");
  EXPECT_EQ(prm_default(0.0), "0");
  EXPECT_EQ(prm_default(4670e-6, -6), "4670e-6");
  EXPECT_EQ(prm_default(0.5e-6, -6), "0.5e-6");
  EXPECT_EQ(prm_default(2e3, 3), "2e3");
  EXPECT_EQ(prm_default(std::vector<double>{30e3, 0.566}), "30e3, 0.566");
  EXPECT_EQ(prm_default(std::vector<double>{}), "");
  std::mt19937_64 random(1);
  std::uniform_real_distribution<double> exponent(-300, 300), mantissa(-10, 10);
  for (int n = 0; n < 10000; ++n)
    {
      const double x = mantissa(random) * std::pow(10.0, exponent(random));
      EXPECT_EQ(std::strtod(prm_default(x).c_str(), nullptr), x) << prm_default(x);
    }
}

TEST(ParameterChecks, OneWording)
{
  EXPECT_EQ(error_of({"Charging/Field cap [V/m]=-1"}), "Charging/Field cap [V/m] = -1: must be > 0");
  EXPECT_EQ(error_of({"Charging/Work function [eV]=30"}), "Charging/Work function [eV] = 30: must be in (0, 20)");
  EXPECT_EQ(error_of({"Electrostatics/Sphere charge [C]=1e-15x"}),
            "Electrostatics/Sphere charge [C] = 1e-15x: must be a finite number");
  EXPECT_EQ(error_of({"Geometry/Sphere radius [m]=0"}), "Geometry/Sphere radius [m] = 0: must be > 0");
  EXPECT_EQ(error_of({"Charging/Sweep tube voltages [V]=100e3, 120e3", "Charging/Sweep q_muP=0.1, 0.2, 0.3"}),
            "Charging/Sweep q_muP = 0.1, 0.2, 0.3: must have 1 value or one per Charging/Sweep tube voltages [V] (2)");
  EXPECT_EQ(error_of({"Power limits/Sweep minimum tube voltage [V]=10e3"}),
            "Power limits/Sweep minimum tube voltage [V] = 10e3: must be in [30e3, 300e3]");
}
