#include "app/charging_csv.h"

#include "app/point_samples_csv.h"
#include "common/atomic_file.h"

#include <algorithm>
#include <string>

namespace mpstream::app
{
  void write_charging_spheres_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                  const solver::ChargingResult &r, solver::ChargingMode mode,
                                  const std::vector<double> &q_muP, const std::vector<double> &q_muP_stderr,
                                  const std::vector<SphereColumn> &more)
  {
    const auto &b = r.backscatter_only, &f = r.final_state;
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    std::string more_names;
    for (const auto &column : more)
      more_names += ',' + column.name;
    o << "sphere,x_m,y_m,z_m,radius_m,layer,charge_backscatter_only_C,potential_backscatter_only_V,"
         "field_abs_max_backscatter_only_V_per_m,charge_C,potential_V,field_abs_max_V_per_m,"
         "field_abs_max_x_m,field_abs_max_y_m,field_abs_max_z_m,emitted_charge_C,state,q_muP,q_muP_stderr,"
         "force_backscatter_only_x_N,force_backscatter_only_y_N,force_backscatter_only_z_N,force_x_N,force_y_N,"
         "force_z_N"
      << more_names << '\n';
    std::vector<std::string> state(layout.spheres.size(), "kept");
    if (mode == solver::ChargingMode::murphy_good || mode == solver::ChargingMode::dwell)
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
          << f.fields[n].field_abs_max_location[2] << ',' << r.emitted_charge[n] << ',' << state[n] << ','
          << q_muP[n] << ',' << q_muP_stderr[n] << ',' << b.forces[n][0] << ',' << b.forces[n][1] << ','
          << b.forces[n][2] << ',' << f.forces[n][0] << ',' << f.forces[n][1] << ',' << f.forces[n][2];
        for (const auto &column : more)
          o << ',' << column.values.at(n);
        o << '\n';
      }
    out.commit();
  }

  void write_charging_electrodes_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                     const solver::ChargingResult &r, const solver::Electrostatics &es,
                                     const solver::StreamCharging &charging)
  {
    const auto &b = r.backscatter_only, &f = r.final_state;
    AtomicFile out(file);
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

  void write_charging_centre_profile_csv(const std::filesystem::path &file, const std::vector<double> &z,
                                         const std::vector<double> &mean_backscatter_only,
                                         const std::vector<double> &mean_final)
  {
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    o << "z_m,centre_mean_potential_backscatter_only_V,centre_mean_potential_V\n";
    for (std::size_t k = 0; k < z.size(); ++k)
      o << z[k] << ',' << mean_backscatter_only[k] << ',' << mean_final[k] << '\n';
    out.commit();
  }

  void write_charging_samples_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                  const solver::ChargingResult &r,
                                  const std::vector<solver::PointSample> &backscatter_only,
                                  const std::vector<solver::PointSample> &final_state)
  {
    write_point_samples_csv(
      file, layout,
      {{backscatter_only, r.backscatter_only.potentials, "potential_backscatter_only_V", "E_backscatter_only_V_per_m"},
       {final_state, r.final_state.potentials, "potential_V", "E_V_per_m"}});
  }

  void write_charging_sweep_csv(const std::filesystem::path &file, const std::vector<solver::SweepPoint> &sweep,
                                double input_power_W, solver::ChargingMode mode)
  {
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    o << "tube_voltage_V,q_muP,input_power_W,electrode_potential_V,backscatter_only_potential_min_V,"
         "backscatter_only_field_max_V_per_m,probe_backscatter_only_V,mode,potential_min_V,"
         "field_max_V_per_m,probe_V,capped_spheres,confirming_solves\n";
    for (const auto &p : sweep)
      o << p.tube_voltage_V << ',' << p.q_muP << ',' << input_power_W << ',' << p.electrode_potential_V << ','
        << p.backscatter_only_potential_min_V << ',' << p.backscatter_only_field_max_V_per_m << ','
        << p.probe_backscatter_only_V << ',' << solver::to_string(mode) << ',' << p.potential_min_V << ','
        << p.field_max_V_per_m << ',' << p.probe_V << ',' << p.capped << ',' << p.iterations << '\n';
    out.commit();
  }
} // namespace mpstream::app
