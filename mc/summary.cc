#include "mc/summary.h"

#include "common/error.h"

#include <cmath>

namespace mpstream::mc
{
  namespace
  {
    // Mean and standard error of a per-history score scaled by `scale`.
    Estimate mean_of(const Tallies &t, Score s, double scale)
    {
      const double n    = static_cast<double>(t.histories);
      const double mean = static_cast<double>(t.sum[s]) / n;
      const double var  = n > 1 ? (static_cast<double>(t.sum_sq[s]) / n - mean * mean) * n / (n - 1)
                                : 0.0;
      return {mean * scale, std::sqrt(std::max(0.0, var) / n) * scale};
    }

    Estimate sum_of(const Tallies &t, Score a, Score b, double scale)
    {
      // a and b are scored in the same history (correlated, covariance not kept): the sum of
      // the two standard errors is an upper bound of the standard error of a + b.
      const Estimate ea = mean_of(t, a, scale), eb = mean_of(t, b, scale);
      return {ea.value + eb.value, ea.stderr_ + eb.stderr_};
    }
  } // namespace

  std::vector<double> sphere_deposited_fractions(const Tallies &t, double E0_eV)
  {
    const double per_primary_meV = 1 / (E0_eV * 1e3 * static_cast<double>(std::max<std::uint64_t>(1, t.histories)));
    std::vector<double> fractions;
    for (const auto E_meV : t.sphere_energy_meV)
      fractions.push_back(static_cast<double>(E_meV) * per_primary_meV);
    return fractions;
  }

  Summary summarize(const Tallies &t, double E0_eV)
  {
    if (t.histories == 0)
      throw InputError("Monte Carlo: no histories to summarise");
    const double per_meV = 1 / (E0_eV * 1e3);
    Summary s;
    s.histories        = t.histories;
    s.eta              = mean_of(t, electrons_up, 1);
    s.eta_E            = mean_of(t, energy_up_meV, per_meV);
    s.eta_down         = mean_of(t, electrons_down, 1);
    s.eta_E_down       = mean_of(t, energy_down_meV, per_meV);
    s.S_muP_deposited  = mean_of(t, energy_spheres_meV, per_meV);
    s.S_anode_deposited = mean_of(t, energy_anode_meV, per_meV);
    s.S_muP   = sum_of(t, energy_spheres_meV, energy_radiated_spheres_meV, per_meV);
    s.S_anode = sum_of(t, energy_anode_meV, energy_radiated_anode_meV, per_meV);
    s.radiated = sum_of(t, energy_radiated_spheres_meV, energy_radiated_anode_meV, per_meV);
    s.one_minus_eta_E = {1 - s.eta_E.value, s.eta_E.stderr_};
    s.field_work      = mean_of(t, energy_field_work_meV, per_meV);
    s.trapped         = mean_of(t, electrons_trapped, 1);

    // q = sum a / sum b (ratio estimator), delta-method standard error.
    const double n  = static_cast<double>(t.histories);
    const double sa = static_cast<double>(t.sum[electrons_absorbed_spheres]);
    const double sb = static_cast<double>(t.sum[primary_hits_sphere]);
    if (sb > 0)
      {
        const double q    = sa / sb;
        const double ma = sa / n, mb = sb / n;
        const double vaa = static_cast<double>(t.sum_sq[electrons_absorbed_spheres]) / n - ma * ma;
        const double vbb = static_cast<double>(t.sum_sq[primary_hits_sphere]) / n - mb * mb;
        const double vab = static_cast<double>(t.sum_absorbed_times_hits) / n - ma * mb;
        const double var = (vaa - 2 * q * vab + q * q * vbb) / (mb * mb);
        s.q_muP = {q, std::sqrt(std::max(0.0, var) / n)};
      }
    return s;
  }

  std::vector<CartesianGrid> power_density_grids(const Tallies &t, const Geometry &geometry,
                                                 double E0_eV)
  {
    std::vector<CartesianGrid> grids;
    const std::size_t n = t.grid.cells_per_axis;
    if (n == 0)
      return grids;
    const double beam_meV = E0_eV * 1e3 * static_cast<double>(t.histories);
    for (std::size_t i = 0; i < geometry.spheres().size(); ++i)
      {
        const auto &sp = geometry.spheres()[i];
        CartesianGrid g;
        for (int d = 0; d < 3; ++d)
          {
            g.lower[d]   = sp.centre[d] - sp.radius;
            g.upper[d]   = sp.centre[d] + sp.radius;
            g.n_cells[d] = n;
          }
        const double v = g.cell_volume();
        g.values.resize(g.size());
        for (std::size_t c = 0; c < g.size(); ++c)
          g.values[c] = static_cast<double>(t.sphere_grid_meV[i][c]) / (beam_meV * v);
        grids.push_back(std::move(g));
      }
    return grids;
  }

  CartesianGrid depth_profile(const Tallies &t, double E0_eV)
  {
    CartesianGrid g;
    const GridSpec &s = t.grid;
    g.lower   = {s.profile_x_lo, 0.0, s.profile_z_lo};
    g.upper   = {s.profile_x_hi, 1.0, s.profile_z_hi};
    g.n_cells = {s.profile_nx, 1, s.profile_nz};
    const double beam_meV = E0_eV * 1e3 * static_cast<double>(t.histories);
    const double area = (s.profile_x_hi - s.profile_x_lo) / std::max<std::size_t>(1, s.profile_nx) *
                        (s.profile_z_hi - s.profile_z_lo) / std::max<std::size_t>(1, s.profile_nz);
    g.values.resize(s.profile_nx * s.profile_nz);
    for (std::size_t c = 0; c < g.values.size(); ++c)
      g.values[c] = static_cast<double>(t.profile_meV[c]) / (beam_meV * area);
    return g;
  }
} // namespace mpstream::mc
