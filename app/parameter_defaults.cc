#include "app/parameter_defaults.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

namespace mpstream::app
{
  namespace
  {
    // x = sign digits[0].digits[1..] x 10^exponent, with the fewest digits that read back as x.
    struct Decimal
    {
      bool negative = false;
      std::string digits;
      int exponent = 0;
    };

    Decimal shortest_decimal(double x)
    {
      if (!std::isfinite(x))
        throw std::logic_error("prm_default: a non-finite default");
      char text[40];
      for (int precision = 0; precision <= 17; ++precision)
        {
          std::snprintf(text, sizeof text, "%.*e", precision, x);
          if (std::strtod(text, nullptr) == x)
            break;
        }
      Decimal d;
      const char *c = text;
      if (*c == '-')
        {
          d.negative = true;
          ++c;
        }
      for (; *c != 'e'; ++c)
        if (*c != '.')
          d.digits += *c;
      d.exponent = std::atoi(c + 1);
      return d;
    }

    // The digits as mantissa x 10^exponent.
    std::string with_exponent(const Decimal &d, int exponent)
    {
      const int n     = static_cast<int>(d.digits.size());
      const int shift = d.exponent - (n - 1) - exponent; // mantissa = digits x 10^shift
      std::string mantissa;
      if (shift >= 0)
        mantissa = d.digits + std::string(static_cast<std::size_t>(shift), '0');
      else if (n + shift > 0)
        mantissa = d.digits.substr(0, n + shift) + "." + d.digits.substr(n + shift);
      else
        mantissa = "0." + std::string(static_cast<std::size_t>(-(n + shift)), '0') + d.digits;
      return (d.negative ? "-" : "") + mantissa + (exponent != 0 ? "e" + std::to_string(exponent) : "");
    }

    int floor_to_multiple_of_3(int e) { return e >= 0 ? e / 3 * 3 : -((-e + 2) / 3 * 3); }
  } // namespace

  std::string prm_default(double value, int exponent)
  {
    if (value == 0)
      return "0";
    const std::string text = with_exponent(shortest_decimal(value), exponent);
    if (std::strtod(text.c_str(), nullptr) != value)
      throw std::logic_error("prm_default: '" + text + "' does not read back exactly");
    return text;
  }

  std::string prm_default(double value)
  {
    if (value == 0)
      return "0";
    const double magnitude = std::abs(value);
    return prm_default(value, magnitude >= 1e-3 && magnitude < 1e4 ? 0 : floor_to_multiple_of_3(shortest_decimal(value).exponent));
  }

  std::string prm_default(bool value) { return value ? "true" : "false"; }
  std::string prm_default(const char *value) { return value; }
  std::string prm_default(const std::string &value) { return value; }
  std::string prm_default(const std::filesystem::path &value) { return value.string(); }

  std::string prm_default(const std::vector<double> &values)
  {
    std::string text;
    for (const double v : values)
      text += (text.empty() ? "" : ", ") + prm_default(v);
    return text;
  }
} // namespace mpstream::app
