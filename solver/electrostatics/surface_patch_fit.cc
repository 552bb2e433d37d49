// The patch fit of the surface charge density at a sphere vertex (see surface_patch_fit.h).
#include "solver/electrostatics/surface_patch_fit.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/lac/full_matrix.h>

#include <algorithm>
#include <cmath>
#include <set>

namespace mpstream::solver
{
  using namespace dealii;

  namespace
  {
    // The quadratic monomials in (s, t) (n_monomials: see surface_patch_fit.h).
    std::array<double, n_monomials> monomials(double s, double t) { return {1, s, t, s * s, s * t, t * t}; }
  } // namespace

  std::vector<types::global_dof_index> vertex_patch(types::global_dof_index v, unsigned int rings,
                                                    std::size_t min_size, const SphereFacets &surface)
  {
    std::set<types::global_dof_index> patch = {v};
    for (unsigned int ring = 0; ring < rings + 3 && (ring < rings || patch.size() < min_size); ++ring)
      {
        auto grown = patch;
        for (const auto u : patch)
          for (const auto f : surface.of_vertex.at(u))
            grown.insert(surface.facets[f].vertex_dof.begin(), surface.facets[f].vertex_dof.end());
        patch.swap(grown);
      }
    return {patch.begin(), patch.end()};
  }

  // Weights w_u of the patch fit at the vertex `origin` (unit outward normal `normal`):
  // fit = sum_u w_u sigma_u over the patch vertices u, sigma_u the lumped P1 values
  // integral(sigma hat_u) / integral(hat_u). The fit is the value at the vertex of the
  // quadratic q (in tangent-plane coordinates there) whose lumped values <q>_u best match
  // sigma_u in least squares. Matching lumped values, not point values, makes it exact for a
  // quadratic sigma (up to the faces' projection on the tangent plane): the lumping's own
  // smoothing, which flattens true peaks by O(h^2), is undone too. Constants give <1>_u = 1
  // exactly, so a uniform sigma is reproduced exactly (sum_u w_u = 1). Empty if degenerate.
  std::vector<std::pair<types::global_dof_index, double>>
  patch_fit_weights(const std::vector<types::global_dof_index> &patch, const Point<3> &origin,
                    const Tensor<1, 3> &normal, const SphereFacets &surface)
  {
    const auto &facets    = surface.facets;
    const auto &facets_of = surface.of_vertex;
    // Tangent frame at the vertex, lengths scaled by the patch size (conditioning).
    Tensor<1, 3> helper;
    helper[std::abs(normal[0]) < 0.6 ? 0 : 1] = 1;
    Tensor<1, 3> e1 = cross_product_3d(normal, helper);
    e1 /= e1.norm();
    const Tensor<1, 3> e2 = cross_product_3d(normal, e1);
    double h = 0;
    for (const auto u : patch)
      for (const auto f : facets_of.at(u))
        for (const auto &x : facets[f].vertex)
          h = std::max(h, (x - origin).norm());
    const QGaussSimplex<2> quadrature(3); // exact for q lambda_u (cubic)
    const unsigned int n = n_monomials;
    FullMatrix<double> B(patch.size(), n);
    for (std::size_t r = 0; r < patch.size(); ++r)
      {
        double mass = 0;
        for (const auto f : facets_of.at(patch[r]))
          {
            const auto &facet = facets[f];
            const unsigned int me = static_cast<unsigned int>(
              std::find(facet.vertex_dof.begin(), facet.vertex_dof.end(), patch[r]) - facet.vertex_dof.begin());
            mass += facet.area / 3;
            for (unsigned int q = 0; q < quadrature.size(); ++q)
              {
                const Point<2> &xi = quadrature.point(q);
                const std::array<double, 3> lambda = {1 - xi[0] - xi[1], xi[0], xi[1]};
                Tensor<1, 3> x;
                for (unsigned int k = 0; k < 3; ++k)
                  x += lambda[k] * (facet.vertex[k] - origin);
                // quadrature weights sum to 1/2: 2 w_q is the fraction of the face
                const auto m = monomials(x * e1 / h, x * e2 / h);
                for (unsigned int k = 0; k < n; ++k)
                  B(r, k) += facet.area * 2 * quadrature.weight(q) * lambda[me] * m[k];
              }
          }
        for (unsigned int k = 0; k < n; ++k)
          B(r, k) /= mass;
      }
    // Normal equations: fit = e_0^T (B^T B)^-1 B^T sigma, so w = B (B^T B)^-1 e_0.
    FullMatrix<double> G(n, n);
    B.Tmmult(G, B);
    G.gauss_jordan();
    std::vector<std::pair<types::global_dof_index, double>> weights;
    double sum = 0;
    for (std::size_t r = 0; r < patch.size(); ++r)
      {
        double w = 0;
        for (unsigned int k = 0; k < n; ++k)
          w += B(r, k) * G(k, 0);
        weights.emplace_back(patch[r], w);
        sum += w;
      }
    if (!std::isfinite(sum) || std::abs(sum - 1) > 1e-8)
      return {}; // degenerate patch: the caller keeps the lumped value
    return weights;
  }
} // namespace mpstream::solver
