#pragma once
// How many threads each MPI rank may start when a Threads parameter is 0 (automatic), so that
// `mpirun -np N` never starts more threads on a node than it has cores for this job:
//  - the CPU affinity mask (sched_getaffinity) is what mpirun/srun bind the rank to; ranks on
//    one node (MPI_Comm_split_type SHARED) share the union of their masks, so each rank gets
//    min(its own mask, union / ranks on the node), at least 1;
//  - where no mask can be read: OMP_NUM_THREADS, else SLURM_CPUS_PER_TASK, else the hardware
//    threads / ranks on the node.
// Collective over `comm`. Results do not depend on it (the MC and thermal stages are
// reproducible for any thread count): it only sets the speed.
#include <mpi.h>

#include <string>

namespace mpstream::app
{
  struct ThreadBudget
  {
    unsigned threads_per_rank = 1;
    unsigned ranks_on_node    = 1;
    unsigned cores_on_node    = 1; // in the union of the node's ranks' masks (or hardware threads)
    std::string source;            // e.g. "affinity mask", "OMP_NUM_THREADS"

    // A Threads parameter: its value if > 0, else this budget.
    unsigned threads_for(unsigned requested) const { return requested > 0 ? requested : threads_per_rank; }
  };

  ThreadBudget thread_budget(MPI_Comm comm);
} // namespace mpstream::app
