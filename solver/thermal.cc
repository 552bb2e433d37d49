// deal.II implementation of solve_sphere_transient() (see thermal.h). One serial sphere: a
// 5 um sphere needs a few thousand Q2 unknowns, so MPI would only add latency; spheres of a
// stream are independent in this model and can be distributed over ranks by the caller.
#include "solver/thermal.h"

#include "common/constants.h"
#include "common/error.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_q.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_q.h>
#include <deal.II/grid/grid_generator.h>
#include <deal.II/grid/tria.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/solver_gmres.h>
#include <deal.II/lac/sparse_direct.h>
#include <deal.II/lac/sparse_ilu.h>
#include <deal.II/lac/sparse_matrix.h>
#include <deal.II/lac/sparsity_pattern.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/vector_tools.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <sstream>

namespace mpstream::solver
{
  using namespace dealii;

  void ThermalSettings::validate() const
  {
    const auto fail = [](const char *name, double v, const char *allowed) {
      std::ostringstream msg;
      msg << "Thermal: parameter '" << name << "' = " << v << " is invalid; allowed: " << allowed;
      throw InputError(msg.str());
    };
    if (!(sphere_radius_m > 0.0 && sphere_radius_m < 1e-3))
      fail("Sphere radius [m]", sphere_radius_m, "(0, 1e-3)");
    if (!(initial_temperature_K > 0.0))
      fail("Entry temperature [K]", initial_temperature_K, "> 0");
    if (!(heating_time_s > 0.0))
      fail("Heating time [s]", heating_time_s, "> 0");
    if (!(relaxation_time_s >= 0.0))
      fail("Relaxation time [s]", relaxation_time_s, ">= 0");
    if (refinements > 5)
      fail("Global refinements", refinements, "0..5");
    if (fe_degree < 1 || fe_degree > 4)
      fail("Finite element degree", fe_degree, "1..4");
    if (!(minimum_time_step_s > 0.0 && initial_time_step_s >= minimum_time_step_s &&
          maximum_time_step_s >= initial_time_step_s))
      fail("Initial time step [s]", initial_time_step_s,
           "minimum <= initial <= maximum time step, all > 0");
    if (!(time_error_tolerance_K > 0.0))
      fail("Time error tolerance [K]", time_error_tolerance_K, "> 0");
    if (!(newton_tolerance_K > 0.0) || max_newton_iterations < 1)
      fail("Newton tolerance [K]", newton_tolerance_K, "> 0 with >= 1 iteration");
    if (!(source_power_W >= 0.0))
      fail("Source power [W]", source_power_W, ">= 0 (0: use q as given)");
    if (!(equalization_fraction > 0.0 && equalization_fraction < 1.0))
      fail("Equalization fraction", equalization_fraction, "(0, 1)");
  }

  namespace
  {
    constexpr int dim = 3;

    struct NewtonFailure
    {
      unsigned iterations;
      double update_norm;
    };

    class SphereHeatProblem
    {
    public:
      SphereHeatProblem(const ThermalSettings &s, const ThermalMaterial &m, const PowerDensity &q);
      ThermalResult run();

    private:
      void setup_system();
      void precompute_source();
      void assemble_newton_system(const Vector<double> &T, const Vector<double> &T_old, double dt,
                                  bool source_on);
      // Solves one implicit step in place (T holds the initial guess); throws NewtonFailure.
      unsigned solve_step(Vector<double> &T, const Vector<double> &T_old, double dt, bool source_on);
      void   solve_linear_system(Vector<double> &update);
      double integrate_enthalpy(const Vector<double> &T) const;
      double integrate_surface_flux(const Vector<double> &T) const;
      ThermalSample sample(double t, const Vector<double> &T) const;

      const ThermalSettings &settings;
      const ThermalMaterial &material;
      const PowerDensity &source;

