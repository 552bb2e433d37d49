#pragma once
// Errors that end a run with one clear line. InputError: the user's input is wrong
// (parameter, file, geometry). RuntimeFailure: a computation could not be completed
// (mesh generation, solver divergence). main() prints what() and exits non-zero.
#include <stdexcept>
#include <string>

namespace mpstream
{
  class InputError : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };

  class RuntimeFailure : public std::runtime_error
  {
  public:
    using std::runtime_error::runtime_error;
  };
} // namespace mpstream
