#include "mc/tallies.h"

#include "common/error.h"

namespace mpstream::mc
{
  Tallies::Tallies(std::size_t n_spheres, const GridSpec &g)
    : sphere_energy_meV(n_spheres, 0)
    , sphere_absorbed(n_spheres, 0)
    , sphere_primary_hits(n_spheres, 0)
    , sphere_secondaries_ue(n_spheres, 0)
    , sphere_charge_sq_ue2(n_spheres, 0)
    , grid(g)
  {
    const std::size_t n = g.cells_per_axis;
    if (n > 0)
      sphere_grid_meV.assign(n_spheres, std::vector<std::int64_t>(n * n * n, 0));
    profile_meV.assign(g.profile_nx * g.profile_nz, 0);
  }

  void HistoryScores::add_sphere_charge(std::size_t sphere, std::int64_t ue)
  {
    for (auto &[i, q] : sphere_charge_ue)
      if (i == sphere)
        {
          q += ue;
          return;
        }
    sphere_charge_ue.emplace_back(sphere, ue);
  }

  void Tallies::add_history(const HistoryScores &h)
  {
    for (const auto &[i, q] : h.sphere_charge_ue)
      sphere_charge_sq_ue2[i] += static_cast<int128>(q) * q;
    ++histories;
    for (std::size_t s = 0; s < n_scores; ++s)
      {
        sum[s] += h.values[s];
        sum_sq[s] += static_cast<int128>(h.values[s]) * h.values[s];
      }
    sum_absorbed_times_hits += static_cast<int128>(h.values[electrons_absorbed_spheres]) *
                               h.values[primary_hits_sphere];
  }

  void Tallies::merge(const Tallies &o)
  {
    histories += o.histories;
    for (std::size_t s = 0; s < n_scores; ++s)
      {
        sum[s] += o.sum[s];
        sum_sq[s] += o.sum_sq[s];
      }
    sum_absorbed_times_hits += o.sum_absorbed_times_hits;
    auto add = [](std::vector<std::int64_t> &a, const std::vector<std::int64_t> &b) {
      if (a.empty())
        a.assign(b.size(), 0);
      for (std::size_t i = 0; i < b.size(); ++i)
        a[i] += b[i];
    };
    add(sphere_energy_meV, o.sphere_energy_meV);
    add(sphere_absorbed, o.sphere_absorbed);
    add(sphere_primary_hits, o.sphere_primary_hits);
    add(sphere_secondaries_ue, o.sphere_secondaries_ue);
    if (sphere_charge_sq_ue2.empty())
      sphere_charge_sq_ue2.assign(o.sphere_charge_sq_ue2.size(), 0);
    for (std::size_t i = 0; i < o.sphere_charge_sq_ue2.size(); ++i)
      sphere_charge_sq_ue2[i] += o.sphere_charge_sq_ue2[i];
    if (sphere_grid_meV.size() < o.sphere_grid_meV.size())
      sphere_grid_meV.resize(o.sphere_grid_meV.size());
    for (std::size_t i = 0; i < o.sphere_grid_meV.size(); ++i)
      add(sphere_grid_meV[i], o.sphere_grid_meV[i]);
    add(profile_meV, o.profile_meV);
  }

  bool Tallies::operator==(const Tallies &o) const
  {
    return histories == o.histories && sum == o.sum && sum_sq == o.sum_sq &&
           sum_absorbed_times_hits == o.sum_absorbed_times_hits &&
           sphere_energy_meV == o.sphere_energy_meV && sphere_absorbed == o.sphere_absorbed &&
           sphere_primary_hits == o.sphere_primary_hits &&
           sphere_secondaries_ue == o.sphere_secondaries_ue &&
           sphere_charge_sq_ue2 == o.sphere_charge_sq_ue2 && sphere_grid_meV == o.sphere_grid_meV &&
           profile_meV == o.profile_meV;
  }

  namespace
  {
    void put128(std::vector<std::int64_t> &out, int128 x)
    {
      const auto u = static_cast<uint128>(x);
      out.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(u)));
      out.push_back(static_cast<std::int64_t>(static_cast<std::uint64_t>(u >> 64)));
    }

    int128 get128(const std::vector<std::int64_t> &in, std::size_t &k)
    {
      const auto lo = static_cast<uint128>(static_cast<std::uint64_t>(in.at(k++)));
      const auto hi = static_cast<uint128>(static_cast<std::uint64_t>(in.at(k++)));
      return static_cast<int128>(lo | (hi << 64));
    }
  } // namespace

  std::vector<std::int64_t> Tallies::serialize() const
  {
    std::vector<std::int64_t> out;
    out.push_back(static_cast<std::int64_t>(histories));
    for (std::size_t s = 0; s < n_scores; ++s)
      {
        out.push_back(sum[s]);
        put128(out, sum_sq[s]);
      }
    put128(out, sum_absorbed_times_hits);
    for (const auto *v : {&sphere_energy_meV, &sphere_absorbed, &sphere_primary_hits,
                          &sphere_secondaries_ue, &profile_meV})
      out.insert(out.end(), v->begin(), v->end());
    for (const int128 x : sphere_charge_sq_ue2)
      put128(out, x);
    for (const auto &g : sphere_grid_meV)
      out.insert(out.end(), g.begin(), g.end());
    return out;
  }

  void Tallies::deserialize(const std::vector<std::int64_t> &in)
  {
    if (in.size() != serialize().size())
      throw RuntimeFailure("Monte Carlo: tally data of a different shape cannot be merged");
    std::size_t k = 0;
    histories = static_cast<std::uint64_t>(in[k++]);
    for (std::size_t s = 0; s < n_scores; ++s)
      {
        sum[s]    = in[k++];
        sum_sq[s] = get128(in, k);
      }
    sum_absorbed_times_hits = get128(in, k);
    for (auto *v : {&sphere_energy_meV, &sphere_absorbed, &sphere_primary_hits,
                    &sphere_secondaries_ue, &profile_meV})
      for (auto &x : *v)
        x = in[k++];
    for (int128 &x : sphere_charge_sq_ue2)
      x = get128(in, k);
    for (auto &g : sphere_grid_meV)
      for (auto &x : g)
        x = in[k++];
  }
} // namespace mpstream::mc
