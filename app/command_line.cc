#include "app/command_line.h"

#include "app/stages.h"
#include "common/error.h"

#include <boost/program_options.hpp>

#include <sstream>

namespace mpstream::app
{
  namespace po = boost::program_options;

  namespace
  {
    po::options_description visible_options()
    {
      po::options_description options("Options");
      options.add_options()
        ("help,h", "print this help")
        ("version", "print the version")
        ("output-dir,o", po::value<std::string>(), "results directory (default: results/<scenario name>)")
        ("set,s", po::value<std::vector<std::string>>()->composing(),
         "override a parameter: \"Section/Name=value\" (repeatable)")
        ("format", po::value<std::string>()->default_value("prm"),
         "print-parameters format: prm, json or markdown")
        ("for", po::value<std::string>()->default_value("run"),
         "validate: check the scenario for this command (run, mesh, mc, ...)")
        ("no-cache", "compute every stage product afresh: neither reuse nor store them in <results>/cache");
      return options;
    }

    bool needs_scenario(const std::string &command) { return command != "print-parameters"; }

    std::string shell_quoted(const std::string &argument)
    {
      const bool plain = !argument.empty() && argument.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                                                          "0123456789_-+=./,:@%") == std::string::npos;
      if (plain)
        return argument;
      std::string quoted = "'";
      for (const char c : argument)
        quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
      return quoted + "'";
    }

    bool known_command(const std::string &command)
    {
      if (command == "run" || command == "validate" || command == "print-parameters")
        return true;
      for (const auto &stage : stages())
        if (stage.command == command)
          return true;
      return false;
    }
  } // namespace

  std::string usage()
  {
    std::ostringstream s;
    s << "Usage: mpstream COMMAND [FILE.prm] [options]\n\nCommands:\n"
      << "  run FILE.prm            every stage of the scenario, in order\n"
      << "  validate FILE.prm       check the scenario as `run` (or --for COMMAND) would: parameters,\n"
      << "                          files, geometry; no computing: one line OK, or the problem (exit 2)\n";
    for (const auto &stage : stages())
      s << "  " << stage.command << " FILE.prm" << std::string(std::max<int>(1, 16 - int(stage.command.size())), ' ')
        << stage.description << '\n';
    s << "  print-parameters        every parameter with its default and documentation\n\n"
      << visible_options()
      << "\nRun in parallel with: mpirun -np N mpstream COMMAND FILE.prm\n";
    return s.str();
  }

  std::string shell_command_line(int argc, const char *const *argv)
  {
    std::string line;
    for (int i = 0; i < argc; ++i)
      line += (i ? " " : "") + shell_quoted(argv[i]);
    return line;
  }

  CommandLine parse_command_line(int argc, const char *const *argv)
  {
    po::options_description hidden;
    hidden.add_options()("command", po::value<std::string>())("scenario", po::value<std::string>());
    po::options_description all;
    all.add(visible_options()).add(hidden);
    po::positional_options_description positional;
    positional.add("command", 1).add("scenario", 1);

    po::variables_map vm;
    try
      {
        po::store(po::command_line_parser(argc, argv).options(all).positional(positional).run(), vm);
        po::notify(vm);
      }
    catch (const po::error &e)
      {
        throw InputError(std::string("command line: ") + e.what() + " (see mpstream --help)");
      }

    CommandLine cl;
    cl.invocation = shell_command_line(argc, argv);
    cl.help    = vm.count("help") > 0;
    cl.version = vm.count("version") > 0;
    cl.no_cache = vm.count("no-cache") > 0;
    if (cl.help || cl.version)
      return cl;
    if (!vm.count("command"))
      throw InputError("command line: no command given (see mpstream --help)");
    cl.command = vm["command"].as<std::string>();
    if (!known_command(cl.command))
      throw InputError("command line: unknown command '" + cl.command + "' (see mpstream --help)");
    if (vm.count("scenario"))
      cl.scenario_file = vm["scenario"].as<std::string>();
    if (needs_scenario(cl.command) && cl.scenario_file.empty())
      throw InputError("command line: '" + cl.command + "' needs a scenario file: mpstream " +
                       cl.command + " FILE.prm");
    if (vm.count("output-dir"))
      cl.output_dir = vm["output-dir"].as<std::string>();
    if (vm.count("set"))
      cl.overrides = vm["set"].as<std::vector<std::string>>();
    cl.validate_for = vm["for"].as<std::string>();
    if (cl.validate_for == "validate" || cl.validate_for == "print-parameters" || !known_command(cl.validate_for))
      throw InputError("command line: --for must name a command that runs stages (run, mesh, mc, ...), not '" +
                       cl.validate_for + "'");
    cl.format = vm["format"].as<std::string>();
    if (cl.format != "prm" && cl.format != "json" && cl.format != "markdown")
      throw InputError("command line: --format must be prm, json or markdown, not '" + cl.format + "'");
    return cl;
  }
} // namespace mpstream::app
