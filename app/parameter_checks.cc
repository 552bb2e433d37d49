#include "app/parameter_checks.h"

#include "app/parameter_defaults.h"
#include "common/error.h"
#include "common/parse_number.h"

#include <deal.II/base/utilities.h>

#include <algorithm>
#include <cmath>

namespace mpstream::app
{
  void parameter_error(const std::string &path, const std::string &value, const std::string &requirement)
  {
    throw InputError(path + " = " + value + ": " + requirement);
  }

  std::string number_text(double value) { return std::isfinite(value) ? prm_default(value) : std::to_string(value); }

  bool Range::contains(double x) const
  {
    return (lower_closed ? x >= lower : x > lower) && (upper_closed ? x <= upper : x < upper);
  }

  std::string Range::text() const
  {
    return (lower_closed ? "[" : "(") + number_text(lower) + ", " + number_text(upper) + (upper_closed ? "]" : ")");
  }

  namespace
  {
    std::string path_of(const std::string &section, const std::string &name) { return section + "/" + name; }
  } // namespace

  double require_finite(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name)
  {
    const std::string text = prm.get(name);
    try
      {
        return parse_finite_number(text, name);
      }
    catch (const InputError &)
      {
        parameter_error(path_of(section, name), text, "must be a finite number");
      }
  }

  double require_positive(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name)
  {
    const double value = require_finite(prm, section, name);
    if (!(value > 0))
      parameter_error(path_of(section, name), prm.get(name), "must be > 0");
    return value;
  }

  double require_in_range(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name,
                          const Range &range)
  {
    const double value = require_finite(prm, section, name);
    if (!range.contains(value))
      parameter_error(path_of(section, name), prm.get(name), "must be in " + range.text());
    return value;
  }

  std::vector<double> require_finite_list(const dealii::ParameterHandler &prm, const std::string &section,
                                          const std::string &name)
  {
    const std::string text = prm.get(name);
    try
      {
        return parse_finite_number_list(text, name);
      }
    catch (const InputError &)
      {
        parameter_error(path_of(section, name), text, "must be comma-separated finite numbers");
      }
  }

  std::vector<double> require_positive_list(const dealii::ParameterHandler &prm, const std::string &section,
                                            const std::string &name)
  {
    const auto values = require_finite_list(prm, section, name);
    if (!std::all_of(values.begin(), values.end(), [](double v) { return v > 0; }))
      parameter_error(path_of(section, name), prm.get(name), "must be > 0 each");
    return values;
  }

  std::vector<double> double_list(const dealii::ParameterHandler &prm, const std::string &name)
  {
    std::vector<double> values;
    for (const auto &item : dealii::Utilities::split_string_list(prm.get(name), ','))
      values.push_back(dealii::Utilities::string_to_double(item));
    return values;
  }

  void require_list_size(const dealii::ParameterHandler &prm, const std::string &section, const std::string &name,
                         std::size_t size, const std::vector<std::size_t> &sizes, const std::string &allowed)
  {
    if (std::find(sizes.begin(), sizes.end(), size) == sizes.end())
      parameter_error(path_of(section, name), prm.get(name), "must have " + allowed);
  }
} // namespace mpstream::app
