// mpstream: microparticle hybrid X-ray target simulator. Command-line driver.
#include "app/build_info.h"
#include "app/command_line.h"
#include "app/log_file.h"
#include "app/mpi_singleton.h"
#include "app/parameter_errors.h"
#include "app/print_parameters.h"
#include "app/quantity_names.h"
#include "app/run_on_root.h"
#include "app/run_context.h"
#include "app/run_record.h"
#include "app/run_report.h"
#include "app/scenario.h"
#include "app/stages.h"
#include "app/summary_file.h"
#include "app/validate_scenario.h"
#include "common/atomic_file.h"
#include "common/error.h"

#include <deal.II/base/mpi.h>

#include <chrono>
#include <fstream>
#include <iostream>

namespace
{
  using namespace mpstream;
  using namespace mpstream::app;

  std::filesystem::path output_directory(const CommandLine &cl, const Scenario &scenario)
  {
    if (!cl.output_dir.empty())
      return cl.output_dir;
    if (!scenario.output.directory.empty())
      return scenario.output.directory;
    return std::filesystem::path("results") / scenario.name;
  }

  void echo_scenario(const Scenario &scenario, dealii::ParameterHandler &prm, RunContext &context)
  {
    auto &echo       = context.summary["scenario"];
    echo["file"]     = scenario.file.string();
    Json overrides   = Json::array();
    for (const auto &o : scenario.overrides)
      overrides.push_back(o);
    echo["overrides"] = overrides;
    run_on_root(context.comm, [&] {
      AtomicFile used(context.path("parameters_used.prm"));
      prm.print_parameters(used.stream(), dealii::ParameterHandler::ShortPRM);
      used.commit();
    });
  }

  // The operating point as every stage uses it, with the quantities derived from it once.
  void record_operating_point(const solver::OperatingPoint &op, Json &out)
  {
    out["tube_voltage_V"]           = op.tube_voltage;
    out["input_power_W"]            = op.input_power;
    out["focal_spot_width_m"]       = op.focal_spot_width;
    out["focal_spot_length_m"]      = op.focal_spot_length;
    out["stream_speed_m_per_s"]     = op.stream_speed;
    out["beam_current_A"]           = solver::beam_current_A(op);
    out["current_density_A_per_m2"] = solver::current_density_A_per_m2(op);
    out["dwell_time_s"]             = solver::dwell_time_s(op);
  }

  // Rank 0: creates the folder, starts log.txt with a header line (version, commit, date,
  // command line), and sets the earlier summary.json aside: a stale summary must not look like
  // the result of this run, even if it fails; its keys are merged into this run's at the end.
  void open_results_folder(const std::filesystem::path &folder, const CommandLine &cl, const std::string &started,
                           StderrCopy &log_copy)
  {
    std::filesystem::create_directories(folder);
    log_copy.start(folder / "log.txt");
    std::cerr << "mpstream " << mpstream_version() << " (git " << git_commit() << ") " << started << ": "
              << cl.invocation << std::endl;
    set_aside_earlier_summary(folder);
  }

  // `mpstream validate`: every rank checks (cheap), rank 0 says OK; nothing is written.
  int validate(const CommandLine &cl, MPI_Comm comm)
  {
    dealii::ParameterHandler prm;
    const Scenario scenario = read_scenario(cl.scenario_file, cl.overrides, prm);
    const std::string checked = validate_scenario(scenario, output_directory(cl, scenario), cl.validate_for);
    if (dealii::Utilities::MPI::this_mpi_process(comm) == 0)
      std::cout << "mpstream: " << cl.scenario_file << " OK: " << checked << std::endl;
    return 0;
  }

