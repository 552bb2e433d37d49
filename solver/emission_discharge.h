#pragma once
// Field-emission discharge while the spheres cross the focal spot, "Murphy-Good" model:
//   dQ_i/dt = I_beam,i + I_em,i(Q),   I_em,i = integral over sphere i of J(F(x), T_i, phi) dA
// (electrons leave where E.n < 0: F = -E.n; I_em >= 0 adds positive charge). The field on the
// surface is F(x) = F_i(Q) * shape_i(x): F_i(Q) is the linear response at the sphere's
// reference (max-field) point, shape_i the field pattern over the surface normalised to that
// point, taken from the last full solve (the caller re-samples it and repeats until the state
// stops changing). J is steep (~F^25), so the system is stiff: backward Euler with Newton on
// the N x N system, backtracking on the residual. Backward Euler conserves charge exactly:
// Q_end = I_beam t_dwell + emitted charge, step by step.
// Plain C++.
#include "solver/field_cap.h"

#include <cstddef>
#include <vector>

namespace mpstream::solver
{
  // Sampled surface of one sphere: field relative to the reference point, and area weights.
  struct EmissionSurface
  {
    std::vector<double> shape;   // F(x_k) / F_ref (<= 0: no emission there)
    std::vector<double> area_m2; // area represented by x_k; sums to the sphere's area
  };

  struct EmissionSettings
  {
    double work_function_eV = 4.5;
    std::vector<double> temperature_K; // per sphere; empty: 0 K (cold Murphy-Good)
    unsigned int time_steps = 400;     // uniform backward-Euler steps over the dwell
    unsigned int max_newton = 60;
    double newton_tolerance = 1e-10;   // on |R| relative to the largest |I_beam| dt
  };

  struct EmissionResult
  {
    std::vector<double> charges;            // C at the focal-spot exit
    std::vector<double> emitted_charge;     // C, integral of I_em over the dwell (>= 0)
    std::vector<double> deposited_charge;   // C, I_beam t_dwell
    std::vector<double> emission_current;   // A at the exit
    std::vector<double> reference_field;    // V/m, F_i at the exit
    unsigned int newton_iterations = 0;     // total
    unsigned int max_newton_per_step = 0;
  };

  // Emission current of one sphere at reference field F_ref (A); clamps F below the barrier-
  // free field 0.95 phi^2 / c_S^2 (where the Murphy-Good form ends; such a state is far from
  // any solution and only met by Newton trial points).
  double sphere_emission_current_A(const EmissionSurface &surface, double reference_field_V_per_m,
                                   double work_function_eV, double temperature_K);

  EmissionResult integrate_emission_discharge(const LinearFieldModel &model,
                                              const std::vector<double> &beam_currents_A, double dwell_time_s,
                                              const std::vector<EmissionSurface> &surfaces,
                                              const EmissionSettings &settings,
                                              std::vector<double> initial_charges = {});
} // namespace mpstream::solver
