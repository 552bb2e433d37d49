#pragma once
// Errors that end a run with one clear line. InputError: the user's input is wrong
// (parameter, file, geometry). RuntimeFailure: a computation could not be completed
// (mesh generation, solver divergence). main() prints what() and exits non-zero.
#include <cmath>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace mpstream
{
  class InputError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  // A physical quantity outside what a model accepts, thrown by meshing/, mc/ and solver/,
  // which do not know the scenario file's vocabulary: `quantity` is a stable key such as
  // "sphere_radius_m", what() reads "sphere_radius_m = -2.5e-06: must be > 0". The app names
  // the parameter behind the key ("Geometry/Sphere radius [m]", app/parameter_names.cc) when it
  // reports the error; a library caller sees the key.
  class QuantityError : public InputError
  {
  public:
    QuantityError(std::string quantity, std::string value, std::string requirement)
      : InputError(quantity + " = " + value + ": " + requirement)
      , quantity_(std::move(quantity))
      , value_(std::move(value))
      , requirement_(std::move(requirement))
    {}
    // A value as these messages print it (6 significant digits).
    static std::string text(double value)
    {
      std::ostringstream out;
      out << value;
      return out.str();
    }
    const std::string &quantity() const { return quantity_; }
    const std::string &value() const { return value_; }
    const std::string &requirement() const { return requirement_; }

  private:
    std::string quantity_, value_, requirement_;
  };

  // QuantityError "<quantity> = <value>: must be a finite number > 0" unless value is that.
  inline void require_positive_quantity(double value, const char *quantity)
  {
    if (!(value > 0) || !std::isfinite(value))
      throw QuantityError(quantity, QuantityError::text(value), "must be a finite number > 0");
  }

  class RuntimeFailure : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };
} // namespace mpstream
