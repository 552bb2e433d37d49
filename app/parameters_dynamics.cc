// Dynamics section (issue 14): the spheres' translation under their electrostatic forces over
// the dwell (doc/dynamics.md).
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<solver::ChargeHistoryKind> &charge_histories()
    {
      using H = solver::ChargeHistoryKind;
      static const auto names =
        selection_named_by_to_string({H::backscatter_only, H::discharged, H::dwell, H::constant});
      return names;
    }
    const Selection<ThresholdAction> &threshold_actions()
    {
      static const Selection<ThresholdAction> names{{{"stop", ThresholdAction::stop},
                                                     {"continue", ThresholdAction::continue_}}};
      return names;
    }

  } // namespace

  void declare_dynamics_parameters(ParameterHandler &prm)
  {
    const DynamicsScenario d;
    prm.enter_subsection("Dynamics");
    prm.declare_entry("Enable", prm_default(d.enabled), P::Bool(),
                      "Run the dynamics stage in `mpstream run` (after charging, on its responses); "
                      "`mpstream dynamics` runs it anyway.");
    prm.declare_entry("Tungsten density [kg/m^3]", prm_default(d.density_kg_per_m3), P::Anything(),
                      "rho_W: sphere mass = rho_W 4/3 pi r^3. 19250: tungsten at 293.15 K (Tolias, Nucl. "
                      "Mater. Energy 13 (2017) 42; REFERENCE_DATA.md).");
    prm.declare_entry("Time step [s]", prm_default(d.time_step_s), P::Anything(),
                      "Velocity-Verlet step (quasi-static forces from the force form of the responses).");
    prm.declare_entry("End time [s]", prm_default(d.end_time_s), P::Anything(),
                      "Time from the focal-spot entry at which the motion stops; 0: the dwell "
                      "(Focal spot width / Stream speed).");
    prm.declare_entry("Output interval [s]", prm_default(d.output_interval_s), P::Anything(),
                      "dynamics.csv and the VTP series every this long (rounded to whole time steps; "
                      "the start and the last step always).");
    prm.declare_entry("Displacement fraction", prm_default(d.displacement_fraction), P::Anything(),
                      "Threshold: a centre has moved this fraction of the smallest initial gap (sphere-sphere "
                      "or sphere-anode), in (0, 1). Beyond it the fixed mesh no longer describes the layout.");
    prm.declare_entry("On threshold", threshold_actions().name(d.on_threshold), threshold_actions().pattern(),
                      "stop: stop there and report (no re-meshing is implemented); continue: go on with the "
                      "forces of the initial layout, an estimate of the time to first contact.");
    prm.declare_entry("Charge history", charge_histories().name(d.charge_history), charge_histories().pattern(),
                      "Q_i(t): 'backscatter only' grows linearly to the backscatter-only exit state; "
                      "'discharged' the same ramp, held at the discharged exit state of Charging/Mode; "
                      "'dwell' the coupled dwell's Q_i(t) (Charging/Mode = dwell); 'constant' the "
                      "Electrostatics section's charges and electrode potentials from t = 0.");
    prm.declare_entry("Other charge histories", "", P::Anything(),
                      "More histories integrated on the same force form, summary keys <history>_* only "
                      "(comma-separated; e.g. backscatter only beside dwell).");
    prm.leave_subsection();
  }

  void parse_dynamics_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    const std::string S = "Dynamics";
    auto &d             = scenario.dynamics;
    prm.enter_subsection(S);
    d.enabled           = prm.get_bool("Enable");
    d.density_kg_per_m3 = require_positive(prm, S, "Tungsten density [kg/m^3]");
    d.time_step_s       = require_positive(prm, S, "Time step [s]");
    d.end_time_s        = require_finite(prm, S, "End time [s]");
    if (d.end_time_s < 0)
      parameter_error(S + "/End time [s]", prm.get("End time [s]"), "must be >= 0 (0: the dwell)");
    d.output_interval_s = require_positive(prm, S, "Output interval [s]");
    d.displacement_fraction = require_in_range(prm, S, "Displacement fraction", Range{0, 1, false, false});
    d.on_threshold      = threshold_actions().value(prm.get("On threshold"));
    d.charge_history    = charge_histories().value(prm.get("Charge history"));
    d.other_histories.clear();
    for (const auto &name : dealii::Utilities::split_string_list(prm.get("Other charge histories"), ','))
      {
        if (!charge_histories().pattern().match(name))
          parameter_error(S + "/Other charge histories", prm.get("Other charge histories"),
                          "must list backscatter only, discharged, dwell and/or constant");
        d.other_histories.push_back(charge_histories().value(name));
      }
    prm.leave_subsection();
  }
} // namespace mpstream::app
