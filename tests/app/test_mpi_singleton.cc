// app/mpi_singleton.h: which Open MPI settings a run without a launcher gets (unit tests of the
// decision; the time it saves is measured in benchmarks/one_sphere_vs_dolfinx.sh).
#include "app/mpi_singleton.h"

#include <gtest/gtest.h>

#include <map>

namespace mpstream::app
{
  namespace
  {
    using Settings = std::vector<std::pair<std::string, std::string>>;

    Settings settings_for(const std::map<std::string, std::string> &environment)
    {
      return mpi_singleton_settings([&](const char *name) {
        const auto it = environment.find(name);
        return it == environment.end() ? nullptr : it->second.c_str();
      });
    }
  } // namespace

  TEST(MpiSingleton, WithoutLauncherAsksForIsolatedSingletonWithoutUcx)
  {
    const Settings expected{{"OMPI_MCA_ess_singleton_isolated", "1"}, {"OMPI_MCA_pml", "ob1"}};
    EXPECT_EQ(settings_for({{"HOME", "/root"}, {"SLURM_CPUS_PER_TASK", "4"}}), expected);
  }

  TEST(MpiSingleton, LaunchedProcessesAreLeftAlone)
  {
    for (const char *launcher_variable : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK", "PMI_SIZE", "PMI_FD"})
      EXPECT_TRUE(settings_for({{launcher_variable, "0"}}).empty()) << launcher_variable;
  }

  TEST(MpiSingleton, TheUsersOwnSettingsWin)
  {
    const Settings expected{{"OMPI_MCA_ess_singleton_isolated", "1"}};
    EXPECT_EQ(settings_for({{"OMPI_MCA_pml", "ucx"}}), expected);
    EXPECT_TRUE(settings_for({{"OMPI_MCA_pml", "ucx"}, {"OMPI_MCA_ess_singleton_isolated", "0"}}).empty());
  }
} // namespace mpstream::app
