#pragma once
// A scenario: every parameter of one run, read from a .prm file (deal.II ParameterHandler),
// checked once, converted to the plain parameter structs of each module. SI units inside.
// Each section has a declare/parse pair in its own parameters_<section>.cc (ASPECT style).
#include "mc/physics_tables.h"
#include "mc/transport.h"
#include "meshing/mesher.h"
#include "meshing/stream_layout.h"
#include "solver/charging.h"
#include "solver/electrostatics.h"
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
  // The tube's operating point and the stream's motion through the focal spot (FS).
  struct OperatingPoint
  {
    double tube_voltage      = 132e3;   // V
    double input_power       = 46.2e3;  // W
    double focal_spot_width  = 450e-6;  // m, W_CS, along the stream's motion
    double focal_spot_length = 4670e-6; // m, L_CS
    double stream_speed      = 100;     // m/s, v_muP
    double dwell_time() const { return focal_spot_width / stream_speed; }
    double beam_current() const { return input_power / tube_voltage; }
    double current_density() const { return beam_current() / (focal_spot_width * focal_spot_length); }
  };

  struct OutputParameters
  {
    std::filesystem::path directory; // empty: results/<scenario name>
    bool write_vtu = true;
  };

  // Thermal and Power limits sections (issue 6; parameters_thermal.cc).
  struct ThermalParameters
  {
    solver::ThermalSettings settings;
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
    unsigned threads = 0;                         // per rank; 0: hardware threads / ranks
  };

  struct PowerLimitParameters
  {
    solver::ShieldingTable table;
    solver::StreamParameters stream;
    double sweep_min_V = 30e3, sweep_max_V = 300e3, sweep_step_V = 2e3;
    bool monte_carlo_coefficients = false;  // S and bare-anode eta_E from the MC, not the table
    std::uint64_t mc_histories = 20000;
  };

  // Monte Carlo section (issue 4; parameters_mc.cc).
  struct MonteCarloParameters
  {
    std::uint64_t histories = 100000;
    std::uint64_t seed      = 1;
    unsigned threads        = 0;     // 0: all hardware threads
    bool bulk               = false; // true: W half-space only; false: the Geometry section
    std::vector<double> tube_voltages; // V; empty: Operating point/Tube voltage
    double incidence_angle_rad = 0;
    mc::PhysicsOptions physics;
    mc::TransportOptions transport;
    std::size_t grid_cells = 0, profile_nx = 60, profile_nz = 200;
    double profile_bottom_m = -15e-6;
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
  struct ChargingScenario
  {
    solver::ChargingSettings settings;
    std::vector<double> q_muP{0.18}; // one value, or one per layer
    double temperature_K = 0;
    unsigned int profile_points = 200;
    unsigned int section_points = 60;
  };

  // Emission section (issue 13; parameters_emission.cc): the `mpstream emission` table grid.
  struct EmissionScenario
  {
    std::vector<double> fields_V_per_m;
    std::vector<double> temperatures_K;
    double work_function_eV = 4.5;
  };

  struct Scenario
  {
    std::filesystem::path file;        // the .prm it came from
    std::string name;                  // file stem
    std::vector<std::string> overrides; // --set "Section/Name=value", as given

    meshing::LayoutParameters layout;
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

  void declare_emission_parameters(dealii::ParameterHandler &prm); // Emission
  void parse_emission_parameters(dealii::ParameterHandler &prm, Scenario &scenario);

  // Helpers for parse functions: checks beyond a Pattern's range (strictly positive, finite).
  double positive(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name);
} // namespace mpstream::app
