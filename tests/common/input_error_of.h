#pragma once
// The message of the InputError a call throws, or "" if it throws none: tests check that bad
// input is refused with a message naming the cause.
#include "common/error.h"

#include <string>

namespace mpstream::testing
{
  template <typename F>
  std::string input_error_of(F &&f)
  {
    try
      {
        f();
      }
    catch (const InputError &e)
      {
        return e.what();
      }
    return "";
  }
} // namespace mpstream::testing
