#pragma once
// The stages a run is made of. `mpstream <command>` runs one stage (and what it needs);
// `mpstream run` runs every stage marked for the full run, in order.
#include "app/run_context.h"
#include "app/scenario.h"

#include <string>
#include <vector>

namespace mpstream::app
{
  struct Stage
  {
    std::string command;     // CLI word, e.g. "mesh"
    std::string description; // for --help
    void (*run)(const Scenario &, RunContext &);
    bool in_full_run;        // part of `mpstream run`
    // The checks the stage makes before it computes anything (files, geometry consistency),
    // for `mpstream validate`; throws InputError. Null: the parameters' own checks suffice.
    void (*check_inputs)(const Scenario &, const layout::StreamLayout &) = nullptr;
  };

  // All stages, in the order a full run executes them.
  const std::vector<Stage> &stages();

  // The stages `mpstream <command>` runs: every full-run stage for "run", else the one named.
  std::vector<const Stage *> stages_for(const std::string &command);

  // Stage functions (stage_<name>.cc).
  void run_mesh_stage(const Scenario &scenario, RunContext &context);
  void run_power_limits_stage(const Scenario &scenario, RunContext &context);
  void run_thermal_stage(const Scenario &scenario, RunContext &context);
  void run_mc_stage(const Scenario &scenario, RunContext &context);
  void run_electrostatics_stage(const Scenario &scenario, RunContext &context);
  void run_charging_stage(const Scenario &scenario, RunContext &context);
  void run_emission_stage(const Scenario &scenario, RunContext &context);
  void run_dynamics_stage(const Scenario &scenario, RunContext &context);

  // Up-front checks of the stages (Stage::check_inputs), which the stages make themselves too.
  void check_mesh_inputs(const Scenario &scenario, const layout::StreamLayout &layout);
  void check_electrostatics_inputs(const Scenario &scenario, const layout::StreamLayout &layout);
  void check_charging_inputs(const Scenario &scenario, const layout::StreamLayout &layout);
  void check_dynamics_inputs(const Scenario &scenario, const layout::StreamLayout &layout);
  void check_mc_inputs(const Scenario &scenario, const layout::StreamLayout &layout);

  // The Electrostatics section's charge of every sphere (C): uniform, per layer or from its file.
  std::vector<double> electrostatics_sphere_charges(const ElectrostaticsScenario &e, const layout::StreamLayout &layout);

  // Builds the layout once per run (several stages need it) and records it in the summary.
  const layout::StreamLayout &ensure_layout(const Scenario &scenario, RunContext &context);

  // Electrostatics/ solver parameters with what the mesh's geometry adds (the electrode wall's
  // node heights).
  solver::ElectrostaticsParameters electrostatics_parameters(const Scenario &scenario,
                                                             const layout::StreamLayout &layout);

  // The run's Electrostatics (meshes first if needed), built on the first call: the
  // electrostatics and charging stages share one operator set-up.
  solver::Electrostatics &ensure_electrostatics(const Scenario &scenario, RunContext &context);

  // The run's Electrostatics (meshed and built if needed) solved for the Electrostatics
  // section's charge state: sphere charges, electrode potentials, space charge.
  solver::SolveReport solve_section_charge_state(const Scenario &scenario, RunContext &context);
} // namespace mpstream::app
