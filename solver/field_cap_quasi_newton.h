#pragma once
// The field-cap state (field_cap.h states the complementarity problem) without the N + 1 unit
// responses: a multisecant quasi-Newton iteration on full field solves. The number of field
// solves depends on the iterations, not on the number of spheres; doc/charging.md ("Field cap
// without responses") has the measurements.
//
// Unknowns: the kept fractions x_i = Q_i / Q0_i in [0, 1]; the function: dev_i(x) = F_i / cap - 1,
// F_i the field of sphere i in its emission direction at its peak (one full solve). Iteration:
//  1. a model dev(x) ~ dev(x_k) + B_k (x - x_k), exact at the iterate;
//  2. x_{k+1} = the model's complementarity problem solved exactly (solve_field_cap, dense);
//  3. one full solve at x_{k+1}; its secant pair (x_{k+1} - x_k, dev_{k+1} - dev_k) enters B.
// B_k = B0 + (Y - B0 S)(S^T S)^-1 S^T (S, Y: the last `memory` steps and their changes of dev,
// the multisecant ("type I") update: B_k maps every stored step exactly onto its change; Fang &
// Saad, Numer. Linear Algebra Appl. 16 (2009) 197), so along the directions the iteration has
// explored the model is the field itself and the fixed point of the iteration is the FE state.
// B0: the approximate dE.n/dQ of FieldCapProblem (a point-charge model), each row scaled so that
// B0 1 reproduces the full solve at x = 1 (the fields are homogeneous in the charges up to the
// fixed electrode potentials and space charge: exact at x = 1 and near x = 0).
// Converged when every sphere with 0 < x_i < 1 has |dev_i| <= tolerance, every sphere at x = 1
// dev_i <= tolerance and every sphere at x = 0 dev_i >= -tolerance (at zero charge and still
// above the cap: infeasible, reported as in field_cap.h).
#include "solver/field_cap.h"

#include <array>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace mpstream::solver
{
  using PeakPoint = std::array<double, 3>;

  struct EmissionPeaks
  {
    std::vector<double> field_V_per_m; // per sphere, emission-direction field at its peak
    std::vector<PeakPoint> location;   // m, on the sphere's surface
  };

  class FieldCapProblem
  {
  public:
    virtual ~FieldCapProblem() = default;
    // Full solve of charges Q (C) with every source: the peaks of every sphere.
    virtual EmissionPeaks peaks(const std::vector<double> &Q) = 0;
    // Approximate dE.n(points[i])/dQ_j (V/m per C, n out of sphere i), N x N: the initial model.
    virtual DenseMatrix approximate_field_per_charge(const std::vector<PeakPoint> &points) const = 0;
  };

  struct QuasiNewtonSettings
  {
    double cap_V_per_m       = 1e9;
    double tolerance         = 0.05; // relative deviation from the cap (ChargingSettings::cap_tolerance)
    unsigned int max_solves  = 60;   // full field solves
    unsigned int memory      = 20;   // secant pairs kept
  };

  struct QuasiNewtonResult
  {
    std::vector<double> charges;         // C
    std::vector<double> kept_fraction;   // Q_i / Q0_i (1 where Q0_i = 0)
    std::vector<double> deviation;       // F_i / cap - 1 at the end (full solve)
    std::vector<std::size_t> capped;     // 0 < x < 1
    std::vector<std::size_t> infeasible; // x = 0 and still above the cap
    unsigned int field_solves = 0;
    double worst_deviation    = 0;       // the convergence measure at the end
  };

  // Progress after every field solve: a line for the log.
  using QuasiNewtonLog = std::function<void(const std::string &)>;

  // RuntimeFailure with the last numbers if not converged within max_solves.
  QuasiNewtonResult solve_field_cap_quasi_newton(FieldCapProblem &problem, const std::vector<double> &backscatter_charges,
                                                 const QuasiNewtonSettings &settings, const QuasiNewtonLog &log = {});
} // namespace mpstream::solver
