// Electrostatics, responses: the linear responses of the spheres to unit charges or unit
// potentials (compute_responses) and mean potentials as functionals by reciprocity.
#include "solver/electrostatics/impl.h"

#include <algorithm>

namespace mpstream::solver
{
  void Electrostatics::Impl::report_progress(const std::string &task, unsigned int done, unsigned int total,
                                             unsigned int iterations,
                                             std::chrono::steady_clock::time_point start) const
  {
    if (progress)
      progress({task, done, total, iterations,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
  }

  // Two ways to the same discrete responses (doc/electrostatics.md, "Capacitance matrix"):
  // - unit potentials (default): sphere j at 1 V, every other sphere, the anode, enclosure and
  //   electrodes at 0 V on the grounded-sphere operator. The consistent fluxes give the Maxwell
  //   capacitance matrix C directly, P = C^-1, and a floating state is sum_j V_j u_j with
  //   V = P Q. This is the same Galerkin solution as the floating operator's (both minimise
  //   the energy on the same space), but the operator has no dense master rows and BoomerAMG
  //   V-cycles on it are much cheaper.
  // - unit charges on the floating operator: used for the periodic cell, whose sphere pieces
  //   on the sides are tied by the periodicity constraints.
  Responses Electrostatics::Impl::compute_responses(const std::vector<SurfacePoint> &surface_points)
  {
    const auto start = std::chrono::steady_clock::now();
    const std::size_t N = layout.spheres.size();
    Responses r;
    // Reference points: the |E.n| maxima of the current solution, else the lowest points.
    if (solved)
      {
        const auto fields = sphere_fields();
        for (const auto &f : fields)
          r.field_points.push_back(f.field_abs_max_location);
      }
    else
      for (const auto &s : layout.spheres)
        r.field_points.push_back({s.centre[0], s.centre[1], s.centre[2] - s.radius});
    // Probes: the N reference points first, then the caller's surface points.
    std::vector<SurfacePoint> all_points;
    for (std::size_t i = 0; i < N; ++i)
      all_points.push_back({i, r.field_points[i]});
    all_points.insert(all_points.end(), surface_points.begin(), surface_points.end());
    const auto probes = locate_surface_points(all_points);

    const auto saved_charges  = charges;
    const auto saved_solution = solution_owned;
    const bool was_solved     = solved;
    const auto saved_V        = electrode_potentials;
    const double saved_rho    = space_charge;

    if (layout.periodic_cell || !prm.responses_by_unit_potentials)
      responses_by_unit_charges(probes, r);
    else
      responses_by_unit_potentials(probes, r);

    charges              = saved_charges;
    electrode_potentials = saved_V;
    space_charge         = saved_rho;
    solution_owned       = saved_solution;
    solution             = saved_solution;
    solved               = was_solved;
    sigma_current        = false;
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return r;
  }

  void Electrostatics::Impl::responses_by_unit_charges(const std::vector<SurfaceProbe> &probes, Responses &r)
  {
    const std::size_t N = layout.spheres.size(), M = probes.size() - N;
    const auto saved_V     = electrode_potentials;
    const double saved_rho = space_charge;
    // Unit charge: 1 fC keeps potentials in the range of the physical problem.
    const double q_unit = 1e-15;
    r.potential_coefficients.assign(N, std::vector<double>(N, 0.0));
    r.field_per_charge.assign(N, std::vector<double>(N, 0.0));
    r.surface_field_per_charge.assign(M, std::vector<double>(N, 0.0));
    const auto start        = std::chrono::steady_clock::now();
    const unsigned int total = static_cast<unsigned int>(N + electrode_layers.size() + 1);
    electrode_potentials.clear();
    space_charge = 0;
    start_force_columns(N + electrode_layers.size() + 1);
    // One floating solve of the state as set: sphere potentials and E.n at the probes.
    const auto solve_and_probe = [&]() {
      const auto report = solve(prm.response_tolerance);
      r.max_iterations  = std::max(r.max_iterations, report.iterations);
      ++r.solves;
      auto result = std::make_pair(sphere_potentials(), evaluate_probes(probes));
      report_progress("unit-charge responses", r.solves, total, report.iterations, start);
      return result;
    };
    for (std::size_t j = 0; j < N; ++j)
      {
        charges.assign(N, 0.0);
        charges[j] = q_unit;
        const auto [phi, En] = solve_and_probe();
        record_force_column(j, 1 / q_unit);
        for (std::size_t i = 0; i < N; ++i)
          {
            r.potential_coefficients[i][j] = phi[i] / q_unit;
            r.field_per_charge[i][j]       = En[i] / q_unit;
          }
        for (std::size_t m = 0; m < M; ++m)
          r.surface_field_per_charge[m][j] = En[N + m] / q_unit;
      }
    charges.assign(N, 0.0);
    const std::size_t E = electrode_layers.size();
    r.potential_per_electrode_volt.assign(N, std::vector<double>(E, 0.0));
    r.surface_field_per_electrode_volt.assign(M, std::vector<double>(E, 0.0));
    for (std::size_t k = 0; k < E; ++k)
      {
        electrode_potentials.assign(electrode_layers.back() + 1, 0.0);
        electrode_potentials[electrode_layers[k]] = 1.0;
        const auto [phi, En] = solve_and_probe();
        record_force_column(N + k, 1.0);
        for (std::size_t i = 0; i < N; ++i)
          r.potential_per_electrode_volt[i][k] = phi[i];
        for (std::size_t m = 0; m < M; ++m)
          r.surface_field_per_electrode_volt[m][k] = En[N + m];
      }
    electrode_potentials = saved_V;
    space_charge         = saved_rho;
    {
      const auto [phi, En]   = solve_and_probe();
      record_force_column(N + E, 1.0);
      r.electrode_potentials = phi;
      r.field_electrodes.assign(En.begin(), En.begin() + N);
      r.surface_field_electrodes.assign(En.begin() + N, En.end());
    }

    // Force sources (Q, V, 1): the last solve had the electrodes as set besides the space
    // charge; its "1" column is the space charge's alone.
    FullMatrix<double> to_sources(IdentityMatrix(N + E + 1));
    for (std::size_t k = 0; k < E; ++k)
      to_sources(N + k, N + E) = -electrode_potential(k);
    r.forces = build_force_form(to_sources);

    FullMatrix<double> P(N, N);
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j)
        P(i, j) = r.potential_coefficients[i][j];
    P.gauss_jordan();
    r.capacitance.assign(N, std::vector<double>(N, 0.0));
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j)
        r.capacitance[i][j] = P(i, j);
  }

