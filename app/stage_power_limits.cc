// Stage "power-limits": P_max of the hybrid target at the operating point and the P_max(U)
// curves (melting not allowed / allowed, anode) as CSV for the Fig. 9 / Fig. 11a plots.
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "solver/mc_shielding.h"
#include "solver/power_limits.h"

#include <algorithm>
#include <iomanip>
#include <thread>

namespace mpstream::app
{
  namespace
  {
    void write_sweep_csv(const Scenario &scenario, const solver::ShieldingTable &table,
                         RunContext &context)
    {
      const auto &pl = scenario.power_limits;
      auto solid = pl.stream, liquid = pl.stream;
      solid.melting_allowed  = false;
      liquid.melting_allowed = true;
      // The melting curve uses T_m,W = T_melt; only the latent heat differs.
      solid.maximum_temperature_K = liquid.maximum_temperature_K = 3695.0;
      const auto a = solver::sweep_power_limits(solid, table, pl.sweep_min_V, pl.sweep_max_V, pl.sweep_step_V);
      const auto b = solver::sweep_power_limits(liquid, table, pl.sweep_min_V, pl.sweep_max_V, pl.sweep_step_V);
      AtomicFile csv(context.path("power_limits.csv"));
      auto      &out = csv.stream();
      out << "tube_voltage_V,S_muP,S_anode,one_minus_etaE_bare_anode,P_input_limit_anode_W,"
             "P_input_limit_muP_nonmelting_W,P_input_limit_muP_melting_W,P_max_nonmelting_W,"
             "P_max_melting_W,percent_of_reference_nonmelting,percent_of_reference_melting,"
             "limiting_nonmelting,limiting_melting\n"
          << std::setprecision(8);
      for (std::size_t i = 0; i < a.size(); ++i)
        out << a[i].tube_voltage_V << ',' << a[i].S.S_muP << ',' << a[i].S.S_anode << ','
            << a[i].S.one_minus_etaE_bare_anode << ',' << a[i].P_input_limit_anode_W << ','
            << a[i].P_input_limit_muP_W << ',' << b[i].P_input_limit_muP_W << ',' << a[i].P_max_W
            << ',' << b[i].P_max_W << ',' << a[i].percent_of_reference << ','
            << b[i].percent_of_reference << ',' << solver::to_string(a[i].limiting_component) << ','
            << solver::to_string(b[i].limiting_component) << '\n';
      csv.commit();
    }

    // Power limits/S coefficients = monte carlo: the MC's table at the .prm table's voltages,
    // written beside the .prm table (mc_shielding.csv); P_max with the .prm table is kept in the
    // summary for comparison.
    solver::ShieldingTable monte_carlo_table(const Scenario &scenario, RunContext &context)
    {
      const auto    &pl = scenario.power_limits;
      const unsigned threads = scenario.thermal.threads > 0
                                 ? scenario.thermal.threads
                                 : std::max(1u, std::thread::hardware_concurrency() / context.n_ranks);
      context.log << "[power-limits] S coefficients from the Monte Carlo: " << pl.mc_histories
                  << " histories x " << pl.table.tube_voltage_V.size() << " voltages x 2 geometries ..."
                  << std::endl;
      const auto mcs = solver::monte_carlo_shielding_table(pl.table.tube_voltage_V, pl.stream.sphere_radius_m,
                                                           pl.mc_histories, threads, context.comm);
      context.log << "[power-limits] Monte Carlo table in " << mcs.seconds << " s" << std::endl;
      run_on_root(context.comm, [&] {
        AtomicFile csv(context.path("mc_shielding.csv"));
        csv.stream() << "tube_voltage_V,S_muP_mc,S_muP_mc_stderr,S_muP_table,S_anode_mc,"
                        "S_anode_mc_stderr,S_anode_table,one_minus_etaE_bare_mc,eta_E_bare_mc_stderr,"
                        "one_minus_etaE_bare_table\n"
                     << std::setprecision(6);
        const auto &m = mcs.table, &t = pl.table;
        for (std::size_t i = 0; i < m.tube_voltage_V.size(); ++i)
          csv.stream() << m.tube_voltage_V[i] << ',' << m.S_muP[i] << ',' << mcs.S_muP_stderr[i] << ','
                       << t.S_muP[i] << ',' << m.S_anode[i] << ',' << mcs.S_anode_stderr[i] << ','
                       << t.S_anode[i] << ',' << m.one_minus_etaE_bare_anode[i] << ','
                       << mcs.eta_E_bare_stderr[i] << ',' << t.one_minus_etaE_bare_anode[i] << '\n';
        csv.commit();
      });
      const double U = scenario.operating_point.tube_voltage;
      const auto   r = solver::compute_power_limits(pl.stream, pl.table, U);
      context.stage_summary("power_limits")["P_max_table_W"]           = r.P_max_W;
      context.stage_summary("power_limits")["S_coefficients_seconds"]  = mcs.seconds;
      return mcs.table;
    }
  } // namespace

  void run_power_limits_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &pl = scenario.power_limits;
    const double U = scenario.operating_point.tube_voltage;
    const solver::ShieldingTable table = pl.monte_carlo_coefficients ? monte_carlo_table(scenario, context) : pl.table;
    const auto   r = solver::compute_power_limits(pl.stream, table, U);
    context.log << "[power-limits] U = " << U << " V: P_max = " << r.P_max_W << " W ("
                << r.percent_of_reference << " % of the reference), limited by the "
                << solver::to_string(r.limiting_component) << "; anode " << r.P_input_limit_anode_W
                << " W, stream " << r.P_input_limit_muP_W << " W" << std::endl;
    auto &s = context.stage_summary("power_limits");
    s["tube_voltage_V"]          = U;
    s["S_coefficients"]          = pl.monte_carlo_coefficients ? "monte carlo" : "table";
    s["S_muP"]                   = r.S.S_muP;
    s["S_anode"]                 = r.S.S_anode;
    s["one_minus_etaE_bare_anode"] = r.S.one_minus_etaE_bare_anode;
    s["melting_allowed"]         = pl.stream.melting_allowed;
    s["P_max_W"]                 = r.P_max_W;
    s["P_max_anode_W"]           = r.P_max_anode_W;
    s["P_max_muP_W"]             = r.P_max_muP_W;
    s["P_input_limit_anode_W"]   = r.P_input_limit_anode_W;
    s["P_input_limit_muP_W"]     = r.P_input_limit_muP_W;
    s["limiting_component"]      = solver::to_string(r.limiting_component);
    s["percent_of_reference"]    = r.percent_of_reference;
    run_on_root(context.comm, [&] { write_sweep_csv(scenario, table, context); });
  }
} // namespace mpstream::app
