#include "app/run_record.h"

#include <unistd.h>

#include <ctime>

namespace mpstream::app
{
  std::string utc_now_iso8601()
  {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    char text[32];
    std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%SZ", &utc);
    return text;
  }

  Json run_record(const CommandLine &cl, const RunContext &context, const std::string &started_utc)
  {
    char host[256] = "unknown";
    gethostname(host, sizeof host - 1);
    Json r                   = Json::object();
    r["command_line"]        = cl.invocation;
    r["command"]             = cl.command;
    r["working_directory"]   = std::filesystem::current_path().string();
    r["date_utc"]            = started_utc;
    r["host"]                = std::string(host);
    r["mpi_ranks"]           = context.n_ranks;
    r["mpi_ranks_per_node"]  = context.threads.ranks_on_node;
    r["cores_per_node"]      = context.threads.cores_on_node;
    r["threads_per_rank"]    = context.threads.threads_per_rank;
    r["threads_source"]      = context.threads.source;
    return r;
  }

  std::string parallel_description(const RunContext &context)
  {
    const unsigned ranks = context.n_ranks, threads = context.threads.threads_per_rank;
    return std::to_string(ranks) + " MPI rank" + (ranks > 1 ? "s" : "") + " x " + std::to_string(threads) +
           " thread" + (threads > 1 ? "s" : "") + " (" + context.threads.source + ")";
  }
} // namespace mpstream::app
