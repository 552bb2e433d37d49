#pragma once
// Who ran what, when and on what: the "run" object of summary.json (the command line as typed,
// the UTC start date, the host, MPI ranks and threads per rank), so that a results folder says
// how to reproduce it. With "versions" (app/build_info.h) beside it.
#include "app/command_line.h"
#include "app/run_context.h"
#include "common/json.h"

#include <string>

namespace mpstream::app
{
  // Now, UTC, ISO 8601 to the second: "2026-12-04T19:05:00Z".
  std::string utc_now_iso8601();

  Json run_record(const CommandLine &cl, const RunContext &context, const std::string &started_utc);

  // "2 MPI ranks x 1 thread (affinity mask)": for the log's header line.
  std::string parallel_description(const RunContext &context);
} // namespace mpstream::app
