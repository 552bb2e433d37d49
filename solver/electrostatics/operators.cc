// Electrostatics, operators: the floating operator (assembly, electrode liftings, AMG, the
// solve of the sources as set), the sphere fluxes, and the grounded-sphere operator of the
// unit-potential responses.
#include "solver/electrostatics/impl.h"
#include "solver/electrostatics/straight_cell_operator.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>

#include <petscsys.h>

#include <algorithm>
#include <map>

namespace mpstream::solver
{
  namespace
  {
    // True if every P2 position node of the cell is where the affine map of its vertices puts
    // it, computed as setup_geometry computes the straight nodes (bit for bit): a cell away from
    // the spheres, or one that straighten_inverted_cells straightened all the way.
    bool is_straight(const DoFHandler<3>::active_cell_iterator &position_cell, const FESystem<3> &position_fe,
                     const Vector<double> &positions, std::vector<types::global_dof_index> &dofs)
    {
      const auto &unit_points = position_fe.get_unit_support_points();
      position_cell->get_dof_indices(dofs);
      for (unsigned int i = 0; i < dofs.size(); ++i)
        {
          Point<3> x;
          for (unsigned int v = 0; v < 4; ++v)
            x += ReferenceCells::Tetrahedron.d_linear_shape_function(unit_points[i], v) * position_cell->vertex(v);
          if (positions(dofs[i]) != x[position_fe.system_to_component_index(i).first])
            return false;
        }
      return true;
    }

    // Most cells (away from the spheres and the grounded walls) have no constrained DoF: their
    // matrix goes in whole, the same terms in the same cell order as distribute_local_to_global,
    // without its per-row constraint resolution and one PETSc call per row: on one rank straight
    // into the CSR values, on N ranks in one MatSetValues call (one-sphere benchmark: outputs
    // byte-identical; the 2-rank golden run's round-off key charging_linear_model_error moved by
    // 2e-15 absolute).
    void add_cell_matrix(const AffineConstraints<double> &constraints, const FullMatrix<double> &cell_matrix,
                         const std::vector<types::global_dof_index> &dofs, CsrSparseMatrix &matrix)
    {
      if (std::any_of(dofs.begin(), dofs.end(), [&](const auto d) { return constraints.is_constrained(d); }))
        {
          constraints.distribute_local_to_global(cell_matrix, dofs,
                                                 static_cast<PETScWrappers::MPI::SparseMatrix &>(matrix));
          return;
        }
      matrix.add_cell_matrix(dofs, cell_matrix);
    }
  } // namespace

  // Straight cells (most of the mesh) take their operator from StraightCellOperator, curved
  // ones from FEValues on the curved mapping; both integrate exactly, so the two agree to
  // round-off on a straight cell.
  template <typename CellOperation>
  void Electrostatics::Impl::for_each_owned_cell_operator(CellOperation &&operation) const
  {
    const QGaussSimplex<3> quadrature(fe.degree + 1);
    FEValues<3> fe_values(*mapping, fe, quadrature, update_values | update_gradients | update_JxW_values);
    const unsigned int n = fe.n_dofs_per_cell();
    FullMatrix<double> cell_matrix(n, n);
    Vector<double> cell_load(n);
    std::vector<types::global_dof_index> dofs(n);
    const StraightCellOperator straight(fe, quadrature);
    std::array<Point<3>, 4> vertices;
    std::vector<types::global_dof_index> position_dofs(position_fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        cell->get_dof_indices(dofs);
        const bool straight_cell =
          !prm.curved_spheres ||
          is_straight(DoFHandler<3>::active_cell_iterator(&triangulation, cell->level(), cell->index(),
                                                          &position_dof_handler),
                      position_fe, positions, position_dofs);
        if (straight_cell)
          {
            for (unsigned int v = 0; v < 4; ++v)
              vertices[v] = cell->vertex(v);
            straight.compute(vertices, eps0, cell_matrix, cell_load);
            operation(cell_matrix, cell_load, dofs);
            continue;
          }
        fe_values.reinit(cell);
        cell_matrix = 0;
        cell_load   = 0;
        for (const unsigned int q : fe_values.quadrature_point_indices())
          for (unsigned int i = 0; i < n; ++i)
            {
              const auto grad_i = fe_values.shape_grad(i, q);
              for (unsigned int j = 0; j < n; ++j)
                cell_matrix(i, j) += eps0 * (grad_i * fe_values.shape_grad(j, q)) * fe_values.JxW(q);
              cell_load(i) += fe_values.shape_value(i, q) * fe_values.JxW(q);
            }
        operation(cell_matrix, cell_load, dofs);
      }
  }

