// Stage "emission": the general thermal-field current density J(F, T) on the Emission section's
// grid -> emission_table.csv (doc/emission.md). No mesh, no solve.
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "solver/thermal_field_emission.h"

#include <algorithm>
#include <iomanip>

namespace mpstream::app
{
  void run_emission_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &e = scenario.emission;
    double      J_max = 0;
    run_on_root(context.comm, [&] {
      AtomicFile csv(context.path("emission_table.csv"));
      auto      &out = csv.stream();
      out << "field_V_per_m,temperature_K,current_density_A_per_m2,regime\n" << std::setprecision(8);
      for (double T : e.temperatures_K)
        for (double F : e.fields_V_per_m)
          {
            const double J = solver::thermal_field_current_density(F, T, e.work_function_eV);
            J_max          = std::max(J_max, J);
            out << F << ',' << T << ',' << J << ',' << solver::to_string(solver::emission_regime(F, T, e.work_function_eV))
                << '\n';
          }
      csv.commit();
    });
    context.log << "[emission] " << e.fields_V_per_m.size() << " fields x " << e.temperatures_K.size()
                << " temperatures at phi = " << e.work_function_eV << " eV: largest J = " << J_max
                << " A/m^2 -> emission_table.csv" << std::endl;
    auto &s = context.stage_summary("emission");
    s["emission_work_function_eV"]      = e.work_function_eV;
    s["emission_table_rows"]            = e.fields_V_per_m.size() * e.temperatures_K.size();
    s["emission_max_current_density_A_per_m2"] = J_max;
  }
} // namespace mpstream::app
