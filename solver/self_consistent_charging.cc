#include "solver/self_consistent_charging.h"

#include "common/error.h"

#include <cmath>
#include <numeric>
#include <sstream>

namespace mpstream::solver
{
  void SelfConsistentSettings::validate() const
  {
    if (max_iterations < 1)
      throw QuantityError("self_consistent_iterations", std::to_string(max_iterations), "must be >= 1");
    if (!(tolerance > 0 && tolerance < 1))
      throw QuantityError("self_consistent_tolerance", QuantityError::text(tolerance), "must be in (0, 1)");
    if (!(damping > 0 && damping <= 1))
      throw QuantityError("self_consistent_damping", QuantityError::text(damping), "must be in (0, 1]");
  }

  namespace
  {
    double mean(const std::vector<double> &v)
    {
      return v.empty() ? 0.0 : std::accumulate(v.begin(), v.end(), 0.0) / static_cast<double>(v.size());
    }
  } // namespace

  std::string history_text(const std::vector<SelfConsistentIterate> &history)
  {
    std::ostringstream text;
    text.precision(4);
    for (const auto &it : history)
      {
        text << (it.iteration ? "; " : "") << it.iteration << ": " << it.potential_min_V / 1e3 << " kV (q "
             << it.q_mean;
        if (it.iteration)
          text << ", change " << 100 * it.relative_change << " %";
        text << ')';
      }
    return text.str();
  }

  SelfConsistentOutcome iterate_self_consistent_q(
    std::vector<double> q, const std::function<double(const std::vector<double> &)> &potential_min_of_state,
    const std::function<std::vector<double>()> &q_in_field, const SelfConsistentSettings &settings)
  {
    settings.validate();
    SelfConsistentOutcome out;
    double V = potential_min_of_state(q);
    out.history.push_back({0, V, mean(q), 0.0});
    for (unsigned int k = 1; k <= settings.max_iterations; ++k)
      {
        const std::vector<double> q_field = q_in_field();
        if (q_field.size() != q.size())
          throw RuntimeFailure("self-consistent charging: the Monte Carlo returned " + std::to_string(q_field.size()) +
                               " charge fractions for " + std::to_string(q.size()) + " spheres");
        for (std::size_t i = 0; i < q.size(); ++i)
          q[i] += settings.damping * (q_field[i] - q[i]);
        const double V_next = potential_min_of_state(q);
        if (!std::isfinite(V_next))
          throw RuntimeFailure("self-consistent charging: the minimum potential is not finite after iteration " +
                               std::to_string(k));
        const double change = std::abs(V_next - V) / std::max(std::abs(V), 1e-300);
        V                   = V_next;
        out.history.push_back({k, V, mean(q), change});
        if (change < settings.tolerance)
          {
            out.q = q;
            return out;
          }
      }
    std::ostringstream why;
    why << "did not converge: the minimum potential still changed by "
        << 100 * out.history.back().relative_change << " % in the last iteration (tolerance "
        << 100 * settings.tolerance << " %); iterations " << history_text(out.history);
    throw QuantityError("self_consistent_iterations", std::to_string(settings.max_iterations), why.str());
  }
} // namespace mpstream::solver
