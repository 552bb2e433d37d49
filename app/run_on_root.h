#pragma once
// Work that only rank 0 does (Gmsh meshing, writing result files) without leaving the other
// ranks behind when it fails: run_on_root runs `work` on rank 0 and shares its outcome with
// every rank of `comm`. If the work threw, every rank throws the same error (InputError stays
// InputError, anything else becomes RuntimeFailure) with rank 0's message, so the run ends
// with one clear line and the same exit code everywhere, instead of rank 0 leaving while the
// others wait in the next collective call. Collective: every rank of `comm` must call it.
#include <mpi.h>

#include <functional>

namespace mpstream::app
{
  void run_on_root(MPI_Comm comm, const std::function<void()> &work);
} // namespace mpstream::app
