#include "mc/transport.h"

#include "common/constants.h"
#include "common/error.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <string>
#include <thread>

namespace mpstream::mc
{
  namespace
  {
    std::int64_t to_meV(double E_eV) { return std::llround(E_eV * 1e3); }
  } // namespace

  void TransportOptions::validate() const
  {
    if (!(std::isfinite(cutoff_energy_eV) && cutoff_energy_eV >= 500 && cutoff_energy_eV <= 50e3))
      throw QuantityError("cutoff_energy_eV", QuantityError::text(cutoff_energy_eV), "must be in [500, 50000]");
    if (!(std::isfinite(C2) && C2 > 0 && C2 <= 0.2))
      throw QuantityError("step_fraction_C2", QuantityError::text(C2), "must be in (0, 0.2]");
    if (!(std::isfinite(range_rejection_m) && range_rejection_m >= 0))
      throw QuantityError("range_rejection_m", QuantityError::text(range_rejection_m), "must be >= 0");
    if (!(std::isfinite(max_step_m) && max_step_m > 0))
      throw QuantityError("max_step_m", QuantityError::text(max_step_m), "must be > 0");
  }

  Transport::Transport(const Geometry &geometry, const PhysicsTables &tables, const Source &source,
                       const TransportOptions &options, const GridSpec &grid, const ElectricField *field,
                       const FieldFlightOptions &field_options)
    : geometry_(geometry)
    , tables_(tables)
    , source_(source)
    , options_(options)
    , grid_(grid)
    , field_(field)
    , field_options_(field_options)
  {
    source_.validate();
    options_.validate();
    if (field_)
      field_options_.validate();
    if (source_.energy_eV > tables_.max_energy_eV())
      throw InputError("Monte Carlo: beam energy " + std::to_string(source_.energy_eV) +
                       " eV is above the physics tables' range");
    if (source_.energy_eV <= options_.cutoff_energy_eV)
      throw InputError("Monte Carlo: beam energy must exceed the cut-off energy");
    cutoff_range_m_ = tables_.range_m(options_.cutoff_energy_eV);
  }

  Tallies Transport::run_histories(std::uint64_t first, std::uint64_t last) const
  {
    if (last < first)
      throw InputError("Monte Carlo: history range [first, last) is reversed");
    Tallies tallies(geometry_.spheres().size(), grid_);
    for (std::uint64_t i = first; i < last; ++i)
      history(i, tallies);
    return tallies;
  }

  Tallies Transport::run(std::uint64_t n, unsigned threads) const
  {
    if (n == 0)
      throw QuantityError("histories", "0", "must be >= 1");
    return run(0, n, threads);
  }

  Tallies Transport::run(std::uint64_t first, std::uint64_t last, unsigned threads) const
  {
    if (last < first)
      throw InputError("Monte Carlo: history range [first, last) is reversed");
    const std::uint64_t n = last;
    if (threads == 0)
      threads = std::max(1u, std::thread::hardware_concurrency());
    // Batches handed out dynamically: load balance without affecting the (integer) result.
    constexpr std::uint64_t batch = 256;
    std::atomic<std::uint64_t> next{first};
    std::vector<Tallies> partial(threads, Tallies(geometry_.spheres().size(), grid_));
    auto work = [&](unsigned k) {
      for (;;)
        {
          const std::uint64_t begin = next.fetch_add(batch);
          if (begin >= n)
            return;
          const std::uint64_t end = std::min(n, begin + batch);
          for (std::uint64_t i = begin; i < end; ++i)
            history(i, partial[k]);
        }
    };
    std::vector<std::thread> pool;
    for (unsigned k = 1; k < threads; ++k)
      pool.emplace_back(work, k);
    work(0);
    for (auto &t : pool)
      t.join();
    Tallies total(geometry_.spheres().size(), grid_);
    for (const auto &p : partial)
      total.merge(p);
    return total;
  }

  void Transport::history(std::uint64_t index, Tallies &tallies) const
  {
    RandomStream rng(options_.seed, index);
    HistoryScores h;
    Electron e;
    e.r = {source_.x_lo + rng.uniform() * (source_.x_hi - source_.x_lo),
           source_.y_lo + rng.uniform() * (source_.y_hi - source_.y_lo), source_.z_start};
    e.u = {std::sin(source_.incidence_angle_rad), 0.0, -std::cos(source_.incidence_angle_rad)};
    e.E     = source_.energy_eV;
    e.E_meV = to_meV(e.E);
    e.range = tables_.range_m(e.E);
    e.body  = geometry_.locate(e.r);
    if (field_ && e.body == vacuum)
      {
        const double E_start = e.E + field_->at(e.r).potential;
        if (E_start <= options_.cutoff_energy_eV) // turned back before the source plane
          {
            h.values[energy_up_meV] += e.E_meV;
            h.values[electrons_up] += 1;
            tallies.add_history(h);
            return;
          }
        set_energy_by_field(e, E_start, h);
      }
    bool primary_flight = true;
    for (;;)
      {
        if (e.body == vacuum)
          {
            Flight f;
            if (!vacuum_flight(e, f, h))
              break; // trapped
            if (f.body == vacuum)
              {
                const bool up = e.u[2] > 0;
                h.values[up ? energy_up_meV : energy_down_meV] += e.E_meV;
                h.values[up ? electrons_up : electrons_down] += 1;
                break;
              }
            if (primary_flight && f.body >= 0)
              {
                h.values[primary_hits_sphere] += 1;
                tallies.sphere_primary_hits[static_cast<std::size_t>(f.body)] += 1;
              }
            primary_flight = false;
            e.r    = f.position;
            e.body = f.body;
            if (e.E <= options_.cutoff_energy_eV) // slowed down by the field on the way
              {
                absorb(e, tallies, h);
                break;
              }
            emit_secondaries(e.body, e.r, e.u, e.E, tallies, h);
          }
        else if (track_in_body(e, rng, tallies, h) == Step::absorbed)
          break;
      }
    tallies.add_history(h);
  }

