// Time of the dynamics stage's motion after the responses (issue 14 goal: < 5 min for the
// default stream): velocity Verlet over the whole 4.5 us dwell at 1 ns (4500 steps) with the
// forces of every step from the force form (solver/sphere_force_form.h) at linearly growing
// charges, contact checks of every pair (and, with a periodic cell, of the neighbours' copies)
// each step. Thread CPU time. The cost does not depend on the matrices' values: a fixed tiny
// pattern that keeps the spheres apart.
// Usage: bench_dynamics [spheres] [electrodes] [image shifts 0|8]
#include "solver/sphere_dynamics.h"
#include "solver/sphere_force_form.h"
#include "thread_cpu_time.h"

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <numeric>
#include <vector>

int main(int argc, char **argv)
{
  using namespace mpstream::solver;
  const std::size_t N = argc > 1 ? std::atoi(argv[1]) : 77, E = argc > 2 ? std::atoi(argv[2]) : 5;
  const bool periodic = argc > 3 && std::atoi(argv[3]) > 0;
  std::vector<unsigned int> ids(E);
  std::iota(ids.begin(), ids.end(), 0u);
  SphereForceForm form(N, ids);
  const std::size_t K = form.n_sources();
  for (std::size_t i = 0; i < N; ++i)
    for (unsigned int d = 0; d < 3; ++d)
      for (std::size_t a = 0; a < N; ++a) // charges only: forces of order 1e-9 N at 1 fC
        for (std::size_t b = 0; b < N; ++b)
          form.matrix(i, d)[a * K + b] = 1e20 * (double((a * 7 + b + i + d) % 13) - 6.0);
  // A square grid at 5.1 um pitch, 5 um above the anode, spheres of 2.5 um.
  const double R = 2.5e-6, pitch = 5.1e-6, mass = 19250 * 4.0 / 3.0 * M_PI * R * R * R;
  const std::size_t side = static_cast<std::size_t>(std::ceil(std::sqrt(double(N))));
  std::vector<MovingSphere> spheres;
  for (std::size_t i = 0; i < N; ++i)
    spheres.push_back({{pitch * double(i % side), pitch * double(i / side), 5e-6}, {}, R, mass});
  DynamicsSettings s;
  s.time_step_s                    = 1e-9;
  s.end_time_s                     = 4.5e-6;
  s.stop_at_displacement_threshold = false;
  s.record_every_steps             = 10;
  if (periodic)
    for (const double a : {-1.0, 0.0, 1.0})
      for (const double b : {-1.0, 0.0, 1.0})
        s.image_shifts.push_back({a * pitch * double(side), b * pitch * double(side), 0.0});
  const std::vector<double> V(E, 0.0);
  const auto force = [&](double t, const std::vector<Vector3> &) {
    return form.forces(std::vector<double>(N, -1e-15 * t / 4.5e-6), V);
  };
  const double t0 = mpstream::bench::thread_cpu_seconds();
  const auto r    = integrate_sphere_motion(spheres, force, s);
  const double seconds = mpstream::bench::thread_cpu_seconds() - t0;
  std::printf("dynamics: %zu spheres, %zu electrodes, %s: %zu steps in %.3f s (%.1f us per step; goal < 300 s "
              "for the dwell), largest displacement %.2e m, stop: %s\n",
              N, E, periodic ? "periodic copies checked" : "no periodic copies", r.steps, seconds,
              1e6 * seconds / double(r.steps), r.max_displacement_m, r.stop_reason.c_str());
  return 0;
}