  int run(const CommandLine &cl, MPI_Comm comm, StderrCopy &log_copy)
  {
    const auto start          = std::chrono::steady_clock::now();
    const std::string started = utc_now_iso8601();
    // With --output-dir the folder is known before the scenario is read: its log then also
    // holds a scenario error. (run_on_root: a folder rank 0 cannot create stops every rank.)
    if (!cl.output_dir.empty())
      run_on_root(comm, [&] { open_results_folder(cl.output_dir, cl, started, log_copy); });
    dealii::ParameterHandler prm;
    const Scenario scenario = read_scenario(cl.scenario_file, cl.overrides, prm);
    RunContext context(comm, output_directory(cl, scenario));
    context.command = cl.command;
    context.use_cache = !cl.no_cache;
    if (cl.output_dir.empty())
      run_on_root(comm, [&] { open_results_folder(context.output_dir, cl, started, log_copy); });
    context.log << "[run] " << cl.command << " " << scenario.file.string() << " -> " << context.output_dir.string()
                << " (" << parallel_description(context) << ")" << std::endl;
    const Json earlier = context.is_root() ? read_earlier_summary(context.output_dir, context.log.get_stream()) : Json::object();
    context.summary["status"]   = "running";
    context.summary["run"]      = run_record(cl, context, started);
    context.summary["versions"] = versions_json();
    echo_scenario(scenario, prm, context);
    record_operating_point(scenario.operating_point, context.summary["operating_point"]);

    Json timings = Json::object();
    for (const Stage *stage : stages_for(cl.command))
      {
        const auto t0 = std::chrono::steady_clock::now();
        stage->run(scenario, context);
        timings[stage->command + "_s"] =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      }
    for (auto &[stage, keys] : context.stage_summaries)
      context.summary[stage] = std::move(keys);
    context.summary["wall_times"] = timings;
    context.summary["wall_time_s"] =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    context.summary["mpi_ranks"] = context.n_ranks;
    context.summary["status"]    = "complete";
    run_on_root(context.comm, [&] {
      write_summary(context.output_dir, merge_summaries(earlier, context.summary));
    });
    if (cl.command == "run")
      write_run_report_on_root(context.comm, context.output_dir, context.log.get_stream());
    context.log << "Results: " << context.output_dir.string() << "/ (summary.json, log.txt)" << std::endl;
    return 0;
  }
} // namespace

int main(int argc, char **argv)
{
  configure_mpi_singleton(); // before MPI_Init: a run without a launcher needs no MPI daemon
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
  StderrCopy log_copy; // log.txt: outlives the run, so that its last line (an error too) is kept
  try
    {
      const CommandLine cl = parse_command_line(argc, argv);
      if (cl.help)
        {
          if (root)
            std::cout << usage();
          return 0;
        }
      if (cl.version)
        {
          if (root)
            std::cout << "mpstream " << mpstream_version() << " (git " << git_commit() << ", deal.II "
                      << dealii_version() << ")\n";
          return 0;
        }
      if (cl.command == "print-parameters")
        {
          dealii::ParameterHandler prm;
          declare_parameters(prm);
          if (root)
            print_parameters(prm, cl.format, std::cout);
          return 0;
        }
      if (cl.command == "validate")
        return validate(cl, MPI_COMM_WORLD);
      return run(cl, MPI_COMM_WORLD, log_copy);
    }
  catch (const QuantityError &e)
    {
      if (root)
        std::cerr << "mpstream: input error: " << describe_quantity_error(e) << std::endl;
      return 2;
    }
  catch (const InputError &e)
    {
      if (root)
        std::cerr << "mpstream: input error: " << e.what() << std::endl;
      return 2;
    }
  catch (const RuntimeFailure &e)
    {
      if (root)
        std::cerr << "mpstream: failed: " << e.what() << std::endl;
      return 3;
    }
  catch (const dealii::ExceptionBase &e)
    {
      if (root)
        std::cerr << "mpstream: failed: " << describe_parameter_error(e) << std::endl;
      return 3;
    }
  catch (const std::exception &e)
    {
      if (root)
        std::cerr << "mpstream: failed: " << e.what() << std::endl;
      return 3;
    }
}