      Triangulation<dim> triangulation;
      const MappingQ<dim> mapping;
      const FE_Q<dim>     fe;
      DoFHandler<dim>     dof_handler;
      const QGauss<dim>     quadrature;
      const QGauss<dim - 1> face_quadrature;
      SparsityPattern       sparsity_pattern;
      SparseMatrix<double>  jacobian;
      Vector<double>        residual;
      std::vector<double>   q_at_quadrature; // W/m^3, cell-major
      double                total_source_power = 0.0; // W
      double                volume             = 0.0; // m^3
    };

    SphereHeatProblem::SphereHeatProblem(const ThermalSettings &s, const ThermalMaterial &m,
                                         const PowerDensity &q)
      : settings(s)
      , material(m)
      , source(q)
      , mapping(s.fe_degree)
      , fe(s.fe_degree)
      , dof_handler(triangulation)
      , quadrature(s.fe_degree + 1)
      , face_quadrature(s.fe_degree + 1)
    {}

    void SphereHeatProblem::setup_system()
    {
      // hyper_ball_balanced attaches a spherical manifold to the shell and a transfinite one
      // inside, so refinement and MappingQ(2) follow the true sphere.
      GridGenerator::hyper_ball_balanced(triangulation, Point<dim>(), settings.sphere_radius_m);
      triangulation.refine_global(settings.refinements);
      dof_handler.distribute_dofs(fe);
      DynamicSparsityPattern dsp(dof_handler.n_dofs());
      DoFTools::make_sparsity_pattern(dof_handler, dsp);
      sparsity_pattern.copy_from(dsp);
      jacobian.reinit(sparsity_pattern);
      residual.reinit(dof_handler.n_dofs());
    }

    void SphereHeatProblem::precompute_source()
    {
      FEValues<dim> fe_values(mapping, fe, quadrature, update_quadrature_points | update_JxW_values);
      q_at_quadrature.clear();
      total_source_power = volume = 0.0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          fe_values.reinit(cell);
          for (unsigned int k = 0; k < quadrature.size(); ++k)
            {
              const Point<dim> &x = fe_values.quadrature_point(k);
              const double      q = source({{x[0], x[1], x[2]}});
              q_at_quadrature.push_back(q);
              total_source_power += q * fe_values.JxW(k);
              volume += fe_values.JxW(k);
            }
        }
      if (settings.source_power_W > 0.0)
        {
          if (!(total_source_power > 0.0))
            throw InputError("Thermal: the heat source integrates to " + std::to_string(total_source_power) +
                             " W over the sphere; cannot scale it to 'source power'");
          const double scale = settings.source_power_W / total_source_power;
          for (double &q : q_at_quadrature)
            q *= scale;
          total_source_power = settings.source_power_W;
        }
    }

