// The stage cache's building blocks (issue 16 item 2a): the FNV-1a digest against the published
// test vectors of its authors (Fowler, Noll, Vo: "FNV-1a 64-bit" of "", "a" and "foobar",
// http://www.isthe.com/chongo/src/fnv/test_fnv.c), and the binary record: values back bit for
// bit, and a damaged or truncated record refused with InputError, never misread.
#include "common/binary_record.h"
#include "common/digest.h"
#include "tests/common/input_error_of.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>

using mpstream::BinaryRecordReader;
using mpstream::BinaryRecordWriter;
using mpstream::testing::input_error_of;

TEST(Digest, Fnv1a64PublishedTestVectors)
{
  EXPECT_EQ(mpstream::text_digest(""), "cbf29ce484222325");
  EXPECT_EQ(mpstream::text_digest("a"), "af63dc4c8601ec8c");
  EXPECT_EQ(mpstream::text_digest("foobar"), "85944171f73967e8");
  // Continuing a digest over pieces equals the digest of the whole (file_digest reads in chunks).
  EXPECT_EQ(mpstream::hex_digest(mpstream::fnv1a("bar", mpstream::fnv1a("foo"))), "85944171f73967e8");
}

namespace
{
  BinaryRecordWriter example()
  {
    BinaryRecordWriter out;
    out.put("values", std::vector<double>{1.0 / 3.0, -0.0, 5e-324, std::numeric_limits<double>::max(),
                                          std::numeric_limits<double>::quiet_NaN()});
    out.put_count("count", 12345678901234ull);
    out.put_text("text", std::string("with\0zero", 9));
    out.put_rows("rows", {{1, 2, 3}, {}, {4}});
    return out;
  }

  bool same_bits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }
} // namespace

TEST(BinaryRecord, ValuesComeBackBitForBit)
{
  const auto out = example();
  BinaryRecordReader in(out.bytes());
  const auto values   = in.doubles("values");
  const auto expected = std::vector<double>{1.0 / 3.0, -0.0, 5e-324, std::numeric_limits<double>::max(),
                                            std::numeric_limits<double>::quiet_NaN()};
  ASSERT_EQ(values.size(), expected.size());
  for (std::size_t k = 0; k < values.size(); ++k)
    EXPECT_TRUE(same_bits(values[k], expected[k])) << k;
  EXPECT_EQ(in.count("count"), 12345678901234ull);
  EXPECT_EQ(in.text("text"), std::string("with\0zero", 9));
  EXPECT_EQ(in.rows("rows"), (std::vector<std::vector<double>>{{1, 2, 3}, {}, {4}}));
  EXPECT_NO_THROW(in.expect_end());
}

TEST(BinaryRecord, EveryTruncationIsRefused)
{
  const auto bytes = example().bytes();
  for (std::size_t n = 0; n < bytes.size(); ++n)
    {
      const auto message = input_error_of([&] {
        BinaryRecordReader in(bytes.substr(0, n));
        in.doubles("values");
        in.count("count");
        in.text("text");
        in.rows("rows");
        in.expect_end();
      });
      EXPECT_FALSE(message.empty()) << "a record cut to " << n << " of " << bytes.size() << " bytes was read";
    }
}

TEST(BinaryRecord, WrongNameOrTypeOrTrailingBytesRefused)
{
  const auto bytes = example().bytes();
  EXPECT_NE(input_error_of([&] { BinaryRecordReader(bytes).doubles("other"); }).find("'values' where 'other'"),
            std::string::npos);
  EXPECT_NE(input_error_of([&] { BinaryRecordReader(bytes).counts("values"); }).find("damaged"), std::string::npos);
  EXPECT_NE(input_error_of([&] {
              BinaryRecordReader in(bytes + "x");
              in.doubles("values");
              in.count("count");
              in.text("text");
              in.rows("rows");
              in.expect_end();
            }).find("1 bytes after the last entry"),
            std::string::npos);
}
