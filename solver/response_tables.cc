#include "solver/response_tables.h"

#include "solver/charging_log.h"

#include <chrono>
#include <string>

namespace mpstream::solver
{
  std::vector<SurfacePoint> surface_points_of(const SurfacePointSet &points, std::size_t from)
  {
    std::vector<SurfacePoint> where;
    for (std::size_t k = from; k < points.size(); ++k)
      where.push_back({points.sphere[k], points.point[k]});
    return where;
  }

  void compute_point_responses(Electrostatics &es, const layout::StreamLayout &layout,
                               const SurfacePointSettings &settings, std::size_t n_electrodes,
                               ResponseTables &tables, std::ostream *log)
  {
    const std::size_t N = layout.spheres.size();
    tables.points       = make_surface_points(layout, settings);
    const auto where    = surface_points_of(tables.points);
    charging_say(log, "responses: " + std::to_string(N) + " unit solves and " + std::to_string(n_electrodes) +
                        " electrode solves, fields at " + std::to_string(tables.points.size()) +
                        " surface points (" + std::to_string(tables.points.size() / N) + " per sphere)");
    es.set_electrode_potentials({});
    const auto r = es.compute_responses(where);
    tables.P     = r.potential_coefficients;
    tables.S     = r.surface_field_per_charge;
    tables.Pv    = r.potential_per_electrode_volt; // electrode_layers() order
    tables.Sv    = r.surface_field_per_electrode_volt;
    tables.forces = r.forces;
    tables.solves += r.solves;
  }

  void add_constraint_points(Electrostatics &es, const std::vector<std::size_t> &spheres,
                             const std::vector<Point3> &locations, ResponseTables &tables)
  {
    const auto before = tables.points.size();
    for (std::size_t n = 0; n < spheres.size(); ++n)
      tables.points.add(spheres[n], locations[n], 0.0);
    es.set_electrode_potentials({});
    const auto r = es.compute_responses(surface_points_of(tables.points, before));
    tables.solves += r.solves;
    tables.S.insert(tables.S.end(), r.surface_field_per_charge.begin(), r.surface_field_per_charge.end());
    tables.Sv.insert(tables.Sv.end(), r.surface_field_per_electrode_volt.begin(),
                     r.surface_field_per_electrode_volt.end());
  }

  void compute_centre_mean_rows(Electrostatics &es, std::size_t n_spheres,
                                const std::vector<std::vector<std::size_t>> &centre_sets,
                                ResponseTables &tables, std::ostream *log)
  {
    const std::size_t N   = n_spheres, E = centre_sets.size();
    const double unit_C   = 1e-15; // a unit response, like compute_responses
    tables.K_Q.assign(E, std::vector<double>(N, 0.0));
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t e = 0; e < E; ++e)
      {
        std::vector<double> Q(N, 0.0);
        for (const std::size_t i : centre_sets[e])
          Q.at(i) = unit_C / centre_sets[e].size();
        es.set_sphere_charges(Q);
        es.set_electrode_potentials({});
        es.solve(es.parameters().response_tolerance);
        ++tables.solves;
        const auto phi = es.sphere_potentials();
        for (std::size_t j = 0; j < N; ++j)
          tables.K_Q[e][j] = phi[j] / unit_C;
        const double elapsed = charging_seconds_since(t0);
        charging_say(log, "centre-mean response " + std::to_string(e + 1) + " of " + std::to_string(E) + " (" +
                            std::to_string(centre_sets[e].size()) + " centre spheres), " +
                            charging_seconds_text(elapsed) + " elapsed, about " +
                            charging_seconds_text(elapsed / (e + 1) * (E - e - 1)) + " left");
      }
  }

  void compute_electrode_responses(Electrostatics &es, std::size_t n_spheres,
                                   const std::vector<unsigned int> &electrode_ids, std::size_t n_ids,
                                   ResponseTables &tables, std::ostream *log)
  {
    // The field-cap and Murphy-Good modes get Pv and Sv from compute_point_responses.
    const std::size_t N = n_spheres, E = electrode_ids.size();
    tables.Pv.assign(N, std::vector<double>(E, 0.0));
    tables.Sv.clear();
    const auto t0 = std::chrono::steady_clock::now();
    for (std::size_t e = 0; e < E; ++e)
      {
        es.set_sphere_charges(std::vector<double>(N, 0.0));
        std::vector<double> V(n_ids, 0.0);
        V.at(electrode_ids[e]) = 1.0;
        es.set_electrode_potentials(V);
        es.solve(es.parameters().response_tolerance);
        ++tables.solves;
        const auto phi = es.sphere_potentials();
        for (std::size_t i = 0; i < N; ++i)
          tables.Pv[i][e] = phi[i];
        const double elapsed = charging_seconds_since(t0);
        charging_say(log, "electrode response " + std::to_string(e + 1) + " of " + std::to_string(E) + ", " +
                            charging_seconds_text(elapsed) + " elapsed, about " +
                            charging_seconds_text(elapsed / (e + 1) * (E - e - 1)) + " left");
      }
  }

  void compute_wall_window_responses(Electrostatics &es, const std::vector<std::vector<Point3>> &windows,
                                     ResponseTables &tables, std::ostream *log)
  {
    charging_say(log, "electrode wall: " + std::to_string(windows.size()) + " mean-potential responses (" +
                        std::to_string(windows.front().size()) + " wall-equivalent points per node)");
    const auto r = es.mean_potential_responses(windows);
    tables.K_Q   = r.per_charge;
    tables.K_V   = r.per_electrode_volt;
    tables.solves += r.solves;
  }
} // namespace mpstream::solver
