// Stage "charging": the stream's charge state at the focal-spot exit (paper Sect. 3.3, Fig. 12):
// the backscatter-only state and the discharged state of Charging/Mode, per-sphere CSV, the
// profile along the anode normal through the probe sphere and the cross-section y = y_probe for
// both states, electrode potentials beside the 1D sheet model, summary keys, VTU.
#include "app/charging_csv.h"
#include "app/charging_products.h"
#include "app/charging_dwell_csv.h"
#include "app/dwell_temperatures.h"
#include "app/force_summary.h"
#include "app/point_samples_csv.h"
#include "app/run_on_root.h"
#include "app/self_consistent_field.h"
#include "app/stage_cache_keys.h"
#include "app/stages.h"
#include "common/error.h"
#include "common/wall_clock.h"
#include "meshing/mesher.h"
#include "solver/mc_charge_sources.h"
#include "solver/mc_products_io.h"
#include "solver/response_tables_io.h"
#include "solver/stream_charging.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <memory>
#include <optional>
#include <string>

namespace mpstream::app
{
  namespace
  {
    // Charge source = monte carlo: what the stream MC needs, checked before meshing.
    void check_monte_carlo_charge_source(const Scenario &scenario)
    {
      const double U = scenario.operating_point.tube_voltage, cutoff = scenario.monte_carlo.transport.cutoff_energy_eV;
      if (!(U > cutoff))
        throw InputError("Charging/Charge source = monte carlo: Operating point/Tube voltage [V] = " +
                         std::to_string(U) + " must exceed Monte Carlo/Cut-off energy [eV] = " +
                         std::to_string(cutoff) + " (or set Charging/Charge source = q_muP)");
    }

    // The stream the charge-source MC runs over, and how its q reaches the layout's spheres.
    struct McEmbedding
    {
      std::optional<layout::StreamLayout> periodic_stream; // set: per layer from it
      std::string description;
    };

    McEmbedding mc_embedding(const Scenario &scenario, const layout::StreamLayout &layout)
    {
      if (layout.periodic_cell)
        return {std::nullopt, "periodic cell, per sphere"};
      if (!scenario.charging.mc_periodic_embedding || scenario.layout.kind == layout::LayoutKind::csv)
        return {std::nullopt, "finite patch, per sphere"};
      auto parameters     = scenario.layout;
      parameters.periodic = true;
      parameters.rows += parameters.rows % 2; // a hexagonal cell repeats after an even row count
      return {layout::make_stream_layout(parameters), "periodic stream, per layer"};
    }

    // q_i from one stream MC at the operating point (the Monte Carlo section's histories, seed,
    // threads, physics), split over the ranks.
    solver::MonteCarloChargeSources monte_carlo_charges(const Scenario &scenario, const layout::StreamLayout &layout,
                                                        const McEmbedding &embedding, RunContext &context)
    {
      const auto &mc = scenario.monte_carlo;
      const double U = scenario.operating_point.tube_voltage;
      const unsigned threads = context.threads.threads_for(mc.threads);
      const auto &mc_layout = embedding.periodic_stream ? *embedding.periodic_stream : layout;
      context.log << "[charging] charge sources from the Monte Carlo: " << mc.histories << " histories at " << U
                  << " V over " << mc_layout.spheres.size() << " spheres (" << embedding.description
                  << "), secondary emission " << (mc.transport.secondary_emission ? "on" : "off") << " ..."
                  << std::endl;
      auto r = embedding.periodic_stream
                 ? solver::monte_carlo_layer_charge_sources(layout, mc_layout, U, mc.histories, threads,
                                                            mc.transport, mc.physics, context.comm)
                 : solver::monte_carlo_charge_sources(layout, U, mc.histories, threads, mc.transport, mc.physics,
                                                      context.comm);
      context.log << "[charging] Monte Carlo q_i in " << r.seconds << " s: mean " << r.mean() << ", min " << r.min()
                  << ", max " << r.max() << ", largest relative standard error " << 100 * r.largest_relative_stderr()
                  << " % (goal < 5 %)" << std::endl;
      return r;
    }

