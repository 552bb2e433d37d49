#pragma once
// The static electric field in the vacuum between the bodies, as the Monte Carlo's electrons
// see it (issue 15). The app supplies it from the electrostatics of a charge state; mc/ needs
// only this interface, so it builds and tests without deal.II. Positions are in the primary
// periodic cell when the geometry is periodic. Inside the bodies (conductors) there is no
// field; the transport never asks there.
#include "mc/vec3.h"

#include <limits>
#include <vector>

namespace mpstream::mc
{
  struct FieldSample
  {
    Vec3 E{};             // V/m
    double potential = 0; // V, against ground (the cathode-side reference of the source energy)
  };

  class ElectricField
  {
  public:
    virtual ~ElectricField() = default;
    virtual FieldSample at(const Vec3 &r) const = 0;
    // A length over which the field near r changes by its own order (m); the flight's steps
    // stay a fraction of it (mc/field_flight.h).
    virtual double variation_length(const Vec3 &r) const = 0;
    // Potential of body `body` (a sphere index or mc::anode) where an electron enters it at r:
    // a conductor's own potential where the field knows it (by default the field's at r).
    virtual double body_potential(int /*body*/, const Vec3 &r) const { return at(r).potential; }
  };

  // A uniform field, potential 0 at `origin` (tests; the tube's applied field).
  class UniformField final : public ElectricField
  {
  public:
    UniformField(const Vec3 &E, const Vec3 &origin = {0.0, 0.0, 0.0}) : E_(E), origin_(origin) {}
    FieldSample at(const Vec3 &r) const override { return {E_, -dot(E_, r - origin_)}; }
    double variation_length(const Vec3 &) const override { return std::numeric_limits<double>::infinity(); }

  private:
    Vec3 E_, origin_;
  };

  // Charged spheres as point charges at their centres (Coulomb, potential 0 at infinity): the
  // exact field outside one isolated charged sphere, a superposition without induction for
  // several (verification tests). Variation length: the distance to the nearest centre.
  class CoulombField final : public ElectricField
  {
  public:
    struct Charge
    {
      Vec3 centre{};
      double charge_C = 0;
    };
    explicit CoulombField(std::vector<Charge> charges) : charges_(std::move(charges)) {}
    FieldSample at(const Vec3 &r) const override;
    double variation_length(const Vec3 &r) const override;

  private:
    std::vector<Charge> charges_;
  };
} // namespace mpstream::mc
