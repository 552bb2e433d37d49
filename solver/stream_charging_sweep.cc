// StreamCharging::sweep: the mode for other beams (tube voltage, q_muP) or, with fixed
// electrodes, other electrode potentials, on the responses of run(): per case the
// backscatter-only state and the mode's state, each one full solve (or the field cap's few).
#include "common/error.h"
#include "solver/charging_log.h"
#include "solver/stream_charging.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  std::vector<SweepPoint> StreamCharging::sweep(const std::vector<SweepCase> &cases)
  {
    if (!responses_ready_ || (settings_.mode != ChargingMode::backscatter_only && fields_.rows.empty()))
      throw RuntimeFailure("Charging sweep: run() must come first (it computes the responses)");
    if (settings_.mode == ChargingMode::dwell && !cases.empty())
      throw InputError("Charging sweep: the dwell mode takes no sweep (its temperatures belong to the operating point)");
    const auto V_saved = transfer_.V_fixed;
    std::vector<SweepPoint> out;
    for (std::size_t n = 0; n < cases.size(); ++n)
      {
        const auto &c = cases[n];
        validate(c.beam);
        if (!std::isnan(c.electrode_potential_V))
          {
            if (settings_.electrodes != ElectrodeModel::fixed)
              throw InputError("charging: an electrode-potential sweep needs fixed electrode potentials (the fixed electrode model)");
            std::fill(transfer_.V_fixed.begin(), transfer_.V_fixed.end(), c.electrode_potential_V);
            if (!fields_.rows.empty())
              fold_electrodes(); // the offsets follow the electrodes
          }
        const auto coeff = ChargingCoefficients::uniform(c.q_muP);
        const auto Q0    = backscatter_only_charges_C(c.beam, layout_, coeff);
        SweepPoint p;
        p.tube_voltage_V        = c.beam.tube_voltage;
        p.q_muP                 = c.q_muP;
        p.electrode_potential_V = c.electrode_potential_V;
        const auto bs           = solve_state(Q0);
        p.backscatter_only_potential_min_V   = bs.potential_min();
        p.backscatter_only_field_max_V_per_m = bs.field_abs_max();
        p.probe_backscatter_only_V           = bs.potentials[layout_.probe_sphere];
        ChargingResult r;
        const ChargeState final_state = mode_state(settings_.mode, c.beam, coeff, bs, r);
        p.potential_min_V   = final_state.potential_min();
        p.field_max_V_per_m = final_state.field_abs_max();
        p.probe_V           = final_state.potentials[layout_.probe_sphere];
        p.capped            = r.capped.size();
        p.iterations        = r.iterations;
        std::ostringstream m;
        m << "sweep " << n + 1 << " of " << cases.size() << ": " << p.tube_voltage_V << " V, q " << p.q_muP;
        if (!std::isnan(c.electrode_potential_V))
          m << ", electrodes " << c.electrode_potential_V << " V";
        m << ": backscatter only " << p.backscatter_only_potential_min_V << " V, " << to_string(settings_.mode) << " "
          << p.potential_min_V << " V";
        say(m.str());
        out.push_back(p);
      }
    transfer_.V_fixed = V_saved;
    if (!fields_.rows.empty())
      fold_electrodes();
    return out;
  }
} // namespace mpstream::solver