    // Stage cache (app/stage_cache.h): the field-free q of an earlier run with the same Monte
    // Carlo inputs, or a fresh MC (then stored). Its time is this run's (reading or computing).
    solver::MonteCarloChargeSources cached_monte_carlo_charges(const Scenario &scenario, const layout::StreamLayout &layout,
                                                               const McEmbedding &embedding, RunContext &context)
    {
      const auto t0  = WallClock::now();
      const auto key = charging_mc_key(scenario, context, layout,
                                       embedding.periodic_stream ? *embedding.periodic_stream : layout);
      auto r = reuse_or_compute<solver::MonteCarloChargeSources>(
        context, key, [&] { return monte_carlo_charges(scenario, layout, embedding, context); },
        &solver::write_charge_sources, &solver::read_charge_sources);
      r.seconds = seconds_since(t0);
      return r;
    }

    // Stage cache: the driver's response tables of an earlier run on the same mesh and
    // settings, or computed now (then stored, as they are before the field cap's refreshes).
    // The seconds it took.
    double prepare_cached_responses(const Scenario &scenario, const layout::StreamLayout &layout,
                                    const solver::Electrostatics &es, solver::StreamCharging &driver,
                                    RunContext &context)
    {
      const auto t0 = WallClock::now();
      bool computed = false;
      auto tables   = reuse_or_compute<solver::ResponseTables>(
        context, responses_key(scenario, context, layout, es.space_charge_density()),
        [&] {
          driver.prepare_responses();
          computed = true;
          return driver.responses();
        },
        &solver::write_response_tables, &solver::read_response_tables);
      if (!computed)
        driver.use_responses(std::move(tables));
      return seconds_since(t0);
    }

    // Charging/q_muP: one value for every sphere, or one per layer.
    solver::ChargingCoefficients charging_coefficients(const Scenario &scenario, const layout::StreamLayout &layout)
    {
      const auto &c = scenario.charging;
      solver::ChargingCoefficients q = solver::ChargingCoefficients::uniform(c.q_muP[0]);
      if (c.q_muP.size() > 1)
        {
          if (c.q_muP.size() != layout.layer_heights.size())
            throw InputError("Charging/q_muP: " + std::to_string(c.q_muP.size()) + " values for " +
                             std::to_string(layout.layer_heights.size()) + " layers (give 1 or one per layer)");
          q = solver::ChargingCoefficients::per_layer(c.q_muP);
        }
      return q;
    }

    // The Charging section's settings with what the geometry adds: the sheet model's plates,
    // the electrode wall's gap, the sphere temperature.
    solver::ChargingSettings charging_settings(const Scenario &scenario, const layout::StreamLayout &layout,
                                               const std::array<solver::Point3, 2> &box)
    {
      const auto &c = scenario.charging;
      auto settings  = c.settings;
      settings.plate_lower_z = layout.anode_present ? 0.0 : box[0][2];
      settings.plate_upper_z = box[1][2];
      settings.wall_gap_m    = scenario.electrodes.gap;
      if (c.temperature_K > 0)
        settings.emission.temperature_K.assign(layout.spheres.size(), c.temperature_K);
      return settings;
    }

    // Heights of the patch-centre mean-potential profile: the laterally averaged profile of the
    // stream's interior (periodic cell and electrode wall should agree on it).
    std::vector<double> centre_heights(const layout::StreamLayout &layout, const std::array<solver::Point3, 2> &box)
    {
      std::vector<double> centre_z;
      for (double h = 1e-6; h < std::min(box[1][2], layout.bounding_box()[1][2] + 5e-6); h += 1e-6)
        centre_z.push_back(h);
      return centre_z;
    }

    struct StateSamples
    {
      std::vector<solver::PointSample> line, section;
      std::vector<double> centre_mean;
    };

    // Puts `state` in place and samples the profile, the cross-section and the centre means.
    StateSamples sample_state(solver::StreamCharging &charging, solver::Electrostatics &es,
                              const solver::ChargeState &state, const SamplingPoints &where,
                              const std::vector<double> &centre_z, unsigned int profile_points)
    {
      charging.apply(state);
      StateSamples s;
      s.line        = es.sample_line(where.profile_from, where.profile_to, profile_points);
      s.section     = es.sample_points(where.section);
      s.centre_mean = charging.centre_window_means(centre_z);
      return s;
    }

    // Study: the same mode at other tube voltages (one q_muP each) and, with fixed electrodes,
    // at other electrode potentials.
    std::vector<solver::SweepCase> sweep_cases(const solver::ChargingSettings &settings,
                                               const solver::OperatingPoint &beam, double q_muP)
    {
      std::vector<solver::SweepCase> cases;
      for (std::size_t n = 0; n < settings.sweep_tube_voltages_V.size(); ++n)
        {
          cases.push_back({beam, settings.sweep_q_muP[n]});
          cases.back().beam.tube_voltage = settings.sweep_tube_voltages_V[n];
        }
      for (const double V : settings.sweep_electrode_potentials_V)
        cases.push_back({beam, q_muP, V});
      return cases;
    }

