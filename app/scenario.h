#pragma once
// A scenario: every parameter of one run, read from a .prm file (deal.II ParameterHandler),
// checked once, converted to the plain parameter structs of each module. SI units inside.
// Each section has a declare/parse pair in its own parameters_<section>.cc (ASPECT style).
// The member initialisers below (and those of the module structs) are the parameters' defaults:
// the declarations print them (parameter_defaults.h); checks and their wording: parameter_checks.h.
#include "mc/physics_tables.h"
#include "mc/transport.h"
#include "meshing/mesher.h"
#include "layout/stream_layout.h"
#include "solver/charge_history.h"
#include "solver/charging.h"
#include "solver/electrostatics.h"
#include "solver/operating_point.h"
#include "solver/paper_inputs.h"
#include "solver/self_consistent_charging.h"
#include "solver/stream_field_sampling.h"
#include "solver/power_limits.h"
#include "solver/thermal.h"
#include "solver/thermal_material.h"

#include <deal.II/base/parameter_handler.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace mpstream::app
{
  // The tube's operating point and the stream's motion through the focal spot: one type for
  // every stage (solver/operating_point.h).
  using solver::OperatingPoint;

  struct OutputParameters
  {
    std::filesystem::path directory; // empty: results/<scenario name>
    bool write_vtu = true;
    bool write_mesh_file = true; // mesh.msh (MSH 2.2); the stage cache keeps the mesh either way
  };

  // A scenario's transient goes on for 1 us after the focal-spot exit to measure how fast the
  // temperature evens out (the solver's own default, 0, skips that).
  inline solver::ThermalSettings scenario_thermal_settings()
  {
    solver::ThermalSettings settings;
    settings.relaxation_time_s = 1e-6;
    return settings;
  }

  // Thermal and Power limits sections (issue 6; parameters_thermal.cc).
  struct ThermalParameters
  {
    solver::ThermalSettings settings = scenario_thermal_settings();
    solver::TungstenThermalMaterial::Options material;
    std::string source_model = "monte carlo"; // | exponential depth | uniform
    std::uint64_t mc_histories = 20000;
    std::size_t mc_grid_cells = 10;
    double source_decay_length_m = 2e-6;
    bool transient_limit = false;
    std::vector<double> transient_limit_voltages; // V; empty: operating point only
    bool whole_stream = true;                     // every sphere of the Geometry's stream
    bool whole_stream_periodic = true;            // ... repeated laterally (hexagonal layouts)
    unsigned whole_stream_refinements = 0;
    std::uint64_t whole_stream_mc_histories = 200000;
    unsigned threads = 0;                         // per rank; 0: automatic (app/thread_budget.h)
  };

  struct PowerLimitParameters
  {
    solver::ShieldingTable table = solver::paper::table_1();
    solver::StreamParameters stream;
    double sweep_min_V = 30e3, sweep_max_V = 300e3, sweep_step_V = 2e3;
    // S and bare-anode eta_E: automatic = the table where it applies (radius 2.5 um, tube voltage
    // within its voltages), else the MC (app/stage_power_limits.cc).
    enum class CoefficientSource
    {
      automatic,
      table,
      monte_carlo
    } coefficients = CoefficientSource::automatic;
    std::uint64_t mc_histories = 20000;
  };

  // Monte Carlo section (issue 4; parameters_mc.cc).
  struct MonteCarloParameters
  {
    std::uint64_t histories = 100000;
    std::uint64_t seed      = 1;
    unsigned threads        = 0;     // per rank; 0: automatic (app/thread_budget.h)
    bool bulk               = false; // true: W half-space only; false: the Geometry section
    std::vector<double> tube_voltages; // V; empty: Operating point/Tube voltage
    double incidence_angle_rad = 0;
    mc::PhysicsOptions physics;
    mc::TransportOptions transport;
    std::size_t grid_cells = 0, profile_nx = 60, profile_nz = 200;
    double profile_bottom_m = -15e-6;
    // Field = electrostatics: electrons fly through the field of the Electrostatics section's
    // charge state, sampled on a grid over the stream (solver/stream_field_sampling.h).
    bool field_from_electrostatics = false;
    solver::FieldSamplingSettings field_grid;
    mc::FieldFlightOptions field_flight;
  };

  // Electrostatics section (issue 3; parameters_electrostatics.cc).
  enum class ChargeMode
  {
    uniform,
    per_layer,
    per_sphere_file
  };
  struct ElectrostaticsScenario
  {
    ChargeMode charge_mode = ChargeMode::uniform;
    double sphere_charge   = -1e-15;             // C
    std::vector<double> layer_charges;           // C, by layer
    std::filesystem::path sphere_charge_file;    // CSV sphere,charge
    std::vector<double> electrode_potentials;    // V, by layer
    double space_charge_density = 0;             // C/m^3
    solver::ElectrostaticsParameters solver;
    bool capacitance_matrix     = false;
    unsigned int profile_points = 200;
    unsigned int section_points = 60;
  };

  // Charging section (issue 5; parameters_charging.cc).
  // Where the charging stage's per-sphere q comes from: one stream Monte Carlo run at the
  // operating point, or the typed Charging/q_muP (studies).
  enum class ChargeSource
  {
    monte_carlo,
    q_muP
  };

  struct ChargingScenario
  {
    ChargeSource charge_source = ChargeSource::monte_carlo;
    // Monte Carlo charge source for a finite patch: true = the focal-spot interior (the stream
    // made laterally periodic, q per layer); false = the isolated patch itself, per sphere.
    bool mc_periodic_embedding = true;
    solver::ChargingSettings settings;
    std::vector<double> q_muP{0.172}; // one value, or one per layer; our MC curve A
                                      // (doc/figures/mc_fig11b.csv) at 132 kV
    double temperature_K = 0;
    unsigned int profile_points = 200;
    unsigned int section_points = 60;
    // Self-consistent field: q from Monte Carlos through the field of the stream's own charge
    // states, iterated to a fixed point (solver/self_consistent_charging.h, doc/charging.md).
    bool self_consistent_field = false;
    solver::SelfConsistentSettings self_consistent;
  };

  // Emission section (issue 13; parameters_emission.cc): the `mpstream emission` table grid.
  struct EmissionScenario
  {
    std::vector<double> fields_V_per_m{1e8, 5e8, 1e9, 2e9, 3e9, 4e9, 5e9};
    std::vector<double> temperatures_K{0, 1000, 2000, 3000, 3695};
    double work_function_eV = 4.5;
  };

  // Dynamics section (issue 14; parameters_dynamics.cc): the spheres' translation over the dwell.
  enum class ThresholdAction
  {
    stop,    // the fixed mesh no longer describes the moved layout: stop and report
    continue_ // go on with the forces of the initial layout (an estimate of the contact times)
  };
  struct DynamicsScenario
  {
    bool enabled = false; // part of `mpstream run`; `mpstream dynamics` runs it anyway
    // rho_W at 293.15 K (REFERENCE_DATA.md: Tolias 2017, 19.25 g/cm^3): the mass of a sphere
    // of the nominal radius; its thermal expansion over the dwell keeps the mass.
    double density_kg_per_m3 = 19250;
    double time_step_s       = 1e-9;
    double end_time_s        = 0;    // 0: the dwell (Operating point: focal spot width / speed)
    double output_interval_s = 10e-9; // dynamics.csv and the VTP series
    double displacement_fraction = 0.5;
    ThresholdAction on_threshold = ThresholdAction::stop;
    solver::ChargeHistoryKind charge_history = solver::ChargeHistoryKind::discharged;
    std::vector<solver::ChargeHistoryKind> other_histories; // summary keys only
  };

  struct Scenario
  {
    std::filesystem::path file;        // the .prm it came from
    std::string name;                  // file stem
    std::vector<std::string> overrides; // --set "Section/Name=value", as given

    layout::LayoutParameters layout;
    meshing::EnclosureParameters enclosure;
    meshing::ElectrodeParameters electrodes;
    meshing::MeshParameters mesh;
    OperatingPoint operating_point;
    OutputParameters output;
    ThermalParameters thermal;
    PowerLimitParameters power_limits;
    MonteCarloParameters monte_carlo;
    ElectrostaticsScenario electrostatics;
    ChargingScenario charging;
    EmissionScenario emission;
    DynamicsScenario dynamics;
  };

  // Declares every section's parameters with defaults, ranges and documentation.
  void declare_parameters(dealii::ParameterHandler &prm);

  // Reads the file, applies the overrides, checks every value; throws InputError naming the
  // parameter, the value and the allowed range. The handler keeps the values (for echoing).
  Scenario read_scenario(const std::filesystem::path &file, const std::vector<std::string> &overrides,
                         dealii::ParameterHandler &prm);

  // Section pairs (parameters_<section>.cc).
  void declare_geometry_parameters(dealii::ParameterHandler &prm);
  void parse_geometry_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
  void declare_mesh_parameters(dealii::ParameterHandler &prm);
  void parse_mesh_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
  void declare_operating_point_parameters(dealii::ParameterHandler &prm);
  void parse_operating_point_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
  void declare_thermal_parameters(dealii::ParameterHandler &prm); // Thermal + Power limits
  void parse_thermal_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
  void declare_mc_parameters(dealii::ParameterHandler &prm); // Monte Carlo
  void parse_mc_parameters(dealii::ParameterHandler &prm, Scenario &scenario);

  void declare_electrostatics_parameters(dealii::ParameterHandler &prm); // Electrostatics
  void parse_electrostatics_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
  void declare_charging_parameters(dealii::ParameterHandler &prm); // Charging
  void parse_charging_parameters(dealii::ParameterHandler &prm, Scenario &scenario);

  void declare_dynamics_parameters(dealii::ParameterHandler &prm); // Dynamics
  void parse_dynamics_parameters(dealii::ParameterHandler &prm, Scenario &scenario);

  void declare_emission_parameters(dealii::ParameterHandler &prm); // Emission
  void parse_emission_parameters(dealii::ParameterHandler &prm, Scenario &scenario);
} // namespace mpstream::app
