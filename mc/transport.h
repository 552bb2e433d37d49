#pragma once
// Electron histories in the W bodies and the vacuum between them (mixed elastic scattering with
// a random hinge for the soft part, continuous slowing down with the radiative part leaving as
// photons). Physics and its sources: doc/mc.md.
// run_histories(first, last) runs the histories with global indices [first, last); since each
// history has its own random stream and the tallies are integers, any split over threads or
// MPI ranks sums to the same bits.
#include "mc/electric_field.h"
#include "mc/field_flight.h"
#include "mc/geometry.h"
#include "mc/physics_tables.h"
#include "mc/random.h"
#include "mc/secondary_yield.h"
#include "mc/source.h"
#include "mc/tallies.h"

#include <cstdint>

namespace mpstream::mc
{
  struct TransportOptions
  {
    double cutoff_energy_eV = 1000; // electrons below this stop where they are (absorbed)
    double C2               = 0.04; // max step = C2 * residual CSDA range ...
    double max_step_m       = 0.5e-6;  // ... and at most this (r/5 of a 2.5 um sphere)
    // Range rejection: an electron whose residual CSDA range is below this and below its
    // distance to the body surface cannot leave the body: its energy is deposited on the spot.
    // Exact for the per-body energy and charge tallies; blurs deposits by < this length.
    double range_rejection_m = 1e-6;
    std::uint64_t seed      = 1;
    // Slow secondary electrons released where an electron enters or leaves a sphere, scored as
    // charge leaving that sphere (mc/secondary_yield.h); they are not transported.
    bool secondary_emission = false;
    SecondaryYield secondary_yield;
    void validate() const;
  };

  class Transport
  {
  public:
    // field: the static field in the vacuum (nullptr: straight flights, the paper's MC); the
    // source energy is then the energy at potential 0, and a primary starts at the source
    // point with that plus e phi there (one that cannot reach the source plane counts as
    // escaped upwards with its beam energy).
    Transport(const Geometry &geometry, const PhysicsTables &tables, const Source &source,
              const TransportOptions &options, const GridSpec &grid = {}, const ElectricField *field = nullptr,
              const FieldFlightOptions &field_options = {});

    // Histories with global indices [first, last), on the calling thread.
    Tallies run_histories(std::uint64_t first, std::uint64_t last) const;
    // Histories [0, n) on `threads` std::threads (0: hardware concurrency).
    Tallies run(std::uint64_t n, unsigned threads) const;
    // Histories [first, last) on `threads` std::threads: one MPI rank's share.
    Tallies run(std::uint64_t first, std::uint64_t last, unsigned threads) const;

  private:
    struct Electron
    {
      Vec3 r{}, u{};
      double E = 0;          // eV
      double range = 0;      // residual CSDA range at E, m
      std::int64_t E_meV = 0; // the tallied energy, kept exactly
      int body = vacuum;
      int left_body = vacuum; // the body a vacuum flight starts from (its surface), if any
    };
    enum class Step
    {
      go_on,
      exited,
      absorbed
    };

    void history(std::uint64_t index, Tallies &tallies) const;
    // The vacuum flight from e.r along e.u to the next body (or vacuum: escaped; trapped in a
    // field: tallied here, returns false). In a field it updates e's direction and energy and
    // tallies the field's work.
    bool vacuum_flight(Electron &e, Flight &flight, HistoryScores &h) const;
    // Sets e's energy to E_eV (range too), tallying the difference as the field's work.
    void set_energy_by_field(Electron &e, double E_eV, HistoryScores &h) const;
    // Follows the electron inside its body until it leaves (returns exited) or stops.
    Step track_in_body(Electron &e, RandomStream &rng, Tallies &t, HistoryScores &h) const;
    // Straight move of length d with continuous energy loss, stopping at the body surface
    // or at the cut-off energy.
    Step move(Electron &e, double d, Tallies &t, HistoryScores &h) const;
    // Distance from r to the surface of its body in any direction (lower bound).
    double distance_to_surface(int body, const Vec3 &r) const;
    void lose_energy(Electron &e, double E_new, const Vec3 &where, Tallies &t,
                     HistoryScores &h) const;
    void deposit(int body, const Vec3 &where, std::int64_t local_meV, std::int64_t radiated_meV,
                 Tallies &t, HistoryScores &h) const;
    void absorb(Electron &e, Tallies &t, HistoryScores &h) const;
    // The expected secondaries of a crossing of sphere `body`'s surface at r (on the surface)
    // in direction u at energy E: charge leaving that sphere (no-op with secondary emission off).
    void emit_secondaries(int body, const Vec3 &r, const Vec3 &u, double E_eV, Tallies &t,
                          HistoryScores &h) const;
    double sample_hard_mu(const PhysicsTables::Lookup &at, RandomStream &rng) const;

    const Geometry &geometry_;
    const PhysicsTables &tables_;
    Source source_;
    TransportOptions options_;
    GridSpec grid_;
    const ElectricField *field_ = nullptr;
    FieldFlightOptions field_options_;
    double cutoff_range_m_ = 0;
  };
} // namespace mpstream::mc
