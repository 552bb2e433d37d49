#pragma once
// Shared fixtures of the Monte Carlo tests: the W physics tables (built once) and the paper's
// hybrid monolayer (periodic primitive cell of 2 spheres, 2.5 um above the anode).
#include "layout/stream_layout.h"
#include "mc/geometry.h"
#include "mc/physics_tables.h"

namespace mpstream::mc::test_cases
{
  inline const PhysicsTables &tables()
  {
    static const PhysicsTables t(tungsten(), PhysicsOptions{});
    return t;
  }

  inline Geometry hybrid_monolayer()
  {
    layout::LayoutParameters p;
    p.kind            = layout::LayoutKind::monolayer;
    p.rows            = 2;
    p.spheres_per_row = 1;
    p.periodic        = true;
    p.anode_gap       = 2.5e-6;
    return Geometry::from_layout(layout::make_stream_layout(p));
  }
} // namespace mpstream::mc::test_cases