    // The per-sphere q actually used, for the CSV and the summary.
    struct ChargeSourceValues
    {
      bool monte_carlo = false;
      std::vector<double> q, q_stderr;
      double mean = 0, min = 0, max = 0, largest_relative_stderr = 0, absorbed_mean = 0, seconds = 0;
      std::uint64_t histories = 0;
      std::string embedding;
    };

    ChargeSourceValues typed_values(const solver::ChargingCoefficients &q, const layout::StreamLayout &layout)
    {
      ChargeSourceValues v;
      for (std::size_t n = 0; n < layout.spheres.size(); ++n)
        v.q.push_back(q.of_sphere(layout, n));
      v.q_stderr.assign(v.q.size(), 0.0);
      v.mean = std::accumulate(v.q.begin(), v.q.end(), 0.0) / static_cast<double>(v.q.size());
      v.min  = *std::min_element(v.q.begin(), v.q.end());
      v.max  = *std::max_element(v.q.begin(), v.q.end());
      return v;
    }

    ChargeSourceValues monte_carlo_values(const solver::MonteCarloChargeSources &m)
    {
      ChargeSourceValues v{true, m.q, m.q_stderr, m.mean(), m.min(), m.max(), m.largest_relative_stderr(), 0.0,
                           m.seconds, m.histories};
      v.absorbed_mean = std::accumulate(m.q_absorbed.begin(), m.q_absorbed.end(), 0.0) /
                        static_cast<double>(m.q_absorbed.size());
      return v;
    }

    struct ChargingTimes
    {
      double setup_s = 0, sampling_s = 0, sweep_s = 0;
    };

    // Every summary key of the stage, in one place.
    void write_charging_summary(RunContext &context, const layout::StreamLayout &layout,
                                const solver::ChargingSettings &settings,
                                const solver::ChargingResult &r, const ChargeSourceValues &q, bool swept,
                                const ChargingTimes &t)
    {
      const auto &b = r.backscatter_only, &f = r.final_state;
      auto &s = context.stage_summary("charging");
      s["charging_mode"]                          = solver::to_string(settings.mode);
      s["charging_charge_source"]                 = q.monte_carlo ? "monte carlo" : "q_muP";
      s["q_muP_mean"]                             = q.mean;
      s["q_muP_min"]                              = q.min;
      s["q_muP_max"]                              = q.max;
      if (q.monte_carlo)
        {
          s["q_muP_stderr_relative_max"]     = q.largest_relative_stderr;
          s["q_muP_absorbed_mean"]           = q.absorbed_mean;
          s["charging_monte_carlo_histories"] = q.histories;
          s["charging_monte_carlo_embedding"] = q.embedding;
          s["charging_monte_carlo_s"]        = q.seconds;
        }
      s["stream_potential_backscatter_only_min_V"] = b.potential_min();
      s["surface_field_backscatter_only_max_V_per_m"] = b.field_abs_max();
      s["stream_potential_min_V"]                 = f.potential_min();
      s["surface_field_max_V_per_m"]              = f.field_abs_max();
      s["surface_emission_field_max_V_per_m"]     = f.emission_field_max();
      s["surface_emission_field_backscatter_only_max_V_per_m"] = b.emission_field_max();
      s["probe_potential_backscatter_only_V"]     = b.potentials[layout.probe_sphere];
      s["probe_potential_V"]                      = f.potentials[layout.probe_sphere];
      write_force_summary(s, "force_backscatter_only_", layout, b.forces);
      write_force_summary(s, "force_", layout, f.forces);
      s["charging_iterations"]                    = r.iterations;
      s["charging_capped_spheres"]                = r.capped.size();
      s["charging_zero_charge_spheres_above_cap"] = r.infeasible.size();
      s["charging_constraint_refreshes"]          = r.refreshes;
      s["charging_response_solves"]               = r.response_solves;
      if (settings.mode == solver::ChargingMode::field_cap)
        {
          s["charging_field_cap_solver"] = settings.field_cap_solver == solver::FieldCapSolver::probed
                                             ? "probed" : "responses";
          // probed: the probe solves and the confirming solves of the mode (responses: the
          // confirming solves are charging_iterations, after the response solves).
          s["charging_mode_field_solves"] = r.mode_field_solves;
        }
      s["charging_surface_points"]                = r.surface_points;
      s["charging_linear_model_error"]            = r.model_error;
      s["charging_electrodes"]                    = solver::to_string(settings.electrodes);
      s["charging_setup_s"]                       = t.setup_s;
      s["charging_responses_s"]                   = r.seconds_responses;
      s["charging_backscatter_solve_s"]           = r.seconds_backscatter;
      s["charging_mode_s"]                        = r.seconds_mode;
      s["charging_sampling_s"]                    = t.sampling_s;
      if (swept)
        s["charging_sweep_s"] = t.sweep_s;
    }

