#include "mc/field_flight.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::mc
{
  namespace
  {
    constexpr double mc2 = constants::electron_mass_energy; // eV
    constexpr double c   = constants::speed_of_light;       // m/s

    double norm(const Vec3 &a) { return std::sqrt(dot(a, a)); }
    // Momentum as p c (eV) of kinetic energy T (eV), and back (without cancellation at low T).
    double momentum_of(double T) { return std::sqrt(T * (T + 2 * mc2)); }
    double kinetic_of(double P) { return P * P / (std::sqrt(P * P + mc2 * mc2) + mc2); }
    // The largest momentum change per step, as a fraction of the momentum (or of the floor's
    // at a turning point, where the momentum passes through small values).
    constexpr double max_kick_fraction = 0.1;
    const double momentum_floor_eV     = momentum_of(1.0); // p c at 1 eV
  } // namespace

  void FieldFlightOptions::validate() const
  {
    if (!(step_fraction > 0 && step_fraction <= 0.5))
      throw QuantityError("field_step_fraction", QuantityError::text(step_fraction), "must be in (0, 0.5]");
    if (!(min_step_m > 0 && max_step_m >= min_step_m && std::isfinite(max_step_m)))
      throw QuantityError("field_max_step_m", QuantityError::text(max_step_m), "must be finite and >= the minimum step > 0");
    if (!(escape_height_m > escape_depth_m))
      throw QuantityError("field_escape_height_m", QuantityError::text(escape_height_m), "must lie above the escape depth");
    if (max_steps == 0)
      throw QuantityError("field_max_steps", "0", "must be >= 1");
  }

  FieldFlight fly_in_field(const Geometry &geometry, const ElectricField &field, Vec3 r, Vec3 u, double E_eV,
                           const FieldFlightOptions &options, const int from_body)
  {
    FieldFlight flight;
    Vec3 P = momentum_of(E_eV) * u; // p c, eV
    const double phi_start = from_body == vacuum ? field.at(r).potential : field.body_potential(from_body, r);
    // Distance the electron may still drift before a body could be within reach (the clearance
    // at the last traced chord's end minus the path since); 0: trace the next chord.
    double free_m = 0;
    // One straight drift of length `length` along the unit vector `dir`; true when the flight
    // ends in it (a body entered first, or an escape plane crossed).
    const auto drift = [&](double length, const Vec3 &dir) {
      double limit = length;
      FieldFlight::End escape = FieldFlight::End::body; // body: no escape plane within the chord
      if (dir[2] > 0 && (options.escape_height_m - r[2]) / dir[2] <= limit)
        {
          limit  = std::max(0.0, (options.escape_height_m - r[2]) / dir[2]);
          escape = FieldFlight::End::escaped_up;
        }
      else if (dir[2] < 0 && (options.escape_depth_m - r[2]) / dir[2] <= limit)
        {
          limit  = std::max(0.0, (options.escape_depth_m - r[2]) / dir[2]);
          escape = FieldFlight::End::escaped_down;
        }
      if (limit < free_m) // no body within reach: no tracing
        {
          r = r + limit * dir;
          geometry.wrap(r);
          flight.path_m += limit;
          free_m -= limit;
          if (escape != FieldFlight::End::body)
            {
              flight.end = escape;
              return true;
            }
          return false;
        }
      const Flight chord = geometry.fly(r, dir, limit);
      flight.path_m += chord.distance;
      r = chord.position;
      if (chord.body == vacuum)
        free_m = geometry.clearance(r);
      if (chord.body >= 0 && E_eV + field.body_potential(chord.body, r) - phi_start <= 0)
        {
          // Too slow to reach this sphere's potential: in the exact field it turns back within
          // the last chord (a sampled field near a surface may fall short of the conductor's
          // potential). Reflected at the surface, on the vacuum side.
          const auto &sphere = geometry.spheres()[static_cast<std::size_t>(chord.body)];
          const Vec3 n       = (1 / sphere.radius) * (r - sphere.centre);
          P                  = P - (2 * dot(P, n)) * n;
          r                  = r + (1e-9 * sphere.radius) * n;
          geometry.wrap(r);
          free_m = 0;
          ++flight.reflections;
          return false;
        }
      if (chord.body != vacuum)
        {
          flight.end  = FieldFlight::End::body;
          flight.body = chord.body;
          return true;
        }
      if (escape != FieldFlight::End::body)
        {
          flight.end = escape;
          return true;
        }
      return false;
    };
    const auto finish = [&]() {
      const double Pn = norm(P);
      flight.position  = r;
      flight.direction = Pn > 0 ? (1 / Pn) * P : u;
      flight.pusher_energy_eV = kinetic_of(Pn);
      const double phi_end = flight.end == FieldFlight::End::body ? field.body_potential(flight.body, r)
                                                                  : field.at(r).potential;
      flight.energy_eV = std::max(0.0, E_eV + phi_end - phi_start);
      return flight;
    };
    double E_recent = norm(field.at(r).E); // the last kick's field bounds the next time step
    // Drift-kick-drift, with each step's closing half-drift and the next step's opening one
    // (the same direction: no kick between them) traced as one chord: one Geometry::fly per step.
    double pending_m = 0;
    for (flight.steps = 0; flight.steps < options.max_steps; ++flight.steps)
      {
        double Pn         = norm(P);
        const double step = std::clamp(options.step_fraction * field.variation_length(r), options.min_step_m,
                                       options.max_step_m);
        double dt = Pn > 0 ? step * std::sqrt(Pn * Pn + mc2 * mc2) / (c * Pn) : 1e300;
        if (E_recent > 0)
          dt = std::min(dt, max_kick_fraction * std::max(Pn, momentum_floor_eV) / (c * E_recent));
        if (Pn > 0 && drift(pending_m + 0.5 * dt * c * Pn / std::sqrt(Pn * Pn + mc2 * mc2), (1 / Pn) * P))
          return finish();
        const Vec3 E = field.at(r).E;
        E_recent     = norm(E);
        P            = P - (c * dt) * E; // d(pc)/dt = -e c E, in eV per second with E in V/m
        Pn           = norm(P);
        pending_m    = Pn > 0 ? 0.5 * dt * c * Pn / std::sqrt(Pn * Pn + mc2 * mc2) : 0.0;
      }
    if (pending_m > 0 && drift(pending_m, (1 / norm(P)) * P))
      return finish();
    flight.end = FieldFlight::End::trapped;
    return finish();
  }
} // namespace mpstream::mc
