#pragma once
// Every check of a parameter value, done once at parse time, and every message in one form:
//   "Section/Name = value: must be ..."   (or "...: needs Other/Name" across parameters).
// The getters read the entry of the subsection the handler is in; `section` only names it.
#include <deal.II/base/parameter_handler.h>

#include <string>
#include <vector>

namespace mpstream::app
{
  // Throws InputError "<path> = <value>: <requirement>".
  [[noreturn]] void parameter_error(const std::string &path, const std::string &value,
                                    const std::string &requirement);

  // A number as the messages print it (shortest text that reads back exactly).
  std::string number_text(double value);

  // An interval with open or closed ends; text() is "(0, 20)", "[0, 5000)", ...
  struct Range
  {
    double lower, upper;
    bool lower_closed, upper_closed;
    bool contains(double x) const;
    std::string text() const;
  };

  // Finite and > 0 (a Double(0) pattern lets 0 through).
  double require_positive(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name);
  // An Anything entry holding one finite number.
  double require_finite(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name);
  // A finite number in the range.
  double require_in_range(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name,
                          const Range &range);
  // An Anything entry holding comma-separated finite numbers ("": none).
  std::vector<double> require_finite_list(const dealii::ParameterHandler &prm, const std::string &section,
                                          const std::string &name);
  // The same, every value > 0.
  std::vector<double> require_positive_list(const dealii::ParameterHandler &prm, const std::string &section,
                                            const std::string &name);
  // A list a List(Double) pattern has checked.
  std::vector<double> double_list(const dealii::ParameterHandler &prm, const std::string &name);
  // "must have <allowed>" unless the list's size is one of `sizes`.
  void require_list_size(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name,
                         std::size_t size, const std::vector<std::size_t> &sizes, const std::string &allowed);
} // namespace mpstream::app
