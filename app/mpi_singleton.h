#pragma once
// A run started without an MPI launcher (no mpirun, mpiexec or srun) is an MPI singleton: one
// process that talks to nobody. Open MPI 4.1 still starts its daemon (orted) for it and
// initialises UCX, whose clock calibration sleeps: 0.4-0.45 s of wall time before main() does
// anything, an eighth of a small problem's whole run (doc/performance.md, "Small problems").
// So before MPI_Init mpstream asks Open MPI for an isolated singleton (no daemon) and the ob1
// point-to-point layer (no UCX). A launched run, a setting the user made, and MPI
// implementations other than Open MPI (which ignore OMPI_MCA_*) are left alone.
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace mpstream::app
{
  // The environment variables to set (name, value) given the process's environment, looked
  // up through `get` (nullptr: unset): none under a launcher, and none the user has set.
  std::vector<std::pair<std::string, std::string>>
  mpi_singleton_settings(const std::function<const char *(const char *)> &get);

  // Applies mpi_singleton_settings(getenv) with setenv; call before MPI_Init.
  void configure_mpi_singleton();
} // namespace mpstream::app
