#pragma once
// Bodies the electrons fly between: a W half-space anode z < 0 (optional) and W spheres from
// layout::StreamLayout, optionally repeated laterally by a periodic cell (spheres given once,
// images implied). Vacuum flights here are straight lines; a flight through the stream's
// electric field is a sequence of short chords of the curved path (mc/field_flight.h), each
// traced with fly(r, u, max_distance).
#include "mc/vec3.h"
#include "layout/stream_layout.h"

#include <limits>
#include <optional>
#include <vector>

namespace mpstream::mc
{
  constexpr int vacuum = -2; // body index of the vacuum
  constexpr int anode  = -1; // body index of the anode; spheres are 0, 1, ...

  struct SphereBody
  {
    Vec3 centre{};
    double radius = 0;
  };

  // Result of a vacuum flight: the body entered (or vacuum: the electron escapes), the entry
  // point (in the frame of the sphere's primary copy when periodic images are involved) and the
  // distance flown.
  struct Flight
  {
    int body = vacuum;
    Vec3 position{};
    double distance = 0;
  };

  class Geometry
  {
  public:
    // W half-space z < 0 alone: the validation geometry.
    static Geometry bulk();
    // Spheres of the layout, anode if layout.anode_present, periodic cell if given.
    static Geometry from_layout(const layout::StreamLayout &layout);

    bool anode_present() const { return anode_present_; }
    const std::vector<SphereBody> &spheres() const { return spheres_; }
    const std::optional<layout::PeriodicCell> &periodic_cell() const { return cell_; }
    double top_z() const { return z_top_; }       // highest body surface (0 for bulk)

    // Which body contains r (vacuum if none). Used once per source particle.
    int locate(const Vec3 &r) const;
    // Distance from r inside `body` along the unit vector u to the body's surface.
    double distance_to_exit(int body, const Vec3 &r, const Vec3 &u) const;
    // Straight flight from r (in vacuum) along u to the next body, through periodic images.
    // With a finite max_distance: no body within it gives vacuum at r + max_distance u (folded
    // into the primary cell), distance = max_distance.
    Flight fly(Vec3 r, const Vec3 &u, double max_distance = std::numeric_limits<double>::infinity()) const;
    // Folds the lateral coordinates into the primary periodic cell (no-op without a cell).
    void wrap(Vec3 &r) const;
    // Distance from r (in vacuum, primary cell) to the nearest body surface: no chord shorter
    // than this can enter a body, so a flight in a field need not trace it (mc/field_flight.h).
    double clearance(const Vec3 &r) const;

  private:
    struct Hit
    {
      double t;
      int body;
      Vec3 shift;
    };
    // Nearest sphere or anode entry along the ray within the nearest lateral images.
    Hit nearest_entry(const Vec3 &r, const Vec3 &u) const;
    double distance_to_cell_exit(const Vec3 &r, const Vec3 &u) const;

    bool anode_present_ = true;
    std::vector<SphereBody> spheres_;
    std::optional<layout::PeriodicCell> cell_;
    std::vector<Vec3> image_shifts_{Vec3{{0.0, 0.0, 0.0}}};
    double z_top_ = 0, z_bottom_ = 0;
  };
} // namespace mpstream::mc
