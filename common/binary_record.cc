#include "common/binary_record.h"

#include "common/error.h"

#include <cstring>
#include <utility>

namespace mpstream
{
  namespace
  {
    constexpr std::uint64_t byte_order_mark = 0x0102030405060708ull;
  }

  BinaryRecordWriter::BinaryRecordWriter() { put_count("byte order", byte_order_mark); }

  void BinaryRecordWriter::put_raw(const std::string &name, char tag, const void *data, std::uint64_t count,
                                   std::size_t size)
  {
    const std::uint64_t name_length = name.size();
    bytes_.append(reinterpret_cast<const char *>(&name_length), sizeof name_length);
    bytes_.append(name);
    bytes_.push_back(tag);
    bytes_.append(reinterpret_cast<const char *>(&count), sizeof count);
    if (count > 0)
      bytes_.append(static_cast<const char *>(data), count * size);
  }

  void BinaryRecordWriter::put(const std::string &name, const std::vector<double> &values)
  {
    put_raw(name, 'd', values.data(), values.size(), sizeof(double));
  }

  void BinaryRecordWriter::put(const std::string &name, const std::vector<std::uint64_t> &values)
  {
    put_raw(name, 'u', values.data(), values.size(), sizeof(std::uint64_t));
  }

  void BinaryRecordWriter::put_text(const std::string &name, const std::string &text)
  {
    put_raw(name, 's', text.data(), text.size(), 1);
  }

  void BinaryRecordWriter::put_rows(const std::string &name, const std::vector<std::vector<double>> &rows)
  {
    put_count(name + " rows", rows.size());
    for (const auto &row : rows)
      put(name, row);
  }

  BinaryRecordReader::BinaryRecordReader(std::string bytes)
    : bytes_(std::move(bytes))
  {
    if (count("byte order") != byte_order_mark)
      throw InputError("written on a machine of another byte order");
  }

  void BinaryRecordReader::take(void *out, std::size_t n)
  {
    if (bytes_.size() - at_ < n)
      throw InputError("truncated (the record ends inside an entry)");
    std::memcpy(out, bytes_.data() + at_, n);
    at_ += n;
  }

  std::uint64_t BinaryRecordReader::entry(const std::string &name, char tag, std::size_t size)
  {
    std::uint64_t name_length = 0, n = 0;
    take(&name_length, sizeof name_length);
    if (name_length > bytes_.size() - at_)
      throw InputError("truncated or damaged (an entry name runs past the end)");
    const std::string stored(bytes_.data() + at_, name_length);
    at_ += name_length;
    char stored_tag = 0;
    take(&stored_tag, 1);
    if (stored != name || stored_tag != tag)
      throw InputError("damaged: entry '" + stored + "' where '" + name + "' was expected");
    take(&n, sizeof n);
    if (n > (bytes_.size() - at_) / size)
      throw InputError("truncated: entry '" + name + "' has fewer values than its count");
    return n;
  }

  std::vector<double> BinaryRecordReader::doubles(const std::string &name)
  {
    std::vector<double> v(entry(name, 'd', sizeof(double)));
    take(v.data(), v.size() * sizeof(double));
    return v;
  }

  std::vector<std::uint64_t> BinaryRecordReader::counts(const std::string &name)
  {
    std::vector<std::uint64_t> v(entry(name, 'u', sizeof(std::uint64_t)));
    take(v.data(), v.size() * sizeof(std::uint64_t));
    return v;
  }

  double BinaryRecordReader::number(const std::string &name)
  {
    const auto v = doubles(name);
    if (v.size() != 1)
      throw InputError("damaged: entry '" + name + "' is not one number");
    return v[0];
  }

  std::uint64_t BinaryRecordReader::count(const std::string &name)
  {
    const auto v = counts(name);
    if (v.size() != 1)
      throw InputError("damaged: entry '" + name + "' is not one count");
    return v[0];
  }

  std::string BinaryRecordReader::text(const std::string &name)
  {
    std::string s(entry(name, 's', 1), '\0');
    take(s.data(), s.size());
    return s;
  }

  std::vector<std::vector<double>> BinaryRecordReader::rows(const std::string &name)
  {
    const std::uint64_t n = count(name + " rows");
    if (n > bytes_.size() - at_)
      throw InputError("damaged: entry '" + name + "' has an impossible row count");
    std::vector<std::vector<double>> r(n);
    for (auto &row : r)
      row = doubles(name);
    return r;
  }

  void BinaryRecordReader::expect_end() const
  {
    if (at_ != bytes_.size())
      throw InputError("damaged: " + std::to_string(bytes_.size() - at_) + " bytes after the last entry");
  }
} // namespace mpstream
