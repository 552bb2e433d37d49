#include "solver/sampled_field.h"

#include "common/error.h"
#include "mc/geometry.h"

#include <algorithm>
#include <cmath>
#include <sstream>

namespace mpstream::solver
{
  using mc::operator+;
  using mc::operator*;

  mc::Vec3 FieldGridNodes::position(std::size_t i, std::size_t j, std::size_t k) const
  {
    const std::array<std::size_t, 3> ijk{i, j, k};
    mc::Vec3 x{};
    for (int d = 0; d < 3; ++d)
      x[d] = lower[d] + (upper[d] - lower[d]) * static_cast<double>(ijk[d]) / static_cast<double>(n_nodes[d] - 1);
    return x;
  }

  std::vector<mc::Vec3> FieldGridNodes::positions() const
  {
    std::vector<mc::Vec3> x;
    x.reserve(size());
    for (std::size_t k = 0; k < n_nodes[2]; ++k)
      for (std::size_t j = 0; j < n_nodes[1]; ++j)
        for (std::size_t i = 0; i < n_nodes[0]; ++i)
          x.push_back(position(i, j, k));
    return x;
  }

  SampledStreamField::SampledStreamField(FieldGridNodes nodes, double lid_height_m, double variation_length_m,
                                         std::vector<double> sphere_potentials_V)
    : nodes_(std::move(nodes))
    , lid_height_m_(lid_height_m)
    , variation_length_m_(variation_length_m)
    , sphere_potentials_V_(std::move(sphere_potentials_V))
  {
    for (int d = 0; d < 3; ++d)
      if (nodes_.n_nodes[d] < 2 || !(nodes_.upper[d] > nodes_.lower[d]))
        throw InputError("sampled field: the grid needs at least 2 nodes and a positive extent per axis");
    if (nodes_.potential.size() != nodes_.size() || nodes_.field.size() != nodes_.size() ||
        nodes_.in_vacuum.size() != nodes_.size())
      throw InputError("sampled field: node data do not match the grid");
    if (!(lid_height_m_ > nodes_.upper[2]) || !(variation_length_m_ > 0))
      throw InputError("sampled field: the lid must lie above the grid, the variation length be positive");
    check_finite();
    double sum = 0;
    std::size_t n = 0;
    const std::size_t k = nodes_.n_nodes[2] - 1;
    for (std::size_t j = 0; j < nodes_.n_nodes[1]; ++j)
      for (std::size_t i = 0; i < nodes_.n_nodes[0]; ++i)
        if (nodes_.in_vacuum[nodes_.index(i, j, k)])
          {
            sum += nodes_.potential[nodes_.index(i, j, k)];
            ++n;
          }
    if (n == 0)
      throw InputError("sampled field: the grid's top layer has no node in the vacuum");
    top_potential_V_ = sum / static_cast<double>(n);
  }

  // A solution that is not finite (a diverged solve, a NaN charge) must not reach the flights:
  // the electrons would end anywhere, silently.
  void SampledStreamField::check_finite() const
  {
    std::size_t bad_nodes = 0, first = 0;
    for (std::size_t m = 0; m < nodes_.size(); ++m)
      {
        const auto &E = nodes_.field[m];
        if (!(std::isfinite(nodes_.potential[m]) && std::isfinite(E[0]) && std::isfinite(E[1]) && std::isfinite(E[2])))
          first = bad_nodes++ ? first : m;
      }
    const auto bad_spheres = static_cast<std::size_t>(std::count_if(
      sphere_potentials_V_.begin(), sphere_potentials_V_.end(), [](double V) { return !std::isfinite(V); }));
    if (bad_nodes + bad_spheres == 0)
      return;
    std::ostringstream text;
    text << "the stream's field for the Monte Carlo is not finite (the charge state's solution): " << bad_nodes
         << " of " << nodes_.size() << " grid nodes";
    if (bad_nodes)
      {
        const auto x = nodes_.positions()[first];
        text << " (first at " << x[0] << ", " << x[1] << ", " << x[2] << " m)";
      }
    text << ", " << bad_spheres << " sphere potentials";
    throw RuntimeFailure(text.str());
  }

  mc::FieldSample SampledStreamField::at(const mc::Vec3 &r) const
  {
    const auto &g = nodes_;
    if (r[2] >= lid_height_m_)
      return {};
    if (r[2] >= g.upper[2]) // linear to the lid: uniform field
      {
        const double gap = lid_height_m_ - g.upper[2];
        return {{0.0, 0.0, top_potential_V_ / gap}, top_potential_V_ * (lid_height_m_ - r[2]) / gap};
      }
    std::array<std::size_t, 3> base{};
    std::array<double, 3> t{};
    for (int d = 0; d < 3; ++d)
      {
        const double h = (g.upper[d] - g.lower[d]) / static_cast<double>(g.n_nodes[d] - 1);
        const double f = std::clamp((r[d] - g.lower[d]) / h, 0.0, static_cast<double>(g.n_nodes[d] - 1));
        base[d] = std::min(static_cast<std::size_t>(f), g.n_nodes[d] - 2);
        t[d]    = f - static_cast<double>(base[d]);
      }
    mc::FieldSample s;
    double weight = 0, nearest_weight = -1;
    std::size_t nearest = 0;
    for (unsigned int c = 0; c < 8; ++c)
      {
        const std::size_t i = base[0] + (c & 1), j = base[1] + ((c >> 1) & 1), k = base[2] + ((c >> 2) & 1);
        const double w = ((c & 1) ? t[0] : 1 - t[0]) * (((c >> 1) & 1) ? t[1] : 1 - t[1]) *
                         (((c >> 2) & 1) ? t[2] : 1 - t[2]);
        const std::size_t n = g.index(i, j, k);
        if (w > nearest_weight)
          {
            nearest_weight = w;
            nearest        = n;
          }
        if (!g.in_vacuum[n])
          continue;
        weight += w;
        s.potential += w * g.potential[n];
        s.E = s.E + w * g.field[n];
      }
    if (weight <= 1e-12) // every corner inside a body: a gap narrower than the grid spacing
      return {{0.0, 0.0, 0.0}, g.potential[nearest]};
    s.potential /= weight;
    s.E = (1 / weight) * s.E;
    return s;
  }

  double SampledStreamField::body_potential(int body, const mc::Vec3 &r) const
  {
    if (body == mc::anode)
      return 0.0;
    if (body >= 0 && static_cast<std::size_t>(body) < sphere_potentials_V_.size())
      return sphere_potentials_V_[static_cast<std::size_t>(body)];
    return at(r).potential;
  }

  double SampledStreamField::variation_length(const mc::Vec3 &r) const
  {
    return r[2] >= nodes_.upper[2] ? lid_height_m_ - nodes_.upper[2] : variation_length_m_;
  }
} // namespace mpstream::solver
