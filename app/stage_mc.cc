// Stage "mc": electron Monte Carlo at the operating point's tube voltage or over a sweep
// (Monte Carlo/Tube voltages [V]). Each MPI rank runs its share [first, last) of the histories
// on std::threads; rank 0 gathers the integer tallies (exact, so the result is that of a serial
// run), writes mc_table.csv, depth profiles, the probe sphere's power grid, and summary keys.
// The histories run in batches, each followed by a state point (app/mc_state_point.h): a killed
// run resumes, a run with more histories extends the earlier one, bit for bit. With Field =
// electrostatics the electrons fly through the field of the Electrostatics section's charge
// state (app/mc_stream_field.h); mc_spheres.csv has every sphere's q and deposited energy.
#include "app/build_info.h"
#include "app/mc_state_point.h"
#include "app/mc_stream_field.h"
#include "app/run_on_root.h"
#include "app/stage_cache.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/digest.h"
#include "common/error.h"
#include "common/wall_clock.h"
#include "mc/cases.h"
#include "mc/sphere_charge.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
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

    // A state point after every 1/20 of the histories: a killed run loses at most 5 % of them.
    constexpr std::uint64_t batches_per_run = 20;

    std::string exact(double x)
    {
      char text[32];
      std::snprintf(text, sizeof text, "%.17g", x);
      return text;
    }

    // The text behind a state point's key (app/mc_state_point.h), on rank 0: the mpstream
    // version, the voltage and the physics tables' top energy, the Geometry and Monte Carlo
    // sections as this run used them (parameters_used.prm, written before the stages; all of them
    // with Field = electrostatics) without the lines that do not change the tallies, and the
    // spheres (a CSV layout's file may change).
    std::string state_point_key_text(const RunContext &context, double U, double max_energy_eV,
                                     const layout::StreamLayout *layout, bool with_field)
    {
      std::ostringstream key;
      key << "mpstream " << mpstream_version() << "\ntube voltage " << exact(U) << "\nmax energy "
          << exact(max_energy_eV) << '\n';
      key << used_parameter_lines(context.path("parameters_used.prm"), [&](const std::string &section,
                                                                            const std::string &text) {
        // In the stream's field the charge state, mesh and enclosure count too: every section.
        const bool relevant = with_field || section == "Geometry" || section == "Monte Carlo";
        const bool ignored  = text.rfind("set Histories", 0) == 0 || text.rfind("set Threads", 0) == 0 ||
                             text.rfind("set Tube voltages", 0) == 0;
        return relevant && !ignored;
      });
      if (layout)
        for (const auto &sphere : layout->spheres)
          key << exact(sphere.centre[0]) << ' ' << exact(sphere.centre[1]) << ' ' << exact(sphere.centre[2]) << ' '
              << exact(sphere.radius) << '\n';
      return key.str();
    }

    // Histories [0, n) in batches, each followed by a state point in `file`; resumes from (or
    // extends) the state point an earlier run left there. The total on rank 0 (elsewhere empty).
    mc::Tallies run_with_state_points(const mc::Transport &transport, const mc::Tallies &shape, std::uint64_t n,
                                      unsigned threads, const std::filesystem::path &file,
                                      const std::string &key_text, RunContext &context)
    {
      McStatePoint point{"", shape};
      run_on_root(context.comm, [&] {
        point.key = text_digest(key_text);
        if (auto earlier = read_state_point(file, point.key, shape))
          {
            if (earlier->tallies.histories > n)
              throw InputError("Monte Carlo/Histories = " + std::to_string(n) + ": fewer than the " +
                               std::to_string(earlier->tallies.histories) + " histories of the state point '" +
                               file.string() + "' (ask for at least as many, or delete it)");
            point = *earlier;
            context.log << "[mc] " << file.filename().string() << ": resuming after " << point.tallies.histories
                        << " of " << n << " histories" << std::endl;
          }
      });
      std::uint64_t done = point.tallies.histories;
      MPI_Bcast(&done, 1, MPI_UINT64_T, 0, context.comm);
      const std::uint64_t batch = std::max<std::uint64_t>(1, n / batches_per_run);
      for (std::uint64_t b0 = done; b0 < n; b0 += batch)
        {
          const std::uint64_t b1    = std::min(n, b0 + batch);
          const std::uint64_t first = b0 + (b1 - b0) * context.rank / context.n_ranks;
          const std::uint64_t last  = b0 + (b1 - b0) * (context.rank + 1) / context.n_ranks;
          const mc::Tallies batch_total = gather_tallies(transport.run(first, last, threads), shape, context);
          run_on_root(context.comm, [&] {
            point.tallies.merge(batch_total);
            write_state_point(file, point);
          });
        }
      return point.tallies;
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

    // Per sphere: q (net electrons per primary through its cross-section, mc/sphere_charge.h) and
    // the energy deposited there per primary, as a fraction of e U; rows for every voltage.
    void append_sphere_rows(std::ostringstream &csv, const mc::Tallies &t, const mc::Geometry &g, const mc::Source &source,
                            const layout::StreamLayout &layout, double U)
    {
      const auto q         = mc::sphere_charge_fractions(t, g, source);
      const auto deposited = mc::sphere_deposited_fractions(t, U);
      csv.precision(10);
      for (std::size_t n = 0; n < q.size(); ++n)
        csv << U << ',' << n << ',' << layout.spheres[n].layer << ',' << q[n].q.value << ',' << q[n].q.stderr_ << ','
            << deposited[n] << '\n';
    }

    void put(Json &s, const std::string &key, const mc::Estimate &e)
    {
      s[key]             = e.value;
      s[key + "_stderr"] = e.stderr_;
    }
  } // namespace

  void check_mc_inputs(const Scenario &scenario, const layout::StreamLayout &layout)
  {
    if (scenario.monte_carlo.field_from_electrostatics && !scenario.monte_carlo.bulk)
      check_field_grid_clear_of_electrodes(scenario, layout, "Monte Carlo/Field", "electrostatics");
  }

  void run_mc_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &mcp = scenario.monte_carlo;
    std::size_t probe = 0;
    mc::Geometry geometry = mc::Geometry::bulk();
    const layout::StreamLayout *layout_used = nullptr;
    if (!mcp.bulk)
      {
        const auto &layout = ensure_layout(scenario, context);
        layout_used        = &layout;
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
    McStreamField stream_field;
    if (mcp.field_from_electrostatics)
      {
        check_mc_inputs(scenario, *layout_used);
        solve_section_charge_state(scenario, context);
        stream_field = sample_field_for_mc(scenario, *layout_used, *context.electrostatics, context);
      }
    std::ostringstream sphere_rows;
    sphere_rows << "tube_voltage_V,sphere,layer,q_muP,q_muP_stderr,energy_deposited_fraction\n";

    std::ostringstream table;
    table << "U_tube_kV,histories,eta,eta_stderr,eta_E,eta_E_stderr,S_muP,S_muP_stderr,S_anode,"
             "S_anode_stderr,one_minus_etaE_hybrid,one_minus_etaE_hybrid_stderr,radiated,"
             "eta_down,eta_E_down,q_muP,q_muP_stderr\n";
    Json sweep = Json::array();
    for (double U : voltages)
      {
        mc::Source source = mc::Source::for_geometry(geometry, U, mcp.incidence_angle_rad);
        const mc::Transport transport(geometry, tables, source, mcp.transport, grid, stream_field.field.get(),
                                      stream_field.flight);
        const mc::Tallies shape(geometry.spheres().size(), grid);
        const auto t_transport  = WallClock::now();
        const mc::Tallies total =
          run_with_state_points(transport, shape, n, context.threads.threads_for(mcp.threads),
                                context.path("mc_state_point_" + kV_tag(U) + ".txt"),
                                context.is_root() ? state_point_key_text(context, U, physics.max_energy_eV, layout_used,
                                                                          mcp.field_from_electrostatics)
                                                   : "",
                                context);
        const double transport_s = seconds_since(t_transport);
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
          out["mc_field"]          = mcp.field_from_electrostatics ? "electrostatics" : "none";
          out["mc_transport_s"]    = transport_s; // the histories alone (this run's share)
          put_estimates(out);
          if (stream_field.field)
            {
              out["mc_field_grid_nodes"]              = stream_field.report.nodes;
              out["mc_field_sampling_s"]              = stream_field.report.seconds;
              out["mc_field_work_fraction"]           = s.field_work.value;
              out["mc_electrons_trapped_per_primary"] = s.trapped.value;
            }
          if (layout_used)
            append_sphere_rows(sphere_rows, total, geometry, source, *layout_used, U);
          write_profile(total, U, context);
          write_probe_grid(total, geometry, probe, U, context);
        });
      }
    run_on_root(context.comm, [&] {
      context.stage_summary("mc")["mc_sweep"] = sweep;
      write_file_atomically(context.path("mc_table.csv"), table.str());
      if (layout_used)
        write_file_atomically(context.path("mc_spheres.csv"), sphere_rows.str());
    });
  }
} // namespace mpstream::app
