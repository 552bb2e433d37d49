// Stage "power-limits": P_max of the hybrid target at the operating point and the P_max(U)
// curves (melting not allowed / allowed, anode) as CSV for the Fig. 9 / Fig. 11a plots.
#include "app/run_on_root.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "solver/mc_shielding.h"
#include "solver/power_limits.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <iomanip>

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

    // Which S coefficients, and why: the .prm table (by default the paper's Table 1: 5 um
    // spheres, 30-300 kV) where it applies, else the MC of the scenario's radius and voltage.
    struct CoefficientChoice
    {
      bool monte_carlo = false;
      std::string reason;
    };

    CoefficientChoice choose_coefficients(const Scenario &scenario)
    {
      using C        = PowerLimitParameters::CoefficientSource;
      const auto &pl = scenario.power_limits;
      if (pl.coefficients == C::table)
        return {false, "Power limits/S coefficients = table"};
      if (pl.coefficients == C::monte_carlo)
        return {true, "Power limits/S coefficients = monte carlo"};
      const double r = pl.stream.sphere_radius_m, U = scenario.operating_point.tube_voltage;
      const auto  &v = pl.table.tube_voltage_V;
      const double table_radius = 2.5e-6; // Table 1 is for 5 um spheres
      if (std::abs(r - table_radius) > 1e-9 * table_radius)
        return {true, "sphere radius " + std::to_string(r * 1e6) + " um: the table is for 2.5 um"};
      if (U < v.front() || U > v.back())
        return {true, "tube voltage " + std::to_string(U / 1e3) + " kV outside the table's " +
                        std::to_string(v.front() / 1e3) + "-" + std::to_string(v.back() / 1e3) + " kV"};
      return {false, "the table applies (2.5 um spheres, tube voltage within its range)"};
    }

    // The MC's S coefficients at the .prm table's voltages and the operating voltage (if outside
    // them), written beside the .prm table (mc_shielding.csv); P_max with the .prm table is kept
    // in the summary for comparison where the table covers the operating voltage.
    solver::ShieldingTable monte_carlo_table(const Scenario &scenario, RunContext &context)
    {
      const auto    &pl = scenario.power_limits;
      std::vector<double> voltages = pl.table.tube_voltage_V;
      const double U = scenario.operating_point.tube_voltage;
      if (U < voltages.front() || U > voltages.back())
        voltages.insert(U < voltages.front() ? voltages.begin() : voltages.end(), U);
      const unsigned threads = context.threads.threads_for(scenario.thermal.threads);
      context.log << "[power-limits] S coefficients from the Monte Carlo: " << pl.mc_histories
                  << " histories x " << voltages.size() << " voltages x 2 geometries ..."
                  << std::endl;
      const auto mcs = solver::monte_carlo_shielding_table(voltages, pl.stream.sphere_radius_m,
                                                           pl.mc_histories, threads, context.comm);
      context.log << "[power-limits] Monte Carlo table in " << mcs.seconds << " s" << std::endl;
      run_on_root(context.comm, [&] {
        AtomicFile csv(context.path("mc_shielding.csv"));
        csv.stream() << "tube_voltage_V,S_muP_mc,S_muP_mc_stderr,S_muP_table,S_anode_mc,"
                        "S_anode_mc_stderr,S_anode_table,one_minus_etaE_bare_mc,eta_E_bare_mc_stderr,"
                        "one_minus_etaE_bare_table\n"
                     << std::setprecision(6);
        const auto &m = mcs.table, &t = pl.table;
        // The table's columns: its value at the same voltage, empty where it has none.
        auto table_at = [&](const std::vector<double> &column, double V) {
          for (std::size_t k = 0; k < t.tube_voltage_V.size(); ++k)
            if (t.tube_voltage_V[k] == V)
              return std::to_string(column[k]);
          return std::string();
        };
        for (std::size_t i = 0; i < m.tube_voltage_V.size(); ++i)
          {
            const double V = m.tube_voltage_V[i];
            csv.stream() << V << ',' << m.S_muP[i] << ',' << mcs.S_muP_stderr[i] << ',' << table_at(t.S_muP, V)
                         << ',' << m.S_anode[i] << ',' << mcs.S_anode_stderr[i] << ',' << table_at(t.S_anode, V)
                         << ',' << m.one_minus_etaE_bare_anode[i] << ',' << mcs.eta_E_bare_stderr[i] << ','
                         << table_at(t.one_minus_etaE_bare_anode, V) << '\n';
          }
        csv.commit();
      });
      if (U >= pl.table.tube_voltage_V.front() && U <= pl.table.tube_voltage_V.back())
        context.stage_summary("power_limits")["P_max_table_W"] =
          solver::compute_power_limits(pl.stream, pl.table, U).P_max_W;
      context.stage_summary("power_limits")["S_coefficients_seconds"]  = mcs.seconds;
      return mcs.table;
    }
  } // namespace

  void run_power_limits_stage(const Scenario &scenario, RunContext &context)
  {
    const auto &pl = scenario.power_limits;
    const double U = scenario.operating_point.tube_voltage;
    const auto choice = choose_coefficients(scenario);
    context.log << "[power-limits] S coefficients: " << (choice.monte_carlo ? "monte carlo" : "table") << " ("
                << choice.reason << ")" << std::endl;
    const solver::ShieldingTable table = choice.monte_carlo ? monte_carlo_table(scenario, context) : pl.table;
    const auto   r = solver::compute_power_limits(pl.stream, table, U);
    context.log << "[power-limits] U = " << U << " V: P_max = " << r.P_max_W << " W ("
                << r.percent_of_reference << " % of the reference), limited by the "
                << solver::to_string(r.limiting_component) << "; anode " << r.P_input_limit_anode_W
                << " W, stream " << r.P_input_limit_muP_W << " W" << std::endl;
    auto &s = context.stage_summary("power_limits");
    s["tube_voltage_V"]          = U;
    s["S_coefficients"]          = choice.monte_carlo ? "monte carlo" : "table";
    s["power_limits_S_source"]   = choice.monte_carlo ? "monte carlo" : "paper Table 1";
    s["power_limits_S_source_reason"] = choice.reason;
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
