#include "app/parameter_errors.h"

#include "common/error.h"

#include <sstream>

namespace mpstream::app
{
  std::string describe_parameter_error(const dealii::ExceptionBase &e)
  {
    std::ostringstream info;
    e.print_info(info);
    // Collapse deal.II's multi-line layout into one line.
    std::string text, word;
    std::istringstream words(info.str());
    while (words >> word)
      text += (text.empty() ? "" : " ") + word;
    return text.empty() ? std::string(e.what()) : text;
  }

  std::vector<std::string> split_parameter_path(const std::string &path)
  {
    std::vector<std::string> parts(1);
    int bracket_depth = 0;
    for (const char c : path)
      {
        if (c == '[')
          ++bracket_depth;
        if (c == ']')
          --bracket_depth;
        if (c == '/' && bracket_depth == 0)
          parts.emplace_back();
        else
          parts.back() += c;
      }
    return parts;
  }

  void apply_override(dealii::ParameterHandler &prm, const std::string &assignment)
  {
    const auto equals = assignment.find('=');
    if (equals == std::string::npos)
      throw InputError("--set '" + assignment + "': expected \"Section/Name=value\"");
    const auto path  = split_parameter_path(assignment.substr(0, equals));
    const auto value = assignment.substr(equals + 1);
    if (path.size() < 2)
      throw InputError("--set '" + assignment + "': name the section, e.g. \"Geometry/Rows=7\"");
    unsigned int entered = 0;
    try
      {
        for (std::size_t n = 0; n + 1 < path.size(); ++n, ++entered)
          prm.enter_subsection(path[n]);
        prm.set(path.back(), value);
      }
    catch (const dealii::ExceptionBase &e)
      {
        for (; entered > 0; --entered)
          prm.leave_subsection();
        throw InputError("--set '" + assignment + "': " + describe_parameter_error(e));
      }
    for (; entered > 0; --entered)
      prm.leave_subsection();
  }
} // namespace mpstream::app
