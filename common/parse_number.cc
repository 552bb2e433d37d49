#include "common/parse_number.h"

#include "common/error.h"

#include <cmath>
#include <sstream>

namespace mpstream
{
  double parse_finite_number(const std::string &text, const std::string &where)
  {
    std::size_t used = 0;
    double value     = 0;
    try
      {
        value = std::stod(text, &used);
      }
    catch (const std::exception &) // invalid_argument or out_of_range
      {
        used = 0;
      }
    const bool only_blanks_follow = text.find_first_not_of(" \t\r", used) == std::string::npos;
    if (used == 0 || !only_blanks_follow || !std::isfinite(value))
      throw InputError(where + ": '" + text + "' is not a finite number");
    return value;
  }

  std::vector<double> parse_finite_number_list(const std::string &text, const std::string &where)
  {
    std::vector<double> values;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ','))
      if (item.find_first_not_of(" \t\r") != std::string::npos)
        values.push_back(parse_finite_number(item, where));
    return values;
  }
} // namespace mpstream
