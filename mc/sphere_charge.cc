#include "mc/sphere_charge.h"

#include "common/constants.h"
#include "common/error.h"

#include <cmath>

namespace mpstream::mc
{
  namespace
  {
    // Mean and standard error of a per-history score from its sum and sum of squares.
    Estimate mean_from_sums(double sum, double sum_sq, double n, double scale)
    {
      const double mean = sum / n;
      const double var  = n > 1 ? (sum_sq / n - mean * mean) * n / (n - 1) : 0.0;
      return {mean * scale, std::sqrt(std::max(0.0, var) / n) * scale};
    }
  } // namespace

  std::vector<SphereCharge> sphere_charge_fractions(const Tallies &t, const Geometry &geometry,
                                                    const Source &source)
  {
    if (t.histories == 0)
      throw InputError("Monte Carlo: no histories to summarise");
    const double n      = static_cast<double>(t.histories);
    const double area   = (source.x_hi - source.x_lo) * (source.y_hi - source.y_lo);
    const double ue     = static_cast<double>(micro_electrons);
    std::vector<SphereCharge> out;
    for (std::size_t i = 0; i < geometry.spheres().size(); ++i)
      {
        const double r     = geometry.spheres()[i].radius;
        const double scale = area / (constants::pi * r * r);
        const double a     = static_cast<double>(t.sphere_absorbed[i]);
        const double net   = a * ue - static_cast<double>(t.sphere_secondaries_ue[i]);
        SphereCharge c;
        c.q = mean_from_sums(net / ue, static_cast<double>(t.sphere_charge_sq_ue2[i]) / (ue * ue), n, scale);
        // Absorbed alone: 0 or 1 per history, so its sum of squares is its sum.
        c.q_without_secondaries = mean_from_sums(a, a, n, scale);
        out.push_back(c);
      }
    return out;
  }

  std::vector<SphereCharge> group_charge_fractions(const Tallies &t, const Geometry &geometry, const Source &source,
                                                   const std::vector<int> &group, std::size_t n_groups)
  {
    if (group.size() != geometry.spheres().size())
      throw InputError("Monte Carlo: one group per sphere needed");
    const auto spheres = sphere_charge_fractions(t, geometry, source);
    const double n     = static_cast<double>(t.histories);
    const double area  = (source.x_hi - source.x_lo) * (source.y_hi - source.y_lo);
    std::vector<SphereCharge> out(n_groups);
    std::vector<double> members(n_groups, 0.0), absorbed(n_groups, 0.0), cross_section(n_groups, 0.0);
    bool secondaries = false;
    for (std::size_t i = 0; i < group.size(); ++i)
      {
        const auto g = static_cast<std::size_t>(group[i]);
        if (g >= n_groups)
          throw InputError("Monte Carlo: sphere group out of range");
        members[g] += 1;
        absorbed[g] += static_cast<double>(t.sphere_absorbed[i]);
        cross_section[g] += constants::pi * geometry.spheres()[i].radius * geometry.spheres()[i].radius;
        out[g].q.value += spheres[i].q.value;
        out[g].q.stderr_ += spheres[i].q.stderr_;
        secondaries = secondaries || t.sphere_secondaries_ue[i] != 0;
      }
    for (std::size_t g = 0; g < n_groups; ++g)
      {
        if (members[g] == 0)
          continue;
        out[g].q.value /= members[g];
        out[g].q.stderr_ /= members[g];
        // Absorbed in the group: 0 or 1 per history.
        out[g].q_without_secondaries = mean_from_sums(absorbed[g], absorbed[g], n, area / cross_section[g]);
        if (!secondaries)
          out[g].q = out[g].q_without_secondaries;
      }
    return out;
  }
} // namespace mpstream::mc
