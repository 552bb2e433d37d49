#pragma once
// The scenario file's name for each quantity key that meshing/, mc/ and solver/ put in a
// QuantityError (common/error.h): the libraries name the physics, the app names the parameter.
#include "common/error.h"

#include <map>
#include <string>

namespace mpstream::app
{
  // Every quantity key with the parameter that sets it (a test checks each is declared).
  const std::map<std::string, std::string> &quantity_parameters();

  // "Section/Name [unit]" of the parameter that sets `quantity`; empty if no parameter does.
  std::string parameter_of_quantity(const std::string &quantity);

  // The error as the user reads it: "Geometry/Sphere radius [m] = -2.5e-06: must be > 0" (the
  // key itself where no parameter sets the quantity).
  std::string describe_quantity_error(const QuantityError &error);
} // namespace mpstream::app
