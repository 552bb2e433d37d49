// solve_stream_transient(): independent sphere transients over ranks and threads (see header).
#include "solver/stream_thermal.h"

#include "common/error.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <string>
#include <thread>

namespace mpstream::solver
{
  namespace
  {
    constexpr int n_fields = 12; // doubles per sphere in the MPI exchange

    void pack(const StreamSphereResult &r, double *v)
    {
      const double f[n_fields] = {r.sphere_power_W, r.exit_peak_temperature_K, r.exit_mean_temperature_K,
                                  r.exit_min_temperature_K, r.exit_molten_fraction, r.peak_temperature_K,
                                  r.max_molten_fraction, r.deposited_energy_J, r.radiated_energy_J,
                                  r.energy_balance_relative_error, r.n_steps, r.n_newton_iterations};
      std::copy(f, f + n_fields, v);
    }

    StreamSphereResult unpack(const double *v)
    {
      return {v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]};
    }

    StreamSphereResult summarise(const ThermalResult &t, double heating_time_s)
    {
      return {t.deposited_energy_J / heating_time_s, t.exit_peak_temperature_K, t.exit_mean_temperature_K,
              t.exit_min_temperature_K, t.exit_liquid_fraction, t.peak_temperature_K,
              t.max_liquid_fraction, t.deposited_energy_J, t.surface_loss_J,
              t.energy_balance_relative_error, double(t.n_steps), double(t.n_newton_iterations)};
    }

    // Mean (then peak) temperature at n equally spaced times over [0, heating_time], linear
    // between the recorded adaptive steps, into v[0, 2n).
    void pack_history(const ThermalResult &t, double heating_time_s, std::size_t n, double *v)
    {
      const auto &h = t.history;
      std::size_t a = 0;
      for (std::size_t j = 0; j < n; ++j)
        {
          const double time = heating_time_s * double(j) / double(n - 1);
          while (a + 2 < h.size() && h[a + 1].time_s < time)
            ++a;
          const auto &p = h[a], &q = h[std::min(a + 1, h.size() - 1)];
          const double w = q.time_s > p.time_s ? std::clamp((time - p.time_s) / (q.time_s - p.time_s), 0.0, 1.0) : 0.0;
          v[j]     = p.mean_K + w * (q.mean_K - p.mean_K);
          v[n + j] = p.max_K + w * (q.max_K - p.max_K);
        }
    }
  } // namespace

  std::size_t StreamThermalResult::hottest() const
  {
    const auto it = std::max_element(spheres.begin(), spheres.end(), [](const auto &a, const auto &b) {
      return a.exit_peak_temperature_K < b.exit_peak_temperature_K;
    });
    return static_cast<std::size_t>(it - spheres.begin());
  }

  StreamThermalResult solve_stream_transient(const ThermalSettings &settings,
                                             const ThermalMaterial &material,
                                             const std::vector<PowerDensity> &sources,
                                             const std::vector<double> &sphere_powers_W,
                                             unsigned threads, MPI_Comm comm, std::size_t history_samples)
  {
    if (history_samples == 1)
      throw InputError("Whole-stream transient: a temperature history needs >= 2 samples");
    if (sources.size() != sphere_powers_W.size())
      throw InputError("Whole-stream transient: " + std::to_string(sources.size()) + " sources for " +
                       std::to_string(sphere_powers_W.size()) + " sphere powers");
    int rank = 0, n_ranks = 1;
    MPI_Comm_rank(comm, &rank);
    MPI_Comm_size(comm, &n_ranks);
    if (threads == 0)
      threads = std::max(1u, std::thread::hardware_concurrency() / unsigned(n_ranks));

    const SphereDiscretization mesh(settings); // once per rank, read-only below
    const std::size_t n = sources.size();
    std::vector<std::size_t> mine; // round robin over ranks
    for (std::size_t i = rank; i < n; i += n_ranks)
      mine.push_back(i);

    const std::size_t stride = n_fields + 2 * history_samples;
    std::vector<double> local(n * stride, 0.0);
    std::atomic<std::size_t> next{0};
    std::mutex failure_mutex;
    std::size_t failed_sphere = n;
    std::exception_ptr failure;
    const auto worker = [&]() {
      for (std::size_t m = next++; m < mine.size(); m = next++)
        {
          const std::size_t i = mine[m];
          try
            {
              ThermalSettings s = settings;
              s.source_power_W  = sphere_powers_W[i];
              const auto t = mesh.solve(s, material, sources[i]);
              pack(summarise(t, settings.heating_time_s), &local[i * stride]);
              if (history_samples > 0)
                pack_history(t, settings.heating_time_s, history_samples, &local[i * stride + n_fields]);
            }
          catch (...)
            {
              const std::lock_guard<std::mutex> lock(failure_mutex);
              if (i < failed_sphere) // deterministic: the lowest failing sphere is reported
                failed_sphere = i, failure = std::current_exception();
            }
        }
    };
    std::vector<std::thread> pool;
    for (unsigned t = 1; t < std::min<std::size_t>(threads, std::max<std::size_t>(mine.size(), 1)); ++t)
      pool.emplace_back(worker);
    worker();
    for (auto &t : pool)
      t.join();

    // Every rank needs to know whether any failed before the exchange (else it would hang).
    unsigned long long my_failed = failed_sphere, first_failed = n;
    MPI_Allreduce(&my_failed, &first_failed, 1, MPI_UNSIGNED_LONG_LONG, MPI_MIN, comm);
    if (failure && first_failed == failed_sphere)
      std::rethrow_exception(failure);
    if (first_failed < n)
      throw RuntimeFailure("Whole-stream transient: sphere " + std::to_string(first_failed) +
                           " failed on another rank");

    // Each sphere's numbers are non-zero on exactly one rank: the sum is exact (x + 0 = x).
    std::vector<double> all(local.size());
    MPI_Allreduce(local.data(), all.data(), static_cast<int>(all.size()), MPI_DOUBLE, MPI_SUM, comm);
    StreamThermalResult result;
    result.n_dofs = mesh.n_dofs();
    for (std::size_t i = 0; i < n; ++i)
      {
        const double *v = &all[i * stride];
        result.spheres.push_back(unpack(v));
        if (history_samples > 0)
          {
            result.mean_temperature_history_K.emplace_back(v + n_fields, v + n_fields + history_samples);
            result.peak_temperature_history_K.emplace_back(v + n_fields + history_samples,
                                                           v + n_fields + 2 * history_samples);
          }
      }
    return result;
  }
} // namespace mpstream::solver
