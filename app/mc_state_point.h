#pragma once
// Monte Carlo state point (issue 16 item 2b, OpenMC style): the tallies of the first N histories
// of one tube voltage, written by rank 0 after every batch of the mc stage. Tallies are integer
// sums and every history draws from its own random stream (seed, global index), so the tallies
// of [0, N) plus those of [N, M) are bit for bit those of [0, M) in one go. Hence:
//  - a run killed mid-way, rerun into the same folder, resumes from its last state point and
//    ends with tallies identical to an unbroken run;
//  - a rerun with more Monte Carlo/Histories extends the earlier run instead of starting over.
// The file carries a key of everything its tallies depend on (mpstream version, tube voltage,
// the Geometry and Monte Carlo sections except Histories and Threads, the spheres): a state
// point of other parameters, of another mpstream version, a truncated one, or one with more
// histories than asked is refused with one line, never silently reused.
#include "mc/tallies.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace mpstream::app
{
  struct McStatePoint
  {
    std::string key;   // hex digest of the key text (common/digest.h)
    mc::Tallies tallies; // of histories [0, tallies.histories)
  };

  // Written atomically (never a half-written file, even when the run is killed meanwhile).
  void write_state_point(const std::filesystem::path &file, const McStatePoint &point);

  // Nothing if there is no file. `shape`: tallies of this run's shape (spheres, grids). Throws
  // InputError naming the file if it is truncated, of another format or shape, or for other
  // parameters than `key`.
  std::optional<McStatePoint> read_state_point(const std::filesystem::path &file, const std::string &key,
                                               const mc::Tallies &shape);
} // namespace mpstream::app
