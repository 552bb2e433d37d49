#include "app/stages.h"

namespace mpstream::app
{
  const std::vector<Stage> &stages()
  {
    static const std::vector<Stage> all = {
      {"mesh", "stream layout and Gmsh mesh with quality report", &run_mesh_stage, true, &check_mesh_inputs},
      {"electrostatics", "potential and field of the charged stream: sphere potentials, surface fields, profiles, VTU", &run_electrostatics_stage, true, &check_electrostatics_inputs},
      {"charging", "stream charge state at the focal-spot exit: backscatter only and field-emission limited (Charging/Mode), profiles, CSV", &run_charging_stage, true, &check_charging_inputs},
      // In `run` when Dynamics/Enable; `mpstream dynamics` runs the charging it needs first.
      {"dynamics", "sphere motion under the electrostatic forces over the dwell: displacements, first contact, CSV, VTP series", &run_dynamics_stage, true, &check_dynamics_inputs},
      {"power-limits", "P_max of the hybrid target and P_max(U) curves (CSV)", &run_power_limits_stage, true},
      {"thermal", "transient heat conduction over the dwell: one sphere (with its power limit) and every sphere of the stream", &run_thermal_stage, true},
      // Not in `run`: it writes its own S_muP / S_anode summary keys (measured, not tabulated).
      {"mc", "electron Monte Carlo: eta, eta_E, S_muP, S_anode, q_muP, power grids (CSV)", &run_mc_stage, false, &check_mc_inputs},
      // Not in `run`: a table of the emission model itself (no stream, no solve).
      {"emission", "general thermal-field emission current density J(F, T) and regime table (CSV)", &run_emission_stage, false},
    };
    return all;
  }

  std::vector<const Stage *> stages_for(const std::string &command)
  {
    std::vector<const Stage *> selected;
    for (const auto &stage : stages())
      if (command == "run" ? stage.in_full_run : stage.command == command)
        selected.push_back(&stage);
    return selected;
  }
} // namespace mpstream::app
