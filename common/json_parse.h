#pragma once
// JSON text back into a Json value (nlohmann-json does the parsing): objects keep the order of
// the text, integers stay integers, so that a summary.json read back and written again is the
// same file.
#include "common/json.h"

#include <string>

namespace mpstream
{
  // Throws std::runtime_error with the parser's message if `text` is not one JSON value.
  Json parse_json(const std::string &text);
} // namespace mpstream
