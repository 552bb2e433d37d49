// mpstream: microparticle hybrid X-ray target simulator. Command-line driver.
#include "app/command_line.h"
#include "app/parameter_errors.h"
#include "app/print_parameters.h"
#include "app/quantity_names.h"
#include "app/run_on_root.h"
#include "app/run_context.h"
#include "app/scenario.h"
#include "app/stages.h"
#include "common/atomic_file.h"
#include "common/error.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/revision.h>

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

  std::vector<const Stage *> stages_for(const std::string &command)
  {
    std::vector<const Stage *> selected;
    for (const auto &stage : stages())
      if (command == "run" ? stage.in_full_run : stage.command == command)
        selected.push_back(&stage);
    return selected;
  }

  int run(const CommandLine &cl, MPI_Comm comm)
  {
    const auto start = std::chrono::steady_clock::now();
    const bool root  = dealii::Utilities::MPI::this_mpi_process(comm) == 0;
    // A stale summary from an earlier run must not look like the result of this one, even if
    // this run fails while reading its scenario.
    if (root && !cl.output_dir.empty())
      std::filesystem::remove(std::filesystem::path(cl.output_dir) / "summary.json");
    dealii::ParameterHandler prm;
    const Scenario scenario = read_scenario(cl.scenario_file, cl.overrides, prm);
    RunContext context(comm, output_directory(cl, scenario));

    if (context.is_root())
      {
        std::filesystem::create_directories(context.output_dir);
        std::filesystem::remove(context.path("summary.json"));
      }
    MPI_Barrier(comm);
    context.log << "mpstream " << MPSTREAM_VERSION << ": " << cl.command << " " << scenario.file.string()
                << " -> " << context.output_dir.string() << " (" << context.n_ranks << " MPI rank"
                << (context.n_ranks > 1 ? "s" : "") << ")" << std::endl;
    context.summary["status"] = "running";
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
    context.summary["versions"]  = Json(Json::Object{{"mpstream", MPSTREAM_VERSION},
                                                    {"deal.II", DEAL_II_PACKAGE_VERSION}});
    context.summary["status"] = "complete";
    run_on_root(context.comm, [&] {
      write_file_atomically(context.path("summary.json"), context.summary.dump());
      context.log << "Results: " << context.output_dir.string() << "/ (summary.json)" << std::endl;
    });
    return 0;
  }
} // namespace

int main(int argc, char **argv)
{
  dealii::Utilities::MPI::MPI_InitFinalize mpi(argc, argv, 1);
  const bool root = dealii::Utilities::MPI::this_mpi_process(MPI_COMM_WORLD) == 0;
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
            std::cout << "mpstream " << MPSTREAM_VERSION << " (deal.II " << DEAL_II_PACKAGE_VERSION << ")\n";
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
      return run(cl, MPI_COMM_WORLD);
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
