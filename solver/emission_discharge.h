#pragma once
// Field-emission discharge while the spheres cross the focal spot, "Murphy-Good" model:
//   dQ_i/dt = I_beam,i + I_em,i(Q),   I_em,i = integral over sphere i of J(F(x), T_i, phi) dA
// (electrons leave where E.n < 0: F = -E.n; I_em >= 0 adds positive charge). The integral is a
// weighted sum over surface points x_k whose field is linear in the charges (PointFieldModel:
// the FE response at each point, by linearity exact at the points). J is steep (~F^25), so the
// system is stiff: backward Euler with Newton on the N x N system, backtracking on the
// residual. Backward Euler conserves charge exactly: Q_end = I_beam t_dwell + emitted charge,
// step by step.
// An earlier form scaled one reference point's response by a surface "shape" from the last
// full solve; the shape was normalised by a field that nearly vanishes on weakly charged
// spheres and the re-sampling oscillated on coarse meshes (doc/charging.md). It survives only
// as the uniform-sphere special case (EmissionSurface) used by the unit tests.
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

  // E.n at surface points (n out of the sphere; V/m) = sum_j field_per_charge[k][j] Q_j + offset[k].
  struct PointFieldModel
  {
    std::size_t n_spheres = 0;
    std::vector<std::size_t> sphere;   // owner of point k
    DenseMatrix field_per_charge;      // V/m per C, one row per point
    std::vector<double> offset;        // V/m (electrodes at fixed potentials); empty: zeros
    std::vector<double> area_m2;       // emitting area represented by point k
  };

  // The current density law at a surface point:
  //  - murphy_good: emission_current_density() of field_emission.h (cold Murphy-Good / Richardson-
  //    Schottky, the larger), at the accelerating field max(F, 0);
  //  - thermal_field: the general thermal-field integral of thermal_field_emission.h from cold
  //    field emission to thermionic emission. Where the surface field retards electrons
  //    (F = -E.n < 0) they leave only over the retarding potential, estimated as |F| r (r the
  //    sphere radius; exact for a charged sphere in free space, where E = V / r): J(0, T)
  //    exp(-e |F| r / k T). So a sphere in beam and thermionic balance floats a few k T / e
  //    positive, and a point facing a more negative neighbour (|F| r ~ kV) emits nothing.
  enum class EmissionLaw
  {
    murphy_good,
    thermal_field
  };

  struct EmissionSettings
  {
    EmissionLaw law = EmissionLaw::murphy_good;
    double work_function_eV = 4.5;
    std::vector<double> temperature_K; // per sphere; empty: 0 K (cold Murphy-Good)
    // Per sphere, temperatures at equally spaced times from the focal-spot entry (first) to the
    // exit (last), >= 2 samples, linear in between; when set it replaces temperature_K.
    std::vector<std::vector<double>> temperature_history_K;
    std::vector<double> sphere_radius_m; // per sphere (thermal_field law: retarding potential)
    unsigned int time_steps = 400;     // uniform backward-Euler steps over the dwell
    unsigned int max_newton = 60;
    double newton_tolerance = 1e-10;   // on |R| relative to the largest |I_beam| dt
    bool record_history = false;       // keep every step's charges, currents, fields (EmissionResult::history)
  };

  // The state at the end of one time step (EmissionSettings::record_history).
  struct EmissionStep
  {
    double time_s = 0;
    std::vector<double> charges_C, emission_current_A, emission_field_V_per_m, temperature_K; // per sphere
  };

  struct EmissionResult
  {
    std::vector<double> charges;            // C at the focal-spot exit
    std::vector<double> emitted_charge;     // C, integral of I_em over the dwell (>= 0)
    std::vector<double> deposited_charge;   // C, I_beam t_dwell
    std::vector<double> emission_current;   // A at the exit
    std::vector<double> reference_field;    // V/m at the exit: largest F = -E.n over the sphere's points
                                            // (reference-point form: F at the reference point)
    unsigned int newton_iterations = 0;     // total
    unsigned int max_newton_per_step = 0;
    std::vector<EmissionStep> history;      // the entry state (t = 0) and every step, if recorded
  };

  // Emission current of one sphere at reference field F_ref (A); clamps F below the barrier-
  // free field 0.95 phi^2 / c_S^2 (where the Murphy-Good form ends; such a state is far from
  // any solution and only met by Newton trial points).
  double sphere_emission_current_A(const EmissionSurface &surface, double reference_field_V_per_m,
                                   double work_function_eV, double temperature_K);

  EmissionResult integrate_emission_discharge(const PointFieldModel &model, const std::vector<double> &beam_currents_A,
                                              double dwell_time_s, const EmissionSettings &settings,
                                              std::vector<double> initial_charges = {});

  // Reference-point model with a fixed surface shape: point (i, k) has field
  // shape_i[k] * (reference field of sphere i); converted to a PointFieldModel.
  EmissionResult integrate_emission_discharge(const LinearFieldModel &model,
                                              const std::vector<double> &beam_currents_A, double dwell_time_s,
                                              const std::vector<EmissionSurface> &surfaces,
                                              const EmissionSettings &settings,
                                              std::vector<double> initial_charges = {});
} // namespace mpstream::solver
