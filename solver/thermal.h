#pragma once
// Transient nonlinear heat conduction in one tungsten sphere (deal.II inside thermal.cc; this
// header is plain C++ so that callers compile fast).
//
//   dH(T)/dt = div(k(T) grad T) + q(x)          in the sphere (q only while in the focal spot)
//   -k dT/dn = f(T)  (radiation + optional linear loss)  on its surface
//
// Enthalpy form, backward Euler: the discrete energy balance holds to the Newton tolerance at
// every step, whatever the latent-heat smoothing. Newton with the exact Jacobian; adaptive steps
// from a predictor-corrector estimate of the local error (max norm, kelvin).
#include "solver/heat_source.h"
#include "solver/thermal_material.h"

#include <array>
#include <memory>
#include <vector>

namespace mpstream::solver
{
  struct ThermalSettings
  {
    double sphere_radius_m        = 2.5e-6;
    double initial_temperature_K  = 1073.15;
    double heating_time_s         = 4.5e-6;  // dwell W_CS / v_muP
    double relaxation_time_s      = 0.0;     // after exit, source off: measures equalisation
    unsigned refinements          = 1;       // global refinements of hyper_ball_balanced
    unsigned fe_degree            = 2;
    double initial_time_step_s    = 1e-10;
    double minimum_time_step_s    = 1e-15;
    double maximum_time_step_s    = 2e-7;
    double time_error_tolerance_K = 0.5;     // local error per step, max norm
    unsigned max_newton_iterations = 30;
    double newton_tolerance_K     = 1e-6;    // max-norm of the Newton update
    bool   reuse_jacobian         = true;    // modified Newton while it converges fast
    double equalization_fraction  = 0.01;    // spread falls to this fraction of its exit value
    // > 0: scale q so that its integral over the discrete sphere is exactly this power [W]
    // (a cell-wise MC grid is integrated only approximately by the FE quadrature near the surface).
    double source_power_W         = 0.0;
    std::vector<std::array<double, 3>> probes; // points (sphere-centred) recorded each step

    void validate() const; // InputError naming the parameter
  };

  struct ThermalSample
  {
    double time_s, max_K, min_K, mean_K, liquid_fraction;
    std::vector<double> probes_K;
  };

  struct ThermalResult
  {
    // At the focal-spot exit (t = heating_time):
    double exit_peak_temperature_K, exit_mean_temperature_K, exit_min_temperature_K;
    double exit_liquid_fraction;
    double peak_temperature_K;        // max over space and the whole simulated time
    double max_liquid_fraction;
    // Post-exit relaxation: time until max - min <= fraction * (value at exit); NaN if not reached.
    double equalization_time_s;
    // Energy balance over the run: stored + radiated = deposited.
    double deposited_energy_J, stored_energy_J, surface_loss_J, energy_balance_relative_error;
    double volume_m3;
    unsigned n_cells, n_dofs, n_steps, n_rejected_steps, n_newton_iterations;
    std::vector<ThermalSample> history;
  };

  // Mesh, finite element, sparsity pattern and the shape functions at every quadrature point of
  // one sphere (radius, refinements, degree of the settings), built once and then only read:
  // the spheres of a stream share it, and so do the threads solving them.
  class SphereDiscretization
  {
  public:
    explicit SphereDiscretization(const ThermalSettings &settings);
    ~SphereDiscretization();
    SphereDiscretization(const SphereDiscretization &) = delete;
    SphereDiscretization &operator=(const SphereDiscretization &) = delete;

    // One transient on this mesh; settings must have the radius, refinements and degree the
    // mesh was built with (InputError otherwise). Const and thread safe: all solve state is local.
    // Throws RuntimeFailure if Newton fails at the minimum time step.
    ThermalResult solve(const ThermalSettings &settings, const ThermalMaterial &material,
                        const PowerDensity &q) const;
    unsigned n_cells() const;
    unsigned n_dofs() const;

    struct Data; // deal.II objects, defined in thermal.cc

  private:
    std::unique_ptr<const Data> data_;
  };

  // Builds a SphereDiscretization and solves once. Throws RuntimeFailure if Newton fails at the
  // minimum time step (iterations and residual in the message).
  ThermalResult solve_sphere_transient(const ThermalSettings &settings,
                                       const ThermalMaterial &material, const PowerDensity &q);
} // namespace mpstream::solver
