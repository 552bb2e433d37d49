#include "common/digest.h"

#include <cstdio>
#include <fstream>
#include <vector>

namespace mpstream
{
  std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h)
  {
    for (const unsigned char c : bytes)
      {
        h ^= c;
        h *= 1099511628211ull;
      }
    return h;
  }

  std::string hex_digest(std::uint64_t h)
  {
    char hex[17];
    std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(h));
    return hex;
  }

  std::string text_digest(std::string_view text) { return hex_digest(fnv1a(text)); }

  std::string file_digest(const std::filesystem::path &file)
  {
    std::ifstream in(file, std::ios::binary);
    if (!in)
      return {};
    std::vector<char> buffer(1 << 20);
    std::uint64_t h = fnv1a_offset_basis;
    while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0)
      h = fnv1a(std::string_view(buffer.data(), static_cast<std::size_t>(in.gcount())), h);
    return hex_digest(h);
  }
} // namespace mpstream
