// Stage "dynamics" (issue 14 item 3; doc/dynamics.md): every sphere's translation under its
// electrostatic force over the dwell, in the frame moving with the stream. The charges follow
// Dynamics/Charge history; the forces of each instant come from the force form of the
// charging stage's responses (no solve per step; quasi-static fields of the initial layout);
// velocity Verlet (solver/sphere_dynamics.h) up to the end time, the displacement threshold or
// the first contact. Every rank integrates the same (deterministic) motion; rank 0 writes.
#include "app/charging_products.h"
#include "app/parameter_checks.h"
#include "app/dynamics_outputs.h"
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/constants.h"
#include "common/error.h"
#include "common/wall_clock.h"
#include "solver/operating_point.h"

#include <algorithm>
#include <cmath>
#include <optional>
#include <string>

namespace mpstream::app
{
  namespace
  {
    using solver::ChargeHistoryKind;

    std::vector<solver::MovingSphere> moving_spheres(const layout::StreamLayout &layout, double density_kg_per_m3)
    {
      std::vector<solver::MovingSphere> spheres;
      for (const auto &s : layout.spheres)
        spheres.push_back({s.centre, {0, 0, 0}, s.radius,
                           density_kg_per_m3 * 4.0 / 3.0 * constants::pi * s.radius * s.radius * s.radius});
      return spheres;
    }

    double end_time_s(const Scenario &scenario)
    {
      const double end = scenario.dynamics.end_time_s;
      return end > 0 ? end : solver::dwell_time_s(scenario.operating_point);
    }

    solver::DynamicsSettings dynamics_settings(const Scenario &scenario, const layout::StreamLayout &layout)
    {
      const auto &d = scenario.dynamics;
      solver::DynamicsSettings s;
      s.time_step_s                    = d.time_step_s;
      s.end_time_s                     = end_time_s(scenario);
      s.displacement_fraction          = d.displacement_fraction;
      s.stop_at_displacement_threshold = d.on_threshold == ThresholdAction::stop;
      s.anode_present                  = layout.anode_present;
      if (layout.periodic_cell)
        s.image_shifts = layout.periodic_cell->image_shifts();
      s.record_every_steps = static_cast<unsigned int>(std::max(1.0, std::round(d.output_interval_s / d.time_step_s)));
      return s;
    }

    // Dynamics settings and masses against the layout; a layout that starts in contact is
    // named as such (the integrator's quantity is a gap, not one parameter).
    // A history needs what the charging stage computes in its mode (checked where the dynamics
    // stage runs, not at parsing: `mpstream charging` with another Mode ignores the section).
    void check_histories(const Scenario &scenario)
    {
      const auto &d = scenario.dynamics;
      if (scenario.charging.settings.mode == solver::ChargingMode::dwell)
        return;
      if (d.charge_history == solver::ChargeHistoryKind::dwell)
        parameter_error("Dynamics/Charge history", "dwell", "dwell needs Charging/Mode = dwell (its recorded charge history)");
      for (const auto h : d.other_histories)
        if (h == solver::ChargeHistoryKind::dwell)
          parameter_error("Dynamics/Other charge histories", "dwell",
                          "dwell needs Charging/Mode = dwell (its recorded charge history)");
    }

    void check_dynamics(const Scenario &scenario, const layout::StreamLayout &layout)
    {
      check_histories(scenario);
      try
        {
          solver::validate(dynamics_settings(scenario, layout),
                           moving_spheres(layout, scenario.dynamics.density_kg_per_m3));
        }
      catch (const QuantityError &e)
        {
          if (e.quantity() != "initial_minimum_gap_m")
            throw;
          throw InputError("Dynamics: the layout starts in contact (smallest sphere-sphere or sphere-anode gap " +
                           e.value() + " m): the spheres must start apart (Geometry/Anode gap [m], Lateral clearance)");
        }
    }

    // The force form and the electrode potentials that go with a charge state.
    struct ForceSource
    {
      const solver::SphereForceForm *form = nullptr;
      std::function<std::vector<double>(const std::vector<double> &)> electrode_potentials;
      solver::SphereForceForm own_form; // constant history without a charging stage in the run
    };

    bool needs_charging(const DynamicsScenario &d)
    {
      if (d.charge_history != ChargeHistoryKind::constant)
        return true;
      return std::any_of(d.other_histories.begin(), d.other_histories.end(),
                         [](ChargeHistoryKind h) { return h != ChargeHistoryKind::constant; });
    }

    // The charging stage's form if this run has one (the electrode model's potentials for the
    // charges); else the unit responses of the Electrostatics section's operator.
    void find_force_form(const Scenario &scenario, RunContext &context, ForceSource &source)
    {
      if (context.charging)
        {
          const auto driver = context.charging->driver;
          source.form       = &driver->force_form();
          source.electrode_potentials = [driver](const std::vector<double> &Q) {
            return driver->electrode_potentials_for(Q);
          };
          return;
        }
      auto &es = ensure_electrostatics(scenario, context);
      es.set_space_charge_density(scenario.electrostatics.space_charge_density);
      source.own_form = es.compute_responses().forces;
      source.form     = &source.own_form;
    }

