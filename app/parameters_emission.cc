// Emission section (issue 13): a table of the general thermal-field current density J(F, T).
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"
#include "solver/thermal_field_emission.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_emission_parameters(ParameterHandler &prm)
  {
    const EmissionScenario d;
    prm.enter_subsection("Emission");
    prm.declare_entry("Fields [V/m]", prm_default(d.fields_V_per_m), P::Anything(),
                      "`mpstream emission`: barrier fields (comma-separated), 0 <= F <= phi^2 / c_S^2 (the "
                      "barrier top at the Fermi level; 14.1 GV/m at 4.5 eV).");
    prm.declare_entry("Temperatures [K]", prm_default(d.temperatures_K), P::Anything(),
                      "`mpstream emission`: surface temperatures (comma-separated), 0-5000 K.");
    prm.declare_entry("Work function [eV]", prm_default(d.work_function_eV), P::Anything(),
                      "`mpstream emission`: work function, 2-7 eV (tungsten ~4.5 eV).");
    prm.leave_subsection();
  }

  void parse_emission_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    namespace L         = solver::thermal_field_limits;
    const std::string S = "Emission";
    auto &e             = scenario.emission;
    prm.enter_subsection(S);
    // The thermal-field model's validity range (solver/thermal_field_emission.h).
    e.work_function_eV = require_in_range(prm, S, "Work function [eV]",
                                          {L::min_work_function_eV, L::max_work_function_eV, true, true});
    e.fields_V_per_m   = require_finite_list(prm, S, "Fields [V/m]");
    e.temperatures_K   = require_finite_list(prm, S, "Temperatures [K]");
    if (e.fields_V_per_m.empty())
      parameter_error(S + "/Fields [V/m]", "''", "needs at least one field");
    if (e.temperatures_K.empty())
      parameter_error(S + "/Temperatures [K]", "''", "needs at least one temperature");
    const Range fields{0, solver::barrier_removal_field(e.work_function_eV), true, true};
    for (double F : e.fields_V_per_m)
      if (!fields.contains(F))
        parameter_error(S + "/Fields [V/m]", number_text(F),
                        "must be in " + fields.text() + " V/m (the barrier top at the Fermi level)");
    const Range temperatures{0, L::max_temperature_K, true, true};
    for (double T : e.temperatures_K)
      if (!temperatures.contains(T))
        parameter_error(S + "/Temperatures [K]", number_text(T), "must be in " + temperatures.text() + " K");
    prm.leave_subsection();
  }
} // namespace mpstream::app
