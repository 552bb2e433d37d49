#pragma once
// The default of every parameter is the initialiser of the struct member it fills (one source:
// app/scenario.h, solver/*.h, meshing/*.h, mc/*.h). declare_entry() writes it as text with
// prm_default(), and Selection holds each choice's names once, for the pattern, the default and
// the parse. tests/app/test_parameter_defaults.cc parses an empty .prm and compares.
#include <deal.II/base/patterns.h>

#include <filesystem>
#include <initializer_list>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mpstream::app
{
  // The shortest text that reads back as exactly this double: plain for 1e-3 <= |x| < 1e4
  // ("0.02", "1073.15"), else with an exponent that is a multiple of 3 ("132e3", "450e-6", "1e9").
  std::string prm_default(double value);
  // The same with this exponent ("4670e-6", "2e3"; 0: plain), as the parameter's text has it.
  std::string prm_default(double value, int exponent);
  std::string prm_default(bool value);
  std::string prm_default(const char *value);
  std::string prm_default(const std::string &value);
  std::string prm_default(const std::filesystem::path &value);
  std::string prm_default(const std::vector<double> &values); // "a, b, c"
  template <typename Integer, std::enable_if_t<std::is_integral_v<Integer> && !std::is_same_v<Integer, bool>, int> = 0>
  std::string prm_default(Integer value)
  {
    return std::to_string(value);
  }

  // The names of a choice (a Patterns::Selection) and the values they stand for, in the order
  // the pattern lists them.
  template <typename T>
  class Selection
  {
  public:
    Selection(std::vector<std::pair<std::string, T>> choices) : choices_(std::move(choices)) {}

    dealii::Patterns::Selection pattern() const
    {
      std::string names;
      for (const auto &[name, value] : choices_)
        names += (names.empty() ? "" : "|") + name;
      return dealii::Patterns::Selection(names);
    }
    const std::string &name(const T &value) const // the default's text
    {
      for (const auto &[name, v] : choices_)
        if (v == value)
          return name;
      throw std::logic_error("Selection: a value without a name");
    }
    T value(const std::string &name) const // the pattern has checked the name
    {
      for (const auto &[n, v] : choices_)
        if (n == name)
          return v;
      throw std::logic_error("Selection: no value named '" + name + "'");
    }

  private:
    std::vector<std::pair<std::string, T>> choices_;
  };

  // A choice whose names are to_string(value) of its module (found by argument-dependent lookup).
  template <typename T>
  Selection<T> selection_named_by_to_string(std::initializer_list<T> values)
  {
    std::vector<std::pair<std::string, T>> choices;
    for (const T &value : values)
      choices.emplace_back(to_string(value), value);
    return Selection<T>(std::move(choices));
  }
} // namespace mpstream::app
