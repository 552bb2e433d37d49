// Emission section (issue 13): a table of the general thermal-field current density J(F, T).
#include "app/scenario.h"
#include "common/error.h"
#include "common/parse_number.h"
#include "solver/thermal_field_emission.h"

#include <sstream>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_emission_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Emission");
    prm.declare_entry("Fields [V/m]", "1e8, 5e8, 1e9, 2e9, 3e9, 4e9, 5e9", P::Anything(),
                      "`mpstream emission`: barrier fields (comma-separated), 0 <= F <= phi^2 / c_S^2 (the "
                      "barrier top at the Fermi level; 14.1 GV/m at 4.5 eV).");
    prm.declare_entry("Temperatures [K]", "0, 1000, 2000, 3000, 3695", P::Anything(),
                      "`mpstream emission`: surface temperatures (comma-separated), 0-5000 K.");
    prm.declare_entry("Work function [eV]", "4.5", P::Anything(),
                      "`mpstream emission`: work function, 2-7 eV (tungsten ~4.5 eV).");
    prm.leave_subsection();
  }

  void parse_emission_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    namespace L = solver::thermal_field_limits;
    auto &e = scenario.emission;
    prm.enter_subsection("Emission");
    e.work_function_eV = parse_finite_number(prm.get("Work function [eV]"), "Emission/Work function [eV]");
    e.fields_V_per_m   = parse_finite_number_list(prm.get("Fields [V/m]"), "Emission/Fields [V/m]");
    e.temperatures_K   = parse_finite_number_list(prm.get("Temperatures [K]"), "Emission/Temperatures [K]");
    prm.leave_subsection();

    auto outside = [](const std::string &name, double value, const std::string &range) {
      std::ostringstream s;
      s << "Emission/" << name << " = " << value << " is outside the thermal-field model's validity range " << range;
      return InputError(s.str());
    };
    if (e.work_function_eV < L::min_work_function_eV || e.work_function_eV > L::max_work_function_eV)
      throw outside("Work function [eV]", e.work_function_eV, "[2, 7] eV");
    if (e.fields_V_per_m.empty())
      throw InputError("Emission/Fields [V/m] is empty: give at least one field");
    if (e.temperatures_K.empty())
      throw InputError("Emission/Temperatures [K] is empty: give at least one temperature");
    const double F_max = solver::barrier_removal_field(e.work_function_eV);
    for (double F : e.fields_V_per_m)
      if (F < 0 || F > F_max)
        {
          std::ostringstream range;
          range << "[0, " << F_max << "] V/m (barrier top at the Fermi level)";
          throw outside("Fields [V/m]", F, range.str());
        }
    for (double T : e.temperatures_K)
      if (T < 0 || T > L::max_temperature_K)
        throw outside("Temperatures [K]", T, "[0, 5000] K");
  }
} // namespace mpstream::app
