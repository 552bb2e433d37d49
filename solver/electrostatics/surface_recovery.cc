// Electrostatics, surface recovery: the sphere faces, the surface charge density sigma from
// the consistent flux (lumped, then patch-fitted: surface_patch_fit.cc) and the per-sphere
// surface fields.
#include "solver/electrostatics/impl.h"

#include "meshing/physical_tags.h"

#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpstream::solver
{
  namespace tags = meshing::tags;

  // The sphere faces of owned cells with what the surface charge recovery needs.
  void Electrostatics::Impl::setup_surface_faces()
  {
    const QGaussSimplex<2> gauss(fe.degree + 1);
    FEFaceValues<3> face_values(*mapping, fe, gauss, update_JxW_values);
    const auto &unit_points = fe.get_unit_support_points();
    const auto tet          = ReferenceCells::Tetrahedron;
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (cell->is_locally_owned())
        for (const auto f : cell->face_indices())
          {
            if (!cell->face(f)->at_boundary() || !tags::is_sphere(cell->face(f)->boundary_id()))
              continue;
            SurfaceFace sf;
            sf.cell   = cell;
            sf.face   = f;
            sf.sphere = tags::sphere_index(cell->face(f)->boundary_id());
            face_values.reinit(cell, f);
            sf.area = 0;
            for (const unsigned int q : face_values.quadrature_point_indices())
              sf.area += face_values.JxW(q);
            cell->get_dof_indices(dofs);
            for (unsigned int k = 0; k < 3; ++k)
              {
                sf.cell_vertex[k] = tet.face_to_cell_vertices(f, k, 1);
                sf.vertex_dof[k]  = dofs[sf.cell_vertex[k]]; // vertex DoFs come first
              }
            for (unsigned int i = 4; i < dofs.size(); ++i)
              {
                std::array<double, 4> lambda;
                unsigned int nonzero = 0;
                for (unsigned int v = 0; v < 4; ++v)
                  {
                    lambda[v] = tet.d_linear_shape_function(unit_points[i], v);
                    nonzero += std::abs(lambda[v]) > 1e-12;
                  }
                double on_face = 0;
                for (unsigned int k = 0; k < 3; ++k)
                  on_face += lambda[sf.cell_vertex[k]];
                if (std::abs(on_face - 1) > 1e-12)
                  continue; // not on this face
                // An edge node is shared by the two faces of its edge (closed surface).
                const double share = nonzero == 2 ? 0.5 : 1.0;
                std::array<double, 3> w;
                for (unsigned int k = 0; k < 3; ++k)
                  w[k] = share * lambda[sf.cell_vertex[k]];
                sf.others.emplace_back(dofs[i], w);
              }
            surface_faces.push_back(std::move(sf));
          }
    surface_faces_of_sphere.assign(layout.spheres.size(), {});
    for (std::size_t k = 0; k < surface_faces.size(); ++k)
      surface_faces_of_sphere[surface_faces[k].sphere].push_back(k);
  }

  // Patch fits of sigma at the owned sphere vertices (patch_fit_weights). A patch reaches
  // over faces of other ranks, so every rank first learns every sphere face (vertex DoFs,
  // vertices, curved area: a few MB for the 77-sphere stream); the lumped values the fits
  // read come through the ghost set of sigma_lumped. Geometry only: built once, and each
  // recovery is then one ghost exchange and a sparse sum.
  void Electrostatics::Impl::setup_surface_recovery()
  {
    TimerOutput::Scope t(timer, "surface recovery setup");
    // Collected first and added at once: IndexSet::add_index inserts in sorted order, so one
    // index at a time out of order is quadratic (measured: 28 s of set-up on 1 rank).
    std::vector<types::global_dof_index> ghost_indices;
    for (const auto &sf : surface_faces)
      for (const auto d : sf.vertex_dof)
        ghost_indices.push_back(d);
    vertex_fits.clear();
    if (prm.surface_recovery_rings > 0)
      {
        const auto surface = gather_sphere_facets();
        for (const auto &[v, its_facets] : surface.of_vertex)
          {
            if (!owned_dofs.is_element(v))
              continue;
            const auto &facet    = surface.facets[its_facets.front()];
            const Point<3> x     = facet.vertex[std::find(facet.vertex_dof.begin(), facet.vertex_dof.end(), v) -
                                            facet.vertex_dof.begin()];
            Tensor<1, 3> normal  = x - nearest_image_centre(facet.sphere, x);
            normal /= normal.norm();
            const auto patch = vertex_patch(v, prm.surface_recovery_rings, 2 * n_monomials, surface);
            auto weights     = patch_fit_weights(patch, x, normal, surface);
            if (weights.empty())
              continue; // keeps the lumped value
            for (const auto &[u, w] : weights)
              ghost_indices.push_back(u);
            vertex_fits.push_back({v, std::move(weights)});
          }
      }
    std::sort(ghost_indices.begin(), ghost_indices.end());
    ghost_indices.erase(std::unique(ghost_indices.begin(), ghost_indices.end()), ghost_indices.end());
    IndexSet ghosts(dof_handler.n_dofs());
    ghosts.add_indices(ghost_indices.begin(), ghost_indices.end());
    ghosts.compress();
    sigma_lumped.reinit(owned_dofs, ghosts, comm);
  }

  // Every rank's sphere faces on every rank, packed as doubles (DoF indices are exact below
  // 2^53): 14 doubles per face, about 7 MB for the 77-sphere stream.
  SphereFacets Electrostatics::Impl::gather_sphere_facets() const
  {
    constexpr std::size_t stride = 14;
    std::vector<double> packed;
    packed.reserve(stride * surface_faces.size());
    for (const auto &sf : surface_faces)
      {
        packed.push_back(sf.sphere);
        for (unsigned int k = 0; k < 3; ++k)
          packed.push_back(static_cast<double>(sf.vertex_dof[k]));
        for (unsigned int k = 0; k < 3; ++k)
          for (unsigned int d = 0; d < 3; ++d)
            packed.push_back(sf.cell->vertex(sf.cell_vertex[k])[d]);
        packed.push_back(sf.area);
      }
    SphereFacets surface;
    for (const auto &from : Utilities::MPI::all_gather(comm, packed))
      for (std::size_t i = 0; i + stride <= from.size(); i += stride)
        {
          SphereFacet f;
          f.sphere = static_cast<unsigned int>(from[i]);
          for (unsigned int k = 0; k < 3; ++k)
            {
              f.vertex_dof[k] = static_cast<types::global_dof_index>(from[i + 1 + k]);
              f.vertex[k]     = Point<3>(from[i + 4 + 3 * k], from[i + 5 + 3 * k], from[i + 6 + 3 * k]);
              surface.of_vertex[f.vertex_dof[k]].push_back(surface.facets.size());
            }
          f.area = from[i + 13];
          surface.facets.push_back(f);
        }
    return surface;
  }

  // Surface charge density from the consistent ("reaction") flux: r_j = (A phi - rho l)_j at
  // the sphere-surface DoFs equals the integral of sigma psi_j over the surface. Projected on
  // the P1 hat functions (hat_v = sum_j lambda_v(x_j) psi_j) and divided by the lumped P1 mass,
  // sigma_v = integral(sigma hat_v) / integral(hat_v): exact for uniform sigma, sums to the
  // sphere charge, and far less noisy than eps0 grad phi . n at the surface (the measurements
  // are in doc/electrostatics.md). These lumped values still carry the mesh's irregularity
  // (+2.6 % peak error for a uniform sigma on the default mesh), so each vertex then gets the
  // patch fit of its neighbours' lumped values (setup_surface_recovery: +0.35 %). The sphere
  // charges keep the lumped values, which sum to Q exactly.
  void Electrostatics::Impl::recover_surface_charge() const
  {
    if (sigma_current)
      return;
    TimerOutput::Scope t(timer, "surface charge recovery");
    const auto reaction = sphere_reaction(solution_owned, space_charge);
    LinearAlgebra::distributed::Vector<double> r(owned_dofs, relevant_dofs, comm),
      numerator(owned_dofs, relevant_dofs, comm), mass(owned_dofs, relevant_dofs, comm);
    for (const auto &[d, n] : sphere_of_dof)
      if (owned_dofs.is_element(d))
        r(d) = reaction(d);
    // Periodic cell: a sphere point on a periodic side has one DoF per side, each seeing only
    // its side's cells; the point's reaction, mass and numerator are the sums. The copies may
    // be owned by different ranks: each rank adds the copies it owns, the sums are reduced over
    // the ranks, and the owners write them back (their ghosts are refreshed by the caller).
    const auto sum_over_periodic_copies = [&](LinearAlgebra::distributed::Vector<double> &v) {
      if (periodic_sphere_classes.empty())
        return;
      std::vector<double> totals(periodic_sphere_classes.size(), 0.0);
      for (std::size_t k = 0; k < totals.size(); ++k)
        for (const auto d : periodic_sphere_classes[k])
          if (owned_dofs.is_element(d))
            totals[k] += v(d);
      totals = all_reduce(totals, MPI_SUM, comm);
      for (std::size_t k = 0; k < totals.size(); ++k)
        for (const auto d : periodic_sphere_classes[k])
          if (owned_dofs.is_element(d))
            v(d) = totals[k];
    };
    sum_over_periodic_copies(r);
    r.update_ghost_values();
    // Lumped P1 mass first: it also splits a vertex's own reaction r_v over its faces, whose
    // cells may all live on ranks other than the vertex's owner.
    for (const auto &sf : surface_faces)
      for (unsigned int k = 0; k < 3; ++k)
        mass(sf.vertex_dof[k]) += sf.area / 3;
    mass.compress(VectorOperation::add);
    sum_over_periodic_copies(mass);
    mass.update_ghost_values();
    for (const auto &sf : surface_faces)
      for (unsigned int k = 0; k < 3; ++k)
        {
          const auto v = sf.vertex_dof[k];
          numerator(v) += r(v) * (sf.area / 3) / mass(v);
          for (const auto &[j, w] : sf.others)
            numerator(v) += w[k] * r(j);
        }
    numerator.compress(VectorOperation::add);
    sum_over_periodic_copies(numerator);
    sigma_lumped = 0;
    for (const auto v : owned_dofs)
      if (mass(v) > 0)
        sigma_lumped(v) = numerator(v) / mass(v);
    sigma_lumped.update_ghost_values();
    sigma_vertex = 0;
    for (const auto v : owned_dofs)
      sigma_vertex(v) = sigma_lumped(v); // kept where a vertex has no fit
    for (const auto &fit : vertex_fits)
      {
        double sigma = 0;
        for (const auto &[u, w] : fit.weights)
          sigma += w * sigma_lumped(u);
        sigma_vertex(fit.vertex) = sigma;
      }
    // The copies of a periodic point have one-sided patches: their mean is the point's value.
    sum_over_periodic_copies(sigma_vertex);
    for (const auto &group : periodic_sphere_classes)
      for (const auto d : group)
        if (owned_dofs.is_element(d))
          sigma_vertex(d) /= static_cast<double>(group.size());
    sigma_vertex.update_ghost_values();
    sigma_current = true;
  }

  double Electrostatics::Impl::sigma_on_face(const SurfaceFace &face, const std::array<double, 3> &lambda) const
  {
    return lambda[0] * sigma_vertex(face.vertex_dof[0]) + lambda[1] * sigma_vertex(face.vertex_dof[1]) +
           lambda[2] * sigma_vertex(face.vertex_dof[2]);
  }

  std::vector<SphereField> Electrostatics::Impl::sphere_fields() const
  {
    recover_surface_charge();
    TimerOutput::Scope t(timer, "surface fields");
    const std::size_t N = layout.spheres.size();
    // sigma is P1 on the surface: extremes at the vertices. The FE-gradient diagnostics use
    // the face's Gauss points.
    const QGaussSimplex<2> gauss(fe.degree + 1);
    FEFaceValues<3> face_values(*mapping, fe, gauss, update_gradients | update_normal_vectors | update_JxW_values);
    std::vector<Tensor<1, 3>> grads(gauss.size());

    std::vector<double> area(N, 0.0), charge(N, 0.0), grad_flux(N, 0.0);
    std::vector<double> fmin(N, std::numeric_limits<double>::max());
    std::vector<double> fmax(N, std::numeric_limits<double>::lowest());
    std::vector<double> fabsmax(N, -1.0), gabsmax(N, 0.0);
    std::vector<Point3> where(N, Point3{});
    for (const auto &sf : surface_faces)
      {
        const auto n = sf.sphere;
        area[n] += sf.area;
        double mean = 0; // of the lumped values: they sum to the sphere's charge
        for (unsigned int k = 0; k < 3; ++k)
          {
            mean += sigma_lumped(sf.vertex_dof[k]) / 3;
            const double sigma = sigma_vertex(sf.vertex_dof[k]);
            const double En = sigma / eps0;
            fmin[n] = std::min(fmin[n], En);
            fmax[n] = std::max(fmax[n], En);
            if (std::abs(En) > fabsmax[n])
              {
                fabsmax[n] = std::abs(En);
                where[n]   = to_array(mapping->transform_unit_to_real_cell(
                  sf.cell, ReferenceCells::Tetrahedron.vertex<3>(sf.cell_vertex[k])));
              }
          }
        charge[n] += mean * sf.area;
        // The face normal points out of the vacuum, into the sphere: E.n_out = grad phi . normal.
        face_values.reinit(sf.cell, sf.face);
        face_values.get_function_gradients(solution, grads);
        for (unsigned int q = 0; q < gauss.size(); ++q)
          {
            const double En = grads[q] * face_values.normal_vector(q);
            grad_flux[n] += En * face_values.JxW(q);
            gabsmax[n] = std::max(gabsmax[n], std::abs(En));
          }
      }
    area      = all_reduce(area, MPI_SUM, comm);
    charge    = all_reduce(charge, MPI_SUM, comm);
    grad_flux = all_reduce(grad_flux, MPI_SUM, comm);
    fmin      = all_reduce(fmin, MPI_MIN, comm);
    fmax      = all_reduce(fmax, MPI_MAX, comm);
    gabsmax   = all_reduce(gabsmax, MPI_MAX, comm);
    // Location of the global |E.n| maximum: the lowest rank holding it sends it.
    const auto global_abs = all_reduce(fabsmax, MPI_MAX, comm);
    std::vector<unsigned int> holder(N);
    for (std::size_t n = 0; n < N; ++n)
      holder[n] = fabsmax[n] == global_abs[n] ? rank : n_ranks;
    holder = all_reduce(holder, MPI_MIN, comm);
    std::vector<double> location(3 * N, 0.0);
    for (std::size_t n = 0; n < N; ++n)
      if (holder[n] == rank)
        for (unsigned int d = 0; d < 3; ++d)
          location[3 * n + d] = where[n][d];
    location = all_reduce(location, MPI_SUM, comm);

    const auto phi = sphere_potentials();
    std::vector<SphereField> result(N);
    for (std::size_t n = 0; n < N; ++n)
      {
        auto &r          = result[n];
        r.potential      = phi[n];
        r.charge         = charges[n];
        r.area           = area[n];
        r.surface_charge = charge[n];
        r.field_mean     = area[n] > 0 ? charge[n] / eps0 / area[n] : 0.0;
        r.field_min      = fmin[n];
        r.field_max      = fmax[n];
        r.field_abs_max  = global_abs[n];
        r.field_abs_max_location = Point3{location[3 * n], location[3 * n + 1], location[3 * n + 2]};
        r.gradient_field_mean    = area[n] > 0 ? grad_flux[n] / area[n] : 0.0;
        r.gradient_field_abs_max = gabsmax[n];
      }
    return result;
  }
} // namespace mpstream::solver
