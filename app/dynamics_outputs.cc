#include "app/dynamics_outputs.h"

#include "common/atomic_file.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>

namespace mpstream::app
{
  namespace
  {
    using solver::Vector3;

    double norm(const Vector3 &v) { return std::sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]); }
    Vector3 minus(const Vector3 &a, const Vector3 &b) { return {a[0] - b[0], a[1] - b[1], a[2] - b[2]}; }

    Json list(const std::vector<double> &values)
    {
      Json a = Json::array();
      for (const double v : values)
        a.push_back(v);
      return a;
    }

    // The per-sphere displacement at the last sample, and per layer the mean z displacement.
    struct FinalDisplacements
    {
      double z_min = 0, z_max = 0, lateral_max = 0, force_max_abs = 0;
      std::vector<double> z_layer_mean;
    };

    FinalDisplacements final_displacements(const layout::StreamLayout &layout, const solver::DynamicsResult &r)
    {
      FinalDisplacements f;
      const auto &first = r.samples.front(), &last = r.samples.back();
      std::vector<double> sum(layout.layer_heights.size(), 0.0), count(sum.size(), 0.0);
      for (std::size_t i = 0; i < last.positions.size(); ++i)
        {
          const auto u = minus(last.positions[i], first.positions[i]);
          f.z_min      = std::min(f.z_min, u[2]);
          f.z_max      = std::max(f.z_max, u[2]);
          f.lateral_max = std::max(f.lateral_max, std::hypot(u[0], u[1]));
          f.force_max_abs = std::max(f.force_max_abs, norm(last.forces[i]));
          const int l = layout.spheres[i].layer;
          if (l >= 0 && std::size_t(l) < sum.size())
            sum[l] += u[2], count[l] += 1;
        }
      for (std::size_t l = 0; l < sum.size(); ++l)
        f.z_layer_mean.push_back(count[l] > 0 ? sum[l] / count[l] : 0.0);
      return f;
    }

    Json contact_json(const solver::Contact &c)
    {
      Json j        = Json::object();
      j["sphere"]   = c.sphere;
      j["other"]    = c.other ? Json(*c.other) : Json("anode");
      j["location_m"] = list({c.location[0], c.location[1], c.location[2]});
      return j;
    }

    void write_vtp(const std::filesystem::path &file, const layout::StreamLayout &layout,
                   const solver::DynamicsSample &s, const solver::DynamicsSample &start, const std::vector<double> &Q)
    {
      AtomicFile out(file);
      auto &o = out.stream();
      o.precision(10);
      const std::size_t N = s.positions.size();
      o << "<?xml version=\"1.0\"?>\n<VTKFile type=\"PolyData\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
        << "<PolyData>\n<Piece NumberOfPoints=\"" << N << "\" NumberOfVerts=\"" << N << "\">\n<Points>\n"
        << "<DataArray type=\"Float64\" NumberOfComponents=\"3\" format=\"ascii\">\n";
      for (const auto &x : s.positions)
        o << x[0] << ' ' << x[1] << ' ' << x[2] << '\n';
      o << "</DataArray>\n</Points>\n<Verts>\n<DataArray type=\"Int64\" Name=\"connectivity\" format=\"ascii\">\n";
      for (std::size_t i = 0; i < N; ++i)
        o << i << '\n';
      o << "</DataArray>\n<DataArray type=\"Int64\" Name=\"offsets\" format=\"ascii\">\n";
      for (std::size_t i = 0; i < N; ++i)
        o << i + 1 << '\n';
      o << "</DataArray>\n</Verts>\n<PointData Scalars=\"radius_m\" Vectors=\"velocity_m_per_s\">\n";
      const auto vectors = [&](const char *name, const std::vector<Vector3> &v) {
        o << "<DataArray type=\"Float64\" Name=\"" << name << "\" NumberOfComponents=\"3\" format=\"ascii\">\n";
        for (const auto &a : v)
          o << a[0] << ' ' << a[1] << ' ' << a[2] << '\n';
        o << "</DataArray>\n";
      };
      const auto scalars = [&](const char *name, const auto &value_of) {
        o << "<DataArray type=\"Float64\" Name=\"" << name << "\" format=\"ascii\">\n";
        for (std::size_t i = 0; i < N; ++i)
          o << value_of(i) << '\n';
        o << "</DataArray>\n";
      };
      scalars("radius_m", [&](std::size_t i) { return layout.spheres[i].radius; });
      scalars("layer", [&](std::size_t i) { return double(layout.spheres[i].layer); });
      scalars("charge_C", [&](std::size_t i) { return Q[i]; });
      scalars("displacement_m", [&](std::size_t i) { return norm(minus(s.positions[i], start.positions[i])); });
      vectors("velocity_m_per_s", s.velocities);
      vectors("force_N", s.forces);
      o << "</PointData>\n</Piece>\n</PolyData>\n</VTKFile>\n";
      out.commit();
    }
  } // namespace

  void write_dynamics_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                          const solver::DynamicsResult &result, const solver::ChargeHistory &charges)
  {
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    o << "t_s,sphere,layer,x_m,y_m,z_m,displacement_m,v_x_m_per_s,v_y_m_per_s,v_z_m_per_s,force_x_N,force_y_N,"
         "force_z_N,charge_C\n";
    const auto &start = result.samples.front();
    for (const auto &s : result.samples)
      {
        const auto Q = charges(s.time_s);
        for (std::size_t i = 0; i < s.positions.size(); ++i)
          {
            const auto &x = s.positions[i], &v = s.velocities[i], &F = s.forces[i];
            o << s.time_s << ',' << i << ',' << layout.spheres[i].layer << ',' << x[0] << ',' << x[1] << ','
              << x[2] << ',' << norm(minus(x, start.positions[i])) << ',' << v[0] << ',' << v[1] << ',' << v[2]
              << ',' << F[0] << ',' << F[1] << ',' << F[2] << ',' << Q[i] << '\n';
          }
      }
    out.commit();
  }

  void write_dynamics_vtp_series(const std::filesystem::path &directory, const std::string &basename,
                                 const layout::StreamLayout &layout, const solver::DynamicsResult &result,
                                 const solver::ChargeHistory &charges)
  {
    AtomicFile pvd(directory / (basename + ".pvd"));
    auto &o = pvd.stream();
    o.precision(10);
    o << "<?xml version=\"1.0\"?>\n<VTKFile type=\"Collection\" version=\"0.1\" byte_order=\"LittleEndian\">\n"
      << "<Collection>\n";
    for (std::size_t k = 0; k < result.samples.size(); ++k)
      {
        char name[64];
        std::snprintf(name, sizeof name, "_%04zu.vtp", k);
        const auto &s = result.samples[k];
        write_vtp(directory / (basename + name), layout, s, result.samples.front(), charges(s.time_s));
        o << "<DataSet timestep=\"" << s.time_s << "\" group=\"\" part=\"0\" file=\"" << basename + name << "\"/>\n";
      }
    o << "</Collection>\n</VTKFile>\n";
    pvd.commit();
  }

  void write_dynamics_summary(Json &summary, const std::string &stem, const layout::StreamLayout &layout,
                              const solver::DynamicsResult &result, double end_time_s)
  {
    const auto f        = final_displacements(layout, result);
    const double t_stop = result.samples.back().time_s;
    const bool at_exit  = result.stop_reason == "end time";
    summary[stem + "max_displacement_at_exit_m"] = at_exit ? Json(result.max_displacement_m) : Json(nullptr);
    summary[stem + "time_to_first_contact_s"] =
      result.first_contact ? Json(result.first_contact->time_s) : Json(nullptr);
    summary[stem + "first_contact"] = result.first_contact ? contact_json(*result.first_contact) : Json(nullptr);
    summary[stem + "time_to_displacement_threshold_s"] =
      result.threshold_time_s ? Json(*result.threshold_time_s) : Json(nullptr);
    summary[stem + "dynamics_stop_reason"]                 = result.stop_reason;
    summary[stem + "dynamics_stop_time_s"]                 = t_stop;
    summary[stem + "dynamics_end_time_s"]                  = end_time_s;
    summary[stem + "max_displacement_at_stop_m"]           = result.max_displacement_m;
    summary[stem + "displacement_z_min_at_stop_m"]         = f.z_min;
    summary[stem + "displacement_z_max_at_stop_m"]         = f.z_max;
    summary[stem + "displacement_lateral_max_at_stop_m"]   = f.lateral_max;
    summary[stem + "displacement_z_layer_mean_at_stop_m"]  = list(f.z_layer_mean);
    summary[stem + "force_max_abs_at_stop_N"]              = f.force_max_abs;
    summary[stem + "dynamics_steps"]                       = result.steps;
  }
} // namespace mpstream::app
