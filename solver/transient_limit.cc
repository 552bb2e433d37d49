#include "solver/transient_limit.h"

#include "common/error.h"

#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  TransientLimit find_power_for_peak_temperature(const std::function<double(double)> &peak,
                                                 double T_target, double P_lo, double P_hi,
                                                 double rel_tol, double T_tol, unsigned max_eval)
  {
    if (!(P_lo > 0.0 && P_hi > P_lo))
      throw InputError("Transient limit: need 0 < lower power < upper power, got [" +
                       std::to_string(P_lo) + ", " + std::to_string(P_hi) + "] W");
    TransientLimit r{};
    const auto f = [&](double P) {
      const double T = peak(P);
      r.trace.emplace_back(P, T);
      ++r.evaluations;
      return T - T_target;
    };
    double f_lo = f(P_lo), f_hi = f(P_hi);
    for (int widen = 0; widen < 6 && (f_lo > 0.0 || f_hi < 0.0); ++widen)
      {
        if (f_lo > 0.0)
          f_lo = f(P_lo /= 1.5);
        if (f_hi < 0.0)
          f_hi = f(P_hi *= 1.5);
      }
    if (f_lo > 0.0 || f_hi < 0.0)
      {
        std::ostringstream msg;
        msg << "Transient limit: peak temperature " << T_target << " K not bracketed between "
            << P_lo << " W (" << f_lo + T_target << " K) and " << P_hi << " W (" << f_hi + T_target << " K)";
        throw RuntimeFailure(msg.str());
      }
    int side = 0; // Illinois: halve the stale end's value when the same end is kept twice
    while (r.evaluations < max_eval)
      {
        const double P = (P_lo * f_hi - P_hi * f_lo) / (f_hi - f_lo);
        const double fP = f(P);
        r.P_input_W = P;
        r.peak_temperature_K = fP + T_target;
        if (std::abs(fP) <= T_tol || (P_hi - P_lo) <= rel_tol * P)
          return r;
        if (fP < 0.0)
          {
            P_lo = P, f_lo = fP;
            if (side == -1)
              f_hi *= 0.5;
            side = -1;
          }
        else
          {
            P_hi = P, f_hi = fP;
            if (side == +1)
              f_lo *= 0.5;
            side = +1;
          }
      }
    std::ostringstream msg;
    msg << "Transient limit: no convergence after " << r.evaluations << " transient solves; last "
        << r.P_input_W << " W gives " << r.peak_temperature_K << " K (target " << T_target << " K)";
    throw RuntimeFailure(msg.str());
  }
} // namespace mpstream::solver
