#include "app/charging_dwell_csv.h"

#include "common/atomic_file.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mpstream::app
{
  namespace
  {
    struct Stats
    {
      double sum = 0, min = std::numeric_limits<double>::max(), max = std::numeric_limits<double>::lowest();
      void add(double x)
      {
        sum += x;
        min = std::min(min, x);
        max = std::max(max, x);
      }
    };

    // One row: the spheres of `members` at one instant.
    void write_group(std::ostream &o, const solver::DwellSample &s, const std::string &group,
                     const std::vector<std::size_t> &members)
    {
      Stats Q, V, F, I, T, Fx, Fy, Fz, Fabs;
      for (const std::size_t i : members)
        {
          const auto &force = s.forces_N.empty() ? solver::Point3{} : s.forces_N[i];
          Fx.add(force[0]);
          Fy.add(force[1]);
          Fz.add(force[2]);
          Fabs.add(std::sqrt(force[0] * force[0] + force[1] * force[1] + force[2] * force[2]));
          Q.add(s.charges_C[i]);
          V.add(s.potentials_V[i]);
          F.add(s.emission_field_V_per_m[i]);
          I.add(s.emission_current_A[i]);
          T.add(s.temperature_K[i]);
        }
      const double n = static_cast<double>(members.size());
      o << s.time_s << ',' << group << ',' << members.size() << ',' << Q.sum / n << ',' << Q.min << ',' << Q.max
        << ',' << V.sum / n << ',' << V.min << ',' << V.max << ',' << F.max << ',' << I.sum << ',' << I.max << ','
        << T.sum / n << ',' << T.min << ',' << T.max << ',' << Fx.sum / n << ',' << Fy.sum / n << ','
        << Fz.sum / n << ',' << Fabs.max << '\n';
    }
  } // namespace

  void write_charging_dwell_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                const std::vector<solver::DwellSample> &dwell)
  {
    std::vector<std::size_t> all(layout.spheres.size());
    std::vector<std::vector<std::size_t>> layers(layout.layer_heights.size());
    for (std::size_t i = 0; i < all.size(); ++i)
      {
        all[i] = i;
        const int l = layout.spheres[i].layer;
        if (l >= 0 && std::size_t(l) < layers.size())
          layers[l].push_back(i);
      }
    AtomicFile out(file);
    auto &o = out.stream();
    o.precision(10);
    o << "time_s,group,n_spheres,charge_mean_C,charge_min_C,charge_max_C,potential_mean_V,potential_min_V,"
         "potential_max_V,emission_field_max_V_per_m,emission_current_A,emission_current_max_A,"
         "temperature_mean_K,temperature_min_K,temperature_max_K,force_x_mean_N,force_y_mean_N,force_z_mean_N,"
         "force_abs_max_N\n";
    for (const auto &s : dwell)
      {
        write_group(o, s, "stream", all);
        for (std::size_t l = 0; l < layers.size(); ++l)
          if (!layers[l].empty())
            write_group(o, s, "layer" + std::to_string(l), layers[l]);
      }
    out.commit();
  }

  DwellExtremes dwell_extremes(const std::vector<solver::DwellSample> &dwell)
  {
    DwellExtremes e;
    for (const auto &s : dwell)
      {
        const auto v = std::min_element(s.potentials_V.begin(), s.potentials_V.end());
        if (v != s.potentials_V.end() && *v < e.potential_min_V)
          e.potential_min_V = *v, e.potential_min_time_s = s.time_s;
        double total = 0;
        for (const double I : s.emission_current_A)
          {
            e.emission_current_max_A = std::max(e.emission_current_max_A, I);
            total += I;
          }
        e.emission_current_total_max_A = std::max(e.emission_current_total_max_A, total);
        for (const auto &F : s.forces_N)
          e.force_abs_max_N = std::max(e.force_abs_max_N, std::sqrt(F[0] * F[0] + F[1] * F[1] + F[2] * F[2]));
      }
    return e;
  }
} // namespace mpstream::app