  bool Transport::vacuum_flight(Electron &e, Flight &flight, HistoryScores &h) const
  {
    if (!field_)
      {
        flight = geometry_.fly(e.r, e.u);
        return true;
      }
    const FieldFlight f = fly_in_field(geometry_, *field_, e.r, e.u, e.E, field_options_, e.left_body);
    e.u = f.direction;
    set_energy_by_field(e, f.energy_eV, h);
    if (f.end == FieldFlight::End::trapped)
      {
        h.values[electrons_trapped] += 1;
        h.values[energy_trapped_meV] += e.E_meV;
        return false;
      }
    flight.body     = f.end == FieldFlight::End::body ? f.body : vacuum;
    flight.position = f.position;
    flight.distance = f.path_m;
    return true;
  }

  void Transport::set_energy_by_field(Electron &e, double E_eV, HistoryScores &h) const
  {
    const std::int64_t E_meV = to_meV(E_eV);
    h.values[energy_field_work_meV] += E_meV - e.E_meV;
    e.E_meV = E_meV;
    e.E     = E_eV;
    e.range = tables_.range_m(std::max(E_eV, options_.cutoff_energy_eV));
  }

  Transport::Step Transport::track_in_body(Electron &e, RandomStream &rng, Tallies &t,
                                           HistoryScores &h) const
  {
    for (;;)
      {
        const double range = e.range;
        if (range < options_.range_rejection_m && range < distance_to_surface(e.body, e.r))
          {
            lose_energy(e, options_.cutoff_energy_eV, e.r, t, h);
            absorb(e, t, h);
            return Step::absorbed;
          }
        const auto el        = tables_.elastic(e.E);
        const double s_max   = std::min(options_.C2 * range, options_.max_step_m);
        const double s_hard  = el.lambda_hard_m * rng.exponential();
        const bool hard      = s_hard < s_max;
        const double s       = hard ? s_hard : s_max;
        // Random hinge (PENELOPE): the soft deflection of the whole step happens at a point
        // uniformly distributed along it.
        const double tau = s * rng.uniform();
        Step st = move(e, tau, t, h);
        if (st != Step::go_on)
          return st;
        if (std::isfinite(el.lambda1_soft_m))
          {
            // Soft deflection: exponential mu with <1 - cos theta> = 1 - exp(-s / lambda1_soft)
            // (small-angle multiple scattering is Gaussian in theta, i.e. exponential in mu).
            const double mean_mu = 0.5 * -std::expm1(-s / el.lambda1_soft_m);
            const double mu      = std::min(1.0, mean_mu * rng.exponential());
            e.u = rotate(e.u, 1 - 2 * mu, 2 * constants::pi * rng.uniform());
          }
        st = move(e, s - tau, t, h);
        if (st != Step::go_on)
          return st;
        if (hard)
          {
            const double mu = sample_hard_mu(tables_.lookup(e.E), rng);
            e.u = rotate(e.u, 1 - 2 * mu, 2 * constants::pi * rng.uniform());
          }
      }
  }

  double Transport::distance_to_surface(int body, const Vec3 &r) const
  {
    if (body == anode)
      return -r[2];
    const auto &s = geometry_.spheres()[static_cast<std::size_t>(body)];
    const Vec3 d  = r - s.centre;
    return s.radius - std::sqrt(dot(d, d));
  }

  double Transport::sample_hard_mu(const PhysicsTables::Lookup &at, RandomStream &rng) const
  {
    const auto el = tables_.elastic(at);
    // Screened Rutherford restricted to (mu_c, 1] by inversion (1/(A + mu) is uniform), then
    // the Mott ratio by rejection.
    const double A = el.screening;
    const double inv_lo = 1 / (A + el.mu_cut), inv_hi = 1 / (A + 1);
    const auto mott = tables_.mott(at);
    for (;;)
      {
        const double mu = 1 / (inv_lo - rng.uniform() * (inv_lo - inv_hi)) - A;
        if (rng.uniform() * el.mott_max <= mott(mu))
          return std::min(1.0, std::max(0.0, mu));
      }
  }

