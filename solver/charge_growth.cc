#include "solver/charge_growth.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>

namespace mpstream::solver
{
  void ChargeGrowthSettings::validate() const
  {
    if (growth_steps < 1)
      throw QuantityError("self_consistent_growth_steps", std::to_string(growth_steps), "must be >= 1");
    if (!(std::isfinite(potential_step_V) && potential_step_V > 0))
      throw QuantityError("self_consistent_growth_potential_step", QuantityError::text(potential_step_V),
                          "must be a positive potential change");
    if (!(std::isfinite(cutoff_band_V) && cutoff_band_V > 0 && cutoff_band_V < std::abs(cutoff_potential_V)))
      throw QuantityError("self_consistent_cutoff_band", QuantityError::text(cutoff_band_V),
                          "must be positive and below the tube voltage " +
                            QuantityError::text(std::abs(cutoff_potential_V)) + " V");
  }

  std::string to_string(GrowthStepLimit limit)
  {
    switch (limit)
      {
        case GrowthStepLimit::longest_step:
          return "longest step";
        case GrowthStepLimit::potential_step:
          return "potential step";
        case GrowthStepLimit::cutoff:
          return "cut-off";
        case GrowthStepLimit::beam_turned_back:
          return "beam turned back";
      }
    return "?";
  }

  std::string growth_history_text(const std::vector<GrowthStep> &steps)
  {
    std::ostringstream text;
    text << std::fixed;
    for (const auto &s : steps)
      text << (s.index ? "; " : "") << std::setprecision(3) << s.dwell_fraction << " +" << s.length << " "
           << std::setprecision(1) << s.potential_min_V / 1e3 << " kV q " << std::setprecision(3) << s.q_mean
           << " (" << to_string(s.limit) << (s.at_cutoff ? ", " + std::to_string(s.at_cutoff) + " at cut-off" : "")
           << ")";
    return text.str();
  }

  namespace
  {
    double mean(const std::vector<double> &v)
    {
      return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    }

    // The longest step the three limits allow (charge_growth.h's header comment), with its reason.
    // V: potentials at the step's start; W: their change per unit dwell fraction.
    std::pair<double, GrowthStepLimit> step_length(double rest, const std::vector<double> &V,
                                                   const std::vector<double> &W, const std::vector<bool> &at_cutoff,
                                                   const ChargeGrowthSettings &settings)
    {
      double ds   = std::min(1.0 / settings.growth_steps, rest);
      auto reason = GrowthStepLimit::longest_step;
      double w_max = 0;
      for (const double w : W)
        w_max = std::max(w_max, std::abs(w));
      if (w_max * ds > settings.potential_step_V)
        {
          ds     = settings.potential_step_V / w_max;
          reason = GrowthStepLimit::potential_step;
        }
      const double stop = settings.cutoff_potential_V + settings.cutoff_band_V / 2;
      for (std::size_t i = 0; i < V.size(); ++i)
        if (!at_cutoff[i] && W[i] < 0 && V[i] + W[i] * ds < stop)
          {
            ds     = (stop - V[i]) / W[i]; // > 0: V[i] is above the band, stop inside it
            reason = GrowthStepLimit::cutoff;
          }
      return {ds, reason};
    }

    QuantityError too_many_steps(const ChargeGrowthSettings &settings, double s, const std::vector<GrowthStep> &steps)
    {
      std::ostringstream reached;
      reached << std::fixed << std::setprecision(3) << s;
      return QuantityError("self_consistent_growth_steps", std::to_string(settings.growth_steps),
                           std::to_string(settings.max_steps) + " steps reached only " + reached.str() +
                             " of the dwell (history: " + growth_history_text(steps) + ")");
    }
  } // namespace

  ChargeGrowthResult grow_charge_in_own_field(const std::vector<double> &charge_of_unit_q,
                                              const std::vector<double> &q0, const ChargeGrowthModel &model,
                                              const ChargeGrowthSettings &settings)
  {
    settings.validate();
    const std::size_t N = charge_of_unit_q.size();
    if (q0.size() != N)
      throw RuntimeFailure("charge growth: " + std::to_string(q0.size()) + " charge fractions for " +
                           std::to_string(N) + " spheres");
    ChargeGrowthResult out;
    out.charges_C.assign(N, 0.0);
    const std::vector<double> V_uncharged = model.potentials_V(out.charges_C); // the electrodes' share
    double s = 0;
    for (unsigned int k = 0; s < 1.0; ++k)
      {
        if (k == settings.max_steps)
          throw too_many_steps(settings, s, out.steps);
        const auto V = k == 0 ? V_uncharged : model.potentials_V(out.charges_C);
        auto q       = k == 0 ? q0 : model.q_in_field(k);
        GrowthStep step{k, s, 0, *std::min_element(V.begin(), V.end()), 0, 0, GrowthStepLimit::longest_step};
        std::vector<bool> at_cutoff(N, false);
        std::vector<double> increment(N, 0.0); // C per unit dwell fraction
        for (std::size_t i = 0; i < N; ++i)
          {
            at_cutoff[i] = V[i] <= settings.cutoff_potential_V + settings.cutoff_band_V;
            if (at_cutoff[i])
              q[i] = 0;
            step.at_cutoff += at_cutoff[i];
            increment[i] = q[i] * charge_of_unit_q[i];
          }
        step.q_mean = mean(q);
        if (step.at_cutoff && out.cutoff_reached_at < 0)
          out.cutoff_reached_at = s;
        if (std::all_of(increment.begin(), increment.end(), [](double x) { return x == 0; }))
          {
            step.length = 1.0 - s;
            step.limit  = GrowthStepLimit::beam_turned_back;
            out.steps.push_back(step);
            if (model.on_step)
              model.on_step(step);
            break;
          }
        auto W = model.potentials_V(increment); // affine: subtract the electrodes' share
        for (std::size_t i = 0; i < N; ++i)
          W[i] -= V_uncharged[i];
        const auto [ds, limit] = step_length(1.0 - s, V, W, at_cutoff, settings);
        step.length            = ds;
        step.limit             = limit;
        out.steps.push_back(step);
        if (model.on_step)
          model.on_step(step);
        for (std::size_t i = 0; i < N; ++i)
          out.charges_C[i] += ds * increment[i];
        s = ds >= (1.0 - s) * (1 - 1e-12) ? 1.0 : s + ds;
      }
    out.potentials_V = model.potentials_V(out.charges_C); // the exit state, left in place
    return out;
  }
} // namespace mpstream::solver
