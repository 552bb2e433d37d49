// Stage "mc": electron Monte Carlo at the operating point's tube voltage or over a sweep
// (Monte Carlo/Tube voltages [V]). Each MPI rank runs its share [first, last) of the histories
// on std::threads; rank 0 gathers the integer tallies (exact, so the result is that of a serial
// run), writes mc_table.csv, depth profiles, the probe sphere's power grid, and summary keys.
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "mc/cases.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mpstream::app
{
  namespace
  {
    // Sum of all ranks' tallies on rank 0 (integer data, so the order does not matter).
    mc::Tallies gather_tallies(const mc::Tallies &local, const mc::Tallies &shape,
                               RunContext &context)
    {
      const std::vector<std::int64_t> mine = local.serialize();
      std::vector<std::int64_t> all(context.is_root() ? mine.size() * context.n_ranks : 0);
      MPI_Gather(mine.data(), static_cast<int>(mine.size()), MPI_INT64_T, all.data(),
                 static_cast<int>(mine.size()), MPI_INT64_T, 0, context.comm);
      mc::Tallies total = shape;
      if (context.is_root())
        for (unsigned r = 0; r < context.n_ranks; ++r)
          {
            mc::Tallies part = shape;
            part.deserialize(std::vector<std::int64_t>(all.begin() + r * mine.size(),
                                                       all.begin() + (r + 1) * mine.size()));
            total.merge(part);
          }
      return total;
    }

    std::string kV_tag(double U) { return std::to_string(static_cast<long>(std::lround(U / 1e3))) + "kV"; }

    void write_profile(const mc::Tallies &t, double U, RunContext &context)
    {
      if (t.grid.profile_nx == 0 || t.grid.profile_nz == 0)
        return;
      const CartesianGrid p = mc::depth_profile(t, U);
      AtomicFile csv(context.path("mc_profile_" + kV_tag(U) + ".csv"));
      csv.stream() << "x_um,z_um,power_per_area_W_per_m2_per_W\n";
      for (std::size_t k = 0; k < p.n_cells[2]; ++k)
        for (std::size_t i = 0; i < p.n_cells[0]; ++i)
          csv.stream() << 1e6 * (p.lower[0] + (i + 0.5) * (p.upper[0] - p.lower[0]) / p.n_cells[0])
                       << ',' << 1e6 * (p.lower[2] + (k + 0.5) * (p.upper[2] - p.lower[2]) / p.n_cells[2])
                       << ',' << p.values[p.index(i, 0, k)] << '\n';
      csv.commit();
    }

    void write_probe_grid(const mc::Tallies &t, const mc::Geometry &g, std::size_t probe,
                          double U, RunContext &context)
    {
      const auto grids = mc::power_density_grids(t, g, U);
      if (grids.empty() || probe >= grids.size())
        return;
      const CartesianGrid &p = grids[probe];
      AtomicFile csv(context.path("mc_power_density_probe_" + kV_tag(U) + ".csv"));
      csv.stream() << "x_m,y_m,z_m,power_density_W_per_m3_per_W\n";
      for (std::size_t k = 0; k < p.n_cells[2]; ++k)
        for (std::size_t j = 0; j < p.n_cells[1]; ++j)
          for (std::size_t i = 0; i < p.n_cells[0]; ++i)
            {
              auto centre = [&](int d, std::size_t n) {
                return p.lower[d] + (n + 0.5) * (p.upper[d] - p.lower[d]) / p.n_cells[d];
              };
              csv.stream() << centre(0, i) << ',' << centre(1, j) << ',' << centre(2, k) << ','
                           << p.values[p.index(i, j, k)] << '\n';
            }
      csv.commit();
    }

    void put(Json &s, const std::string &key, const mc::Estimate &e)
    {
      s[key]             = e.value;
      s[key + "_stderr"] = e.stderr_;
    }
  } // namespace

  void run_mc_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &mcp = scenario.monte_carlo;
    std::size_t probe = 0;
    mc::Geometry geometry = mc::Geometry::bulk();
    if (!mcp.bulk)
      {
        const auto &layout = ensure_layout(scenario, context);
        geometry = mc::Geometry::from_layout(layout);
        probe    = layout.probe_sphere;
      }
    std::vector<double> voltages = mcp.tube_voltages;
    if (voltages.empty())
      voltages.push_back(scenario.operating_point.tube_voltage);

    mc::PhysicsOptions physics = mcp.physics;
    physics.max_energy_eV = *std::max_element(voltages.begin(), voltages.end());
    const mc::PhysicsTables tables(mc::tungsten(), physics);
    mc::GridSpec grid;
    if (mcp.profile_nx > 0 && mcp.profile_nz > 0)
      grid = mc::profile_grid(geometry, mcp.profile_bottom_m, mcp.profile_nx, mcp.profile_nz);
    grid.cells_per_axis = mcp.bulk ? 0 : mcp.grid_cells;

    const std::uint64_t n = mcp.histories;
    const std::uint64_t first = n * context.rank / context.n_ranks;
    const std::uint64_t last  = n * (context.rank + 1) / context.n_ranks;

    std::ostringstream table;
    table << "U_tube_kV,histories,eta,eta_stderr,eta_E,eta_E_stderr,S_muP,S_muP_stderr,S_anode,"
             "S_anode_stderr,one_minus_etaE_hybrid,one_minus_etaE_hybrid_stderr,radiated,"
             "eta_down,eta_E_down,q_muP,q_muP_stderr\n";
    Json sweep = Json::array();
    for (double U : voltages)
      {
        mc::Source source = mc::Source::for_geometry(geometry, U, mcp.incidence_angle_rad);
        const mc::Transport transport(geometry, tables, source, mcp.transport, grid);
        const mc::Tallies shape(geometry.spheres().size(), grid);
        const mc::Tallies local = transport.run(first, last, context.threads.threads_for(mcp.threads));
        const mc::Tallies total = gather_tallies(local, shape, context);
        // Rank 0 summarises and writes; a failure there ends the run on every rank.
        run_on_root(context.comm, [&] {
          const mc::Summary s = mc::summarize(total, U);
          context.log << "[mc] " << U / 1e3 << " kV, " << n << " histories: eta = " << s.eta.value
                      << ", eta_E = " << s.eta_E.value << ", S_muP = " << s.S_muP.value
                      << ", S_anode = " << s.S_anode.value << ", q_muP = " << s.q_muP.value
                      << std::endl;
          table << U / 1e3 << ',' << n << ',' << s.eta.value << ',' << s.eta.stderr_ << ','
                << s.eta_E.value << ',' << s.eta_E.stderr_ << ',' << s.S_muP.value << ','
                << s.S_muP.stderr_ << ',' << s.S_anode.value << ',' << s.S_anode.stderr_ << ','
                << s.one_minus_eta_E.value << ',' << s.one_minus_eta_E.stderr_ << ','
                << s.radiated.value << ',' << s.eta_down.value << ',' << s.eta_E_down.value << ','
                << s.q_muP.value << ',' << s.q_muP.stderr_ << '\n';
          const auto put_estimates = [&](Json &to) {
            put(to, "eta", s.eta);
            put(to, "eta_E", s.eta_E);
            put(to, "S_muP", s.S_muP);
            put(to, "S_anode", s.S_anode);
            put(to, "one_minus_etaE_hybrid", s.one_minus_eta_E);
            put(to, "q_muP", s.q_muP);
          };
          Json row = Json::object();
          row["tube_voltage_V"] = U;
          put_estimates(row);
          sweep.push_back(row);
          // Headline keys: the last voltage of the sweep (the only one without a sweep).
          auto &out = context.stage_summary("mc");
          out["mc_tube_voltage_V"] = U;
          out["mc_histories"]      = n;
          out["mc_geometry"]       = mcp.bulk ? "bulk" : "stream";
          put_estimates(out);
          write_profile(total, U, context);
          write_probe_grid(total, geometry, probe, U, context);
        });
      }
    run_on_root(context.comm, [&] {
      context.stage_summary("mc")["mc_sweep"] = sweep;
      write_file_atomically(context.path("mc_table.csv"), table.str());
    });
  }
} // namespace mpstream::app
