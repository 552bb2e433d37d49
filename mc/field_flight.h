#pragma once
// A vacuum flight through a static electric field (issue 15): the relativistic equation of
// motion dp/dt = -e E(r) integrated with the drift-kick-drift leapfrog (the Boris scheme
// without magnetic field: symplectic, second order, time-reversible), each drift a straight
// chord traced through the bodies with Geometry::fly, so an electron ends on the first body
// its polygonal path meets. Steps: a fraction of the field's variation length, and a momentum
// change per step of at most a fraction of the momentum (turning points). An electron whose
// chord reaches a sphere it has not the energy to enter (its potential below the electron's
// E_start + phi_start) is reflected there: the exact field turns it back before the surface,
// which a field sampled on a grid resolves only to a grid spacing. Doc: doc/mc.md,
// "Electrons in the stream's field".
#include "mc/electric_field.h"
#include "mc/geometry.h"

#include <cstddef>
#include <limits>

namespace mpstream::mc
{
  struct FieldFlightOptions
  {
    // chord length <= this x the field's variation length (0.05: every trajectory reference of
    // test_mc_field_flight holds with wide margin, doc/mc.md) ...
    double step_fraction = 0.05;
    double max_step_m    = 20e-6; // ... and <= this (fields that vary slowly or not at all)
    double min_step_m    = 1e-11; // floor (a variation length of zero at a singular point)
    // Above this height the electron is gone upwards (the grounded lid or beyond); with no
    // anode, below this depth it is gone downwards.
    double escape_height_m = std::numeric_limits<double>::infinity();
    double escape_depth_m  = -std::numeric_limits<double>::infinity();
    // An electron still in vacuum after this many steps is trapped (tallied, never lost).
    std::size_t max_steps = 200000;
    void validate() const;
  };

  struct FieldFlight
  {
    enum class End
    {
      body,         // entered `body`
      escaped_up,   // crossed escape_height_m
      escaped_down, // crossed escape_depth_m
      trapped       // max_steps reached in vacuum
    };
    End end  = End::trapped;
    int body = vacuum;
    Vec3 position{};   // where it ended (primary cell)
    Vec3 direction{};  // unit vector of the momentum there
    // Kinetic energy there from energy conservation, E_start + e (phi_end - phi_start): exact
    // for a static field, whatever the step; pusher_energy_eV is the integrated momentum's,
    // and their difference the integration error.
    double energy_eV        = 0;
    double pusher_energy_eV = 0;
    double path_m    = 0;
    std::size_t steps = 0;
    // Turned back at a sphere whose potential it could not reach (see fly_in_field).
    std::size_t reflections = 0;
  };

  // Flies an electron of kinetic energy E_eV from r (vacuum, primary cell) along the unit
  // vector u through `field` until it enters a body, escapes or is trapped. from_body: the body
  // whose surface it leaves (its potential is the start's: a sampled field next to a conductor
  // need not reach the conductor's own potential), or vacuum.
  FieldFlight fly_in_field(const Geometry &geometry, const ElectricField &field, Vec3 r, Vec3 u, double E_eV,
                           const FieldFlightOptions &options, int from_body = vacuum);
} // namespace mpstream::mc
