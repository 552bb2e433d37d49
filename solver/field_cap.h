#pragma once
// Field-emission-limited charge state, "field cap" model: field emission removes charge from a
// sphere only while the field at its surface is at the emission threshold E_cap, so at the
// focal-spot exit every sphere either kept its whole backscatter-only charge Q0_i (field at or
// below the cap) or lost part of it and sits exactly at the cap. With x_i = Q_i / Q0_i (the
// fraction kept; sign never changes, charge is never added) this is a box-constrained linear
// complementarity problem (mixed complementarity, MCP) on the linear field response:
//   g_i(x) = sum_j M_ij x_j + b_i   (emission-direction field at sphere i's max-field point)
//   x_i = 1  and g_i <= cap_i,   or   0 < x_i < 1  and g_i = cap_i,   or  x_i = 0 and g_i >= cap_i.
// The last case means that the neighbours alone push sphere i over the cap: reported as
// infeasible (the sphere cannot fix it by losing its own charge).
// Solved by the primal-dual active-set (semismooth Newton) method on the mid function
// x = mid(0, 1, x - D^-1 (g(x) - cap)), D = diag(M); finite for M-matrices, in practice a few
// iterations here; a cycle or no convergence is a RuntimeFailure with iterations and residual.
// Plain C++; N ~ 100, dense LU.
#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  using DenseMatrix = std::vector<std::vector<double>>;

  // E.n at the reference point of sphere i (n out of the sphere; V/m) = sum_j field_per_charge
  // [i][j] Q_j + field_offset[i].
  struct LinearFieldModel
  {
    DenseMatrix field_per_charge; // V/m per C
    std::vector<double> field_offset; // V/m (electrodes, space charge); empty: zeros
    std::size_t size() const { return field_per_charge.size(); }
    std::vector<double> normal_field(const std::vector<double> &Q) const;
  };

  struct FieldCapResult
  {
    std::vector<double> charges;        // C
    std::vector<double> kept_fraction;  // Q_i / Q0_i (1 where Q0_i = 0)
    std::vector<double> model_field;    // V/m, |E.n| in the emission direction at the reference points
    std::vector<std::size_t> capped;    // spheres that lost charge (0 < x < 1)
    std::vector<std::size_t> infeasible; // x = 0 and still above the cap
    unsigned int iterations = 0;
    double residual         = 0;        // max |Phi(x)| of the mid-function at the end
  };

  // caps: one value per sphere (V/m, > 0). Spheres with Q0_i = 0 keep 0.
  FieldCapResult solve_field_cap(const LinearFieldModel &model, const std::vector<double> &backscatter_charges,
                                 const std::vector<double> &caps, unsigned int max_iterations = 200,
                                 double tolerance = 1e-12);

  // Several constraint points per sphere (the max-|E.n| point moves as the charges change):
  // row k belongs to sphere sphere_of_row[k], E.n there = sum_j field_per_charge[k][j] Q_j +
  // offset[k] (V/m per C, V/m), and must stay within cap[k] (V/m). A sphere's field is the
  // largest of its rows relative to their caps, a nonsmooth (max) function: semismooth
  // Newton, each step the square problem above with the binding rows (largest at the current
  // x) fixed, backtracking on the natural residual max_i |x_i - mid(0, 1, x_i - h_i(x))| (h_i:
  // sphere i's largest relative excess) so the choice of rows cannot cycle. At the end every row of every sphere is within its cap (or the
  // sphere is at x = 0), to 1e-9 relative. RuntimeFailure if a step stops reducing the residual.
  // The table is read in place, never copied: at 1,000 spheres it is points x N doubles (~0.6 GB).
  FieldCapResult solve_field_cap_multipoint(const std::vector<std::size_t> &sphere_of_row,
                                            const DenseMatrix &field_per_charge, const std::vector<double> &offset,
                                            const std::vector<double> &cap,
                                            const std::vector<double> &backscatter_charges,
                                            unsigned int max_steps = 200);

  // Dense LU with partial pivoting (RuntimeFailure if singular); used by the charging models.
  std::vector<double> solve_dense(DenseMatrix A, std::vector<double> b);
} // namespace mpstream::solver
