#include "common/json.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace mpstream
{
  namespace
  {
    std::string json_escape(const std::string &s)
    {
      std::string out;
      for (const char c : s)
        switch (c)
          {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\t': out += "\\t"; break;
            case '\r': out += "\\r"; break;
            default:
              if (static_cast<unsigned char>(c) < 0x20)
                {
                  char buf[8];
                  std::snprintf(buf, sizeof buf, "\\u%04x", c);
                  out += buf;
                }
              else
                out += c;
          }
      return out;
    }
  } // namespace

  Json &Json::operator[](const std::string &key)
  {
    if (std::holds_alternative<std::nullptr_t>(value_))
      value_ = Object{};
    auto &object = std::get<Object>(value_);
    for (auto &[k, v] : object)
      if (k == key)
        return v;
    object.emplace_back(key, Json());
    return object.back().second;
  }

  void Json::push_back(Json v)
  {
    if (std::holds_alternative<std::nullptr_t>(value_))
      value_ = Array{};
    std::get<Array>(value_).push_back(std::move(v));
  }

  const Json *Json::find(const std::string &key) const
  {
    if (const auto *object = as_object())
      for (const auto &[k, v] : *object)
        if (k == key)
          return &v;
    return nullptr;
  }

  std::string Json::dump(int indent) const
  {
    std::string out;
    dump(out, indent, 0);
    out += '\n';
    return out;
  }

  void Json::dump(std::string &out, int indent, int depth) const
  {
    const std::string pad(static_cast<std::size_t>(indent * (depth + 1)), ' ');
    const std::string close_pad(static_cast<std::size_t>(indent * depth), ' ');
    if (std::holds_alternative<std::nullptr_t>(value_))
      out += "null";
    else if (const auto *b = std::get_if<bool>(&value_))
      out += *b ? "true" : "false";
    else if (const auto *i = std::get_if<std::int64_t>(&value_))
      out += std::to_string(*i);
    else if (const auto *d = std::get_if<double>(&value_))
      {
        if (!std::isfinite(*d))
          out += "null";
        else
          {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%.10g", *d);
            out += buf;
          }
      }
    else if (const auto *s = std::get_if<std::string>(&value_))
      out += '"' + json_escape(*s) + '"';
    else if (const auto *a = std::get_if<Array>(&value_))
      {
        out += '[';
        for (std::size_t n = 0; n < a->size(); ++n)
          {
            out += (n ? ", " : "");
            (*a)[n].dump(out, indent, depth + 1);
          }
        out += ']';
      }
    else
      {
        const auto &object = std::get<Object>(value_);
        if (object.empty())
          {
            out += "{}";
            return;
          }
        out += "{\n";
        for (std::size_t n = 0; n < object.size(); ++n)
          {
            out += pad + '"' + json_escape(object[n].first) + "\": ";
            object[n].second.dump(out, indent, depth + 1);
            out += (n + 1 < object.size() ? ",\n" : "\n");
          }
        out += close_pad + '}';
      }
  }
} // namespace mpstream