  void Electrostatics::Impl::add_electrode_liftings(
    const FullMatrix<double> &cell_matrix, const std::vector<types::global_dof_index> &dofs,
    const AffineConstraints<double> &with_constraints, std::vector<PETScWrappers::MPI::Vector> &liftings) const
  {
    const unsigned int n = dofs.size();
    std::vector<Vector<double>> g(liftings.size(), Vector<double>(n));
    std::vector<bool> touches(liftings.size(), false);
    for (unsigned int i = 0; i < n; ++i)
      {
        const auto it = electrode_weights.find(dofs[i]);
        if (it != electrode_weights.end())
          for (const auto &[k, w] : it->second)
            {
              g[k](i)    = w;
              touches[k] = true;
            }
      }
    Vector<double> lift(n);
    for (std::size_t k = 0; k < liftings.size(); ++k)
      if (touches[k])
        {
          cell_matrix.vmult(lift, g[k]);
          lift *= -1.0;
          with_constraints.distribute_local_to_global(lift, dofs, liftings[k]);
        }
  }

  // Operator eps0 (grad u, grad v), unit space-charge load (1, v), and for each electrode the
  // lifting -A g_k of its Dirichlet value g_k = 1 V, all with the homogeneous constraints.
  void Electrostatics::Impl::assemble_operator()
  {
    {
      TimerOutput::Scope t(timer, "assemble");
      for_each_owned_cell_operator([&](const FullMatrix<double> &cell_matrix, const Vector<double> &cell_load,
                                       const std::vector<types::global_dof_index> &dofs) {
        add_cell_matrix(constraints, cell_matrix, dofs, matrix);
        constraints.distribute_local_to_global(cell_load, dofs, rhs_unit_space_charge);
        for (unsigned int i = 0; i < dofs.size(); ++i)
          if (sphere_of_dof.count(dofs[i]))
            {
              sphere_rows.add(dofs[i], dofs.size(), dofs.data(), &cell_matrix(i, 0), true); // zeros skipped, as add(i, j, 0) does
              sphere_rows_unit_load(dofs[i]) += cell_load(i);
            }
        if (!electrode_weights.empty())
          add_electrode_liftings(cell_matrix, dofs, constraints, rhs_unit_electrode);
      });
      matrix.compress(VectorOperation::add);
      sphere_rows.compress(VectorOperation::add);
      sphere_rows_unit_load.compress(VectorOperation::add);
      rhs_unit_space_charge.compress(VectorOperation::add);
      for (auto &v : rhs_unit_electrode)
        v.compress(VectorOperation::add);
    }
    setup_surface_faces();
    setup_surface_recovery();
    {
      TimerOutput::Scope t(timer, "AMG setup");
      initialize_amg(amg, matrix, prm.amg_coarsening);
    }
  }

