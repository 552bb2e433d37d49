#pragma once
// The patch fit of the surface charge density sigma at a sphere vertex, from the lumped P1
// values of the vertices around it (Electrostatics' surface recovery, surface_recovery.cc).
// Geometry only: it sees the sphere faces as every rank knows them, not the FE spaces.
#include <deal.II/base/point.h>
#include <deal.II/base/tensor.h>
#include <deal.II/base/types.h>

#include <array>
#include <cstddef>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mpstream::solver
{
  // A sphere face as every rank knows it (Impl::gather_sphere_facets): enough for patch fits.
  struct SphereFacet
  {
    unsigned int sphere;
    std::array<dealii::types::global_dof_index, 3> vertex_dof;
    std::array<dealii::Point<3>, 3> vertex; // straight (Gmsh) vertices, on the sphere
    double area;                            // m^2, of the curved face
  };

  struct SphereFacets
  {
    std::vector<SphereFacet> facets;
    std::unordered_map<dealii::types::global_dof_index, std::vector<std::size_t>> of_vertex; // facet indices
  };

  // The fit is quadratic in tangent-plane coordinates: 6 monomials. A linear fit flattens peaks
  // (sphere-plane bottom field -1.6 % instead of -0.13 % at the default mesh).
  constexpr unsigned int n_monomials = 6;

  // The vertices within `rings` edge-connected rings of v, with further rings (up to 3) while
  // fewer than min_size: a fit needs more conditions than unknowns to average anything.
  std::vector<dealii::types::global_dof_index> vertex_patch(dealii::types::global_dof_index v, unsigned int rings,
                                                            std::size_t min_size, const SphereFacets &surface);

  // Weights w_u of the patch fit at the vertex `origin` (unit outward normal `normal`):
  // fit = sum_u w_u sigma_u over the patch vertices u (see the .cc). Empty if degenerate.
  std::vector<std::pair<dealii::types::global_dof_index, double>>
  patch_fit_weights(const std::vector<dealii::types::global_dof_index> &patch, const dealii::Point<3> &origin,
                    const dealii::Tensor<1, 3> &normal, const SphereFacets &surface);
} // namespace mpstream::solver