    // Charging/Bounds: each bound's headline numbers, keys bound_<mode>_*.
    void write_bounds_summary(RunContext &context, const layout::StreamLayout &layout,
                              const std::vector<solver::ChargingBound> &bounds)
    {
      auto &s = context.stage_summary("charging");
      for (const auto &b : bounds)
        {
          std::string key = "bound_" + solver::to_string(b.mode) + "_";
          std::replace(key.begin(), key.end(), ' ', '_');
          std::replace(key.begin(), key.end(), '-', '_');
          s[key + "stream_potential_min_V"]            = b.state.potential_min();
          s[key + "probe_potential_V"]                 = b.state.potentials[layout.probe_sphere];
          s[key + "surface_emission_field_max_V_per_m"] = b.state.emission_field_max();
          write_force_summary(s, key + "force_", layout, b.state.forces);
          context.log << "[charging] bound " << solver::to_string(b.mode) << ": min sphere potential "
                      << b.state.potential_min() << " V, max emission-direction field "
                      << b.state.emission_field_max() << " V/m" << std::endl;
        }
    }

    // The coupled dwell's own keys (Charging/Mode = dwell).
    void write_dwell_summary(RunContext &context, const solver::ChargingResult &r, const DwellTemperatures &T)
    {
      const auto e = dwell_extremes(r.dwell);
      double T_exit_max = 0, T_exit_min = 1e300, T_peak_max = 0;
      for (std::size_t i = 0; i < T.mean_K.size(); ++i)
        {
          T_exit_max = std::max(T_exit_max, T.mean_K[i].back());
          T_exit_min = std::min(T_exit_min, T.mean_K[i].back());
          T_peak_max = std::max(T_peak_max, *std::max_element(T.peak_K[i].begin(), T.peak_K[i].end()));
        }
      double emitted = 0;
      for (const double q : r.emitted_charge)
        emitted += q;
      auto &s = context.stage_summary("charging");
      s["stream_potential_min_over_dwell_V"]      = e.potential_min_V;
      s["stream_potential_min_over_dwell_time_s"] = e.potential_min_time_s;
      s["emission_current_max_A"]                 = e.emission_current_max_A;
      s["emission_current_stream_max_A"]          = e.emission_current_total_max_A;
      s["emitted_charge_total_C"]                 = emitted;
      s["force_max_abs_over_dwell_N"]             = e.force_abs_max_N;
      s["dwell_time_steps"]                       = r.dwell.empty() ? 0 : r.dwell.size() - 1;
      s["dwell_exit_mean_temperature_min_K"]      = T_exit_min;
      s["dwell_exit_mean_temperature_max_K"]      = T_exit_max;
      s["dwell_peak_temperature_max_K"]           = T_peak_max;
      s["dwell_temperature_monte_carlo_s"]        = T.monte_carlo_s;
      s["dwell_temperature_thermal_s"]            = T.thermal_s;
    }

    Json growth_json(const std::vector<solver::GrowthStep> &steps)
    {
      Json rows = Json::array();
      for (const auto &s : steps)
        {
          Json row                 = Json::object();
          row["step"]              = s.index;
          row["dwell_fraction"]    = s.dwell_fraction;
          row["length"]            = s.length;
          row["potential_min_V"]   = s.potential_min_V;
          row["q_muP_mean"]        = s.q_mean;
          row["spheres_at_cutoff"] = s.at_cutoff;
          row["limit"]             = solver::to_string(s.limit);
          rows.push_back(row);
        }
      return rows;
    }

    Json history_json(const std::vector<solver::SelfConsistentIterate> &history)
    {
      Json rows = Json::array();
      for (const auto &it : history)
        {
          Json row               = Json::object();
          row["iteration"]       = it.iteration;
          row["potential_min_V"] = it.potential_min_V;
          row["q_muP_mean"]      = it.q_mean;
          row["relative_change"] = it.relative_change;
          rows.push_back(row);
        }
      return rows;
    }

