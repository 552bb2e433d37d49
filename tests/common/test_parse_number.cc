// Strict parsing of user numbers: the whole text must be one finite number.
#include "common/parse_number.h"
#include "tests/common/input_error_of.h"

#include <gtest/gtest.h>

using mpstream::parse_finite_number;
using mpstream::parse_finite_number_list;
using mpstream::testing::input_error_of;

TEST(ParseNumber, AcceptsNumbersWithSurroundingBlanks)
{
  EXPECT_DOUBLE_EQ(parse_finite_number("-1.47e-11", "q"), -1.47e-11);
  EXPECT_DOUBLE_EQ(parse_finite_number(" 42 \t", "q"), 42.0);
}

TEST(ParseNumber, RefusesGarbageNaNAndInfinityNamingTheSource)
{
  for (const std::string bad : {"", "abc", "1e-15x", "1 2", "nan", "inf", "-inf", "1e999"})
    {
      const std::string message = input_error_of([&] { parse_finite_number(bad, "Charging/q_muP"); });
      EXPECT_NE(message.find("Charging/q_muP"), std::string::npos) << "input '" << bad << "'";
      EXPECT_NE(message.find("not a finite number"), std::string::npos) << "input '" << bad << "'";
    }
}

TEST(ParseNumber, ListSkipsBlankItemsAndRefusesBadOnes)
{
  EXPECT_TRUE(parse_finite_number_list("", "x").empty());
  EXPECT_EQ(parse_finite_number_list("1, 2,,3 ", "x"), (std::vector<double>{1, 2, 3}));
  EXPECT_NE(input_error_of([] { parse_finite_number_list("1, nan", "x"); }), "");
}
