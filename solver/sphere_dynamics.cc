#include "solver/sphere_dynamics.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>

namespace mpstream::solver
{
  namespace
  {
    double distance(const Vector3 &a, const Vector3 &b)
    {
      return std::sqrt((a[0] - b[0]) * (a[0] - b[0]) + (a[1] - b[1]) * (a[1] - b[1]) + (a[2] - b[2]) * (a[2] - b[2]));
    }

    // A gap between two surfaces (the other sphere possibly a copy in a neighbouring cell,
    // shifted laterally) or a surface and the anode, as a function of the centres.
    struct Gap
    {
      std::size_t sphere;
      std::optional<std::size_t> other;
      Vector3 shift{};
      Vector3 other_centre(const std::vector<MovingSphere> &s) const
      {
        const auto &c = s[*other].position;
        return {c[0] + shift[0], c[1] + shift[1], c[2] + shift[2]};
      }
      double value(const std::vector<MovingSphere> &s) const
      {
        return other ? distance(s[sphere].position, other_centre(s)) - s[sphere].radius - s[*other].radius
                     : s[sphere].position[2] - s[sphere].radius;
      }
    };

    bool is_zero(const Vector3 &v) { return v[0] == 0 && v[1] == 0 && v[2] == 0; }

    // Every pair once: i < j, directly and with each copy shift (the shifts come with their
    // opposites, so (j, i, s) is (i, j, -s)); a sphere keeps its distance to its own copies.
    std::vector<Gap> all_gaps(std::size_t n, const DynamicsSettings &settings)
    {
      std::vector<Gap> gaps;
      for (std::size_t i = 0; i < n; ++i)
        {
          if (settings.anode_present)
            gaps.push_back({i, std::nullopt, {}});
          for (std::size_t j = i + 1; j < n; ++j)
            gaps.push_back({i, j, {}});
          for (const auto &shift : settings.image_shifts)
            if (!is_zero(shift))
              for (std::size_t j = i + 1; j < n; ++j)
                gaps.push_back({i, j, shift});
        }
      return gaps;
    }

    double smallest_gap(const std::vector<Gap> &gaps, const std::vector<MovingSphere> &s)
    {
      double g = std::numeric_limits<double>::infinity();
      for (const auto &gap : gaps)
        g = std::min(g, gap.value(s));
      return g;
    }

    DynamicsSample sample_of(double t, const std::vector<MovingSphere> &s, const std::vector<Vector3> &F)
    {
      DynamicsSample d{t, {}, {}, F};
      for (const auto &sphere : s)
        {
          d.positions.push_back(sphere.position);
          d.velocities.push_back(sphere.velocity);
        }
      return d;
    }

    // The contact point on the segment between the two surfaces (or under the sphere).
    Vector3 contact_point(const Gap &gap, const std::vector<MovingSphere> &s)
    {
      const auto &a = s[gap.sphere];
      if (!gap.other)
        return {a.position[0], a.position[1], 0.0};
      const auto &b  = s[*gap.other];
      const auto bc  = gap.other_centre(s);
      const double d = distance(a.position, bc), w = (a.radius + 0.5 * (d - a.radius - b.radius)) / d;
      return {a.position[0] + w * (bc[0] - a.position[0]), a.position[1] + w * (bc[1] - a.position[1]),
              a.position[2] + w * (bc[2] - a.position[2])};
    }
  } // namespace

  void validate(const DynamicsSettings &settings, const std::vector<MovingSphere> &spheres)
  {
    if (!(settings.time_step_s > 0))
      throw QuantityError("dynamics_time_step_s", std::to_string(settings.time_step_s), "must be positive");
    if (!(settings.end_time_s > 0))
      throw QuantityError("dynamics_end_time_s", std::to_string(settings.end_time_s), "must be positive");
    if (!(settings.displacement_fraction > 0 && settings.displacement_fraction < 1))
      throw QuantityError("dynamics_displacement_fraction", std::to_string(settings.displacement_fraction),
                          "must be in (0, 1)");
    for (const auto &s : spheres)
      if (!(s.mass > 0))
        throw QuantityError("sphere_mass_kg", std::to_string(s.mass), "must be positive");
    const auto gaps = all_gaps(spheres.size(), settings);
    if (smallest_gap(gaps, spheres) <= 0)
      throw QuantityError("initial_minimum_gap_m", std::to_string(smallest_gap(gaps, spheres)),
                          "must be positive: the spheres start in contact (with each other or the anode)");
  }

  DynamicsResult integrate_sphere_motion(std::vector<MovingSphere> spheres, const ForceCallback &force,
                                         const DynamicsSettings &settings)
  {
    validate(settings, spheres);
    const std::size_t N = spheres.size();
    const auto gaps     = all_gaps(N, settings);
    DynamicsResult r;
    r.initial_minimum_gap_m = smallest_gap(gaps, spheres);
    const double max_step   = settings.displacement_fraction * r.initial_minimum_gap_m;
    std::vector<Vector3> start, positions(N);
    for (const auto &s : spheres)
      start.push_back(s.position);
    const auto positions_of = [&]() {
      for (std::size_t i = 0; i < N; ++i)
        positions[i] = spheres[i].position;
      return positions;
    };
    auto F   = force(0.0, positions_of());
    double t = 0;
    r.samples.push_back(sample_of(t, spheres, F));
    const double dt = settings.time_step_s;
    r.stop_reason   = "end time";
    while (t < settings.end_time_s * (1 - 1e-12))
      {
        const auto before = spheres;
        for (std::size_t i = 0; i < N; ++i)
          for (int d = 0; d < 3; ++d)
            spheres[i].position[d] += dt * spheres[i].velocity[d] + 0.5 * dt * dt * F[i][d] / spheres[i].mass;
        const auto F_new = force(t + dt, positions_of());
        for (std::size_t i = 0; i < N; ++i)
          for (int d = 0; d < 3; ++d)
            spheres[i].velocity[d] += 0.5 * dt * (F[i][d] + F_new[i][d]) / spheres[i].mass;
        F = F_new;
        t += dt;
        ++r.steps;
        // First contact: the gap that closed earliest between the two steps (linear in time).
        double earliest = 2;
        for (const auto &gap : gaps)
          {
            const double g1 = gap.value(spheres);
            if (g1 > 0)
              continue;
            const double g0 = gap.value(before), fraction = g0 / (g0 - g1);
            if (fraction < earliest)
              {
                earliest = fraction;
                auto at  = before;
                for (std::size_t i = 0; i < N; ++i)
                  for (int d = 0; d < 3; ++d)
                    at[i].position[d] += fraction * (spheres[i].position[d] - before[i].position[d]);
                r.first_contact = Contact{t - dt + fraction * dt, gap.sphere, gap.other, contact_point(gap, at)};
              }
          }
        r.max_displacement_m = 0;
        for (std::size_t i = 0; i < N; ++i)
          r.max_displacement_m = std::max(r.max_displacement_m, distance(spheres[i].position, start[i]));
        if (!r.threshold_time_s && r.max_displacement_m >= max_step)
          r.threshold_time_s = t;
        if (r.first_contact)
          r.stop_reason = "contact";
        else if (settings.stop_at_displacement_threshold && r.threshold_time_s)
          r.stop_reason = "displacement threshold";
        const bool last = r.first_contact || (settings.stop_at_displacement_threshold && r.threshold_time_s) ||
                          !(t < settings.end_time_s * (1 - 1e-12));
        if (last || r.steps % std::max(1u, settings.record_every_steps) == 0)
          r.samples.push_back(sample_of(t, spheres, F));
        if (last)
          break;
      }
    return r;
  }
} // namespace mpstream::solver