    double sum(const std::vector<double> &v) { return std::accumulate(v.begin(), v.end(), 0.0); }

    // Charging/Self-consistent field = on: the self-consistent states' keys beside the field-free ones.
    void write_self_consistent_summary(RunContext &context, const SelfConsistentCharging &sc,
                                       const solver::MonteCarloChargeSources &field_free,
                                       double field_free_backscatter_only_min_V)
    {
      auto &s          = context.stage_summary("charging");
      const auto &b    = sc.backscatter_only;
      s["stream_potential_self_consistent_min_V"]             = b.potential_min_V;
      s["stream_potential_backscatter_only_field_free_min_V"] = field_free_backscatter_only_min_V;
      s["self_consistent_growth_steps"]                       = b.steps.size();
      s["self_consistent_growth_history"]                     = growth_json(b.steps);
      s["self_consistent_cutoff_reached_at_dwell_fraction"] =
        b.cutoff_reached_at >= 0 ? Json(b.cutoff_reached_at) : Json(nullptr);
      s["q_muP_field_free_mean"]                              = field_free.mean();
      s["q_muP_self_consistent_backscatter_only_mean"]        = sum(b.q_effective) / static_cast<double>(b.q_effective.size());
      s["self_consistent_field_work_fraction"]                = b.dwell_mean_mc.field_work_fraction;
      s["sphere_energy_fraction_field_free"]                  = sum(field_free.power_fraction);
      s["sphere_energy_fraction_self_consistent"]             = sum(sc.last_mc().power_fraction);
      s["sphere_energy_fraction_backscatter_only_self_consistent"] = sum(b.dwell_mean_mc.power_fraction);
      if (sc.mode)
        {
          s["stream_potential_mode_self_consistent_min_V"] = sc.mode->potential_min_V;
          s["self_consistent_iterations"]                  = sc.mode->outcome.history.size() - 1;
          s["self_consistent_saturated_at_beam_cutoff"]    = sc.mode->outcome.at_cliff;
          s["self_consistent_last_change"]                 = sc.mode->outcome.history.back().relative_change;
          s["self_consistent_history"]                     = history_json(sc.mode->outcome.history);
        }
      s["self_consistent_s"] = sc.seconds;
    }
  } // namespace

