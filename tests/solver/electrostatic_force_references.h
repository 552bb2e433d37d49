#pragma once
// Exact references for the electrostatic forces on conducting spheres (SI units, plain C++),
// from the capacitance series of electrostatics_references.h: at fixed charges the force is
// minus the gradient of the electrostatic energy W = (1/2) Q^T P Q (P the potential
// coefficients; Smythe, Static and Dynamic Electricity, 3rd ed., Sects. 2.xx and 5.08; Jackson,
// Classical Electrodynamics, Sect. 1.11). The series are analytic in the positions; their
// derivatives are taken by central differences of relative step 1e-4 (truncation ~1e-8
// relative, round-off ~1e-12: both far below the 1 % the tests ask).
#include "electrostatics_references.h"

#include <array>
#include <cmath>

namespace mpstream::solver::reference
{
  // Charge Q on a sphere (radius R, centre at height d) above a grounded plane: the vertical
  // force (N; negative: towards the plane), F = -d/dd (Q^2 / 2C(d)) = (Q^2 / 2C^2) dC/dd, with
  // C(d) the sphere-plane capacitance series (sphere_above_plane).
  inline double sphere_plane_force(double R, double d, double Q)
  {
    const double h  = 1e-4 * (d - R);
    const double C  = sphere_above_plane(R, d).capacitance;
    const double dC = (sphere_above_plane(R, d + h).capacitance - sphere_above_plane(R, d - h).capacitance) / (2 * h);
    return Q * Q / (2 * C * C) * dC;
  }

  // Energy (J) of charges Q1, Q2 on two equal spheres (radius a) at x1 and x2 on the x axis,
  // with the potential coefficients P = [[C11, C12], [C12, C11]]^-1 of Smythe's series
  // (two_equal_spheres_smythe) plus `extra(x_i, x_j)` (V/C), e.g. the images of a grounded box
  // for point charges at the centres (a correction of order (c/L)^3).
  template <typename Extra>
  double two_sphere_energy(double a, double x1, double x2, double Q1, double Q2, Extra &&extra)
  {
    const auto C    = two_equal_spheres_smythe(a, std::abs(x2 - x1));
    const double det = C[0] * C[0] - C[1] * C[1];
    const double P11 = C[0] / det, P12 = -C[1] / det;
    const double P[2][2] = {{P11 + extra(x1, x1), P12 + extra(x2, x1)}, {P12 + extra(x1, x2), P11 + extra(x2, x2)}};
    return 0.5 * (Q1 * Q1 * P[0][0] + Q1 * Q2 * (P[0][1] + P[1][0]) + Q2 * Q2 * P[1][1]);
  }

  // The x forces on the two spheres {F1, F2} (N): minus the energy's derivative with respect
  // to each sphere's position at fixed charges.
  template <typename Extra>
  std::array<double, 2> two_sphere_forces(double a, double x1, double x2, double Q1, double Q2, Extra &&extra)
  {
    const double h = 1e-4 * (std::abs(x2 - x1) - 2 * a);
    const auto W   = [&](double y1, double y2) { return two_sphere_energy(a, y1, y2, Q1, Q2, extra); };
    return {-(W(x1 + h, x2) - W(x1 - h, x2)) / (2 * h), -(W(x1, x2 + h) - W(x1, x2 - h)) / (2 * h)};
  }
} // namespace mpstream::solver::reference
