#pragma once
// The one digest of mpstream's keys (Monte Carlo state points, stage caches): 64-bit FNV-1a,
// printed as 16 hex digits. Stable across compilers and platforms (unlike std::hash), cheap,
// and enough to name a file by its key: the files also store the full key text, which is
// compared in full, so a collision is detected, never silently taken for a match.
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace mpstream
{
  constexpr std::uint64_t fnv1a_offset_basis = 14695981039346656037ull;

  // FNV-1a of `bytes`, continuing from `h` (the basis for a fresh digest).
  std::uint64_t fnv1a(std::string_view bytes, std::uint64_t h = fnv1a_offset_basis);

  // 16 lower-case hex digits.
  std::string hex_digest(std::uint64_t h);

  // hex_digest(fnv1a(text)).
  std::string text_digest(std::string_view text);

  // The digest of a file's contents; an empty string if it cannot be read.
  std::string file_digest(const std::filesystem::path &file);
} // namespace mpstream
