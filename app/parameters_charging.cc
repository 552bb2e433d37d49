// Charging section (issue 5): charge state of the stream at the focal-spot exit.
#include "app/scenario.h"
#include "common/error.h"

#include <cmath>
#include <sstream>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_charging_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Charging");
    // Default 'backscatter only': on the 77-sphere stream the two discharge modes do not
    // converge yet (doc/validation.md, Charging), and `mpstream run` must not fail on them.
    prm.declare_entry("Mode", "backscatter only", P::Selection("backscatter only|field cap|murphy-good"),
                      "Discharge model after the backscatter-only state (always computed): "
                      "'field cap' lowers |Q_i| until no surface field exceeds 'Field cap'; "
                      "'murphy-good' integrates the field-emission current over the dwell time. "
                      "Both converge on small streams; on the 77-sphere stream not yet "
                      "(doc/validation.md).");
    prm.declare_entry("q_muP", "0.18", P::Anything(),
                      "Charging coefficient (net electrons per primary hitting a sphere's "
                      "cross-section; paper Fig. 11b). One value: every sphere; one value per "
                      "layer (comma-separated, lowest first): per layer. Default: our Monte Carlo "
                      "curve A (doc/figures/mc_fig11b.csv) at 132 kV, interpolated.");
    prm.declare_entry("Field cap [V/m]", "1e9", P::Anything(),
                      "Field-cap mode: largest surface field |E.n| after discharge (paper: ~1 MV/mm).");
    prm.declare_entry("Cap tolerance", "0.05", P::Double(1e-4, 0.5),
                      "Field-cap mode: the confirming FE solve must put every capped sphere's max "
                      "|E.n| within cap (1 +- this); 0.05 ~ the peak-field error of the default mesh.");
    prm.declare_entry("Constraint refreshes", "2", P::Integer(0, 20),
                      "Field-cap mode: times the max-field points of a confirming solve are added as "
                      "constraint points (N + 1 + L solves each).");
    prm.declare_entry("Maximum iterations", "20", P::Integer(1, 1000),
                      "Confirming full solves (field cap) or surface re-samplings (murphy-good).");
    prm.declare_entry("Work function [eV]", "4.5", P::Anything(), "Murphy-Good mode: W work function.");
    prm.declare_entry("Temperature [K]", "0", P::Anything(),
                      "Murphy-Good mode: sphere temperature. 0: cold Murphy-Good. Above a few hundred "
                      "K the low-temperature expansion fails at the fields reached and the larger of "
                      "it (where valid) and Richardson-Schottky is used (doc/charging.md).");
    prm.declare_entry("Time steps", "400", P::Integer(1, 1000000),
                      "Murphy-Good mode: backward-Euler steps over the dwell time.");
    prm.declare_entry("Surface samples", "192", P::Integer(8, 100000),
                      "Murphy-Good mode: points per sphere for the emission integral.");
    prm.declare_entry("Consistent electrodes", "true", P::Bool(),
                      "true: auxiliary electrodes at the 3D patch-centre potential of their layer "
                      "(V = T Q); false: at the 1D sheet-model potential.");
    prm.declare_entry("Profile points", "200", P::Integer(2, 100000),
                      "Samples along the anode normal through the probe sphere.");
    prm.declare_entry("Cross-section points", "60", P::Integer(2, 2000),
                      "Samples along x of the cross-section y = y_probe (colour maps).");
    prm.leave_subsection();
  }

  namespace
  {
    double number(const std::string &text, const std::string &where)
    {
      std::size_t used = 0;
      double x         = 0;
      try
        {
          x = std::stod(text, &used);
        }
      catch (...)
        {
          used = 0;
        }
      if (used == 0 || text.find_first_not_of(" \t", used) != std::string::npos || !std::isfinite(x))
        throw InputError(where + " = '" + text + "' is not a finite number");
      return x;
    }
  } // namespace

  void parse_charging_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &c = scenario.charging;
    const std::string S = "Charging/";
    prm.enter_subsection("Charging");
    c.settings.mode = solver::charging_mode_from_string(prm.get("Mode"));
    c.q_muP.clear();
    {
      std::stringstream in(prm.get("q_muP"));
      std::string item;
      while (std::getline(in, item, ','))
        if (item.find_first_not_of(" \t") != std::string::npos)
          c.q_muP.push_back(number(item, S + "q_muP"));
    }
    if (c.q_muP.empty())
      throw InputError("Charging/q_muP is empty: give one value or one per layer");
    c.settings.field_cap_V_per_m = number(prm.get("Field cap [V/m]"), S + "Field cap [V/m]");
    if (!(c.settings.field_cap_V_per_m > 0))
      throw InputError("Charging/Field cap [V/m] = " + prm.get("Field cap [V/m]") + " must be > 0");
    c.settings.cap_tolerance  = prm.get_double("Cap tolerance");
    c.settings.max_refreshes  = static_cast<unsigned int>(prm.get_integer("Constraint refreshes"));
    c.settings.max_iterations = static_cast<unsigned int>(prm.get_integer("Maximum iterations"));
    c.settings.emission.work_function_eV = number(prm.get("Work function [eV]"), S + "Work function [eV]");
    if (!(c.settings.emission.work_function_eV > 0 && c.settings.emission.work_function_eV < 20))
      throw InputError("Charging/Work function [eV] = " + prm.get("Work function [eV]") + " must be in (0, 20)");
    c.temperature_K = number(prm.get("Temperature [K]"), S + "Temperature [K]");
    if (!(c.temperature_K >= 0 && c.temperature_K < 5000))
      throw InputError("Charging/Temperature [K] = " + prm.get("Temperature [K]") + " must be in [0, 5000)");
    c.settings.emission.time_steps = static_cast<unsigned int>(prm.get_integer("Time steps"));
    c.settings.surface_samples     = static_cast<unsigned int>(prm.get_integer("Surface samples"));
    c.settings.consistent_electrodes = prm.get_bool("Consistent electrodes");
    c.profile_points = static_cast<unsigned int>(prm.get_integer("Profile points"));
    c.section_points = static_cast<unsigned int>(prm.get_integer("Cross-section points"));
    prm.leave_subsection();
  }
} // namespace mpstream::app
