// parse_json reads back what Json::dump writes (summary.json of an earlier run): regression
// tests of the round trip (key order, integers, nesting) and of the refusal of broken text.
#include "common/json_parse.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace mpstream
{
  TEST(JsonParse, RoundTripKeepsOrderIntegersAndNesting)
  {
    Json j                  = Json::object();
    j["zeta"]               = 1;
    j["alpha"]              = 2.5e-15;
    j["status"]             = "complete";
    j["flag"]               = true;
    j["missing"]            = Json();
    j["stage"]["n_spheres"] = 12;
    j["stage"]["list"].push_back(1.25);
    j["stage"]["list"].push_back("text \"quoted\"\n");
    const std::string text = j.dump();
    EXPECT_EQ(parse_json(text).dump(), text);
  }

  TEST(JsonParse, FindReadsKeysBack)
  {
    const Json j = parse_json(R"({"mesh": {"n_elements": 4096}, "run": {"date_utc": "2026-01-01T00:00:00Z"}})");
    ASSERT_NE(j.find("mesh"), nullptr);
    ASSERT_NE(j.find("mesh")->as_object(), nullptr);
    EXPECT_EQ(j.find("mesh")->find("n_elements")->dump(), "4096\n");
    EXPECT_EQ(j.find("thermal"), nullptr);
    EXPECT_EQ(j.find("mesh")->as_array(), nullptr);
  }

  TEST(JsonParse, TruncatedTextIsRefused)
  {
    EXPECT_THROW(parse_json(R"({"mesh": {"n_elements": 40)"), std::runtime_error);
    EXPECT_THROW(parse_json(""), std::runtime_error);
  }
} // namespace mpstream
