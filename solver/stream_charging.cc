#include "solver/stream_charging.h"

#include "common/error.h"
#include "solver/charging_log.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

namespace mpstream::solver
{
  namespace
  {
    // The checks that need no solve, before any member is built from the layout.
    const ChargingSettings &validated(const OperatingPoint &beam, const ChargingSettings &settings,
                                      const layout::StreamLayout &layout)
    {
      validate(beam);
      validate(settings);
      if (!(settings.plate_upper_z > settings.plate_lower_z))
        throw InputError("Charging: the sheet model's upper plate must lie above the lower one");
      if (layout.spheres.empty())
        throw InputError("Charging: the layout has no spheres");
      return settings;
    }
  } // namespace

  bool uses_point_responses(const ChargingSettings &settings)
  {
    return settings.mode != ChargingMode::backscatter_only &&
           !(settings.mode == ChargingMode::field_cap && settings.field_cap_solver == FieldCapSolver::probed);
  }

  StreamCharging::StreamCharging(Electrostatics &es, const layout::StreamLayout &layout, const OperatingPoint &beam,
                                 const ChargingCoefficients &q, const ChargingSettings &settings, std::ostream *log)
    : es_(es)
    , layout_(layout)
    , beam_(beam)
    , q_(q)
    , settings_(validated(beam, settings, layout))
    , log_(log)
    , electrodes_(charging_electrodes(es, layout))
    , centre_(layout, settings.centre_radius_pitches, settings.wall_gap_m)
    , sheet_(layout, centre_.pitch(), settings.plate_lower_z, settings.plate_upper_z)
  {
    transfer_.V_fixed = fixed_electrode_potentials(electrodes_, settings_);
    if (settings_.emission.sphere_radius_m.empty()) // the retarding barrier of the thermal-field law
      for (const auto &sphere : layout.spheres)
        settings_.emission.sphere_radius_m.push_back(sphere.radius);
    // The wall's nodes take their means from their wall-equivalent points, not from spheres.
    centre_sets_ = centre_.sphere_sets(electrodes_.wall ? std::vector<unsigned int>{} : electrodes_.ids);
  }

  void StreamCharging::say(const std::string &message) const
  {
    charging_say(log_, message);
  }

  double StreamCharging::sheet_model_potential_at(const std::vector<double> &Q, double z) const
  {
    return sheet_.potential_at(Q, z);
  }

  std::vector<double> StreamCharging::centre_potentials(const std::vector<double> &phi) const
  {
    std::vector<double> c(centre_sets_.size(), 0.0);
    for (std::size_t l = 0; l < centre_sets_.size(); ++l)
      {
        for (const std::size_t i : centre_sets_[l])
          c[l] += phi[i];
        if (!centre_sets_[l].empty())
          c[l] /= centre_sets_[l].size();
      }
    return c;
  }

  ChargeState StreamCharging::solve_state(const std::vector<double> &Q)
  {
    ChargeState s;
    s.charges              = Q;
    s.electrode_potentials = electrode_potentials(transfer_, electrodes_, sheet_, Q);
    apply(s);
    s.potentials = es_.sphere_potentials();
    s.fields     = es_.sphere_fields();
    s.forces     = es_.sphere_forces();
    return s;
  }

  void StreamCharging::apply(const ChargeState &state)
  {
    es_.set_sphere_charges(state.charges);
    es_.set_electrode_potentials(state.electrode_potentials);
    es_.solve();
  }

  std::vector<std::vector<Point3>> StreamCharging::wall_windows() const
  {
    std::vector<std::vector<Point3>> windows;
    for (const double z : electrodes_.heights)
      windows.push_back(centre_.wall_equivalent_points(z));
    return windows;
  }

  ChargeState StreamCharging::backscatter_only_state(const ChargingCoefficients &q)
  {
    if (!responses_ready_)
      throw RuntimeFailure("Charging: backscatter_only_state needs the responses of run()");
    return state_of_charges(backscatter_only_charges_C(beam_, layout_, q));
  }

  ChargeState StreamCharging::state_of_charges(const std::vector<double> &Q)
  {
    if (!responses_ready_)
      throw RuntimeFailure("Charging: state_of_charges needs the responses of run()");
    return solve_state(Q);
  }

