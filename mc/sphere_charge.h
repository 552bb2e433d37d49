#pragma once
// Charge fraction of each sphere from one Monte Carlo run (doc/mc.md, "Per-sphere charge"):
//   q_i = <net electrons left in sphere i per history> x A_source / (pi r_i^2),
// i.e. the net electrons stopped in sphere i (primaries and electrons scattered from other
// spheres or the anode, minus the secondaries it emits) per primary crossing its geometric
// cross-section, so that the sphere's charging current is -q_i e j pi r_i^2 with j the beam's
// current density. The normalisation is the expected, not the counted, number of primaries
// through the cross-section: q_i stays a plain mean over independent histories (standard error
// from the per-sphere sums of squares) and remains meaningful for spheres shadowed by others,
// which few primaries reach first. For an unshadowed sphere it equals the electrons absorbed per
// primary hitting it (the whole-stream q_muP of mc/summary.h) in expectation.
#include "mc/geometry.h"
#include "mc/source.h"
#include "mc/summary.h"
#include "mc/tallies.h"

#include <vector>

namespace mpstream::mc
{
  struct SphereCharge
  {
    Estimate q;                  // net electrons per primary through the cross-section
    Estimate q_without_secondaries; // absorbed electrons alone (the secondaries' share is the difference)
  };

  std::vector<SphereCharge> sphere_charge_fractions(const Tallies &tallies, const Geometry &geometry,
                                                    const Source &source);

  // Mean q over the spheres of each group (e.g. the layers of a periodic stream; group[i] of
  // sphere i in [0, n_groups), equal radii within a group). Without secondaries an electron
  // stops in at most one sphere, so a group's per-history count is 0 or 1 and its standard
  // error is exact (binomial); with secondaries the group's per-history sums of squares are not
  // kept and the standard error is bounded by the mean of its spheres' (sd of a sum <= sum of sds).
  std::vector<SphereCharge> group_charge_fractions(const Tallies &tallies, const Geometry &geometry,
                                                   const Source &source, const std::vector<int> &group,
                                                   std::size_t n_groups);
} // namespace mpstream::mc
