#pragma once
// One random stream per history: xoshiro256** (Blackman & Vigna 2018) seeded through
// splitmix64 from (seed, global history index). A history's random numbers therefore depend
// only on the seed and its index, never on the thread or rank that runs it (OpenMC's habit).
#include <cmath>
#include <cstdint>

namespace mpstream::mc
{
  // splitmix64 step (Steele, Lea & Flood 2014): turns a counter into well-mixed 64-bit words.
  inline std::uint64_t splitmix64(std::uint64_t &state)
  {
    std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }

  class RandomStream
  {
  public:
    RandomStream(std::uint64_t seed, std::uint64_t history_index)
    {
      // Mix the seed first so that (seed, index) and (seed + 1, index - 1) do not collide.
      std::uint64_t mixer = seed;
      std::uint64_t key   = splitmix64(mixer) ^ (history_index * 0xd1b54a32d192ed03ULL);
      for (auto &word : s_)
        word = splitmix64(key);
    }

    std::uint64_t next()
    {
      const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
      const std::uint64_t t      = s_[1] << 17;
      s_[2] ^= s_[0];
      s_[3] ^= s_[1];
      s_[1] ^= s_[2];
      s_[0] ^= s_[3];
      s_[2] ^= t;
      s_[3] = rotl(s_[3], 45);
      return result;
    }

    // Uniform in [0, 1): the top 53 bits as a double.
    double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
    // Uniform in (0, 1]: safe argument for log().
    double uniform_open0() { return 1.0 - uniform(); }
    // Exponential variate with unit mean.
    double exponential() { return -std::log(uniform_open0()); }

  private:
    static std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    std::uint64_t s_[4]{};
  };
} // namespace mpstream::mc
