#include "common/json_parse.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace mpstream
{
  namespace
  {
    Json from_nlohmann(const nlohmann::ordered_json &j)
    {
      switch (j.type())
        {
          case nlohmann::ordered_json::value_t::boolean: return Json(j.get<bool>());
          case nlohmann::ordered_json::value_t::number_integer: return Json(j.get<long long>());
          case nlohmann::ordered_json::value_t::number_unsigned: return Json(j.get<unsigned long long>());
          case nlohmann::ordered_json::value_t::number_float: return Json(j.get<double>());
          case nlohmann::ordered_json::value_t::string: return Json(j.get<std::string>());
          case nlohmann::ordered_json::value_t::array:
            {
              Json a = Json::array();
              for (const auto &element : j)
                a.push_back(from_nlohmann(element));
              return a;
            }
          case nlohmann::ordered_json::value_t::object:
            {
              Json o = Json::object();
              for (const auto &[key, value] : j.items())
                o[key] = from_nlohmann(value);
              return o;
            }
          default: return Json(); // null (and nlohmann's "discarded", which parse() never returns)
        }
    }
  } // namespace

  Json parse_json(const std::string &text)
  {
    try
      {
        return from_nlohmann(nlohmann::ordered_json::parse(text));
      }
    catch (const nlohmann::ordered_json::exception &e)
      {
        throw std::runtime_error(e.what());
      }
  }
} // namespace mpstream
