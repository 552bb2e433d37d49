#include "mc/geometry.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpstream::mc
{
  namespace
  {
    constexpr double inf = std::numeric_limits<double>::infinity();
    // Entry roots closer than this are the surface just left (rounding), not a new entry.
    constexpr double surface_tolerance_m = 1e-14;
    // A flight that crosses this many periodic cells without a hit is taken to run parallel to
    // the layer for ever; it is counted as escaped (tallied, never silently lost).
    constexpr int max_cell_crossings = 100000;

    double sphere_entry(const SphereBody &s, const Vec3 &shift, const Vec3 &r, const Vec3 &u)
    {
      const Vec3 d   = r - (s.centre + shift);
      const double b = dot(d, u);
      const double c = dot(d, d) - s.radius * s.radius;
      if (c <= 0 || b >= 0) // inside (just left it) or moving away
        return inf;
      const double disc = b * b - c;
      if (disc < 0)
        return inf;
      const double t = -b - std::sqrt(disc);
      return t > surface_tolerance_m ? t : inf;
    }
  } // namespace

  Geometry Geometry::bulk()
  {
    Geometry g;
    g.anode_present_ = true;
    g.z_top_ = g.z_bottom_ = 0;
    return g;
  }

  Geometry Geometry::from_layout(const layout::StreamLayout &layout)
  {
    layout::validate_layout(layout);
    Geometry g;
    g.anode_present_ = layout.anode_present;
    g.cell_          = layout.periodic_cell;
    g.z_top_         = -inf;
    g.z_bottom_      = inf;
    for (const auto &s : layout.spheres)
      {
        g.spheres_.push_back({{s.centre[0], s.centre[1], s.centre[2]}, s.radius});
        g.z_top_    = std::max(g.z_top_, s.centre[2] + s.radius);
        g.z_bottom_ = std::min(g.z_bottom_, s.centre[2] - s.radius);
      }
    if (g.cell_)
      {
        const double lx = g.cell_->length_x(), ly = g.cell_->length_y();
        for (const auto &s : g.spheres_)
          if (2 * s.radius > std::min(lx, ly))
            throw InputError("Monte Carlo geometry: the periodic cell is narrower than a sphere");
        g.image_shifts_ = g.cell_->image_shifts();
      }
    if (g.anode_present_)
      g.z_top_ = std::max(g.z_top_, 0.0);
    return g;
  }

  int Geometry::locate(const Vec3 &r) const
  {
    if (anode_present_ && r[2] < 0)
      return anode;
    for (std::size_t i = 0; i < spheres_.size(); ++i)
      for (const auto &shift : image_shifts_)
        {
          const Vec3 d = r - (spheres_[i].centre + shift);
          if (dot(d, d) < spheres_[i].radius * spheres_[i].radius)
            return static_cast<int>(i);
        }
    return vacuum;
  }

  double Geometry::distance_to_exit(int body, const Vec3 &r, const Vec3 &u) const
  {
    if (body == anode)
      return u[2] > 0 ? std::max(0.0, -r[2]) / u[2] : inf;
    const SphereBody &s = spheres_[static_cast<std::size_t>(body)];
    const Vec3 d        = r - s.centre;
    const double b      = dot(d, u);
    const double c      = dot(d, d) - s.radius * s.radius;
    const double disc   = b * b - c;
    return disc > 0 ? std::max(0.0, -b + std::sqrt(disc)) : 0.0;
  }

  void Geometry::wrap(Vec3 &r) const
  {
    if (!cell_)
      return;
    const double lx = cell_->length_x(), ly = cell_->length_y();
    r[0] -= lx * std::floor((r[0] - cell_->x_min) / lx);
    r[1] -= ly * std::floor((r[1] - cell_->y_min) / ly);
  }

  Geometry::Hit Geometry::nearest_entry(const Vec3 &r, const Vec3 &u) const
  {
    Hit best{inf, vacuum, {0.0, 0.0, 0.0}};
    if (anode_present_ && u[2] < 0)
      best = {std::max(0.0, r[2]) / -u[2], anode, {0.0, 0.0, 0.0}};
    for (std::size_t i = 0; i < spheres_.size(); ++i)
      for (const auto &shift : image_shifts_)
        {
          const double t = sphere_entry(spheres_[i], shift, r, u);
          if (t < best.t)
            best = {t, static_cast<int>(i), shift};
        }
    return best;
  }

  double Geometry::clearance(const Vec3 &r) const
  {
    double nearest = anode_present_ ? std::max(0.0, r[2]) : inf;
    for (const auto &s : spheres_)
      for (const auto &shift : image_shifts_)
        {
          const Vec3 d = r - (s.centre + shift);
          nearest      = std::min(nearest, std::sqrt(dot(d, d)) - s.radius);
        }
    return std::max(0.0, nearest);
  }

  double Geometry::distance_to_cell_exit(const Vec3 &r, const Vec3 &u) const
  {
    double t = inf;
    if (u[0] > 0)
      t = std::min(t, (cell_->x_max - r[0]) / u[0]);
    else if (u[0] < 0)
      t = std::min(t, (cell_->x_min - r[0]) / u[0]);
    if (u[1] > 0)
      t = std::min(t, (cell_->y_max - r[1]) / u[1]);
    else if (u[1] < 0)
      t = std::min(t, (cell_->y_min - r[1]) / u[1]);
    return std::max(0.0, t);
  }

  Flight Geometry::fly(Vec3 r, const Vec3 &u, const double max_distance) const
  {
    Flight flight;
    const bool limited = max_distance < inf;
    // No body within the remaining distance: stop there (limited flights only).
    const auto end_in_vacuum = [&](const Vec3 &from) {
      flight.body     = vacuum;
      flight.position = from;
      if (limited)
        {
          flight.position = from + (max_distance - flight.distance) * u;
          flight.distance = max_distance;
          wrap(flight.position);
        }
      return flight;
    };
    for (int crossing = 0; crossing < max_cell_crossings; ++crossing)
      {
        const double remaining = max_distance - flight.distance;
        // Above every body and rising, or below the spheres and falling with no anode: gone.
        const bool rising_out  = u[2] >= 0 && r[2] >= z_top_;
        const bool falling_out = u[2] <= 0 && r[2] <= z_bottom_ && !anode_present_;
        if (rising_out || falling_out || spheres_.empty())
          {
            if (!spheres_.empty() || !(anode_present_ && u[2] < 0))
              return end_in_vacuum(r);
          }
        // Below every sphere, falling onto the anode: straight to the plane.
        if (anode_present_ && u[2] < 0 && r[2] <= z_bottom_)
          {
            const double t = std::max(0.0, r[2]) / -u[2];
            if (t > remaining)
              return end_in_vacuum(r);
            flight.body     = anode;
            flight.distance += t;
            flight.position = r + t * u;
            flight.position[2] = 0;
            return flight;
          }
        const Hit hit        = nearest_entry(r, u);
        const double t_cell  = cell_ ? distance_to_cell_exit(r, u) : inf;
        if (hit.body != vacuum && hit.t <= t_cell && hit.t <= remaining)
          {
            flight.body     = hit.body;
            flight.distance += hit.t;
            flight.position = r + hit.t * u - hit.shift;
            if (hit.body == anode)
              flight.position[2] = 0;
            return flight;
          }
        if (!cell_ || t_cell > remaining)
          return end_in_vacuum(r);
        // Next cell: step onto the cell face and fold back into the primary cell.
        r = r + t_cell * u;
        flight.distance += t_cell;
        const double lx = cell_->length_x(), ly = cell_->length_y();
        if (u[0] > 0 && r[0] >= cell_->x_max - 1e-12 * lx)
          r[0] -= lx;
        else if (u[0] < 0 && r[0] <= cell_->x_min + 1e-12 * lx)
          r[0] += lx;
        if (u[1] > 0 && r[1] >= cell_->y_max - 1e-12 * ly)
          r[1] -= ly;
        else if (u[1] < 0 && r[1] <= cell_->y_min + 1e-12 * ly)
          r[1] += ly;
      }
    flight.body     = vacuum;
    flight.position = r;
    return flight;
  }
} // namespace mpstream::mc