  Transport::Step Transport::move(Electron &e, double d, Tallies &t, HistoryScores &h) const
  {
    const double d_exit = geometry_.distance_to_exit(e.body, e.r, e.u);
    const double R      = e.range;
    const double d_stop = R - cutoff_range_m_;
    const double dist   = std::min({d, d_exit, d_stop});
    const Vec3 middle   = e.r + (0.5 * dist) * e.u;
    if (d_stop <= std::min(d, d_exit))
      {
        e.r = e.r + dist * e.u;
        lose_energy(e, options_.cutoff_energy_eV, middle, t, h);
        absorb(e, t, h);
        return Step::absorbed;
      }
    lose_energy(e, tables_.energy_at_range_eV(R - dist), middle, t, h);
    e.range = R - dist;
    e.r = e.r + dist * e.u;
    if (d_exit <= d)
      {
        emit_secondaries(e.body, e.r, e.u, e.E, t, h);
        if (e.body == anode)
          e.r[2] = 0;
        e.left_body = e.body;
        e.body      = vacuum;
        geometry_.wrap(e.r);
        return Step::exited;
      }
    return Step::go_on;
  }

  void Transport::lose_energy(Electron &e, double E_new, const Vec3 &where, Tallies &t,
                              HistoryScores &h) const
  {
    const std::int64_t new_meV = std::min(e.E_meV, to_meV(E_new));
    const std::int64_t lost    = e.E_meV - new_meV;
    const std::int64_t rad =
      std::llround(static_cast<double>(lost) * tables_.radiative_fraction(0.5 * (e.E + E_new)));
    deposit(e.body, where, lost - rad, rad, t, h);
    e.E     = E_new;
    e.E_meV = new_meV;
  }

  void Transport::absorb(Electron &e, Tallies &t, HistoryScores &h) const
  {
    deposit(e.body, e.r, e.E_meV, 0, t, h);
    if (e.body >= 0)
      {
        h.values[electrons_absorbed_spheres] += 1;
        t.sphere_absorbed[static_cast<std::size_t>(e.body)] += 1;
        h.add_sphere_charge(static_cast<std::size_t>(e.body), micro_electrons);
      }
    e.E_meV = 0;
    e.E     = 0;
  }

  void Transport::emit_secondaries(int body, const Vec3 &r, const Vec3 &u, double E_eV, Tallies &t,
                                   HistoryScores &h) const
  {
    // Secondaries from the anode are not scored: a few-eV electron cannot climb to a sphere
    // charged to kilovolts below the anode (doc/mc.md).
    if (!options_.secondary_emission || body < 0)
      return;
    const auto i = static_cast<std::size_t>(body);
    const auto &s = geometry_.spheres()[i];
    const double cos_theta = dot(r - s.centre, u) / s.radius;
    const auto ue = static_cast<std::int64_t>(
      std::llround(options_.secondary_yield.of_crossing(E_eV, cos_theta) * micro_electrons));
    t.sphere_secondaries_ue[i] += ue;
    h.add_sphere_charge(i, -ue);
  }

  void Transport::deposit(int body, const Vec3 &where, std::int64_t local_meV,
                          std::int64_t radiated_meV, Tallies &t, HistoryScores &h) const
  {
    if (body == anode)
      {
        h.values[energy_anode_meV] += local_meV;
        h.values[energy_radiated_anode_meV] += radiated_meV;
      }
    else
      {
        const auto i = static_cast<std::size_t>(body);
        h.values[energy_spheres_meV] += local_meV;
        h.values[energy_radiated_spheres_meV] += radiated_meV;
        t.sphere_energy_meV[i] += local_meV;
        if (grid_.cells_per_axis > 0)
          {
            // Cube [c - r, c + r]^3 around the sphere, in the sphere's own frame.
            const auto &s       = geometry_.spheres()[i];
            const std::size_t n = grid_.cells_per_axis;
            std::size_t ijk[3];
            for (int d = 0; d < 3; ++d)
              {
                const double x = (where[d] - s.centre[d] + s.radius) / (2 * s.radius);
                ijk[d] = static_cast<std::size_t>(std::clamp(x, 0.0, 1.0 - 1e-12) * n);
              }
            t.sphere_grid_meV[i][ijk[0] + n * (ijk[1] + n * ijk[2])] += local_meV;
          }
      }
    if (grid_.profile_nx > 0 && grid_.profile_nz > 0)
      {
        Vec3 p = where;
        geometry_.wrap(p);
        const double fx = (p[0] - grid_.profile_x_lo) / (grid_.profile_x_hi - grid_.profile_x_lo);
        const double fz = (p[2] - grid_.profile_z_lo) / (grid_.profile_z_hi - grid_.profile_z_lo);
        if (fx >= 0 && fx < 1 && fz >= 0 && fz < 1)
          t.profile_meV[static_cast<std::size_t>(fx * grid_.profile_nx) +
                        grid_.profile_nx * static_cast<std::size_t>(fz * grid_.profile_nz)] +=
            local_meV;
      }
  }
} // namespace mpstream::mc
