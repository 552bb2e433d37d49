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

    // Up to this many unknowns the linear systems are solved by sparse LU (measured: faster than
    // ILU-GMRES at refinement 0, 321 unknowns; slower at refinement 1, 2273).
    constexpr unsigned direct_solver_max_dofs = 1000;

    struct NewtonFailure
    {
      unsigned iterations;
      double update_norm;
    };
  } // namespace

  // Everything that depends on the mesh only. Shape values of FE_Q are the same on every cell;
  // gradients and JxW are stored per cell and quadrature point, so a Newton assembly is plain
  // arithmetic (no FEValues::reinit with its MappingQ(2) Jacobians: most of the former cost).
  struct SphereDiscretization::Data
  {
    explicit Data(const ThermalSettings &s);

    double   radius;
    unsigned refinements, degree;
    Triangulation<dim> triangulation;
    const MappingQ<dim> mapping;
    const FE_Q<dim>     fe;
    DoFHandler<dim>     dof_handler;
    SparsityPattern     sparsity_pattern;
    unsigned n_cells = 0, n_q = 0, n_face_q = 0, dofs_per_cell = 0;
    std::vector<types::global_dof_index> dof_indices; // [cell][i]
    std::vector<double>                  JxW;         // [cell][q]
    std::vector<std::array<double, 3>>   points;      // [cell][q]
    std::vector<double>                  phi;         // [q][i], the same on every cell
    std::vector<Tensor<1, dim>>          grad_phi;    // [cell][q][i]
    std::vector<unsigned>                face_cell;   // boundary faces: their cell
    std::vector<double>                  face_JxW;    // [face][q]
    std::vector<double>                  face_phi;    // [face][q][i]
    double volume = 0.0;
  };

  SphereDiscretization::Data::Data(const ThermalSettings &s)
    : radius(s.sphere_radius_m)
    , refinements(s.refinements)
    , degree(s.fe_degree)
    , mapping(s.fe_degree)
    , fe(s.fe_degree)
    , dof_handler(triangulation)
  {
    // hyper_ball_balanced attaches a spherical manifold to the shell and a transfinite one
    // inside, so refinement and MappingQ(2) follow the true sphere.
    GridGenerator::hyper_ball_balanced(triangulation, Point<dim>(), s.sphere_radius_m);
    triangulation.refine_global(s.refinements);
    dof_handler.distribute_dofs(fe);
    DynamicSparsityPattern dsp(dof_handler.n_dofs());
    DoFTools::make_sparsity_pattern(dof_handler, dsp);
    sparsity_pattern.copy_from(dsp);

    const QGauss<dim>     quadrature(s.fe_degree + 1);
    const QGauss<dim - 1> face_quadrature(s.fe_degree + 1);
    n_cells       = triangulation.n_active_cells();
    n_q           = quadrature.size();
    n_face_q      = face_quadrature.size();
    dofs_per_cell = fe.n_dofs_per_cell();
    FEValues<dim> fe_values(mapping, fe, quadrature,
                            update_values | update_gradients | update_quadrature_points | update_JxW_values);
    FEFaceValues<dim> fe_face_values(mapping, fe, face_quadrature, update_values | update_JxW_values);
    std::vector<types::global_dof_index> local(dofs_per_cell);
    unsigned c = 0;
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        fe_values.reinit(cell);
        cell->get_dof_indices(local);
        dof_indices.insert(dof_indices.end(), local.begin(), local.end());
        for (unsigned k = 0; k < n_q; ++k)
          {
            const Point<dim> &x = fe_values.quadrature_point(k);
            points.push_back({{x[0], x[1], x[2]}});
            JxW.push_back(fe_values.JxW(k));
            volume += fe_values.JxW(k);
            for (unsigned i = 0; i < dofs_per_cell; ++i)
              {
                grad_phi.push_back(fe_values.shape_grad(i, k));
                if (c == 0)
                  phi.push_back(fe_values.shape_value(i, k));
              }
          }
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            {
              fe_face_values.reinit(cell, f);
              face_cell.push_back(c);
              for (unsigned k = 0; k < n_face_q; ++k)
                {
                  face_JxW.push_back(fe_face_values.JxW(k));
                  for (unsigned i = 0; i < dofs_per_cell; ++i)
                    face_phi.push_back(fe_face_values.shape_value(i, k));
                }
            }
        ++c;
      }
  }

  SphereDiscretization::SphereDiscretization(const ThermalSettings &settings)
  {
    settings.validate();
    data_ = std::make_unique<const Data>(settings);
  }
  SphereDiscretization::~SphereDiscretization() = default;
  unsigned SphereDiscretization::n_cells() const { return data_->n_cells; }
  unsigned SphereDiscretization::n_dofs() const { return data_->dof_handler.n_dofs(); }

  namespace
  {
    // One transient on a shared discretization: the matrix, vectors and source values are this
    // object's own, so several run at once on different threads.
    class SphereHeatProblem
    {
    public:
      SphereHeatProblem(const SphereDiscretization::Data &d, const ThermalSettings &s,
                        const ThermalMaterial &m, const PowerDensity &q);
      ThermalResult run();

    private:
      void precompute_source();
      // Values and gradients of T at the quadrature points of cell c.
      void evaluate(const Vector<double> &T, unsigned c, double *T_q, Tensor<1, dim> *grad_q) const;
      void enthalpy_at_quadrature(const Vector<double> &T, std::vector<double> &H) const;
      // Residual always; the Jacobian only if with_jacobian (modified Newton otherwise).
      void assemble_newton_system(const Vector<double> &T, const std::vector<double> &H_old,
                                  double dt, bool source_on, bool with_jacobian);
      // Solves one implicit step in place (T holds the initial guess); throws NewtonFailure.
      unsigned solve_step(Vector<double> &T, const Vector<double> &T_old, double dt, bool source_on);
      void   solve_linear_system(Vector<double> &update, bool new_jacobian);
      double integrate_enthalpy(const Vector<double> &T) const;
      double integrate_surface_flux(const Vector<double> &T) const;
      ThermalSample sample(double t, const Vector<double> &T) const;

      const SphereDiscretization::Data &d;
      const ThermalSettings &settings;
      const ThermalMaterial &material;
      const PowerDensity &source;

      SparseMatrix<double>  jacobian;
      const bool            use_direct;
      SparseDirectUMFPACK   direct;
      SparseILU<double>     ilu;
      Vector<double>        residual;
      std::vector<double>   q_at_quadrature; // W/m^3, cell-major
      std::vector<double>   H_old_q;         // enthalpy of the previous step at quadrature points
      double                total_source_power = 0.0; // W
    };

    SphereHeatProblem::SphereHeatProblem(const SphereDiscretization::Data &data,
                                         const ThermalSettings &s, const ThermalMaterial &m,
                                         const PowerDensity &q)
      : d(data)
      , settings(s)
      , material(m)
      , source(q)
      , use_direct(d.dof_handler.n_dofs() <= direct_solver_max_dofs)
    {
      jacobian.reinit(d.sparsity_pattern);
      residual.reinit(d.dof_handler.n_dofs());
      direct.initialize(d.sparsity_pattern); // symbolic analysis once
    }

    void SphereHeatProblem::precompute_source()
    {
      q_at_quadrature.resize(d.points.size());
      total_source_power = 0.0;
      for (std::size_t k = 0; k < d.points.size(); ++k)
        {
          q_at_quadrature[k] = source(d.points[k]);
          total_source_power += q_at_quadrature[k] * d.JxW[k];
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

    void SphereHeatProblem::evaluate(const Vector<double> &T, unsigned c, double *T_q,
                                     Tensor<1, dim> *grad_q) const
    {
      const unsigned n = d.dofs_per_cell;
      const types::global_dof_index *dofs = &d.dof_indices[c * n];
      double T_loc[125]; // up to FE_Q(4)
      for (unsigned i = 0; i < n; ++i)
        T_loc[i] = T[dofs[i]];
      for (unsigned k = 0; k < d.n_q; ++k)
        {
          const double *phi = &d.phi[k * n];
          double v = 0.0;
          for (unsigned i = 0; i < n; ++i)
            v += T_loc[i] * phi[i];
          T_q[k] = v;
          if (grad_q)
            {
              const Tensor<1, dim> *g = &d.grad_phi[(std::size_t(c) * d.n_q + k) * n];
              Tensor<1, dim> gv;
              for (unsigned i = 0; i < n; ++i)
                gv += T_loc[i] * g[i];
              grad_q[k] = gv;
            }
        }
    }

    void SphereHeatProblem::enthalpy_at_quadrature(const Vector<double> &T, std::vector<double> &H) const
    {
      H.resize(d.points.size());
      std::vector<double> T_q(d.n_q);
      for (unsigned c = 0; c < d.n_cells; ++c)
        {
          evaluate(T, c, T_q.data(), nullptr);
          for (unsigned k = 0; k < d.n_q; ++k)
            H[std::size_t(c) * d.n_q + k] = material.enthalpy(T_q[k]);
        }
    }

    // Residual R(T) = int [(H(T) - H(T_old))/dt phi + k(T) grad T . grad phi - q phi] dV
    //               + int_surface f(T) phi dA,   and its exact Jacobian dR/dT.
    void SphereHeatProblem::assemble_newton_system(const Vector<double> &T,
                                                   const std::vector<double> &H_old, double dt,
                                                   bool source_on, bool with_jacobian)
    {
      if (with_jacobian)
        jacobian = 0;
      residual = 0;
      const unsigned n_dofs = d.dofs_per_cell, n_q = d.n_q;
      FullMatrix<double> cell_matrix(n_dofs, n_dofs);
      Vector<double>     cell_residual(n_dofs);
      std::vector<types::global_dof_index> dof_indices(n_dofs);
      std::vector<double>         T_q(n_q), T_f(d.n_face_q);
      std::vector<Tensor<1, dim>> grad_T_q(n_q);

      std::size_t face = 0;
      for (unsigned c = 0; c < d.n_cells; ++c)
        {
          cell_matrix   = 0;
          cell_residual = 0;
          evaluate(T, c, T_q.data(), grad_T_q.data());
          for (unsigned int k = 0; k < n_q; ++k)
            {
              const std::size_t ck = std::size_t(c) * n_q + k;
              const double dH  = (material.enthalpy(T_q[k]) - H_old[ck]) / dt;
              const double C   = material.heat_capacity(T_q[k]) / dt;
              const double kc  = material.conductivity(T_q[k]);
              const double dk  = material.conductivity_derivative(T_q[k]);
              const double q   = source_on ? q_at_quadrature[ck] : 0.0;
              const double JxW = d.JxW[ck];
              const double         *phi      = &d.phi[k * n_dofs];
              const Tensor<1, dim> *grad_phi = &d.grad_phi[ck * n_dofs];
              for (unsigned int i = 0; i < n_dofs; ++i)
                {
                  const double gT_gi = grad_T_q[k] * grad_phi[i];
                  cell_residual(i) += ((dH - q) * phi[i] + kc * gT_gi) * JxW;
                  if (!with_jacobian)
                    continue;
                  const double a = C * phi[i] * JxW, b = dk * gT_gi * JxW;
                  const Tensor<1, dim> kg = kc * JxW * grad_phi[i];
                  for (unsigned int j = 0; j < n_dofs; ++j)
                    cell_matrix(i, j) += (a + b) * phi[j] + kg * grad_phi[j];
                }
            }
          // Boundary faces of this cell (stored in cell order).
          for (; face < d.face_cell.size() && d.face_cell[face] == c; ++face)
            {
              const double *fphi = &d.face_phi[face * d.n_face_q * n_dofs];
              const types::global_dof_index *dofs = &d.dof_indices[c * n_dofs];
              for (unsigned k = 0; k < d.n_face_q; ++k)
                {
                  const double *ph = fphi + k * n_dofs;
                  double Tf = 0.0;
                  for (unsigned i = 0; i < n_dofs; ++i)
                    Tf += T[dofs[i]] * ph[i];
                  const double flux  = material.surface_flux(Tf);
                  const double dflux = material.surface_flux_derivative(Tf);
                  const double JxW   = d.face_JxW[face * d.n_face_q + k];
                  for (unsigned int i = 0; i < n_dofs; ++i)
                    {
                      cell_residual(i) += flux * ph[i] * JxW;
                      if (with_jacobian)
                        for (unsigned int j = 0; j < n_dofs; ++j)
                        cell_matrix(i, j) += dflux * ph[i] * ph[j] * JxW;
                    }
                }
            }
          std::copy_n(&d.dof_indices[c * n_dofs], n_dofs, dof_indices.begin());
          residual.add(dof_indices, cell_residual);
          if (with_jacobian)
            jacobian.add(dof_indices, cell_matrix);
        }
    }

    unsigned SphereHeatProblem::solve_step(Vector<double> &T, const Vector<double> &T_old,
                                           double dt, bool source_on)
    {
      Vector<double> update(T.size());
      double         update_norm = std::numeric_limits<double>::infinity();
      enthalpy_at_quadrature(T_old, H_old_q);
      // Modified Newton: the Jacobian (and its factorisation) of the step's first iterate is
      // kept while the updates shrink by at least a factor 4 per iteration; otherwise it is
      // rebuilt at the current iterate. The residual is always exact, so the converged step
      // and its energy balance are those of full Newton; a residual-only assembly costs about
      // 1/n_dofs_per_cell of a full one.
      bool fresh = true;
      for (unsigned it = 1; it <= settings.max_newton_iterations; ++it)
        {
          try
            {
              assemble_newton_system(T, H_old_q, dt, source_on, fresh);
            }
          catch (const InputError &) // an iterate left the range of the property laws
            {
              throw NewtonFailure{it, update_norm};
            }
          residual *= -1.0;
          solve_linear_system(update, fresh);
          T += update;
          const double previous = update_norm;
          update_norm = update.linfty_norm();
          if (!std::isfinite(update_norm))
            throw NewtonFailure{it, update_norm};
          if (update_norm <= settings.newton_tolerance_K)
            return it;
          fresh = !settings.reuse_jacobian || update_norm > 0.25 * previous;
        }
      throw NewtonFailure{settings.max_newton_iterations, update_norm};
    }

    // Small systems (refinement 0: a few hundred unknowns): sparse direct LU (UMFPACK), factorised
    // once per Jacobian and reused by the modified-Newton iterations (two triangular solves each).
    // Larger ones: GMRES with ILU(0) of the current Jacobian (mass-dominated at the step sizes
    // used: a few dozen iterations); a direct solve is the fallback.
    void SphereHeatProblem::solve_linear_system(Vector<double> &update, bool new_jacobian)
    {
      if (use_direct)
        {
          if (new_jacobian)
            direct.factorize(jacobian);
          direct.vmult(update, residual);
          return;
        }
      update = 0;
      // Inexact Newton: 1e-8 of the residual suffices (the residual itself is exact).
      SolverControl control(500, 1e-8 * residual.l2_norm(), false, false);
      try
        {
          if (new_jacobian)
            ilu.initialize(jacobian);
          SolverGMRES<Vector<double>> gmres(control, SolverGMRES<Vector<double>>::AdditionalData(60));
          gmres.solve(jacobian, update, residual, ilu);
        }
      catch (const SolverControl::NoConvergence &)
        {
          SparseDirectUMFPACK fallback;
          fallback.initialize(jacobian);
          fallback.vmult(update, residual);
        }
    }

    double SphereHeatProblem::integrate_enthalpy(const Vector<double> &T) const
    {
      std::vector<double> T_q(d.n_q);
      double              E = 0.0;
      for (unsigned c = 0; c < d.n_cells; ++c)
        {
          evaluate(T, c, T_q.data(), nullptr);
          for (unsigned k = 0; k < d.n_q; ++k)
            E += material.enthalpy(T_q[k]) * d.JxW[std::size_t(c) * d.n_q + k];
        }
      return E;
    }

    double SphereHeatProblem::integrate_surface_flux(const Vector<double> &T) const
    {
      const unsigned n = d.dofs_per_cell;
      double         P = 0.0;
      for (std::size_t face = 0; face < d.face_cell.size(); ++face)
        {
          const types::global_dof_index *dofs = &d.dof_indices[d.face_cell[face] * n];
          for (unsigned k = 0; k < d.n_face_q; ++k)
            {
              const double *ph = &d.face_phi[(face * d.n_face_q + k) * n];
              double Tf = 0.0;
              for (unsigned i = 0; i < n; ++i)
                Tf += T[dofs[i]] * ph[i];
              P += material.surface_flux(Tf) * d.face_JxW[face * d.n_face_q + k];
            }
        }
      return P;
    }

    ThermalSample SphereHeatProblem::sample(double t, const Vector<double> &T) const
    {
      std::vector<double> T_q(d.n_q);
      double              mean = 0.0, liquid = 0.0;
      for (unsigned c = 0; c < d.n_cells; ++c)
        {
          evaluate(T, c, T_q.data(), nullptr);
          for (unsigned k = 0; k < d.n_q; ++k)
            {
              const double JxW = d.JxW[std::size_t(c) * d.n_q + k];
              mean += T_q[k] * JxW;
              liquid += material.liquid_fraction(T_q[k]) * JxW;
            }
        }
      ThermalSample s{t, *std::max_element(T.begin(), T.end()), *std::min_element(T.begin(), T.end()),
                      mean / d.volume, liquid / d.volume, {}};
      for (const auto &p : settings.probes)
        s.probes_K.push_back(VectorTools::point_value(d.mapping, d.dof_handler, T, Point<dim>(p[0], p[1], p[2])));
      return s;
    }

    ThermalResult SphereHeatProblem::run()
    {
      precompute_source();

      ThermalResult r{};
      r.n_cells = d.n_cells;
      r.n_dofs  = d.dof_handler.n_dofs();
      r.volume_m3 = d.volume;

      Vector<double> T(d.dof_handler.n_dofs()), T_old(T.size()), T_older(T.size()), T_pred(T.size());
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

  ThermalResult SphereDiscretization::solve(const ThermalSettings &settings,
                                            const ThermalMaterial &material, const PowerDensity &q) const
  {
    settings.validate();
    if (settings.sphere_radius_m != data_->radius || settings.refinements != data_->refinements ||
        settings.fe_degree != data_->degree)
      throw InputError("Thermal: settings (radius, refinements, degree) differ from those the sphere "
                       "mesh was built with");
    SphereHeatProblem problem(*data_, settings, material, q);
    return problem.run();
  }

  ThermalResult solve_sphere_transient(const ThermalSettings &settings,
                                       const ThermalMaterial &material, const PowerDensity &q)
  {
    return SphereDiscretization(settings).solve(settings, material, q);
  }
} // namespace mpstream::solver
