#include "app/quantity_names.h"

namespace mpstream::app
{
  const std::map<std::string, std::string> &quantity_parameters()
  {
    static const std::map<std::string, std::string> parameter = {
      // Geometry, mesh, enclosure, electrodes (meshing/)
      {"sphere_radius_m", "Geometry/Sphere radius [m]"},
      {"stream_thickness_m", "Geometry/Stream thickness [m]"},
      {"rows", "Geometry/Rows"},
      {"sphere_file", "Geometry/Sphere file"},
      {"enclosure_floor_m", "Enclosure/Floor without anode [m]"},
      {"wall_node_spacing_m", "Auxiliary electrodes/Wall node spacing [m]"},
      {"electrode_gap_m", "Auxiliary electrodes/Gap [m]"},
      {"electrode_thickness_m", "Auxiliary electrodes/Thickness [m]"},
      // Operating point
      {"tube_voltage_V", "Operating point/Tube voltage [V]"},
      {"input_power_W", "Operating point/Input power [W]"},
      {"focal_spot_width_m", "Operating point/Focal spot width [m]"},
      {"focal_spot_length_m", "Operating point/Focal spot length [m]"},
      {"stream_speed_m_per_s", "Operating point/Stream speed [m/s]"},
      // Power limits (solver/power_limits)
      {"shielding_table_rows", "Power limits/Tube voltages [V]"},
      {"shielding_table_column_length", "Power limits/Tube voltages [V]"},
      {"shielding_table_tube_voltage_V", "Power limits/Tube voltages [V]"},
      {"shielding_table_S_muP", "Power limits/S_muP"},
      {"shielding_table_S_anode", "Power limits/S_anode"},
      {"shielding_table_one_minus_etaE_bare_anode", "Power limits/Bare anode 1 - eta_E"},
      {"entry_temperature_K", "Thermal/Entry temperature [K]"},
      {"maximum_temperature_K", "Power limits/Maximum temperature [K]"},
      {"tungsten_density_kg_per_m3", "Power limits/Tungsten density [kg/m^3]"},
      {"reference_anode_power_W", "Power limits/Reference anode input power [W]"},
      {"sweep_tube_voltage_step_V", "Power limits/Sweep tube voltage step [V]"},
      {"sweep_maximum_tube_voltage_V", "Power limits/Sweep maximum tube voltage [V]"},
      // Monte Carlo (mc/)
      {"cutoff_energy_eV", "Monte Carlo/Cut-off energy [eV]"},
      {"step_fraction_C2", "Monte Carlo/Step fraction C2"},
      {"range_rejection_m", "Monte Carlo/Range rejection [m]"},
      {"max_step_m", "Monte Carlo/Maximum step [m]"},
      {"histories", "Monte Carlo/Histories"},
      {"elastic_hardness_C1", "Monte Carlo/Elastic hardness C1"},
      // Charging and electrostatics (solver/)
      {"charging_mode", "Charging/Mode"},
      {"electrode_model", "Charging/Electrodes"},
      {"centre_radius_pitches", "Charging/Patch centre radius [pitches]"},
      {"cap_tolerance", "Charging/Cap tolerance"},
      {"field_cap_solver", "Charging/Field cap solver"},
      {"field_cap_tolerance", "Charging/Cap tolerance"},
      {"charging_max_iterations", "Charging/Maximum iterations"},
      {"emission_time_steps", "Charging/Time steps"},
      {"field_cap_V_per_m", "Charging/Field cap [V/m]"},
      {"fixed_electrode_potentials_V", "Charging/Fixed electrode potentials [V]"},
      {"fe_degree", "Electrostatics/FE degree"},
      {"self_consistent_iterations", "Charging/Self-consistent iterations"},
      {"self_consistent_tolerance", "Charging/Self-consistent tolerance"},
      {"self_consistent_damping", "Charging/Self-consistent damping"},
      {"self_consistent_growth_steps", "Charging/Self-consistent growth steps"},
      {"self_consistent_growth_potential_step", "Charging/Self-consistent growth potential step [V]"},
      {"self_consistent_cutoff_band", "Charging/Self-consistent cut-off band [V]"},
      {"field_step_fraction", "Monte Carlo/Field step fraction"},
      // Dynamics (solver/sphere_dynamics)
      {"dynamics_time_step_s", "Dynamics/Time step [s]"},
      {"dynamics_end_time_s", "Dynamics/End time [s]"},
      {"dynamics_displacement_fraction", "Dynamics/Displacement fraction"},
      {"sphere_mass_kg", "Dynamics/Tungsten density [kg/m^3]"},
    };
    return parameter;
  }

  std::string parameter_of_quantity(const std::string &quantity)
  {
    const auto found = quantity_parameters().find(quantity);
    return found == quantity_parameters().end() ? std::string() : found->second;
  }

  std::string describe_quantity_error(const QuantityError &error)
  {
    const std::string path = parameter_of_quantity(error.quantity());
    if (path.empty())
      return error.what();
    return path + " = " + error.value() + ": " + error.requirement();
  }
} // namespace mpstream::app
