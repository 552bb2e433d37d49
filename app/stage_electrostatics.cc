// Stage "electrostatics": potential and field of the charged stream on the mesh of the mesh
// stage (run first if needed): sphere potentials and surface fields, profiles along the anode
// normal through the probe sphere and on the cross-section y = y_probe (paper Fig. 12), VTU,
// and optionally the capacitance matrix and field sensitivities.
#include "app/force_summary.h"
#include "app/point_samples_csv.h"
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/error.h"
#include "solver/electrostatics.h"

#include <cmath>
#include <fstream>
#include <limits>
#include <optional>
#include <sstream>

namespace mpstream::app
{
  std::vector<double> electrostatics_sphere_charges(const ElectrostaticsScenario &e, const layout::StreamLayout &layout)
  {
    const std::size_t N = layout.spheres.size();
    std::vector<double> q(N, e.sphere_charge);
    if (e.charge_mode == ChargeMode::per_layer)
      for (std::size_t n = 0; n < N; ++n)
        {
          const int layer = layout.spheres[n].layer;
          if (layer < 0 || static_cast<std::size_t>(layer) >= e.layer_charges.size())
            throw InputError("Electrostatics/Layer charges [C]: " + std::to_string(e.layer_charges.size()) +
                             " value(s) given, but sphere " + std::to_string(n) + " is on layer " +
                             std::to_string(layer));
          q[n] = e.layer_charges[layer];
        }
    if (e.charge_mode == ChargeMode::per_sphere_file)
      {
        std::ifstream in(e.sphere_charge_file);
        if (!in)
          throw InputError("Electrostatics/Sphere charge file: cannot open '" + e.sphere_charge_file.string() + "'");
        std::vector<bool> seen(N, false);
        std::string line;
        unsigned int line_no = 0;
        while (std::getline(in, line))
          {
            ++line_no;
            line = line.substr(0, line.find('#'));
            if (line.find_first_not_of(" \t\r") == std::string::npos || line.find("sphere") != std::string::npos)
              continue;
            std::stringstream s(line);
            std::string a, b;
            std::getline(s, a, ',');
            std::getline(s, b, ',');
            const std::string where = e.sphere_charge_file.string() + ":" + std::to_string(line_no);
            std::size_t n = 0;
            double value  = 0;
            try
              {
                n     = std::stoul(a);
                value = std::stod(b);
              }
            catch (...)
              {
                throw InputError(where + ": expected 'sphere,charge', got '" + line + "'");
              }
            if (n >= N)
              throw InputError(where + ": sphere " + std::to_string(n) + " does not exist (" + std::to_string(N) + " spheres)");
            if (!std::isfinite(value))
              throw InputError(where + ": the charge of sphere " + std::to_string(n) + " is not a finite number");
            q[n]    = value;
            seen[n] = true;
          }
        for (std::size_t n = 0; n < N; ++n)
          if (!seen[n])
            throw InputError("Electrostatics/Sphere charge file: no charge for sphere " + std::to_string(n));
      }
    return q;
  }

  namespace
  {
    // Inside a sphere (a conductor) phi is the sphere's potential and E = 0.
    void write_matrix(const std::filesystem::path &file, const std::string &unit,
                      const std::vector<std::vector<double>> &m, const std::vector<double> *extra_column,
                      const std::string &extra_name)
    {
      AtomicFile out(file);
      auto &o = out.stream();
      o.precision(12);
      o << "sphere";
      for (std::size_t j = 0; j < m.size(); ++j)
        o << ",sphere_" << j << '_' << unit;
      if (extra_column)
        o << ',' << extra_name;
      o << '\n';
      for (std::size_t i = 0; i < m.size(); ++i)
        {
          o << i;
          for (const double x : m[i])
            o << ',' << x;
          if (extra_column)
            o << ',' << (*extra_column)[i];
          o << '\n';
        }
      out.commit();
    }
  } // namespace

