// Electrostatics, forces: the net force on every sphere from the Maxwell stress on its curved
// surface, F_i = integral of sigma^2 / (2 eps0) n dA (the stress on a conductor is normal to it,
// so the torque about the centre vanishes), with sigma the recovered surface charge
// (surface_recovery.cc), and the same as a quadratic form in the sources (SphereForceForm),
// built from the unit solutions of compute_responses (responses.cc). doc/forces.md has the
// physics and the verification.
#include "solver/electrostatics/impl.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

namespace mpstream::solver
{
  // sigma is P1 on each (flat-parametrised) face and the curved face's JxW n is quadratic in
  // its parameters: the 6-point rule (exact to degree 4) integrates sigma_a sigma_b n exactly
  // on the discrete surface. The P1 hats at the points come from the P2 shape values
  // (lambda_v = sum_j lambda_v(x_j) psi_j, exact because P1 is in P2), which keeps the point
  // order of FEFaceValues whatever the face's orientation.
  void Electrostatics::Impl::setup_force_weights() const
  {
    if (force_weights_ready) // the same on every rank: the timer's scope is collective
      return;
    force_weights_ready = true;
    TimerOutput::Scope t(timer, "force weights");
    const QGaussSimplex<2> gauss(3);
    FEFaceValues<3> face_values(*mapping, fe, gauss, update_values | update_normal_vectors | update_JxW_values);
    const auto &unit_points = fe.get_unit_support_points();
    const auto tet          = ReferenceCells::Tetrahedron;
    face_force_weights.assign(surface_faces.size(), FaceForceWeights{});
    for (std::size_t f = 0; f < surface_faces.size(); ++f)
      {
        const auto &sf = surface_faces[f];
        face_values.reinit(sf.cell, sf.face);
        auto &w = face_force_weights[f];
        for (const unsigned int q : face_values.quadrature_point_indices())
          {
            std::array<double, 3> lambda{};
            for (unsigned int k = 0; k < 3; ++k)
              for (unsigned int j = 0; j < fe.n_dofs_per_cell(); ++j)
                lambda[k] += tet.d_linear_shape_function(unit_points[j], sf.cell_vertex[k]) *
                             face_values.shape_value(j, q);
            // The face normal points out of the vacuum, into the sphere.
            const Tensor<1, 3> n_out = -face_values.normal_vector(q);
            const double dA          = face_values.JxW(q) / (2 * eps0);
            for (unsigned int d = 0; d < 3; ++d)
              for (unsigned int a = 0; a < 3; ++a)
                for (unsigned int b = 0; b < 3; ++b)
                  w[d][a][b] += dA * n_out[d] * lambda[a] * lambda[b];
          }
      }
  }

  std::vector<Point3> Electrostatics::Impl::sphere_forces() const
  {
    recover_surface_charge();
    setup_force_weights();
    TimerOutput::Scope t(timer, "sphere forces");
    const std::size_t N = layout.spheres.size();
    std::vector<double> F(3 * N, 0.0);
    for (std::size_t f = 0; f < surface_faces.size(); ++f)
      {
        const auto &sf = surface_faces[f];
        std::array<double, 3> sigma;
        for (unsigned int k = 0; k < 3; ++k)
          sigma[k] = sigma_vertex(sf.vertex_dof[k]);
        for (unsigned int d = 0; d < 3; ++d)
          for (unsigned int a = 0; a < 3; ++a)
            for (unsigned int b = 0; b < 3; ++b)
              F[3 * sf.sphere + d] += face_force_weights[f][d][a][b] * sigma[a] * sigma[b];
      }
    F = all_reduce(F, MPI_SUM, comm);
    std::vector<Point3> forces(N);
    for (std::size_t i = 0; i < N; ++i)
      forces[i] = {F[3 * i], F[3 * i + 1], F[3 * i + 2]};
    return forces;
  }

  void Electrostatics::Impl::start_force_columns(std::size_t n_columns)
  {
    if (force_vertices.empty())
      for (const auto &sf : surface_faces)
        for (const auto v : sf.vertex_dof)
          if (force_vertex_row.emplace(v, force_vertices.size()).second)
            force_vertices.push_back(v);
    force_sigma_columns.reinit(force_vertices.size(), n_columns);
  }

  void Electrostatics::Impl::record_force_column(std::size_t column, double scale)
  {
    recover_surface_charge();
    for (std::size_t r = 0; r < force_vertices.size(); ++r)
      force_sigma_columns(r, column) = scale * sigma_vertex(force_vertices[r]);
  }

  // With S' = S T the sigma of each source of s = (Q, V, 1) at the vertices, sphere i's
  // F_d = s^T S'^T W_i,d S' s, W_i,d the assembled face weights. Per component: Y = W_d S'
  // (face by face), then M_i,d += S'_r^T Y_r over the vertices r of sphere i; each rank sums its
  // own faces and the matrices are added over the ranks (the faces partition the surface).
  SphereForceForm Electrostatics::Impl::build_force_form(const FullMatrix<double> &to_sources)
  {
    TimerOutput::Scope t(timer, "force form");
    setup_force_weights();
    const std::size_t N = layout.spheres.size(), V = force_vertices.size(), K = to_sources.n();
    SphereForceForm form(N, electrode_layers);
    AssertThrow(form.n_sources() == K, ExcInternalError());
    FullMatrix<double> S(V, K);
    if (V > 0)
      force_sigma_columns.mmult(S, to_sources);
    std::vector<unsigned int> sphere_of_row(V, 0);
    for (const auto &sf : surface_faces)
      for (const auto v : sf.vertex_dof)
        sphere_of_row[force_vertex_row.at(v)] = sf.sphere;
    std::vector<double> Y(V * K);
    for (unsigned int d = 0; d < 3; ++d)
      {
        std::fill(Y.begin(), Y.end(), 0.0);
        for (std::size_t f = 0; f < surface_faces.size(); ++f)
          {
            std::array<std::size_t, 3> row;
            for (unsigned int k = 0; k < 3; ++k)
              row[k] = force_vertex_row.at(surface_faces[f].vertex_dof[k]);
            for (unsigned int a = 0; a < 3; ++a)
              for (unsigned int b = 0; b < 3; ++b)
                {
                  const double w = face_force_weights[f][d][a][b];
                  double *y       = &Y[row[a] * K];
                  const double *s = &S(row[b], 0);
                  for (std::size_t c = 0; c < K; ++c)
                    y[c] += w * s[c];
                }
          }
        for (std::size_t r = 0; r < V; ++r)
          {
            double *M       = form.matrix(sphere_of_row[r], d);
            const double *s = &S(r, 0);
            const double *y = &Y[r * K];
            for (std::size_t a = 0; a < K; ++a)
              for (std::size_t b = 0; b < K; ++b)
                M[a * K + b] += s[a] * y[b];
          }
      }
    // Exactly symmetric (W is; the sums above are not term by term), then over the ranks.
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
    force_sigma_columns.reinit(0, 0);
    return form;
  }
} // namespace mpstream::solver
