#pragma once
// The field cap's tables without the N + 1 unit responses: E.n at the surface points per
// sphere charge estimated from a fixed number of "probe" solves (Curtis, Powell & Reid, J. Inst.
// Math. Appl. 13 (1974) 117, for sparse Jacobians), whatever the number of spheres N.
// The spheres are coloured so that no two of one colour are neighbours or share a neighbour
// (neighbours: surfaces within one radius, point_charge_field_model.h), so the closed
// neighbourhood of every sphere meets each colour at most once. One linear solve per colour,
// every sphere of the colour at its backscatter charge Q0_j, gives at a point k of sphere i
//   P_kc = sum_{j in c} A_kj Q0_j       (A: the true E.n per charge, electrodes following Q).
// The near coefficients (i itself and its neighbours: one per colour at most) come from these
// sums after the far part is taken out by the point-charge model G scaled per point:
//   A_kj = (P_kc - s_k sum_{j' in c, j' != j} G_kj' Q0_j') / Q0_j,  A_kj' = s_k G_kj' elsewhere,
// s_k fitted (least squares) to the colours that hold no neighbour of i (1 if there is none).
// The fixed sources (electrodes at their fixed potentials, space charge) follow exactly from
// one full solve of Q0: offset_k = E_k(Q0) - sum_c P_kc. The rows are exact for i and its
// neighbours and approximate (point charges, polarisation factor 3) for the far spheres; a
// sphere's own coefficient, positive by the maximum principle, is kept above 5 % of the
// isolated sphere's where the far part's error would drive the estimate down.
// Plain C++.
#include "solver/field_cap.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  // Greedy distance-2 colouring of the neighbour graph; spheres with charged[i] == false get
  // none (their charge stays zero, their columns are not needed).
  std::vector<std::vector<std::size_t>> probe_colours(const std::vector<std::vector<std::size_t>> &neighbours,
                                                      const std::vector<bool> &charged);

  struct FieldProbes
  {
    std::vector<std::size_t> point_sphere;          // sphere of each point
    DenseMatrix model;                              // G (points x N, V/m per C)
    std::vector<std::vector<std::size_t>> colours;  // probe_colours
    std::vector<std::vector<std::size_t>> neighbours;
    std::vector<double> backscatter_charges;        // Q0 (C)
    DenseMatrix probes;                             // P (points x colours, V/m)
    std::vector<double> full_field;                 // E.n of Q0 with every source (V/m, per point)
  };

  struct ProbedRows
  {
    DenseMatrix rows;           // V/m per C, points x N
    std::vector<double> offset; // V/m, per point
  };
  ProbedRows probed_field_rows(const FieldProbes &probes);
} // namespace mpstream::solver
