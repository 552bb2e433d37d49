#pragma once
// What the stages of one run share: where results go, the summary being built, MPI, the
// progress stream, the threads per rank, and the products of earlier stages (layout, mesh file, ...).
#include "app/scenario.h"
#include "app/thread_budget.h"
#include "common/json.h"
#include "layout/stream_layout.h"
#include "meshing/volume_mesh.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/mpi.h>

#include <filesystem>
#include <iostream>
#include <list>
#include <memory>
#include <optional>
#include <string>
#include <utility>

namespace mpstream::app
{
  struct WholeStreamTransient; // app/thermal_stream.h
  struct ChargingProducts;     // app/charging_products.h

  struct RunContext
  {
    RunContext(MPI_Comm comm, std::filesystem::path output_dir)
      : comm(comm)
      , rank(dealii::Utilities::MPI::this_mpi_process(comm))
      , n_ranks(dealii::Utilities::MPI::n_mpi_processes(comm))
      , output_dir(std::move(output_dir))
      , log(std::cerr, rank == 0)
      , threads(thread_budget(comm))
    {}

    bool is_root() const { return rank == 0; }
    std::filesystem::path path(const std::string &file_name) const { return output_dir / file_name; }

    MPI_Comm comm;
    std::string command; // the CLI command of the run ("run", "charging", ...)
    unsigned int rank;
    unsigned int n_ranks;
    std::filesystem::path output_dir;
    dealii::ConditionalOStream log; // progress on stderr (and log.txt), rank 0 only
    // Threads per rank where a Threads parameter is 0 (app/thread_budget.h).
    ThreadBudget threads;
    // Stage products are reused from, and stored in, <output_dir>/cache (app/stage_cache.h);
    // false with --no-cache.
    bool use_cache = true;
    Json summary = Json::object();  // written last, atomically, by rank 0

    // The summary keys of one stage: summary.json nests them under the stage's name, so that a
    // later stage cannot overwrite an earlier one's key of the same name. The objects live in a
    // list (stable references while other stages add theirs) and join `summary` at the end.
    Json &stage_summary(const std::string &stage)
    {
      for (auto &[name, keys] : stage_summaries)
        if (name == stage)
          return keys;
      return stage_summaries.emplace_back(stage, Json::object()).second;
    }
    std::list<std::pair<std::string, Json>> stage_summaries; // in the order the stages ran

    // Products of earlier stages.
    std::optional<layout::StreamLayout> layout;
    std::filesystem::path mesh_file; // empty until the mesh stage ran
    // The mesh stage's mesh in memory, for the electrostatics without re-reading mesh_file
    // (rank 0 holds it, the other ranks an empty one; null when it came from the stage cache
    // or was handed over already).
    std::unique_ptr<meshing::VolumeMesh> mesh_in_memory;
    // The electrostatics operator and AMG, built once for the electrostatics and charging
    // stages (ensure_electrostatics); it reports the progress of its unit solves to `log`.
    std::unique_ptr<solver::Electrostatics> electrostatics;
    // The whole-stream thermal transient, for the coupled dwell and the thermal stage
    // (ensure_whole_stream_transient).
    std::shared_ptr<const WholeStreamTransient> whole_stream;
    // The charging stage's driver (its responses and force form) and result, for the dynamics.
    std::shared_ptr<ChargingProducts> charging;
  };
} // namespace mpstream::app