    // Residual R(T) = int [(H(T) - H(T_old))/dt phi + k(T) grad T . grad phi - q phi] dV
    //               + int_surface f(T) phi dA,   and its exact Jacobian dR/dT.
    void SphereHeatProblem::assemble_newton_system(const Vector<double> &T,
                                                   const Vector<double> &T_old, double dt,
                                                   bool source_on)
    {
      jacobian = 0;
      residual = 0;
      FEValues<dim>     fe_values(mapping, fe, quadrature,
                              update_values | update_gradients | update_JxW_values);
      FEFaceValues<dim> fe_face_values(mapping, fe, face_quadrature, update_values | update_JxW_values);
      const unsigned int n_dofs = fe.n_dofs_per_cell(), n_q = quadrature.size();
      FullMatrix<double> cell_matrix(n_dofs, n_dofs);
      Vector<double>     cell_residual(n_dofs);
      std::vector<types::global_dof_index> dof_indices(n_dofs);
      std::vector<double>         T_q(n_q), T_old_q(n_q), T_f(face_quadrature.size());
      std::vector<Tensor<1, dim>> grad_T_q(n_q), grad_phi(n_dofs);
      std::vector<double>         phi(n_dofs);

      std::size_t q_index = 0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          fe_values.reinit(cell);
          cell_matrix   = 0;
          cell_residual = 0;
          fe_values.get_function_values(T, T_q);
          fe_values.get_function_values(T_old, T_old_q);
          fe_values.get_function_gradients(T, grad_T_q);
          for (unsigned int k = 0; k < n_q; ++k, ++q_index)
            {
              const double dH    = (material.enthalpy(T_q[k]) - material.enthalpy(T_old_q[k])) / dt;
              const double C     = material.heat_capacity(T_q[k]) / dt;
              const double kc    = material.conductivity(T_q[k]);
              const double dk    = material.conductivity_derivative(T_q[k]);
              const double q     = source_on ? q_at_quadrature[q_index] : 0.0;
              const double JxW   = fe_values.JxW(k);
              for (unsigned int i = 0; i < n_dofs; ++i) // local copies: faster inner loop
                {
                  phi[i]    = fe_values.shape_value(i, k);
                  grad_phi[i] = fe_values.shape_grad(i, k);
                }
              for (unsigned int i = 0; i < n_dofs; ++i)
                {
                  const double gT_gi = grad_T_q[k] * grad_phi[i];
                  cell_residual(i) += ((dH - q) * phi[i] + kc * gT_gi) * JxW;
                  const double a = C * phi[i] * JxW, b = dk * gT_gi * JxW;
                  const Tensor<1, dim> kg = kc * JxW * grad_phi[i];
                  for (unsigned int j = 0; j < n_dofs; ++j)
                    cell_matrix(i, j) += (a + b) * phi[j] + kg * grad_phi[j];
                }
            }
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              {
                fe_face_values.reinit(cell, f);
                fe_face_values.get_function_values(T, T_f);
                for (unsigned int k = 0; k < face_quadrature.size(); ++k)
                  {
                    const double flux = material.surface_flux(T_f[k]);
                    const double dflux = material.surface_flux_derivative(T_f[k]);
                    const double JxW  = fe_face_values.JxW(k);
                    for (unsigned int i = 0; i < n_dofs; ++i)
                      {
                        const double phi_i = fe_face_values.shape_value(i, k);
                        cell_residual(i) += flux * phi_i * JxW;
                        for (unsigned int j = 0; j < n_dofs; ++j)
                          cell_matrix(i, j) += dflux * phi_i * fe_face_values.shape_value(j, k) * JxW;
                      }
                  }
              }
          cell->get_dof_indices(dof_indices);
          residual.add(dof_indices, cell_residual);
          jacobian.add(dof_indices, cell_matrix);
        }
    }

    unsigned SphereHeatProblem::solve_step(Vector<double> &T, const Vector<double> &T_old,
                                           double dt, bool source_on)
    {
      Vector<double> update(T.size());
      double         update_norm = std::numeric_limits<double>::infinity();
      for (unsigned it = 1; it <= settings.max_newton_iterations; ++it)
        {
          try
            {
              assemble_newton_system(T, T_old, dt, source_on);
            }
          catch (const InputError &) // an iterate left the range of the property laws
            {
              throw NewtonFailure{it, update_norm};
            }
          residual *= -1.0;
          solve_linear_system(update);
          T += update;
          update_norm = update.linfty_norm();
          if (!std::isfinite(update_norm))
            throw NewtonFailure{it, update_norm};
          if (update_norm <= settings.newton_tolerance_K)
            return it;
        }
      throw NewtonFailure{settings.max_newton_iterations, update_norm};
    }

    // GMRES with ILU(0): the Jacobian is nonsymmetric (k'(T) term) but mass-dominated at the
    // step sizes used, so this converges in a few dozen iterations; a direct solve is the fallback.
    void SphereHeatProblem::solve_linear_system(Vector<double> &update)
    {
      update = 0;
      SolverControl control(500, 1e-12 * residual.l2_norm(), false, false);
      try
        {
          SparseILU<double> ilu;
          ilu.initialize(jacobian);
          SolverGMRES<Vector<double>> gmres(control, SolverGMRES<Vector<double>>::AdditionalData(60));
          gmres.solve(jacobian, update, residual, ilu);
        }
      catch (const SolverControl::NoConvergence &)
        {
          SparseDirectUMFPACK direct;
          direct.initialize(jacobian);
          direct.vmult(update, residual);
        }
    }

    double SphereHeatProblem::integrate_enthalpy(const Vector<double> &T) const
    {
      FEValues<dim>       fe_values(mapping, fe, quadrature, update_values | update_JxW_values);
      std::vector<double> T_q(quadrature.size());
      double              E = 0.0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(T, T_q);
          for (unsigned int k = 0; k < quadrature.size(); ++k)
            E += material.enthalpy(T_q[k]) * fe_values.JxW(k);
        }
      return E;
    }

    double SphereHeatProblem::integrate_surface_flux(const Vector<double> &T) const
    {
      FEFaceValues<dim> fe_face_values(mapping, fe, face_quadrature, update_values | update_JxW_values);
      std::vector<double> T_f(face_quadrature.size());
      double              P = 0.0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              fe_face_values.reinit(cell, f);
              fe_face_values.get_function_values(T, T_f);
              for (unsigned int k = 0; k < face_quadrature.size(); ++k)
                P += material.surface_flux(T_f[k]) * fe_face_values.JxW(k);
            }
      return P;
    }

    ThermalSample SphereHeatProblem::sample(double t, const Vector<double> &T) const
    {
      FEValues<dim>       fe_values(mapping, fe, quadrature, update_values | update_JxW_values);
      std::vector<double> T_q(quadrature.size());
      double              mean = 0.0, liquid = 0.0;
      for (const auto &cell : dof_handler.active_cell_iterators())
        {
          fe_values.reinit(cell);
          fe_values.get_function_values(T, T_q);
          for (unsigned int k = 0; k < quadrature.size(); ++k)
            {
              mean += T_q[k] * fe_values.JxW(k);
              liquid += material.liquid_fraction(T_q[k]) * fe_values.JxW(k);
            }
        }
      ThermalSample s{t, *std::max_element(T.begin(), T.end()), *std::min_element(T.begin(), T.end()),
                      mean / volume, liquid / volume, {}};
      for (const auto &p : settings.probes)
        s.probes_K.push_back(VectorTools::point_value(mapping, dof_handler, T, Point<dim>(p[0], p[1], p[2])));
      return s;
    }

    ThermalResult SphereHeatProblem::run()
    {
      setup_system();
      precompute_source();

      ThermalResult r{};
      r.n_cells = triangulation.n_active_cells();
      r.n_dofs  = dof_handler.n_dofs();
      r.volume_m3 = volume;

      Vector<double> T(dof_handler.n_dofs()), T_old(T.size()), T_older(T.size()), T_pred(T.size());
      T = settings.initial_temperature_K;
      const double E0 = integrate_enthalpy(T);
      r.history.push_back(sample(0.0, T));

      const double t_exit = settings.heating_time_s;
      const double t_end  = t_exit + settings.relaxation_time_s;
      double       t = 0.0, dt = settings.initial_time_step_s, dt_prev = 0.0;
      bool         have_predictor = false;
      while (t < t_end * (1 - 1e-12))
        {
          const bool   heating = t < t_exit * (1 - 1e-12);
          const double phase_end = heating ? t_exit : t_end;
          dt = std::min({dt, settings.maximum_time_step_s, phase_end - t});
          T_old = T;
          if (have_predictor) // linear extrapolation: initial guess and error estimate
            {
              T_pred = T_old;
              T_pred.add(dt / dt_prev, T_old);
              T_pred.add(-dt / dt_prev, T_older);
              T = T_pred;
            }
          unsigned iterations = 0;
          try
            {
              iterations = solve_step(T, T_old, dt, heating);
            }
          catch (const NewtonFailure &failure)
            {
              r.n_newton_iterations += failure.iterations;
              ++r.n_rejected_steps;
              T = T_old;
              if (dt * 0.25 < settings.minimum_time_step_s)
                {
                  std::ostringstream msg;
                  msg << "Thermal: Newton did not converge at t = " << t << " s with the minimum time"
                      << " step " << dt << " s: " << failure.iterations << " iterations, last update "
                      << failure.update_norm << " K (tolerance " << settings.newton_tolerance_K << " K)";
                  throw RuntimeFailure(msg.str());
                }
              dt *= 0.25;
              continue;
            }
          r.n_newton_iterations += iterations;

          double growth = 2.0;
          if (have_predictor)
            {
              Vector<double> diff(T);
              diff -= T_pred;
              const double error = dt / (dt + dt_prev) * diff.linfty_norm();
              growth = std::clamp(0.9 * std::sqrt(settings.time_error_tolerance_K / std::max(error, 1e-300)), 0.2, 2.0);
              if (error > settings.time_error_tolerance_K && dt > settings.minimum_time_step_s)
                {
                  ++r.n_rejected_steps;
                  T = T_old;
                  dt = std::max(dt * growth, settings.minimum_time_step_s);
                  continue;
                }
            }
          // Accepted step.
          if (heating)
            r.deposited_energy_J += dt * total_source_power;
          r.surface_loss_J += dt * integrate_surface_flux(T);
          t += dt;
          ++r.n_steps;
          T_older = T_old;
          dt_prev = dt;
          r.history.push_back(sample(t, T));
          // Restart the predictor when the source switches off: the old slope is meaningless.
          const bool phase_changed = heating && t >= t_exit * (1 - 1e-12);
          have_predictor = !phase_changed;
          dt = phase_changed ? settings.initial_time_step_s : dt * growth;
        }

      r.stored_energy_J = integrate_enthalpy(T) - E0;
      const double balance = r.stored_energy_J + r.surface_loss_J - r.deposited_energy_J;
      const double scale = std::max({std::abs(r.deposited_energy_J), std::abs(r.stored_energy_J),
                                     std::abs(r.surface_loss_J), 1e-300});
      r.energy_balance_relative_error = std::abs(balance) / scale;

      // Exit state and equalisation time from the recorded history.
      r.peak_temperature_K = r.max_liquid_fraction = 0.0;
      r.equalization_time_s = std::numeric_limits<double>::quiet_NaN();
      std::size_t exit_index = 0;
      for (std::size_t i = 0; i < r.history.size(); ++i)
        {
          const auto &s = r.history[i];
          r.peak_temperature_K  = std::max(r.peak_temperature_K, s.max_K);
          r.max_liquid_fraction = std::max(r.max_liquid_fraction, s.liquid_fraction);
          if (s.time_s <= t_exit * (1 + 1e-12))
            exit_index = i;
        }
      const auto &ex = r.history[exit_index];
      r.exit_peak_temperature_K = ex.max_K;
      r.exit_mean_temperature_K = ex.mean_K;
      r.exit_min_temperature_K  = ex.min_K;
      r.exit_liquid_fraction    = ex.liquid_fraction;
      const double target = settings.equalization_fraction * (ex.max_K - ex.min_K);
      for (std::size_t i = exit_index + 1; i < r.history.size(); ++i)
        {
          const auto  &a = r.history[i - 1], &b = r.history[i];
          const double sa = a.max_K - a.min_K, sb = b.max_K - b.min_K;
          if (sb <= target)
            {
              const double w = sa > sb ? (sa - target) / (sa - sb) : 1.0;
              r.equalization_time_s = a.time_s + w * (b.time_s - a.time_s) - t_exit;
              break;
            }
        }
      return r;
    }
  } // namespace

  ThermalResult solve_sphere_transient(const ThermalSettings &settings,
                                       const ThermalMaterial &material, const PowerDensity &q)
  {
    settings.validate();
    SphereHeatProblem problem(settings, material, q);
    return problem.run();
  }
} // namespace mpstream::solver
