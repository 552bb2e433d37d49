#include "mc/cases.h"

#include "common/error.h"
#include "mc/source.h"
#include "layout/stream_layout.h"

#include <chrono>

namespace mpstream::mc
{
  Geometry monolayer_geometry(double radius, double gap, bool anode_present, double clearance)
  {
    layout::LayoutParameters p;
    p.kind              = layout::LayoutKind::monolayer;
    p.sphere_radius     = radius;
    p.rows              = 2;
    p.spheres_per_row   = 1;
    p.periodic          = true;
    p.anode_gap         = gap;
    p.anode_present     = anode_present;
    p.lateral_clearance = clearance;
    return Geometry::from_layout(layout::make_stream_layout(p));
  }

  CaseResult run_case(const Geometry &geometry, const PhysicsTables &tables, double energy_eV,
                      std::uint64_t n, unsigned threads, const TransportOptions &options,
                      const GridSpec &grid)
  {
    const Transport transport(geometry, tables, Source::for_geometry(geometry, energy_eV), options,
                              grid);
    const auto start = std::chrono::steady_clock::now();
    CaseResult result;
    result.tallies = transport.run(n, threads);
    result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.summary = summarize(result.tallies, energy_eV);
    return result;
  }

  GridSpec profile_grid(const Geometry &geometry, double z_lo, std::size_t nx, std::size_t nz)
  {
    GridSpec g;
    const Source s  = Source::for_geometry(geometry, 1e5);
    g.profile_nx    = nx;
    g.profile_nz    = nz;
    g.profile_x_lo  = s.x_lo;
    g.profile_x_hi  = s.x_hi > s.x_lo ? s.x_hi : s.x_lo + 1e-6;
    g.profile_z_lo  = z_lo;
    g.profile_z_hi  = geometry.top_z();
    if (!(g.profile_z_hi > g.profile_z_lo))
      throw InputError("Monte Carlo: depth profile needs z_lo below the top surface");
    return g;
  }
} // namespace mpstream::mc