  // BoomerAMG with hypre's defaults (classical), or with HMIS coarsening, ext+i interpolation
  // and at most 4 interpolation weights per row (hypre's advice for 3D), optionally with one
  // level of aggressive coarsening over 2 paths (measured on the one-sphere benchmark: 9
  // instead of 7 CG iterations, half the set-up; 1 path: 12 iterations). deal.II 9.4's
  // AdditionalData has no fields for the HMIS options (it sets agg_nl itself), so they go
  // through PETSc's options database for this one set-up.
  void Electrostatics::Impl::initialize_amg(PETScWrappers::PreconditionBoomerAMG &preconditioner,
                                            const PETScWrappers::MPI::SparseMatrix &operator_matrix,
                                            AmgCoarsening coarsening) const
  {
    std::vector<std::pair<const char *, const char *>> options;
    if (coarsening != AmgCoarsening::classical)
      options = {{"-pc_hypre_boomeramg_coarsen_type", "HMIS"},
                 {"-pc_hypre_boomeramg_interp_type", "ext+i"},
                 {"-pc_hypre_boomeramg_P_max", "4"}};
    if (coarsening == AmgCoarsening::hmis_aggressive)
      options.push_back({"-pc_hypre_boomeramg_agg_num_paths", "2"});
    for (const auto &[name, value] : options)
      PetscOptionsSetValue(nullptr, name, value);
    PETScWrappers::PreconditionBoomerAMG::AdditionalData data;
    data.symmetric_operator               = true;
    data.strong_threshold                 = prm.amg_strong_threshold;
    data.aggressive_coarsening_num_levels = coarsening == AmgCoarsening::hmis_aggressive ? 1 : 0;
    preconditioner.initialize(operator_matrix, data);
    for (const auto &[name, value] : options)
      PetscOptionsClearValue(nullptr, name);
  }

  double Electrostatics::Impl::electrode_potential(std::size_t k) const
  {
    return electrode_layers[k] < electrode_potentials.size() ? electrode_potentials[electrode_layers[k]] : 0.0;
  }

  PETScWrappers::MPI::Vector Electrostatics::Impl::solve_floating(const PETScWrappers::MPI::Vector &rhs,
                                                                  double relative_tolerance, SolveReport &report) const
  {
    report.rhs_norm = rhs.l2_norm();
    SolverControl control(prm.max_iterations, relative_tolerance * report.rhs_norm, false, false);
    SolverCG<PETScWrappers::MPI::Vector> cg(control);
    PETScWrappers::MPI::Vector x(owned_dofs, comm);
    try
      {
        cg.solve(matrix, x, rhs, amg);
      }
    catch (const SolverControl::NoConvergence &e)
      {
        std::ostringstream s;
        s << "Electrostatics: CG did not converge in " << e.last_step << " iterations (residual "
          << e.last_residual << " C, target " << control.tolerance() << " C = "
          << relative_tolerance << " x ||b||); raise the CG iteration limit or "
          << "check the mesh";
        throw RuntimeFailure(s.str());
      }
    report.iterations = control.last_step();
    report.residual   = control.last_value();
    return x;
  }

  SolveReport Electrostatics::Impl::solve(double relative_tolerance)
  {
    TimerOutput::Scope t(timer, "solve");
    const auto start = std::chrono::steady_clock::now();
    PETScWrappers::MPI::Vector rhs(owned_dofs, comm);
    if (space_charge != 0)
      rhs.add(space_charge, rhs_unit_space_charge);
    for (std::size_t k = 0; k < electrode_layers.size(); ++k)
      if (const double V = electrode_potential(k); V != 0)
        rhs.add(V, rhs_unit_electrode[k]);
    for (std::size_t n = 0; n < charges.size(); ++n)
      if (owned_dofs.is_element(sphere_master[n]))
        rhs(sphere_master[n]) += charges[n];
    rhs.compress(VectorOperation::add);

    SolveReport report;
    auto x = solve_floating(rhs, relative_tolerance, report);
    constraints.distribute(x);
    std::map<types::global_dof_index, double> boundary_values; // a wall DoF has two hats
    for (std::size_t k = 0; k < electrode_layers.size(); ++k)
      for (const auto &[d, w] : owned_electrode_dofs[k])
        boundary_values[d] += w * electrode_potential(k);
    for (const auto &[d, value] : boundary_values)
      x(d) = value;
    x.compress(VectorOperation::insert);
    solution_owned = x;
    solution       = x;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    solved        = true;
    sigma_current = false;
    return report;
  }

  std::vector<double> Electrostatics::Impl::sphere_potentials() const
  {
    std::vector<double> phi(sphere_master.size(), 0.0);
    for (std::size_t n = 0; n < phi.size(); ++n)
      if (owned_dofs.is_element(sphere_master[n]))
        phi[n] = solution_owned(sphere_master[n]);
    return all_reduce(phi, MPI_SUM, comm);
  }

