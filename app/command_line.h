#pragma once
// The command line (Boost.Program_options): mpstream COMMAND [FILE.prm] [options].
#include <optional>
#include <string>
#include <vector>

namespace mpstream::app
{
  struct CommandLine
  {
    std::string command;                // run, mesh, mc, ..., print-parameters; empty with --help
    std::string scenario_file;
    std::string output_dir;             // empty: from the scenario
    std::vector<std::string> overrides; // --set "Section/Name=value"
    std::string format = "prm";         // print-parameters
    std::string validate_for = "run";   // validate: the command whose checks to make
    std::string invocation;             // argv as a shell would take it back (summary.json)
    bool help    = false;
    bool version = false;
    bool no_cache = false; // --no-cache: neither reuse nor store stage products (app/stage_cache.h)
  };

  // Throws InputError for unknown options, commands or a missing scenario file argument.
  CommandLine parse_command_line(int argc, const char *const *argv);
  std::string usage();

  // argv joined with spaces, each argument quoted for a POSIX shell where it needs it.
  std::string shell_command_line(int argc, const char *const *argv);
} // namespace mpstream::app