  void check_electrostatics_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    electrostatics_sphere_charges(scenario.electrostatics, layout); // layer count, charge file
  }

  solver::SolveReport solve_section_charge_state(const Scenario &scenario, RunContext &context)
  {
    const auto &layout = ensure_layout(scenario, context);
    const auto &e      = scenario.electrostatics;
    const auto charges = electrostatics_sphere_charges(e, layout); // before meshing: bad input stops the run early
    if (context.mesh_file.empty())
      run_mesh_stage(scenario, context);

    auto &es = ensure_electrostatics(scenario, context);
    es.set_sphere_charges(charges);
    es.set_electrode_potentials(e.electrode_potentials);
    es.set_space_charge_density(e.space_charge_density);
    const auto report = es.solve();
    context.log << "[electrostatics] CG: " << report.iterations << " iterations, residual "
                << report.residual << " C (||b|| = " << report.rhs_norm << " C), " << report.seconds
                << " s" << std::endl;
    return report;
  }

  void run_electrostatics_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &layout = ensure_layout(scenario, context);
    const auto &e      = scenario.electrostatics;
    const auto report  = solve_section_charge_state(scenario, context);
    auto &es           = *context.electrostatics;
    const auto phi    = es.sphere_potentials();
    const auto fields = es.sphere_fields();
    const auto forces = es.sphere_forces();

    // Profiles: the anode normal through the probe sphere, and the plane y = y_probe.
    const auto where   = sampling_points(layout, meshing::enclosure_box(layout, scenario.enclosure, scenario.electrodes), e.section_points);
    const auto line    = es.sample_line(where.profile_from, where.profile_to, e.profile_points);
    const auto section = es.sample_points(where.section);

    std::optional<solver::Responses> responses;
    if (e.capacitance_matrix)
      {
        responses = es.compute_responses();
        context.log << "[electrostatics] capacitance matrix: " << responses->solves
                    << " solves, at most " << responses->max_iterations << " CG iterations, "
                    << responses->seconds << " s" << std::endl;
      }
    if (scenario.output.write_vtu)
      es.write_vtu(context.output_dir.string(), "electrostatics");

    run_on_root(context.comm, [&] {
      AtomicFile out(context.path("electrostatics_spheres.csv"));
      auto &o = out.stream();
      o.precision(10);
      o << "sphere,x_m,y_m,z_m,radius_m,layer,charge_C,potential_V,area_m2,field_mean_V_per_m,"
           "field_min_V_per_m,field_max_V_per_m,field_abs_max_V_per_m,field_abs_max_x_m,"
           "field_abs_max_y_m,field_abs_max_z_m,sigma_mean_C_per_m2,sigma_abs_max_C_per_m2,force_x_N,force_y_N,"
           "force_z_N\n";
      for (std::size_t n = 0; n < fields.size(); ++n)
        {
          const auto &s = layout.spheres[n];
          const auto &f = fields[n];
          o << n << ',' << s.centre[0] << ',' << s.centre[1] << ',' << s.centre[2] << ',' << s.radius << ','
            << s.layer << ',' << f.charge << ',' << f.potential << ',' << f.area << ',' << f.field_mean << ','
            << f.field_min << ',' << f.field_max << ',' << f.field_abs_max << ','
            << f.field_abs_max_location[0] << ',' << f.field_abs_max_location[1] << ','
            << f.field_abs_max_location[2] << ',' << f.sigma_mean() << ',' << f.sigma_abs_max() << ','
            << forces[n][0] << ',' << forces[n][1] << ',' << forces[n][2] << '\n';
        }
      out.commit();
      const auto one_state = [&](const std::vector<solver::PointSample> &samples) {
        return std::vector<SampledState>{{samples, phi, "potential_V", "E_magnitude_V_per_m", true}};
      };
      write_point_samples_csv(context.path("electrostatics_profile.csv"), layout, one_state(line));
      write_point_samples_csv(context.path("electrostatics_section.csv"), layout, one_state(section));
      if (responses)
        {
          write_matrix(context.path("electrostatics_potential_coefficients.csv"), "V_per_C",
                       responses->potential_coefficients, &responses->electrode_potentials, "electrodes_V");
          write_matrix(context.path("electrostatics_capacitance.csv"), "F", responses->capacitance, nullptr, "");
          write_matrix(context.path("electrostatics_field_sensitivity.csv"), "V_per_m_per_C",
                       responses->field_per_charge, &responses->field_electrodes, "electrodes_V_per_m");
        }
    });
    double phi_min = std::numeric_limits<double>::max(), phi_max = std::numeric_limits<double>::lowest();
    double field_max = 0;
    for (std::size_t n = 0; n < phi.size(); ++n)
      {
        phi_min   = std::min(phi_min, phi[n]);
        phi_max   = std::max(phi_max, phi[n]);
        field_max = std::max(field_max, fields[n].field_abs_max);
      }
    auto &s = context.stage_summary("electrostatics");
    s["sphere_potential_min_V"]    = phi_min;
    s["sphere_potential_max_V"]    = phi_max;
    s["surface_field_max_V_per_m"] = field_max;
    s["probe_sphere_potential_V"]  = phi[layout.probe_sphere];
    write_force_summary(s, "force_", layout, forces);
    s["n_dofs"]                    = es.n_dofs();
    s["n_inverted_curved_cells"]   = es.n_inverted_curved_cells();
    s["solver_iterations"]         = report.iterations;
    s["electrostatics_setup_s"]    = es.total_setup_seconds();
    s["electrostatics_solve_s"]    = report.seconds;
    if (responses)
      s["capacitance_matrix_s"] = responses->seconds;
    es.print_timing(std::cerr);
  }
} // namespace mpstream::app
