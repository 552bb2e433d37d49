#pragma once
// summary.json across runs into one results folder: `mpstream mesh` then `mpstream charging`
// leave one summary with the keys of both. A run keeps the earlier summary's keys and writes
// its own over them (this run's keys win, a stage's object as a whole, so no stale key of an
// earlier run of the same stage survives); "wall_times" keeps each stage's latest time; the
// earlier runs' "run" records (command line, date, commit) go to "earlier_runs".
// While a run is under way its folder holds no summary.json (a failed run must not leave one
// that looks like its result): the earlier one waits as summary_earlier.json, which the next
// run reads if this one fails, and which a complete run removes.
#include "common/json.h"

#include <filesystem>
#include <ostream>

namespace mpstream::app
{
  // Rank 0, before the run: summary.json (if any) becomes summary_earlier.json.
  void set_aside_earlier_summary(const std::filesystem::path &output_dir);

  // Rank 0: the earlier summary (an empty object if there is none). One that cannot be read
  // is reported on `log` and not kept: it cannot be merged, but must not stop the run.
  Json read_earlier_summary(const std::filesystem::path &output_dir, std::ostream &log);

  // The summary to write: `earlier`'s keys, overwritten by `current`'s (see above).
  Json merge_summaries(const Json &earlier, const Json &current);

  // Rank 0, at the end of a complete run: writes summary.json atomically and removes
  // summary_earlier.json.
  void write_summary(const std::filesystem::path &output_dir, const Json &summary);
} // namespace mpstream::app
