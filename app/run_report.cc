#include "app/run_report.h"

#include "app/print_parameters.h"
#include "app/scenario.h"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <thread>

namespace mpstream::app
{
  namespace
  {
    // Single quotes for /bin/sh (a results folder may hold spaces).
    std::string quoted(const std::string &text)
    {
      std::string out = "'";
      for (const char c : text)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return out + "'";
    }

    // The parameters' defaults for the report's "set away from the default" list. Written by
    // this process: report.py must not start mpstream itself inside an MPI job (the child would
    // inherit the job's environment and try to join it).
    std::filesystem::path write_defaults(const std::filesystem::path &results_dir)
    {
      dealii::ParameterHandler prm;
      declare_parameters(prm);
      const auto path = results_dir / ".parameter_defaults.json";
      std::ofstream out(path);
      print_parameters(prm, "json", out);
      return path;
    }

    void write_report_without_python(const std::filesystem::path &report_md)
    {
      std::ofstream out(report_md);
      out << "# mpstream run report\n\nNo report: no Python 3 with numpy was found when mpstream was configured "
             "(install python3-numpy, python3-matplotlib, python3-scipy and re-run cmake); the numbers are in "
             "[summary.json](summary.json), every key explained in doc/outputs.md.\n";
    }
  } // namespace

  std::filesystem::path write_run_report(const std::filesystem::path &results_dir, std::ostream &log)
  {
    const auto report_md = results_dir / "report.md";
    const std::string python = MPSTREAM_REPORT_PYTHON; // empty: none found at configure time
    if (python.empty())
      {
        write_report_without_python(report_md);
        log << "[report] no Python with numpy at configure time: " << report_md.string() << " without figures"
            << std::endl;
        return report_md;
      }
    const auto t0       = std::chrono::steady_clock::now();
    const auto defaults = write_defaults(results_dir);
    std::ostringstream command;
    command << quoted(python) << ' ' << quoted(MPSTREAM_REPORT_SCRIPT) << ' ' << quoted(results_dir.string())
            << " --defaults " << quoted(defaults.string()) << (MPSTREAM_REPORT_FIGURES ? "" : " --no-figures")
            << " > " << quoted((results_dir / "report.log").string()) << " 2>&1";
    const int status = std::system(command.str().c_str());
    std::error_code ignored;
    std::filesystem::remove(defaults, ignored);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (status != 0)
      log << "[report] postprocess/report.py failed (exit status " << status << "); see "
          << (results_dir / "report.log").string() << std::endl;
    else
      log << "[report] report.md, report.html and the plots in " << seconds << " s" << std::endl;
    return report_md;
  }

  void write_run_report_on_root(MPI_Comm comm, const std::filesystem::path &results_dir, std::ostream &log)
  {
    int rank = 0;
    MPI_Comm_rank(comm, &rank);
    if (rank == 0)
      {
        const auto report_md = write_run_report(results_dir, log);
        log << "Report: " << report_md.string() << std::endl;
      }
    MPI_Request request;
    MPI_Ibarrier(comm, &request);
    for (int done = 0; !done;)
      {
        MPI_Test(&request, &done, MPI_STATUS_IGNORE);
        if (!done)
          std::this_thread::sleep_for(std::chrono::milliseconds(20));
      }
  }
} // namespace mpstream::app
