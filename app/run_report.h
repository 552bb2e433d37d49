#pragma once
// The run report (issue 17): at the end of `mpstream run`, rank 0 runs postprocess/report.py on
// the results folder (every plot, report.md and a self-contained report.html) with the Python
// found at configure time. Without a Python that has numpy, it writes a report.md that says so
// in one line and points to summary.json. A failing report never fails the run: the numbers are
// already in summary.json; the log says what went wrong.
#include <mpi.h>

#include <filesystem>
#include <ostream>

namespace mpstream::app
{
  // Returns the path of report.md (written in every case).
  std::filesystem::path write_run_report(const std::filesystem::path &results_dir, std::ostream &log);

  // Collective: rank 0 writes the report and logs "Report: PATH"; the other ranks wait for it
  // asleep (a nonblocking barrier polled every 20 ms), so that they do not spin on the cores the
  // report's Python needs, as a blocking MPI wait would.
  void write_run_report_on_root(MPI_Comm comm, const std::filesystem::path &results_dir, std::ostream &log);
} // namespace mpstream::app
