#pragma once
// What each cached stage product depends on (app/stage_cache.h), in one place: the upstream
// parameters, derived data and files behind it, and nothing downstream of it. A parameter left
// out of a key that the product does depend on would be a silently wrong reuse: every key
// below names its reason.
#include "app/run_context.h"
#include "app/scenario.h"
#include "app/stage_cache.h"

#include <cstddef>

namespace mpstream::app
{
  // The Gmsh mesh (mesh.msh, mesh.vtu, the quality report).
  CacheKey mesh_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout);

  // The charging driver's response tables (solver/response_tables.h) on that mesh, computed
  // with the operator's space charge density at `space_charge_C_per_m3` (the force form's
  // constant source: set by the electrostatics stage when it ran first, else 0).
  CacheKey responses_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout,
                         double space_charge_C_per_m3);

  // The charging stage's field-free Monte Carlo q per sphere of `layout`, run over `mc_layout`.
  CacheKey charging_mc_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &layout,
                           const layout::StreamLayout &mc_layout);

  // The whole-stream Monte Carlo power grids per W of input power.
  CacheKey stream_mc_key(const Scenario &scenario, const RunContext &context, const layout::StreamLayout &stream);

  // The whole-stream thermal transient from those grids.
  CacheKey stream_transient_key(const Scenario &scenario, const RunContext &context,
                                const layout::StreamLayout &stream, std::size_t history_samples);
} // namespace mpstream::app