  void StreamCharging::compute_responses(bool full)
  {
    const std::size_t N = layout_.spheres.size();
    if (electrodes_.wall && settings_.electrodes == ElectrodeModel::patch_centre)
      compute_wall_window_responses(es_, wall_windows(), tables_, log_);
    if (!full)
      {
        // The wall needs at most its window means (above) for V = T Q.
        if (!electrodes_.wall)
          {
            compute_centre_mean_rows(es_, N, electrode_centre_sets(electrodes_, centre_sets_), tables_, log_);
            compute_electrode_responses(es_, N, electrodes_.ids, electrodes_.n_ids, tables_, log_);
          }
        // Only full solves follow (a refresh needs the full responses): free the memory.
        es_.release_response_operator();
      }
    else
      compute_point_responses(es_, layout_, settings_.points, electrodes_.size(), tables_, log_);
    finish_responses(full);
  }

  void StreamCharging::finish_responses(bool full)
  {
    transfer_.T = electrode_transfer(settings_, tables_, electrodes_, sheet_, centre_sets_, layout_.spheres.size());
    if (full)
      fold_electrodes();
    responses_ready_ = true;
  }

  void StreamCharging::prepare_responses()
  {
    if (!responses_ready_)
      compute_responses(full_responses());
  }

  void StreamCharging::use_responses(ResponseTables tables)
  {
    tables_ = std::move(tables);
    finish_responses(full_responses());
  }

  void StreamCharging::add_constraint_points(const std::vector<std::size_t> &spheres,
                                             const std::vector<Point3> &locations)
  {
    say("refresh: " + std::to_string(spheres.size()) + " new constraint points (" +
        std::to_string(layout_.spheres.size()) + " + " + std::to_string(electrodes_.size()) + " solves)");
    solver::add_constraint_points(es_, spheres, locations, tables_);
    fields_ = point_field_rows(tables_, transfer_);
  }

  std::vector<double> StreamCharging::centre_window_means(const std::vector<double> &heights) const
  {
    std::vector<std::vector<Point3>> sets;
    for (const double z : heights)
      sets.push_back(centre_.window(z));
    return es_.mean_potentials(sets);
  }

  double StreamCharging::wall_consistency_error(const ChargeState &state) const
  {
    if (!electrodes_.wall || settings_.electrodes != ElectrodeModel::patch_centre)
      return 0;
    const auto means = es_.mean_potentials(wall_windows()); // the state is in place
    std::vector<double> V;
    for (const unsigned int id : electrodes_.ids)
      V.push_back(state.electrode_potentials.at(id));
    return largest_relative_difference(means, V);
  }

  // phi = P Q + Pv V for charges Q and by-id electrode potentials V.
  std::vector<double> StreamCharging::linear_potentials(const std::vector<double> &Q,
                                                        const std::vector<double> &V) const
  {
    const std::size_t N = layout_.spheres.size();
    std::vector<double> phi(N, 0.0);
    for (std::size_t i = 0; i < N; ++i)
      {
        for (std::size_t j = 0; j < N; ++j)
          phi[i] += tables_.P[i][j] * Q[j];
        for (std::size_t e = 0; e < electrodes_.size(); ++e)
          phi[i] += tables_.Pv[i][e] * V[electrodes_.ids[e]];
      }
    return phi;
  }

  void StreamCharging::fold_electrodes()
  {
    fields_     = point_field_rows(tables_, transfer_);
    potentials_ = sphere_potential_rows(tables_, transfer_);
  }

  double StreamCharging::potential_model_error(const ChargeState &state) const
  {
    // phi = P Q + Pv V against the full solve.
    return largest_relative_difference(linear_potentials(state.charges, state.electrode_potentials),
                                       state.potentials);
  }

  double StreamCharging::point_model_error(const ChargeState &state) const
  {
    const auto En = es_.surface_fields_at(surface_points_of(tables_.points)); // the state is in place
    return largest_relative_difference(evaluate(fields_, state.charges), En);
  }

  ChargeState StreamCharging::mode_state(ChargingMode mode, const OperatingPoint &beam, const ChargingCoefficients &q,
                                         const ChargeState &backscatter_only, ChargingResult &result)
  {
    switch (mode)
      {
        case ChargingMode::backscatter_only:
          return backscatter_only;
        case ChargingMode::field_cap:
          if (settings_.field_cap_solver == FieldCapSolver::probed)
            return field_cap_probed_state(backscatter_only.charges, result);
          return field_cap_state(*this, settings_, backscatter_only.charges, result, log_);
        case ChargingMode::murphy_good:
          {
            // At Charging/Temperature (0: cold), not the dwell's temperature histories.
            auto emission = settings_.emission;
            emission.temperature_history_K.clear();
            return murphy_good_state(*this, emission, beam_charging_currents_A(beam, layout_, q), dwell_time_s(beam),
                                     result, log_);
          }
        case ChargingMode::dwell:
          return dwell_state(*this, settings_.emission, beam_charging_currents_A(beam, layout_, q), dwell_time_s(beam),
                             result, log_);
      }
    throw RuntimeFailure("Charging: unknown mode");
  }