  void check_charging_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    const auto &c = scenario.charging;
    check_self_consistent_inputs(scenario, layout);
    if (c.charge_source == ChargeSource::monte_carlo)
      check_monte_carlo_charge_source(scenario);
    if (scenario.electrodes.enabled && !layout.periodic_cell) // the sampled centre disc must fit inside them
      solver::PatchCentre(layout, c.settings.centre_radius_pitches, scenario.electrodes.gap).require_inside_electrodes();
    charging_coefficients(scenario, layout); // one q_muP, or one per layer
  }

  void run_charging_stage(const Scenario &scenario, RunContext &context)
  {
    // Checks that need only the layout come first: bad input stops the run before meshing.
    const auto &layout = ensure_layout(scenario, context);
    check_charging_inputs(scenario, layout);
    const auto &c      = scenario.charging;
    const auto &beam   = scenario.operating_point;
    const bool from_mc = c.charge_source == ChargeSource::monte_carlo;
    auto q = charging_coefficients(scenario, layout);
    ChargeSourceValues q_used;
    solver::MonteCarloChargeSources field_free_mc;
    if (from_mc)
      {
        const auto embedding   = mc_embedding(scenario, layout);
        field_free_mc          = cached_monte_carlo_charges(scenario, layout, embedding, context);
        q_used                 = monte_carlo_values(field_free_mc);
        q_used.embedding       = embedding.description;
        q      = solver::ChargingCoefficients::per_sphere(q_used.q);
      }
    else
      q_used = typed_values(q, layout);
    if (context.mesh_file.empty())
      run_mesh_stage(scenario, context);
    const auto box      = meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes);
    auto settings = charging_settings(scenario, layout, box);
    DwellTemperatures temperatures;
    if (settings.mode == solver::ChargingMode::dwell)
      {
        temperatures = dwell_temperatures(scenario, layout, settings.emission.time_steps + 1, context);
        settings.emission.temperature_history_K = temperatures.mean_K;
      }

    ChargingTimes times;
    // The operator may come from the electrostatics stage of the same run (then 0 s here); it
    // reports the progress of its unit solves (ensure_electrostatics). The driver logs to
    // stderr on rank 0 only, as Electrostatics does.
    const auto t_setup = WallClock::now();
    auto &es           = ensure_electrostatics(scenario, context);
    times.setup_s      = seconds_since(t_setup);
    const auto driver = std::make_shared<solver::StreamCharging>(es, layout, beam, q, settings,
                                                                 context.is_root() ? &std::cerr : nullptr);
    auto &charging    = *driver;
    const double responses_s = prepare_cached_responses(scenario, layout, es, charging, context);
    auto r                   = charging.run();
    r.seconds_responses      = responses_s;
    std::optional<SelfConsistentCharging> self_consistent;
    const double field_free_backscatter_only_min_V = r.backscatter_only.potential_min();
    if (c.self_consistent_field)
      {
        self_consistent = self_consistent_charging(scenario, layout, charging, field_free_mc, context);
        r               = self_consistent->result; // every later output at the self-consistent q
        charging.apply(r.final_state);            // the dwell's loop leaves its peak in place
        q_used           = monte_carlo_values(self_consistent->last_mc());
        q_used.q         = self_consistent->q(); // the last iterate (= the last MC's within the tolerance)
        q_used.embedding = "periodic cell or patch, per sphere, self-consistent field";
      }
    context.charging = std::make_shared<ChargingProducts>(ChargingProducts{driver, r}); // for the dynamics
    const auto &b = r.backscatter_only, &f = r.final_state;
    context.log << "[charging] " << solver::to_string(settings.mode) << ": min sphere potential "
                << f.potential_min() << " V (backscatter only " << b.potential_min() << " V), max |E.n| "
                << f.field_abs_max() << " V/m (backscatter only " << b.field_abs_max() << " V/m), "
                << r.iterations << " iteration(s)" << std::endl;

    // Profiles and cross-sections: the final state is in place; then the backscatter-only one.
    const auto where      = sampling_points(layout, box, c.section_points);
    const auto centre_z   = centre_heights(layout, box);
    const auto t_sampling = WallClock::now();
    const auto samples_f  = sample_state(charging, es, f, where, centre_z, c.profile_points);
    if (scenario.output.write_vtu)
      es.write_vtu(context.output_dir.string(), "charging");
    const auto samples_b = sample_state(charging, es, b, where, centre_z, c.profile_points);
    times.sampling_s     = seconds_since(t_sampling);

    const auto bounds = charging.bounds(r);
    const auto t_sweep = WallClock::now();
    const auto cases   = sweep_cases(settings, beam, c.q_muP[0]);
    std::vector<solver::SweepPoint> sweep;
    if (!cases.empty())
      sweep = charging.sweep(cases);
    times.sweep_s = seconds_since(t_sweep);

    run_on_root(context.comm, [&] {
      std::vector<SphereColumn> q_columns;
      if (self_consistent)
        {
          q_columns.push_back({"q_muP_field_free", field_free_mc.q});
          q_columns.push_back({"q_muP_self_consistent_backscatter_only", self_consistent->backscatter_only.q_effective});
          q_columns.push_back({"energy_deposited_fraction_field_free", field_free_mc.power_fraction});
          q_columns.push_back({"energy_deposited_fraction_self_consistent", self_consistent->last_mc().power_fraction});
        }
      write_charging_spheres_csv(context.path("charging_spheres.csv"), layout, r, settings.mode, q_used.q,
                                 q_used.q_stderr, q_columns);
      write_charging_electrodes_csv(context.path("charging_electrodes.csv"), layout, r, es, charging);
      write_charging_centre_profile_csv(context.path("charging_centre_profile.csv"), centre_z,
                                        samples_b.centre_mean, samples_f.centre_mean);
      write_charging_samples_csv(context.path("charging_profile.csv"), layout, r, samples_b.line, samples_f.line);
      write_charging_samples_csv(context.path("charging_section.csv"), layout, r, samples_b.section,
                                 samples_f.section);
      if (!sweep.empty())
        write_charging_sweep_csv(context.path("charging_sweep.csv"), sweep, beam.input_power, settings.mode);
      if (!r.dwell.empty())
        write_charging_dwell_csv(context.path("charging_dwell.csv"), layout, r.dwell);
    });
    write_charging_summary(context, layout, settings, r, q_used, !sweep.empty(), times);
    if (settings.mode == solver::ChargingMode::dwell)
      write_dwell_summary(context, r, temperatures);
    write_bounds_summary(context, layout, bounds);
    if (self_consistent)
      write_self_consistent_summary(context, *self_consistent, field_free_mc, field_free_backscatter_only_min_V);
  }
} // namespace mpstream::app
