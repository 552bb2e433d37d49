// run_on_root on 2 ranks: rank 0's failure reaches every rank as the same error (no rank left
// waiting), InputError stays an input error, and the work runs on rank 0 only.
#include "app/run_on_root.h"
#include "common/error.h"

#include <gtest/gtest.h>
#include <mpi.h>

#include <stdexcept>
#include <string>

namespace
{
  using mpstream::InputError;
  using mpstream::RuntimeFailure;
  using mpstream::app::run_on_root;

  int rank() { int r = 0; MPI_Comm_rank(MPI_COMM_WORLD, &r); return r; }
  int n_ranks() { int n = 0; MPI_Comm_size(MPI_COMM_WORLD, &n); return n; }

  TEST(RunOnRoot, RunsTheWorkOnRankZeroOnly)
  {
    ASSERT_EQ(n_ranks(), 2) << "registered with 2 MPI ranks";
    int calls = 0;
    run_on_root(MPI_COMM_WORLD, [&] { ++calls; });
    EXPECT_EQ(calls, rank() == 0 ? 1 : 0);
  }

  TEST(RunOnRoot, ARuntimeFailureOnRankZeroReachesEveryRank)
  {
    // Like a Gmsh failure while rank 0 meshes: a plain std::runtime_error.
    try
      {
        run_on_root(MPI_COMM_WORLD, [] { throw std::runtime_error("Gmsh: could not mesh volume 1"); });
        FAIL() << "no exception on rank " << rank();
      }
    catch (const RuntimeFailure &e)
      {
        EXPECT_EQ(std::string(e.what()), "Gmsh: could not mesh volume 1");
      }
    // Every rank is still in step: a collective call after the failure completes.
    MPI_Barrier(MPI_COMM_WORLD);
  }

  TEST(RunOnRoot, AnInputErrorStaysAnInputErrorOnEveryRank)
  {
    EXPECT_THROW(run_on_root(MPI_COMM_WORLD, [] { throw InputError("Geometry/Rows = 0: must be >= 1"); }),
                 InputError);
  }
} // namespace

int main(int argc, char **argv)
{
  MPI_Init(&argc, &argv);
  ::testing::InitGoogleTest(&argc, argv);
  if (rank() != 0)
    {
      auto &listeners = ::testing::UnitTest::GetInstance()->listeners();
      delete listeners.Release(listeners.default_result_printer());
    }
  const int result = RUN_ALL_TESTS();
  MPI_Finalize();
  return result;
}