  void Electrostatics::Impl::responses_by_unit_potentials(const std::vector<SurfaceProbe> &probes, Responses &r)
  {
    const std::size_t N = layout.spheres.size(), M = probes.size() - N;
    const double rho    = space_charge; // as set; the tabulation below changes the member
    const auto start    = std::chrono::steady_clock::now();
    const unsigned int total = static_cast<unsigned int>(N + electrode_layers.size() + (rho != 0 ? 1 : 0));
    if (!grounded)
      setup_grounded_sphere_operator();
    // The field at a probe of a solution u is linear in u: tabulate it for each unit-potential
    // solution (columns 0..N-1) and for the boundary solves below (columns N..N+E).
    FullMatrix<double> C(N, N), field(N + M, N + electrode_layers.size() + 1);
    start_force_columns(N + electrode_layers.size() + 1);
    const auto tabulate = [&](const PETScWrappers::MPI::Vector &u, double rho, std::size_t column) {
      solution_owned = u;
      solution       = u;
      space_charge   = rho;
      sigma_current  = false;
      const auto En  = evaluate_probes(probes);
      for (std::size_t m = 0; m < N + M; ++m)
        field(m, column) = En[m];
      record_force_column(column, 1.0);
      return sphere_charges_of(u, rho);
    };
    for (std::size_t j = 0; j < N; ++j)
      {
        PETScWrappers::MPI::Vector unit(owned_dofs, comm), rhs(owned_dofs, comm);
        for (const auto &[d, n] : sphere_of_dof)
          if (n == j && owned_dofs.is_element(d))
            unit(d) = 1.0;
        unit.compress(VectorOperation::insert);
        sphere_rows.Tvmult(rhs, unit); // A symmetric: the rows' transpose is A's sphere-j columns
        rhs *= -1.0;
        grounded->constraints.set_zero(rhs);
        SolveReport report;
        const auto u     = solve_grounded(rhs, unit, report);
        r.max_iterations = std::max(r.max_iterations, report.iterations);
        ++r.solves;
        const auto Q     = tabulate(u, 0.0, j);
        for (std::size_t i = 0; i < N; ++i)
          C(i, j) = Q[i];
        report_progress("unit-potential responses", r.solves, total, report.iterations, start);
      }
    // Boundary solves with all spheres at 0 V: each electrode alone at 1 V (column N + k of
    // `field`), then the space charge as set (column N + E), with the charges they induce.
    const std::size_t E = electrode_layers.size();
    std::vector<std::vector<double>> induced(E + 1, std::vector<double>(N, 0.0));
    for (std::size_t k = 0; k <= E; ++k)
      {
        if (k == E && rho == 0)
          break;
        PETScWrappers::MPI::Vector rhs(owned_dofs, comm), boundary(owned_dofs, comm);
        if (k < E)
          {
            rhs = grounded->rhs_unit_electrode[k];
            for (const auto &[d, w] : owned_electrode_dofs[k])
              boundary(d) = w;
          }
        else
          rhs.add(rho, grounded->rhs_unit_space_charge);
        boundary.compress(VectorOperation::insert);
        SolveReport report;
        const auto u     = solve_grounded(rhs, boundary, report);
        r.max_iterations = std::max(r.max_iterations, report.iterations);
        ++r.solves;
        induced[k] = tabulate(u, k < E ? 0.0 : rho, N + k);
        report_progress("unit-potential responses", r.solves, total, report.iterations, start);
      }

    r.capacitance.assign(N, std::vector<double>(N, 0.0));
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j)
        r.capacitance[i][j] = C(i, j);
    FullMatrix<double> P(C);
    P.gauss_jordan();
    r.potential_coefficients.assign(N, std::vector<double>(N, 0.0));
    for (std::size_t i = 0; i < N; ++i)
      for (std::size_t j = 0; j < N; ++j)
        r.potential_coefficients[i][j] = P(i, j);
    // Floating states are sums of the unit-potential solutions: unit charge on j -> V = P e_j;
    // a boundary solve with induced charges q -> V = -P q added to it (zero net charge).
    FullMatrix<double> unit_field(N + M, N), per_charge(N + M, N);
    for (std::size_t m = 0; m < N + M; ++m)
      for (std::size_t j = 0; j < N; ++j)
        unit_field(m, j) = field(m, j);
    unit_field.mmult(per_charge, P);
    r.field_per_charge.assign(N, std::vector<double>(N, 0.0));
    r.surface_field_per_charge.assign(M, std::vector<double>(N, 0.0));
    for (std::size_t m = 0; m < N + M; ++m)
      {
        auto &row = m < N ? r.field_per_charge[m] : r.surface_field_per_charge[m - N];
        for (std::size_t j = 0; j < N; ++j)
          row[j] = per_charge(m, j);
      }
    const auto floating = [&](std::size_t column, std::vector<double> &potentials, std::vector<double> &fields) {
      Vector<double> q(N), V(N), f(N + M);
      for (std::size_t i = 0; i < N; ++i)
        q(i) = induced[column - N][i];
      P.vmult(V, q);
      V *= -1.0;
      unit_field.vmult(f, V);
      potentials.assign(V.begin(), V.end());
      fields.resize(N + M);
      for (std::size_t m = 0; m < N + M; ++m)
        fields[m] = field(m, column) + f(m);
    };
    r.potential_per_electrode_volt.assign(N, std::vector<double>(E, 0.0));
    r.surface_field_per_electrode_volt.assign(M, std::vector<double>(E, 0.0));
    r.electrode_potentials.assign(N, 0.0);
    std::vector<double> as_set_field(N + M, 0.0);
    for (std::size_t k = 0; k <= E; ++k)
      {
        const double weight = k < E ? electrode_potential(k)
                                    : (rho != 0 ? 1.0 : 0.0);
        if (k == E && weight == 0)
          break;
        std::vector<double> V, f;
        floating(N + k, V, f);
        for (std::size_t i = 0; i < N; ++i)
          {
            r.electrode_potentials[i] += weight * V[i];
            if (k < E)
              r.potential_per_electrode_volt[i][k] = V[i];
          }
        for (std::size_t m = 0; m < N + M; ++m)
          {
            as_set_field[m] += weight * f[m];
            if (k < E && m >= N)
              r.surface_field_per_electrode_volt[m - N][k] = f[m];
          }
      }
    r.field_electrodes.assign(as_set_field.begin(), as_set_field.begin() + N);
    r.surface_field_electrodes.assign(as_set_field.begin() + N, as_set_field.end());
    r.forces = build_force_form(force_sources_of_unit_potentials(P, induced, rho != 0));
  }

  // The map T from the recorded unit-potential columns (u_j, then the grounded-sphere solves
  // of each electrode at 1 V and of the space charge) to the sources (Q, V, 1), as `floating`
  // above: a unit charge on j is sum_l u_l P_lj; a boundary solve with induced charges q needs
  // the spheres at -P q to carry no charge.
  FullMatrix<double> Electrostatics::Impl::force_sources_of_unit_potentials(
    const FullMatrix<double> &P, const std::vector<std::vector<double>> &induced, bool with_space_charge) const
  {
    const std::size_t N = P.m(), E = electrode_layers.size();
    FullMatrix<double> T(N + E + 1, N + E + 1);
    for (std::size_t l = 0; l < N; ++l)
      for (std::size_t j = 0; j < N; ++j)
        T(l, j) = P(l, j);
    for (std::size_t k = 0; k <= E; ++k)
      {
        if (k == E && !with_space_charge)
          break;
        T(N + k, N + k) = 1;
        for (std::size_t l = 0; l < N; ++l)
          for (std::size_t j = 0; j < N; ++j)
            T(l, N + k) -= P(l, j) * induced[k][j];
      }
    return T;
  }

  // Mean potential over a point set as a linear functional of the sources, by reciprocity.
  // With l the functional's vector (the points' shape values, condensed by the constraints: a
  // sphere DoF's share goes to its master, Dirichlet DoFs drop out) and z = A^-1 l (A is
  // symmetric), the mean for b = sum_j Q_j e_master(j) + sum_k V_k b_k + rho b_rho is
  // z . b, plus the share of the points' cells on the Dirichlet values of the electrodes.
  MeanPotentialResponses
  Electrostatics::Impl::mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets)
  {
    TimerOutput::Scope t(timer, "mean-potential responses");
    const std::size_t N = layout.spheres.size(), E = electrode_layers.size();
    MeanPotentialResponses r;
    // A point inside a sphere sees that sphere's potential (its master DoF's value); the
    // others are located once, every set's together.
    std::vector<std::vector<std::size_t>> spheres_of_set(point_sets.size()), vacuum_of_set(point_sets.size());
    std::vector<Point3> vacuum_points;
    for (std::size_t f = 0; f < point_sets.size(); ++f)
      {
        if (point_sets[f].empty())
          throw InputError("Electrostatics: a mean-potential point set is empty");
        for (const auto &x : point_sets[f])
          {
            const std::size_t inside = sphere_containing(x);
            if (inside < N)
              spheres_of_set[f].push_back(inside);
            else
              {
                vacuum_of_set[f].push_back(vacuum_points.size());
                vacuum_points.push_back(x);
              }
          }
      }
    const auto located = locate_points(vacuum_points);
    for (std::size_t m = 0; m < located.size(); ++m)
      if (!located[m].found)
        throw point_outside_mesh(vacuum_points[m]);
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    Vector<double> local(fe.n_dofs_per_cell());
    const auto start = std::chrono::steady_clock::now(); // of the solves (progress)
    for (std::size_t f = 0; f < point_sets.size(); ++f)
      {
        const double w = 1.0 / point_sets[f].size();
        PETScWrappers::MPI::Vector functional(owned_dofs, comm);
        std::vector<double> direct(E, 0.0);
        for (const std::size_t n : spheres_of_set[f])
          if (owned_dofs.is_element(sphere_master[n]))
            functional(sphere_master[n]) += w;
        for (const std::size_t m : vacuum_of_set[f])
          {
            if (!located[m].rank_has)
              continue;
            located[m].cell->get_dof_indices(dofs);
            for (unsigned int i = 0; i < dofs.size(); ++i)
              {
                local(i)      = w * fe.shape_value(i, located[m].xi);
                const auto it = electrode_weights.find(dofs[i]);
                if (it != electrode_weights.end())
                  for (const auto &[k, weight] : it->second)
                    direct[k] += local(i) * weight;
              }
            constraints.distribute_local_to_global(local, dofs, functional);
          }
        functional.compress(VectorOperation::add);
        direct = all_reduce(direct, MPI_SUM, comm);

        SolveReport report;
        const auto z = solve_floating(functional, prm.response_tolerance, report);
        ++r.solves;
        std::vector<double> per_charge(N, 0.0);
        for (std::size_t j = 0; j < N; ++j)
          if (owned_dofs.is_element(sphere_master[j]))
            per_charge[j] = z(sphere_master[j]);
        r.per_charge.push_back(all_reduce(per_charge, MPI_SUM, comm));
        std::vector<double> per_volt(E);
        for (std::size_t k = 0; k < E; ++k)
          per_volt[k] = (z * rhs_unit_electrode[k]) + direct[k];
        r.per_electrode_volt.push_back(per_volt);
        r.per_space_charge.push_back(z * rhs_unit_space_charge);
        report_progress("mean-potential responses", r.solves, static_cast<unsigned int>(point_sets.size()),
                        report.iterations, start);
      }
    return r;
  }
} // namespace mpstream::solver
