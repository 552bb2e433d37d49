#pragma once
// A minimal ordered JSON value for summary.json: objects keep insertion order so the file
// reads in the order the stages produced it. Non-finite numbers are written as null.
#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace mpstream
{
  class Json
  {
  public:
    using Object = std::vector<std::pair<std::string, Json>>;
    using Array  = std::vector<Json>;

    Json() : value_(nullptr) {}
    Json(std::nullptr_t) : value_(nullptr) {}
    Json(bool b) : value_(b) {}
    Json(double x) : value_(x) {}
    Json(int i) : value_(static_cast<std::int64_t>(i)) {}
    Json(unsigned int i) : value_(static_cast<std::int64_t>(i)) {}
    Json(long i) : value_(static_cast<std::int64_t>(i)) {}
    Json(unsigned long i) : value_(static_cast<std::int64_t>(i)) {}
    Json(long long i) : value_(static_cast<std::int64_t>(i)) {}
    Json(unsigned long long i) : value_(static_cast<std::int64_t>(i)) {}
    Json(const char *s) : value_(std::string(s)) {}
    Json(std::string s) : value_(std::move(s)) {}
    Json(Array a) : value_(std::move(a)) {}
    Json(Object o) : value_(std::move(o)) {}

    static Json object() { return Json(Object{}); }
    static Json array() { return Json(Array{}); }

    // Object access: inserts the key (keeping order) if it is not there yet.
    Json &operator[](const std::string &key);
    void push_back(Json v);

    std::string dump(int indent = 2) const;

    // Reading back (summary.json of an earlier run): null unless the value is that kind.
    const Object *as_object() const { return std::get_if<Object>(&value_); }
    const Array *as_array() const { return std::get_if<Array>(&value_); }
    // The value of `key` in an object; null if there is none (or this is not an object).
    const Json *find(const std::string &key) const;

  private:
    void dump(std::string &out, int indent, int depth) const;
    std::variant<std::nullptr_t, bool, std::int64_t, double, std::string, Array, Object> value_;
  };
} // namespace mpstream