    solver::ChargeHistory charge_history(ChargeHistoryKind kind, const Scenario &scenario,
                                         const layout::StreamLayout &layout, const RunContext &context)
    {
      const double dwell = solver::dwell_time_s(scenario.operating_point);
      if (kind == ChargeHistoryKind::constant)
        return solver::constant_history(electrostatics_sphere_charges(scenario.electrostatics, layout));
      const auto &r = context.charging->result;
      switch (kind)
        {
          case ChargeHistoryKind::backscatter_only:
            return solver::ramp_history(r.backscatter_only.charges, dwell);
          case ChargeHistoryKind::discharged:
            return solver::clipped_ramp_history(r.backscatter_only.charges, r.final_state.charges, dwell);
          case ChargeHistoryKind::dwell:
            {
              std::vector<double> t;
              std::vector<std::vector<double>> Q;
              for (const auto &s : r.dwell)
                t.push_back(s.time_s), Q.push_back(s.charges_C);
              return solver::sampled_history(t, Q);
            }
          default:
            throw RuntimeFailure("dynamics: unknown charge history");
        }
    }

    // The constant history keeps the Electrostatics section's electrode potentials; the others
    // take the electrode model's for their charges.
    solver::ForceCallback force_callback(ChargeHistoryKind kind, const Scenario &scenario,
                                         const solver::ChargeHistory &history, const ForceSource &source)
    {
      if (kind == ChargeHistoryKind::constant || !source.electrode_potentials)
        return [&source, history, V = scenario.electrostatics.electrode_potentials](double t, const auto &) {
          return source.form->forces(history(t), V);
        };
      return [&source, history](double t, const auto &) {
        const auto Q = history(t);
        return source.form->forces(Q, source.electrode_potentials(Q));
      };
    }

    std::string key_stem(ChargeHistoryKind kind)
    {
      std::string stem = to_string(kind) + "_";
      std::replace(stem.begin(), stem.end(), ' ', '_');
      return stem;
    }
  } // namespace

  void check_dynamics_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    if (scenario.dynamics.enabled)
      check_dynamics(scenario, layout);
  }

  void run_dynamics_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &d = scenario.dynamics;
    if (context.command == "run" && !d.enabled)
      return;
    const auto &layout = ensure_layout(scenario, context);
    check_dynamics(scenario, layout); // before any meshing or solve
    if (needs_charging(d) && !context.charging)
      run_charging_stage(scenario, context);
    const auto t_form = WallClock::now();
    ForceSource source;
    find_force_form(scenario, context, source);
    const double form_s = seconds_since(t_form);

    const auto settings = dynamics_settings(scenario, layout);
    const auto spheres  = moving_spheres(layout, d.density_kg_per_m3);
    auto &summary       = context.stage_summary("dynamics");
    summary["dynamics_charge_history"]   = to_string(d.charge_history);
    summary["dynamics_on_threshold"]     = d.on_threshold == ThresholdAction::stop ? "stop" : "continue";
    summary["dynamics_time_step_s"]      = d.time_step_s;
    summary["sphere_mass_kg"]            = spheres.front().mass;
    summary["dynamics_force_form_s"]     = form_s;

    const auto t_motion = WallClock::now(); // everything after the responses
    const auto t_main   = WallClock::now();
    const auto history = charge_history(d.charge_history, scenario, layout, context);
    const auto result  = solver::integrate_sphere_motion(spheres, force_callback(d.charge_history, scenario, history, source),
                                                         settings);
    summary["dynamics_integration_s"]    = seconds_since(t_main);
    summary["initial_minimum_gap_m"]     = result.initial_minimum_gap_m;
    summary["displacement_threshold_m"]  = d.displacement_fraction * result.initial_minimum_gap_m;
    write_dynamics_summary(summary, "", layout, result, settings.end_time_s);
    context.log << "[dynamics] " << to_string(d.charge_history) << ": " << result.stop_reason << " at "
                << result.samples.back().time_s << " s after " << result.steps << " steps, largest displacement "
                << result.max_displacement_m << " m (smallest gap " << result.initial_minimum_gap_m << " m)";
    if (result.first_contact)
      context.log << ", first contact at " << result.first_contact->time_s << " s";
    context.log << std::endl;
    run_on_root(context.comm, [&] {
      write_dynamics_csv(context.path("dynamics.csv"), layout, result, history);
      write_dynamics_vtp_series(context.output_dir, "dynamics", layout, result, history);
    });

    for (const auto kind : d.other_histories)
      {
        const auto other = charge_history(kind, scenario, layout, context);
        const auto r     = solver::integrate_sphere_motion(spheres, force_callback(kind, scenario, other, source), settings);
        write_dynamics_summary(summary, key_stem(kind), layout, r, settings.end_time_s);
        context.log << "[dynamics] " << to_string(kind) << ": " << r.stop_reason << " at " << r.samples.back().time_s
                    << " s, largest displacement " << r.max_displacement_m << " m" << std::endl;
      }
    summary["dynamics_after_responses_s"] = seconds_since(t_motion); // every history and the outputs
  }
} // namespace mpstream::app
