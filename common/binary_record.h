#pragma once
// A flat binary record of named arrays, for products too large for text (the stage cache,
// app/stage_cache.h): each entry is its name, a type tag, a count and the raw values in this
// machine's byte order (a byte-order mark opens the record, so a file from a machine of the
// other order is refused, not misread). Doubles are stored bit for bit: a product read back
// is the product written. The reader takes the entries in the order they were written and
// checks every name, tag and count: a damaged or truncated record throws InputError, never
// yields a wrong value. Plain C++.
#include <cstdint>
#include <string>
#include <vector>

namespace mpstream
{
  class BinaryRecordWriter
  {
  public:
    BinaryRecordWriter();
    void put(const std::string &name, const std::vector<double> &values);
    void put(const std::string &name, const std::vector<std::uint64_t> &values);
    void put(const std::string &name, double value) { put(name, std::vector<double>{value}); }
    void put_count(const std::string &name, std::uint64_t value) { put(name, std::vector<std::uint64_t>{value}); }
    void put_text(const std::string &name, const std::string &text);
    // A matrix as its row count, then its rows one after the other (rows may differ in length).
    void put_rows(const std::string &name, const std::vector<std::vector<double>> &rows);
    const std::string &bytes() const { return bytes_; }

  private:
    void put_raw(const std::string &name, char tag, const void *data, std::uint64_t count, std::size_t size);
    std::string bytes_;
  };

  class BinaryRecordReader
  {
  public:
    explicit BinaryRecordReader(std::string bytes); // InputError if the byte-order mark is wrong
    std::vector<double> doubles(const std::string &name);
    std::vector<std::uint64_t> counts(const std::string &name);
    double number(const std::string &name);
    std::uint64_t count(const std::string &name);
    std::string text(const std::string &name);
    std::vector<std::vector<double>> rows(const std::string &name);
    // InputError unless every entry has been read.
    void expect_end() const;

  private:
    std::uint64_t entry(const std::string &name, char tag, std::size_t size); // its count; moves to its data
    void take(void *out, std::size_t n);
    std::string bytes_;
    std::size_t at_ = 0;
  };
} // namespace mpstream
