#pragma once
// Private to solver/electrostatics*.cc: the cell operator of a straight (affine) tetrahedron
// from integrals on the reference cell, computed once. Far from the spheres every cell of the
// curved geometry is straight (its P2 position nodes are the affine ones), and there the
// general path (FEValues on MappingFEField: the mapping's shape functions, Jacobians and
// inverse per quadrature point) dominated the assembly: 1.66 s before, 1.0-1.1 s after on the
// one-sphere benchmark (doc/performance.md, "Small problems"; the rest is mostly the insertion
// into PETSc). Same integrals, exact for both: the results agree to round-off.
#include <deal.II/base/point.h>
#include <deal.II/base/quadrature.h>
#include <deal.II/fe/fe.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/vector.h>

#include <array>

namespace mpstream::solver
{
  class StraightCellOperator
  {
  public:
    // fe: a simplex element on the reference tetrahedron (0,0,0), e_x, e_y, e_z; quadrature
    // exact for the products of its gradients and for its shape functions.
    StraightCellOperator(const dealii::FiniteElement<3> &fe, const dealii::Quadrature<3> &quadrature);

    // coefficient (grad phi_i, grad phi_j) and (1, phi_i) on the tetrahedron with these vertices
    // (deal.II's vertex order: the affine map x = v0 + J xi, J = [v1 - v0, v2 - v0, v3 - v0]).
    void compute(const std::array<dealii::Point<3>, 4> &vertices, double coefficient,
                 dealii::FullMatrix<double> &cell_matrix, dealii::Vector<double> &cell_load) const;

  private:
    unsigned int n;
    // gradient_products[a][b](i, j) = integral over the reference cell of d_a phi_i d_b phi_j.
    std::array<std::array<dealii::FullMatrix<double>, 3>, 3> gradient_products;
    dealii::Vector<double> value_integrals; // integral of phi_i over the reference cell
  };
} // namespace mpstream::solver
