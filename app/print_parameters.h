#pragma once
#include <deal.II/base/parameter_handler.h>

#include <ostream>
#include <string>

namespace mpstream::app
{
  // Every declared parameter with default and documentation: prm, json or markdown.
  void print_parameters(dealii::ParameterHandler &prm, const std::string &format, std::ostream &out);
} // namespace mpstream::app
