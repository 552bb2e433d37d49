// Time per charge state of the sphere forces from the force form (solver/sphere_force_form.h):
// F_i,d = s^T M_i,d s for N spheres and E electrodes (default: the 77-sphere stream with its 5
// electrode frames), thread CPU time, against the goal of issue 14 (< 1 s per state). The cost
// does not depend on the matrices' values, so they are filled with a fixed pattern.
// Usage: bench_force_form [spheres] [electrodes] [repeats]
#include "solver/sphere_force_form.h"
#include "thread_cpu_time.h"

#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

int main(int argc, char **argv)
{
  using namespace mpstream::solver;
  const std::size_t N = argc > 1 ? std::atoi(argv[1]) : 77, E = argc > 2 ? std::atoi(argv[2]) : 5;
  const int repeats   = argc > 3 ? std::atoi(argv[3]) : 100;
  std::vector<unsigned int> ids(E);
  std::iota(ids.begin(), ids.end(), 0u);
  SphereForceForm form(N, ids);
  const std::size_t K = form.n_sources();
  for (std::size_t i = 0; i < N; ++i)
    for (unsigned int d = 0; d < 3; ++d)
      for (std::size_t a = 0; a < K * K; ++a)
        form.matrix(i, d)[a] = 1e-3 * double((a * 7 + i + d) % 13);
  std::vector<double> Q(N, -1e-12), V(E, -100.0);
  double sink       = 0;
  const double t0   = mpstream::bench::thread_cpu_seconds();
  for (int r = 0; r < repeats; ++r)
    {
      Q[r % N] *= 1.000001;
      sink += form.forces(Q, V)[r % N][2];
    }
  const double per_state = (mpstream::bench::thread_cpu_seconds() - t0) / repeats;
  std::printf("force form: %zu spheres, %zu electrodes (%zu sources): %.3e s per charge state "
              "(goal < 1 s: %.0fx below); %.1f MB of matrices  [%g]\n",
              N, E, K, per_state, 1.0 / per_state, 3.0 * N * K * K * 8 / 1e6, sink);
  return 0;
}
