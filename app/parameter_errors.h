#pragma once
// Turns deal.II ParameterHandler exceptions into one readable line, and applies
// --set "Section/Subsection/Name=value" overrides.
#include <deal.II/base/exceptions.h>
#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace mpstream::app
{
  std::string describe_parameter_error(const dealii::ExceptionBase &e);

  // Splits "A/B/Name [V/m]" at the slashes outside brackets: {"A", "B", "Name [V/m]"}.
  std::vector<std::string> split_parameter_path(const std::string &path);

  void apply_override(dealii::ParameterHandler &prm, const std::string &assignment);
} // namespace mpstream::app
