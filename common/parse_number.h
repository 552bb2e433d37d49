#pragma once
// Strict number parsing for user input (parameter values, CSV fields): the whole text must be
// one finite number, so "1e-15x", "", "nan" and "inf" are refused with an InputError that names
// where the text came from. std::stod alone accepts trailing garbage and NaN.
#include <string>
#include <vector>

namespace mpstream
{
  // `where` names the source, e.g. "Electrostatics/Sphere charge [C]" or "layout.csv line 3".
  double parse_finite_number(const std::string &text, const std::string &where);

  // Comma-separated finite numbers; blank items are skipped, so "" gives an empty list.
  std::vector<double> parse_finite_number_list(const std::string &text, const std::string &where);
} // namespace mpstream
