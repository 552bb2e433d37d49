// Electrostatics, forces: the net force on every sphere from the Maxwell stress in its volume
// (virtual-work) form, F_i = -integral of T(E) : grad theta_i dV - integral of theta_i rho E dV
// over the vacuum, T = eps0 (E E - |E|^2 I / 2), theta_i the P1 hat function that is 1 on sphere
// i and 0 on every other boundary (Coulomb, IEEE Trans. Magn. 19 (1983) 2514; Coulomb & Meunier,
// IEEE Trans. Magn. 20 (1984) 1894). By the divergence theorem it equals the surface integral
// of the stress for the exact field; for the FE field it integrates the gradient in the cells
// around the sphere and needs no surface recovery (doc/forces.md has the convergence). The
// same as a quadratic form in the sources (SphereForceForm), built from the unit solutions of
// compute_responses (responses.cc).
#include "solver/electrostatics/impl.h"

#include <deal.II/base/quadrature_lib.h>

#include <algorithm>

namespace mpstream::solver
{
  // The shell of sphere i: the owned cells with a vertex on it. Vertex status comes from the
  // sphere DoFs (sphere_of_dof covers every DoF of the owned cells), so theta_i is the same
  // continuous function on every rank and across periodic sides (matched vertices are both on
  // the sphere or neither). FE_SimplexP numbers the vertex DoFs first.
  void Electrostatics::Impl::setup_force_shells() const
  {
    if (force_shells_ready)
      return;
    force_shells_ready = true;
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        cell->get_dof_indices(dofs);
        std::vector<ForceShellCell> of_cell;
        for (unsigned int v = 0; v < 4; ++v)
          {
            const auto it = sphere_of_dof.find(dofs[v]);
            if (it == sphere_of_dof.end())
              continue;
            auto shell = std::find_if(of_cell.begin(), of_cell.end(),
                                      [&](const ForceShellCell &s) { return s.sphere == it->second; });
            if (shell == of_cell.end())
              shell = of_cell.insert(of_cell.end(), ForceShellCell{cell, it->second, {false, false, false, false}});
            shell->vertex_on_sphere[v] = true;
          }
        force_shell_cells.insert(force_shell_cells.end(), of_cell.begin(), of_cell.end());
      }
    std::stable_sort(force_shell_cells.begin(), force_shell_cells.end(),
                     [](const ForceShellCell &a, const ForceShellCell &b) { return a.sphere < b.sphere; });
  }

  // With E = -grad u: T : grad theta, component d, is eps0 ((grad u . grad theta) d_d u -
  // |grad u|^2 d_d theta / 2), symmetrised in the two factors of u; the space-charge term
  // -theta rho E_d = rho theta d_d u. theta and its gradient come from the P2 shape functions
  // (lambda_v = sum_j lambda_v(x_j) psi_j, exact as P1 is in P2), so the curved mapping is the
  // solution's. The quadrature is the operator's.
  void Electrostatics::Impl::cell_force_weights(const ForceShellCell &shell, FEValues<3> &fe_values,
                                                CellForceWeights &w) const
  {
    const unsigned int n = fe.n_dofs_per_cell();
    const auto &unit_points = fe.get_unit_support_points();
    const auto tet          = ReferenceCells::Tetrahedron;
    std::vector<double> theta_at_support(n, 0.0);
    for (unsigned int j = 0; j < n; ++j)
      for (unsigned int v = 0; v < 4; ++v)
        if (shell.vertex_on_sphere[v])
          theta_at_support[j] += tet.d_linear_shape_function(unit_points[j], v);
    fe_values.reinit(shell.cell);
    for (unsigned int d = 0; d < 3; ++d)
      {
        w.A[d].reinit(n, n);
        w.b[d].reinit(n);
      }
    std::vector<Tensor<1, 3>> grad(n);
    for (const unsigned int q : fe_values.quadrature_point_indices())
      {
        double theta = 0;
        Tensor<1, 3> grad_theta;
        for (unsigned int j = 0; j < n; ++j)
          {
            grad[j] = fe_values.shape_grad(j, q);
            theta += theta_at_support[j] * fe_values.shape_value(j, q);
            grad_theta += theta_at_support[j] * grad[j];
          }
        const double JxW = fe_values.JxW(q);
        for (unsigned int a = 0; a < n; ++a)
          {
            const double a_theta = grad[a] * grad_theta;
            for (unsigned int b = a; b < n; ++b)
              {
                const double b_theta = grad[b] * grad_theta, ab = grad[a] * grad[b];
                for (unsigned int d = 0; d < 3; ++d)
                  w.A[d](a, b) -= eps0 * JxW *
                                  (0.5 * (a_theta * grad[b][d] + b_theta * grad[a][d]) - 0.5 * ab * grad_theta[d]);
              }
            for (unsigned int d = 0; d < 3; ++d)
              w.b[d](a) += JxW * theta * grad[a][d];
          }
      }
    for (unsigned int d = 0; d < 3; ++d)
      for (unsigned int a = 0; a < n; ++a)
        for (unsigned int b = a + 1; b < n; ++b)
          w.A[d](b, a) = w.A[d](a, b);
  }

  std::vector<Point3> Electrostatics::Impl::sphere_forces() const
  {
    setup_force_shells();
    TimerOutput::Scope t(timer, "sphere forces");
    const std::size_t N = layout.spheres.size();
    std::vector<double> F(3 * N, 0.0);
    FEValues<3> fe_values(*mapping, fe, QGaussSimplex<3>(fe.degree + 1),
                          update_values | update_gradients | update_JxW_values);
    CellForceWeights w;
    Vector<double> u(fe.n_dofs_per_cell());
    for (const auto &shell : force_shell_cells)
      {
        cell_force_weights(shell, fe_values, w);
        shell.cell->get_dof_values(solution, u);
        for (unsigned int d = 0; d < 3; ++d)
          F[3 * shell.sphere + d] += w.A[d].matrix_norm_square(u) + space_charge * (w.b[d] * u);
      }
    F = all_reduce(F, MPI_SUM, comm);
    std::vector<Point3> forces(N);
    for (std::size_t i = 0; i < N; ++i)
      forces[i] = {F[3 * i], F[3 * i + 1], F[3 * i + 2]};
    return forces;
  }

  void Electrostatics::Impl::start_force_columns(std::size_t n_columns)
  {
    setup_force_shells();
    if (force_dofs.empty())
      {
        std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
        for (const auto &shell : force_shell_cells)
          {
            shell.cell->get_dof_indices(dofs);
            for (const auto d : dofs)
              if (force_dof_row.emplace(d, force_dofs.size()).second)
                force_dofs.push_back(d);
          }
      }
    force_solution_columns.reinit(force_dofs.size(), n_columns);
    force_space_charge_columns.assign(n_columns, 0.0);
  }

  void Electrostatics::Impl::record_force_column(std::size_t column, double scale)
  {
    for (std::size_t r = 0; r < force_dofs.size(); ++r)
      force_solution_columns(r, column) = scale * solution(force_dofs[r]);
    force_space_charge_columns[column] = scale * space_charge;
  }

  // With U' = U T the solution of each source of s = (Q, V, 1) at the shell DoFs and rho' = rho T
  // their space charges, sphere i's F_d = s^T (U'^T A_i,d U' + sym(rho' (b_i,d^T U'))) s, A_i,d and
  // b_i,d the assembled shell weights. Per sphere and component: Y = A_d U' and g = b_d^T U'
  // cell by cell, then M_i,d = U'^T Y over the sphere's shell rows. Each rank sums its own cells
  // and the matrices are added over the ranks (the owned cells partition the shells).
  SphereForceForm Electrostatics::Impl::build_force_form(const FullMatrix<double> &to_sources)
  {
    TimerOutput::Scope t(timer, "force form");
    const auto start = std::chrono::steady_clock::now();
    setup_force_shells();
    const std::size_t N = layout.spheres.size(), K = to_sources.n();
    SphereForceForm form(N, electrode_layers);
    AssertThrow(form.n_sources() == K, ExcInternalError());
    FullMatrix<double> U(force_dofs.size(), K);
    if (!force_dofs.empty())
      force_solution_columns.mmult(U, to_sources);
    std::vector<double> rho(K, 0.0);
    for (std::size_t c = 0; c < K; ++c)
      for (std::size_t r = 0; r < to_sources.m(); ++r)
        rho[c] += force_space_charge_columns[r] * to_sources(r, c);

    const unsigned int n = fe.n_dofs_per_cell();
    FEValues<3> fe_values(*mapping, fe, QGaussSimplex<3>(fe.degree + 1),
                          update_values | update_gradients | update_JxW_values);
    CellForceWeights w;
    std::vector<types::global_dof_index> dofs(n);
    for (auto begin = force_shell_cells.begin(); begin != force_shell_cells.end();)
      {
        const unsigned int i = begin->sphere;
        const auto end = std::find_if(begin, force_shell_cells.end(),
                                      [&](const ForceShellCell &s) { return s.sphere != i; });
        // The sphere's shell rows, numbered locally.
        std::unordered_map<std::size_t, std::size_t> local_row;
        std::vector<std::size_t> rows;
        for (auto s = begin; s != end; ++s)
          {
            s->cell->get_dof_indices(dofs);
            for (const auto d : dofs)
              if (local_row.emplace(force_dof_row.at(d), rows.size()).second)
                rows.push_back(force_dof_row.at(d));
          }
        std::array<std::vector<double>, 3> Y, g;
        for (unsigned int d = 0; d < 3; ++d)
          {
            Y[d].assign(rows.size() * K, 0.0);
            g[d].assign(K, 0.0);
          }
        std::vector<std::size_t> cell_rows(n);
        for (auto s = begin; s != end; ++s)
          {
            cell_force_weights(*s, fe_values, w);
            s->cell->get_dof_indices(dofs);
            for (unsigned int a = 0; a < n; ++a)
              cell_rows[a] = force_dof_row.at(dofs[a]);
            for (unsigned int d = 0; d < 3; ++d)
              for (unsigned int a = 0; a < n; ++a)
                {
                  double *y = &Y[d][local_row.at(cell_rows[a]) * K];
                  for (unsigned int b = 0; b < n; ++b)
                    {
                      const double A_ab = w.A[d](a, b);
                      const double *u   = &U(cell_rows[b], 0);
                      for (std::size_t c = 0; c < K; ++c)
                        y[c] += A_ab * u[c];
                    }
                  const double b_a = w.b[d](a);
                  const double *u  = &U(cell_rows[a], 0);
                  for (std::size_t c = 0; c < K; ++c)
                    g[d][c] += b_a * u[c];
                }
          }
        for (unsigned int d = 0; d < 3; ++d)
          {
            double *M = form.matrix(i, d);
            for (std::size_t r = 0; r < rows.size(); ++r)
              {
                const double *u = &U(rows[r], 0);
                const double *y = &Y[d][r * K];
                for (std::size_t a = 0; a < K; ++a)
                  if (u[a] != 0)
                    for (std::size_t b = 0; b < K; ++b)
                      M[a * K + b] += u[a] * y[b];
              }
            for (std::size_t a = 0; a < K; ++a)
              for (std::size_t b = 0; b < K; ++b)
                M[a * K + b] += 0.5 * (rho[a] * g[d][b] + rho[b] * g[d][a]);
          }
        begin = end;
      }
    // Exactly symmetric (A is; the sums above are not term by term), then over the ranks.
    for (std::size_t i = 0; i < N; ++i)
      for (unsigned int d = 0; d < 3; ++d)
        {
          double *M = form.matrix(i, d);
          for (std::size_t a = 0; a < K; ++a)
            for (std::size_t b = a + 1; b < K; ++b)
              M[a * K + b] = M[b * K + a] = 0.5 * (M[a * K + b] + M[b * K + a]);
        }
    if (N > 0)
      MPI_Allreduce(MPI_IN_PLACE, form.matrix(0, 0), static_cast<int>(3 * N * K * K), MPI_DOUBLE, MPI_SUM, comm);
    const auto counts =
      all_reduce(std::vector<unsigned long>{force_shell_cells.size(), force_dofs.size()}, MPI_SUM, comm);
    pcout << "[electrostatics] force form: " << counts[0] << " shell cells, " << counts[1] << " shell DoFs, " << K
          << " sources, " << std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()
          << " s (rank 0)" << std::endl;
    force_solution_columns.reinit(0, 0);
    return form;
  }
} // namespace mpstream::solver