  PETScWrappers::MPI::Vector Electrostatics::Impl::sphere_reaction(const PETScWrappers::MPI::Vector &u, double rho) const
  {
    PETScWrappers::MPI::Vector reaction(owned_dofs, comm);
    sphere_rows.vmult(reaction, u);
    if (rho != 0)
      reaction.add(-rho, sphere_rows_unit_load);
    return reaction;
  }

  std::vector<double> Electrostatics::Impl::sphere_charges_of(const PETScWrappers::MPI::Vector &u, double rho) const
  {
    const auto reaction = sphere_reaction(u, rho);
    std::vector<double> Q(layout.spheres.size(), 0.0);
    for (const auto &[d, n] : sphere_of_dof)
      if (owned_dofs.is_element(d))
        Q[n] += reaction(d);
    return all_reduce(Q, MPI_SUM, comm);
  }

  void Electrostatics::Impl::setup_grounded_sphere_operator()
  {
    TimerOutput::Scope t(timer, "grounded-sphere operator");
    grounded = std::make_unique<GroundedSphereOperator>();
    auto &g  = *grounded;
    // Every line of the floating constraints is a Dirichlet DoF (anode, enclosure, electrode)
    // or a sphere DoF (tied to its master); here all of them, masters included, are Dirichlet.
    g.constraints.reinit(relevant_dofs);
    for (const auto d : relevant_dofs)
      if (constraints.is_constrained(d) || sphere_of_dof.count(d))
        g.constraints.add_line(d);
    g.constraints.close();
    reinit_condensed_matrix(g.matrix, g.constraints, relevant_dofs);
    g.rhs_unit_space_charge.reinit(owned_dofs, comm);
    g.rhs_unit_electrode.assign(electrode_layers.size(), g.rhs_unit_space_charge);
    for_each_owned_cell_operator([&](const FullMatrix<double> &cell_matrix, const Vector<double> &cell_load,
                                     const std::vector<types::global_dof_index> &dofs) {
      add_cell_matrix(g.constraints, cell_matrix, dofs, g.matrix);
      g.constraints.distribute_local_to_global(cell_load, dofs, g.rhs_unit_space_charge);
      if (!electrode_weights.empty())
        add_electrode_liftings(cell_matrix, dofs, g.constraints, g.rhs_unit_electrode);
    });
    g.matrix.compress(VectorOperation::add);
    g.rhs_unit_space_charge.compress(VectorOperation::add);
    for (auto &v : g.rhs_unit_electrode)
      v.compress(VectorOperation::add);
    // HMIS BoomerAMG: measured on the default stream, 9 instead of 7-8 CG iterations but 1.8
    // instead of 2.7 s per response solve (doc/performance.md). The floating operator keeps
    // hypre's defaults unless Electrostatics/AMG coarsening = HMIS.
    initialize_amg(g.amg, g.matrix, AmgCoarsening::hmis);
  }

  PETScWrappers::MPI::Vector Electrostatics::Impl::solve_grounded(const PETScWrappers::MPI::Vector &rhs,
                                                                  const PETScWrappers::MPI::Vector &dirichlet,
                                                                  SolveReport &report) const
  {
    TimerOutput::Scope t(timer, "solve (grounded spheres)");
    const auto start = std::chrono::steady_clock::now();
    report.rhs_norm  = rhs.l2_norm();
    SolverControl control(prm.max_iterations, prm.response_tolerance * report.rhs_norm, false, false);
    SolverCG<PETScWrappers::MPI::Vector> cg(control);
    PETScWrappers::MPI::Vector x(owned_dofs, comm);
    try
      {
        cg.solve(grounded->matrix, x, rhs, grounded->amg);
      }
    catch (const SolverControl::NoConvergence &e)
      {
        std::ostringstream s;
        s << "Electrostatics (grounded-sphere responses): CG did not converge in " << e.last_step
          << " iterations (residual " << e.last_residual << " C, target " << control.tolerance()
          << " C); raise the CG iteration limit or check the mesh";
        throw RuntimeFailure(s.str());
      }
    report.iterations = control.last_step();
    report.residual   = control.last_value();
    grounded->constraints.set_zero(x);
    x += dirichlet;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return x;
  }
} // namespace mpstream::solver
