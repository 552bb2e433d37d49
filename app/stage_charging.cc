// Stage "charging": the stream's charge state at the focal-spot exit (paper Sect. 3.3, Fig. 12):
// the backscatter-only state and the discharged state of Charging/Mode, per-sphere CSV, the
// profile along the anode normal through the probe sphere and the cross-section y = y_probe for
// both states, electrode potentials beside the 1D sheet model, summary keys, VTU.
#include "app/point_samples_csv.h"
#include "app/response_progress.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "meshing/mesher.h"
#include "solver/stream_charging.h"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace mpstream::app
{
  void run_charging_stage(const Scenario &scenario, RunContext &context)
  {
    // Checks that need only the layout come first: bad input stops the run before meshing.
    const auto &layout = ensure_layout(scenario, context);
    const auto &c      = scenario.charging;
    const auto &op     = scenario.operating_point;

    solver::BeamParameters beam;
    beam.tube_voltage      = op.tube_voltage;
    beam.input_power       = op.input_power;
    beam.focal_spot_width  = op.focal_spot_width;
    beam.focal_spot_length = op.focal_spot_length;
    beam.stream_speed      = op.stream_speed;
    solver::ChargingCoefficients q = solver::ChargingCoefficients::uniform(c.q_muP[0]);
    if (c.q_muP.size() > 1)
      {
        if (c.q_muP.size() != layout.layer_heights.size())
          throw InputError("Charging/q_muP: " + std::to_string(c.q_muP.size()) + " values for " +
                           std::to_string(layout.layer_heights.size()) + " layers (give 1 or one per layer)");
        q = solver::ChargingCoefficients::per_layer(c.q_muP);
      }
    if (context.mesh_file.empty())
      run_mesh_stage(scenario, context);
    auto settings  = c.settings;
    const auto box = meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes);
    settings.plate_lower_z = layout.anode_present ? 0.0 : box[0][2];
    settings.plate_upper_z = box[1][2];
    settings.wall_gap_m    = scenario.electrodes.gap;
    if (c.temperature_K > 0)
      settings.emission.temperature_K.assign(layout.spheres.size(), c.temperature_K);

    auto seconds_since = [](std::chrono::steady_clock::time_point t) {
      return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
    };
    // The operator may come from the electrostatics stage of the same run (then 0 s here).
    // Electrostatics and the charging driver log through one stream that adds progress and an
    // estimate to the unit solves (rank 0 only: the driver's log is null elsewhere and
    // Electrostatics prints on rank 0).
    const auto t_setup   = std::chrono::steady_clock::now();
    auto &es             = ensure_electrostatics(scenario, context);
    const double setup_s = seconds_since(t_setup);
    solver::StreamCharging charging(es, layout, beam, q, settings,
                                    context.is_root() ? context.electrostatics_log.get() : nullptr);
    const auto r = charging.run();
    const auto &b = r.backscatter_only, &f = r.final_state;
    context.log << "[charging] " << solver::to_string(settings.mode) << ": min sphere potential "
                << f.potential_min() << " V (backscatter only " << b.potential_min() << " V), max |E.n| "
                << f.field_abs_max() << " V/m (backscatter only " << b.field_abs_max() << " V/m), "
                << r.iterations << " iteration(s)" << std::endl;

    // Profiles and cross-sections: the final state is in place; then the backscatter-only one.
    const auto where = sampling_points(layout, box, c.section_points);
    // And the mean potential of the patch-centre disc vs height: the laterally averaged profile
    // of the stream's interior (periodic cell and electrode wall should agree on it).
    std::vector<double> centre_z;
    for (double h = 1e-6; h < std::min(box[1][2], layout.bounding_box()[1][2] + 5e-6); h += 1e-6)
      centre_z.push_back(h);
    const auto t_sampling = std::chrono::steady_clock::now();
    charging.apply(f);
    const auto line_f        = es.sample_line(where.profile_from, where.profile_to, c.profile_points);
    const auto section_f     = es.sample_points(where.section);
    const auto centre_mean_f = charging.centre_window_means(centre_z);
    if (scenario.output.write_vtu)
      es.write_vtu(context.output_dir.string(), "charging");
    charging.apply(b);
    const auto line_b    = es.sample_line(where.profile_from, where.profile_to, c.profile_points);
    const auto section_b     = es.sample_points(where.section);
    const auto centre_mean_b = charging.centre_window_means(centre_z);
    const double sampling_s = seconds_since(t_sampling);

    // Study: the same mode at other tube voltages, on the responses already computed.
    std::vector<solver::SweepPoint> sweep;
    const auto t_sweep = std::chrono::steady_clock::now();
    {
      std::vector<solver::SweepCase> cases;
      for (std::size_t n = 0; n < settings.sweep_tube_voltages_V.size(); ++n)
        {
          cases.push_back({beam, settings.sweep_q_muP[n]});
          cases.back().beam.tube_voltage = settings.sweep_tube_voltages_V[n];
        }
      for (const double V : settings.sweep_electrode_potentials_V)
        cases.push_back({beam, c.q_muP[0], V});
      if (!cases.empty())
        sweep = charging.sweep(cases);
    }
    const double sweep_s = seconds_since(t_sweep);

    if (context.is_root())
      {
        {
          AtomicFile out(context.path("charging_spheres.csv"));
          auto &o = out.stream();
          o.precision(10);
          o << "sphere,x_m,y_m,z_m,radius_m,layer,charge_backscatter_only_C,potential_backscatter_only_V,"
               "field_abs_max_backscatter_only_V_per_m,charge_C,potential_V,field_abs_max_V_per_m,"
               "field_abs_max_x_m,field_abs_max_y_m,field_abs_max_z_m,emitted_charge_C,state\n";
          std::vector<std::string> state(layout.spheres.size(), "kept");
          if (settings.mode == solver::ChargingMode::murphy_good)
            std::fill(state.begin(), state.end(), "emitting");
          for (const auto i : r.capped)
            state[i] = "capped";
          for (const auto i : r.infeasible)
            state[i] = "zero_charge_above_cap";
          for (std::size_t n = 0; n < layout.spheres.size(); ++n)
            {
              const auto &s = layout.spheres[n];
              o << n << ',' << s.centre[0] << ',' << s.centre[1] << ',' << s.centre[2] << ',' << s.radius << ','
                << s.layer << ',' << b.charges[n] << ',' << b.potentials[n] << ',' << b.fields[n].field_abs_max
                << ',' << f.charges[n] << ',' << f.potentials[n] << ',' << f.fields[n].field_abs_max << ','
                << f.fields[n].field_abs_max_location[0] << ',' << f.fields[n].field_abs_max_location[1] << ','
                << f.fields[n].field_abs_max_location[2] << ',' << r.emitted_charge[n] << ',' << state[n] << '\n';
            }
          out.commit();
        }
        {
          AtomicFile out(context.path("charging_electrodes.csv"));
          auto &o = out.stream();
          o.precision(10);
          if (es.has_electrode_wall())
            {
              // One row per wall node (the electrodes), the sheet model at its height.
              o << "wall_node,z_m,sheet_model_backscatter_only_V,electrode_backscatter_only_V,electrode_V\n";
              const auto &z = es.parameters().wall_node_heights;
              for (std::size_t k = 0; k < z.size(); ++k)
                o << k << ',' << z[k] << ',' << charging.sheet_model_potential_at(b.charges, z[k]) << ','
                  << b.electrode_potentials[k] << ',' << f.electrode_potentials[k] << '\n';
            }
          else
            {
              o << "layer,z_m,sheet_model_backscatter_only_V,electrode_backscatter_only_V,"
                   "patch_centre_backscatter_only_V,electrode_V\n";
              for (std::size_t l = 0; l < layout.layer_heights.size(); ++l)
                o << l << ',' << layout.layer_heights[l] << ',' << r.sheet_model_potentials[l] << ','
                  << b.electrode_potentials[l] << ',' << r.centre_potentials[l] << ',' << f.electrode_potentials[l]
                  << '\n';
            }
          out.commit();
        }
        {
          AtomicFile out(context.path("charging_centre_profile.csv"));
          auto &o = out.stream();
          o.precision(10);
          o << "z_m,centre_mean_potential_backscatter_only_V,centre_mean_potential_V\n";
          for (std::size_t k = 0; k < centre_z.size(); ++k)
            o << centre_z[k] << ',' << centre_mean_b[k] << ',' << centre_mean_f[k] << '\n';
          out.commit();
        }
        auto two_states = [&](const std::vector<solver::PointSample> &sb, const std::vector<solver::PointSample> &sf) {
          return std::vector<SampledState>{
            {sb, b.potentials, "potential_backscatter_only_V", "E_backscatter_only_V_per_m"},
            {sf, f.potentials, "potential_V", "E_V_per_m"}};
        };
        write_point_samples_csv(context.path("charging_profile.csv"), layout, two_states(line_b, line_f));
        write_point_samples_csv(context.path("charging_section.csv"), layout, two_states(section_b, section_f));
        if (!sweep.empty())
          {
            AtomicFile out(context.path("charging_sweep.csv"));
            auto &o = out.stream();
            o.precision(10);
            o << "tube_voltage_V,q_muP,input_power_W,electrode_potential_V,backscatter_only_potential_min_V,"
                 "backscatter_only_field_max_V_per_m,probe_backscatter_only_V,mode,potential_min_V,"
                 "field_max_V_per_m,probe_V,capped_spheres,confirming_solves\n";
            for (const auto &p : sweep)
              o << p.tube_voltage_V << ',' << p.q_muP << ',' << beam.input_power << ',' << p.electrode_potential_V
                << ',' << p.backscatter_only_potential_min_V << ',' << p.backscatter_only_field_max_V_per_m << ','
                << p.probe_backscatter_only_V << ',' << solver::to_string(settings.mode) << ',' << p.potential_min_V
                << ',' << p.field_max_V_per_m << ',' << p.probe_V << ',' << p.capped << ',' << p.iterations << '\n';
            out.commit();
          }
      }

    auto &s = context.summary;
    s["charging_mode"]                          = solver::to_string(settings.mode);
    s["q_muP"]                                  = c.q_muP[0];
    s["beam_current_A"]                         = solver::beam_current_A(beam);
    s["current_density_A_per_m2"]               = solver::current_density_A_per_m2(beam);
    s["dwell_time_s"]                           = solver::dwell_time_s(beam);
    s["stream_potential_backscatter_only_min_V"] = b.potential_min();
    s["surface_field_backscatter_only_max_V_per_m"] = b.field_abs_max();
    s["stream_potential_min_V"]                 = f.potential_min();
    s["surface_field_max_V_per_m"]              = f.field_abs_max();
    s["surface_emission_field_max_V_per_m"]     = f.emission_field_max();
    s["surface_emission_field_backscatter_only_max_V_per_m"] = b.emission_field_max();
    s["probe_potential_backscatter_only_V"]     = b.potentials[layout.probe_sphere];
    s["probe_potential_V"]                      = f.potentials[layout.probe_sphere];
    s["charging_iterations"]                    = r.iterations;
    s["charging_capped_spheres"]                = r.capped.size();
    s["charging_zero_charge_spheres_above_cap"] = r.infeasible.size();
    s["charging_constraint_refreshes"]          = r.refreshes;
    s["charging_response_solves"]               = r.response_solves;
    s["charging_surface_points"]                = r.surface_points;
    s["charging_linear_model_error"]            = r.model_error;
    s["charging_electrodes"]                    = solver::to_string(settings.electrodes);
    s["charging_setup_s"]                       = setup_s;
    s["charging_responses_s"]                   = r.seconds_responses;
    s["charging_backscatter_solve_s"]           = r.seconds_backscatter;
    s["charging_mode_s"]                        = r.seconds_mode;
    s["charging_sampling_s"]                    = sampling_s;
    if (!sweep.empty())
      s["charging_sweep_s"] = sweep_s;
  }
} // namespace mpstream::app