  std::vector<ChargingBound> StreamCharging::bounds(const ChargingResult &result)
  {
    std::vector<ChargingBound> out;
    if (!settings_.bounds.empty() && (!responses_ready_ || fields_.rows.empty()))
      throw RuntimeFailure("Charging bounds: run() must come first in a discharging mode (it computes the responses)");
    for (const ChargingMode mode : settings_.bounds)
      {
        ChargingResult r;
        say("bound: " + to_string(mode));
        out.push_back({mode, mode_state(mode, beam_, q_, result.backscatter_only, r)});
      }
    return out;
  }

  // Every dwell step's forces from the force form of the responses, at the electrode
  // potentials the electrode model gives for its charges (no solve).
  void StreamCharging::add_dwell_forces(std::vector<DwellSample> &dwell) const
  {
    for (auto &sample : dwell)
      sample.forces_N =
        tables_.forces.forces(sample.charges_C, electrode_potentials(transfer_, electrodes_, sheet_, sample.charges_C));
  }

  const SphereForceForm &StreamCharging::force_form()
  {
    if (!responses_ready_)
      throw RuntimeFailure("StreamCharging::force_form: run() must come first (it computes the responses)");
    if (tables_.forces.empty())
      tables_.forces = es_.compute_responses().forces;
    return tables_.forces;
  }

  std::vector<double> StreamCharging::electrode_potentials_for(const std::vector<double> &Q) const
  {
    return electrode_potentials(transfer_, electrodes_, sheet_, Q);
  }

  ChargingResult StreamCharging::run()
  {
    const std::size_t N = layout_.spheres.size();
    ChargingResult result;
    const auto Q0 = backscatter_only_charges_C(beam_, layout_, q_);
    const bool full = full_responses();

    auto t0 = std::chrono::steady_clock::now();
    // Ready: a rerun with other charges (set_coefficients), or prepared before run() (computed
    // by prepare_responses, or given by use_responses from the stage cache).
    const bool prepared = responses_ready_;
    if (!responses_ready_)
      compute_responses(full);
    result.response_solves   = tables_.solves;
    result.surface_points    = tables_.points.size();
    result.seconds_responses = charging_seconds_since(t0);
    say("responses: " + std::to_string(tables_.solves) + " solves" +
        (prepared ? " (prepared before this run)" : ", " + charging_seconds_text(result.seconds_responses)));

    t0                            = std::chrono::steady_clock::now();
    result.sheet_model_potentials = sheet_.layer_potentials(Q0);
    result.backscatter_only       = solve_state(Q0);
    result.centre_potentials      = centre_potentials(result.backscatter_only.potentials);
    result.model_error            = wall_consistency_error(result.backscatter_only);
    if (full)
      result.model_error = std::max(result.model_error, potential_model_error(result.backscatter_only));
    result.seconds_backscatter = charging_seconds_since(t0);
    t0                         = std::chrono::steady_clock::now();
    {
      std::ostringstream m;
      m << "backscatter only: min sphere potential " << result.backscatter_only.potential_min()
        << " V, max |E.n| " << result.backscatter_only.field_abs_max() << " V/m, probe sphere "
        << result.backscatter_only.potentials[layout_.probe_sphere] << " V";
      say(m.str());
    }
    result.final_state = mode_state(settings_.mode, beam_, q_, result.backscatter_only, result);
    add_dwell_forces(result.dwell);
    if (full)
      result.model_error = std::max(result.model_error, point_model_error(result.final_state));
    result.emitted_charge.resize(N);
    for (std::size_t i = 0; i < N; ++i)
      result.emitted_charge[i] = result.final_state.charges[i] - Q0[i];
    result.response_solves = tables_.solves;
    if (full) // with refreshed points; the probed field cap counts its own table's points
      result.surface_points = tables_.points.size();
    result.seconds_mode = charging_seconds_since(t0);
    return result;
  }
} // namespace mpstream::solver
