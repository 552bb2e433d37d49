#include "solver/charge_history.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::solver
{
  ChargeHistoryKind charge_history_from_string(const std::string &name)
  {
    for (const auto kind : {ChargeHistoryKind::backscatter_only, ChargeHistoryKind::discharged,
                            ChargeHistoryKind::dwell, ChargeHistoryKind::constant})
      if (to_string(kind) == name)
        return kind;
    throw InputError("unknown charge history '" + name + "' (backscatter only, discharged, dwell, constant)");
  }

  std::string to_string(ChargeHistoryKind kind)
  {
    switch (kind)
      {
        case ChargeHistoryKind::backscatter_only: return "backscatter only";
        case ChargeHistoryKind::discharged: return "discharged";
        case ChargeHistoryKind::dwell: return "dwell";
        case ChargeHistoryKind::constant: return "constant";
      }
    return "?";
  }

  ChargeHistory ramp_history(std::vector<double> exit_charges_C, double dwell_s)
  {
    return [Q = std::move(exit_charges_C), dwell_s](double t) {
      const double f = std::clamp(t / dwell_s, 0.0, 1.0);
      std::vector<double> q(Q.size());
      for (std::size_t i = 0; i < Q.size(); ++i)
        q[i] = f * Q[i];
      return q;
    };
  }

  ChargeHistory clipped_ramp_history(std::vector<double> ramp_exit_charges_C, std::vector<double> hold_charges_C,
                                     double dwell_s)
  {
    if (ramp_exit_charges_C.size() != hold_charges_C.size())
      throw InputError("clipped_ramp_history: " + std::to_string(ramp_exit_charges_C.size()) + " ramp charges, " +
                       std::to_string(hold_charges_C.size()) + " hold charges");
    return [ramp = ramp_history(std::move(ramp_exit_charges_C), dwell_s), hold = std::move(hold_charges_C)](double t) {
      auto q = ramp(t);
      for (std::size_t i = 0; i < q.size(); ++i)
        {
          // The hold value in the ramp's direction; a hold of the other sign (or 0) holds at 0.
          const double limit = std::max(0.0, std::copysign(1.0, q[i]) * hold[i]);
          q[i]               = std::copysign(std::min(std::abs(q[i]), limit), q[i]);
        }
      return q;
    };
  }

  ChargeHistory sampled_history(std::vector<double> times_s, std::vector<std::vector<double>> charges_C)
  {
    if (times_s.empty() || times_s.size() != charges_C.size())
      throw InputError("sampled_history: " + std::to_string(times_s.size()) + " times, " +
                       std::to_string(charges_C.size()) + " charge vectors");
    if (!std::is_sorted(times_s.begin(), times_s.end()))
      throw InputError("sampled_history: the times must ascend");
    return [t_k = std::move(times_s), Q_k = std::move(charges_C)](double t) {
      if (t <= t_k.front())
        return Q_k.front();
      if (t >= t_k.back())
        return Q_k.back();
      const std::size_t k = std::upper_bound(t_k.begin(), t_k.end(), t) - t_k.begin(); // t_k[k-1] <= t < t_k[k]
      const double w      = (t - t_k[k - 1]) / (t_k[k] - t_k[k - 1]);
      std::vector<double> q(Q_k[k].size());
      for (std::size_t i = 0; i < q.size(); ++i)
        q[i] = (1 - w) * Q_k[k - 1][i] + w * Q_k[k][i];
      return q;
    };
  }

  ChargeHistory constant_history(std::vector<double> charges_C)
  {
    return [Q = std::move(charges_C)](double) { return Q; };
  }
} // namespace mpstream::solver
