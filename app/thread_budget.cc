#include "app/thread_budget.h"

#include <sched.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

namespace mpstream::app
{
  namespace
  {
    unsigned ranks_on_this_node(MPI_Comm comm, MPI_Comm &node)
    {
      MPI_Comm_split_type(comm, MPI_COMM_TYPE_SHARED, 0, MPI_INFO_NULL, &node);
      int n = 1;
      MPI_Comm_size(node, &n);
      return static_cast<unsigned>(n);
    }

    // A positive integer from the environment, 0 if unset or not one.
    unsigned positive_env(const char *name)
    {
      const char *text = std::getenv(name);
      if (!text)
        return 0;
      char *end        = nullptr;
      const long value = std::strtol(text, &end, 10);
      return end != text && *end == '\0' && value > 0 ? static_cast<unsigned>(value) : 0u;
    }

    // Without an affinity mask: what the job's environment says, else a fair share of the node.
    ThreadBudget budget_from_environment(unsigned ranks_on_node)
    {
      ThreadBudget b;
      b.ranks_on_node = ranks_on_node;
      b.cores_on_node = std::max(1u, std::thread::hardware_concurrency());
      for (const char *name : {"OMP_NUM_THREADS", "SLURM_CPUS_PER_TASK"})
        if (const unsigned n = positive_env(name))
          {
            b.threads_per_rank = n;
            b.source           = name;
            return b;
          }
      b.threads_per_rank = std::max(1u, b.cores_on_node / ranks_on_node);
      b.source           = "hardware threads / ranks on the node";
      return b;
    }
  } // namespace

  ThreadBudget thread_budget(MPI_Comm comm)
  {
    MPI_Comm node;
    const unsigned ranks_on_node = ranks_on_this_node(comm, node);
    cpu_set_t own;
    CPU_ZERO(&own);
    const int have_mask = sched_getaffinity(0, sizeof own, &own) == 0 ? 1 : 0;
    int every_rank_has_mask = 0;
    MPI_Allreduce(&have_mask, &every_rank_has_mask, 1, MPI_INT, MPI_MIN, node);
    ThreadBudget b;
    if (every_rank_has_mask)
      {
        // The union of the masks of the node's ranks: the cores this job may use there.
        cpu_set_t all;
        MPI_Allreduce(&own, &all, sizeof(cpu_set_t), MPI_UNSIGNED_CHAR, MPI_BOR, node);
        b.ranks_on_node    = ranks_on_node;
        b.cores_on_node    = static_cast<unsigned>(CPU_COUNT(&all));
        const unsigned mine = static_cast<unsigned>(CPU_COUNT(&own));
        b.threads_per_rank = std::max(1u, std::min(mine, b.cores_on_node / ranks_on_node));
        b.source           = "affinity mask";
      }
    else
      b = budget_from_environment(ranks_on_node);
    MPI_Comm_free(&node);
    return b;
  }
} // namespace mpstream::app
