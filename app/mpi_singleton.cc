#include "app/mpi_singleton.h"

#include <cstdlib>

namespace mpstream::app
{
  std::vector<std::pair<std::string, std::string>>
  mpi_singleton_settings(const std::function<const char *(const char *)> &get)
  {
    // What the launchers set for their processes: Open MPI's mpirun (OMPI_COMM_WORLD_SIZE and
    // PMIX_RANK), PMIx launchers such as srun --mpi=pmix (PMIX_RANK), MPICH's Hydra and srun
    // with PMI-1/2 (PMI_RANK, PMI_SIZE, PMI_FD).
    for (const char *launched : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "PMI_FD"})
      if (get(launched) != nullptr)
        return {};
    std::vector<std::pair<std::string, std::string>> settings;
    for (const auto &[name, value] : {std::pair<std::string, std::string>{"OMPI_MCA_ess_singleton_isolated", "1"},
                                      {"OMPI_MCA_pml", "ob1"}})
      if (get(name.c_str()) == nullptr)
        settings.emplace_back(name, value);
    return settings;
  }

  void configure_mpi_singleton()
  {
    for (const auto &[name, value] : mpi_singleton_settings([](const char *name) { return std::getenv(name); }))
      setenv(name.c_str(), value.c_str(), 0);
  }
} // namespace mpstream::app
