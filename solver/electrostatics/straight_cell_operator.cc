#include "solver/electrostatics/straight_cell_operator.h"

#include <deal.II/base/tensor.h>

namespace mpstream::solver
{
  using namespace dealii;

  StraightCellOperator::StraightCellOperator(const FiniteElement<3> &fe, const Quadrature<3> &quadrature)
    : n(fe.n_dofs_per_cell())
    , value_integrals(fe.n_dofs_per_cell())
  {
    for (auto &row : gradient_products)
      for (auto &m : row)
        m.reinit(n, n);
    for (unsigned int q = 0; q < quadrature.size(); ++q)
      {
        const Point<3> &xi = quadrature.point(q);
        const double w     = quadrature.weight(q);
        for (unsigned int i = 0; i < n; ++i)
          {
            const Tensor<1, 3> gi = fe.shape_grad(i, xi);
            value_integrals(i) += fe.shape_value(i, xi) * w;
            for (unsigned int j = 0; j < n; ++j)
              {
                const Tensor<1, 3> gj = fe.shape_grad(j, xi);
                for (unsigned int a = 0; a < 3; ++a)
                  for (unsigned int b = 0; b < 3; ++b)
                    gradient_products[a][b](i, j) += gi[a] * gj[b] * w;
              }
          }
      }
  }

  void StraightCellOperator::compute(const std::array<Point<3>, 4> &v, const double coefficient,
                                     FullMatrix<double> &cell_matrix, Vector<double> &cell_load) const
  {
    Tensor<2, 3> J; // columns: the edges from vertex 0
    for (unsigned int c = 0; c < 3; ++c)
      for (unsigned int r = 0; r < 3; ++r)
        J[r][c] = v[c + 1][r] - v[0][r];
    const double det        = determinant(J);
    const Tensor<2, 3> Jinv = invert(J);
    // grad phi = J^-T grad_xi phi: (grad phi_i, grad phi_j) = det sum_ab M_ab G_ab(i, j), M = J^-1 J^-T.
    const Tensor<2, 3> M = Jinv * transpose(Jinv);
    for (unsigned int i = 0; i < n; ++i)
      {
        for (unsigned int j = 0; j < n; ++j)
          {
            double sum = 0;
            for (unsigned int a = 0; a < 3; ++a)
              for (unsigned int b = 0; b < 3; ++b)
                sum += M[a][b] * gradient_products[a][b](i, j);
            cell_matrix(i, j) = coefficient * det * sum;
          }
        cell_load(i) = det * value_integrals(i);
      }
  }
} // namespace mpstream::solver
