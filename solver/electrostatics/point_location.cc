// Electrostatics, point location: points in the vacuum (partition-independent owner cell),
// points on the curved sphere surfaces, sampling and mean potentials of the solution in place.
#include "solver/electrostatics/impl.h"

#include <deal.II/base/quadrature_lib.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/grid/tria.h>
#include <deal.II/numerics/rtree.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>

namespace mpstream::solver
{
  namespace
  {
    // Distance of a reference-tetrahedron point outside the cell (0 inside).
    double outside_reference_tet(const Point<3> &xi)
    {
      return std::max({0.0, -xi[0], -xi[1], -xi[2], xi[0] + xi[1] + xi[2] - 1.0});
    }

    Point<3> clamp_to_reference_tet(Point<3> xi)
    {
      for (unsigned int d = 0; d < 3; ++d)
        xi[d] = std::max(xi[d], 0.0);
      const double sum = xi[0] + xi[1] + xi[2];
      if (sum > 1)
        xi /= sum;
      return xi;
    }

    // Moves a reference point onto face f of the reference tetrahedron (sets the barycentric
    // coordinate of the face's opposite vertex to zero and renormalises the others).
    Point<3> project_to_reference_face(const Point<3> &xi, unsigned int f)
    {
      const auto tet = ReferenceCells::Tetrahedron;
      std::array<double, 4> lambda;
      std::array<bool, 4> on_face{false, false, false, false};
      for (unsigned int k = 0; k < 3; ++k)
        on_face[tet.face_to_cell_vertices(f, k, 1)] = true;
      double sum = 0;
      for (unsigned int v = 0; v < 4; ++v)
        {
          lambda[v] = on_face[v] ? std::max(0.0, tet.d_linear_shape_function(xi, v)) : 0.0;
          sum += lambda[v];
        }
      Point<3> result;
      for (unsigned int v = 0; v < 4; ++v)
        result += (sum > 0 ? lambda[v] / sum : 1. / 3 * on_face[v]) * tet.vertex<3>(v);
      return result;
    }
  } // namespace

  RuntimeFailure point_outside_mesh(const Point3 &x)
  {
    return RuntimeFailure("Electrostatics: mean-potential point (" + std::to_string(x[0]) + ", " +
                          std::to_string(x[1]) + ", " + std::to_string(x[2]) + ") m is outside the mesh");
  }

  std::vector<Electrostatics::Impl::LocatedPoint>
  Electrostatics::Impl::locate_points(const std::vector<Point3> &points) const
  {
    TimerOutput::Scope t(timer, "point location");
    const std::size_t M = points.size();
    std::vector<unsigned int> holder(M, n_ranks);
    std::vector<std::pair<DoFHandler<3>::active_cell_iterator, Point<3>>> found(M);
    // Each rank looks only among its own cells, through the R-tree of their bounding boxes
    // (a straight cell lies in the box of its vertices; the curved vacuum cells at a sphere
    // only shrink towards it). A point on a face between cells is given to the cell with the
    // smallest coarse-cell id: the ids come from the serial mesh, so the choice, and with it
    // the gradient sampled there, does not depend on the partition or the rank count.
    namespace bgi = boost::geometry::index;
    const auto &rtree = cache->get_locally_owned_cell_bounding_boxes_rtree();
    constexpr double on_face_tolerance = 1e-10; // of the reference tetrahedron
    constexpr auto none = std::numeric_limits<types::coarse_cell_id>::max();
    std::vector<types::coarse_cell_id> owner_cell(M, none);
    std::vector<std::pair<BoundingBox<3>, Triangulation<3>::active_cell_iterator>> boxes;
    const auto claim = [&](std::size_t m, const Triangulation<3>::active_cell_iterator &c, const Point<3> &xi) {
      owner_cell[m] = c->id().get_coarse_cell_id();
      found[m] = {DoFHandler<3>::active_cell_iterator(&triangulation, c->level(), c->index(), &dof_handler), xi};
    };
    // The rank owning the smallest claimed id holds the point (at most one rank owns a cell).
    const auto settle_holders = [&]() {
      const auto smallest = all_reduce(owner_cell, MPI_MIN, comm);
      for (std::size_t m = 0; m < M; ++m)
        if (owner_cell[m] != none && owner_cell[m] == smallest[m])
          holder[m] = rank;
    };
    // Distance to the nearest sphere centre in radii: < 1 is inside a sphere (no vacuum cell).
    std::vector<double> clearance(M, std::numeric_limits<double>::max());
    for (std::size_t m = 0; m < M; ++m)
      for (const auto &s : layout.spheres)
        clearance[m] = std::min(clearance[m], to_point(points[m]).distance(to_point(s.centre)) / s.radius);

    for (std::size_t m = 0; m < M; ++m)
      {
        if (clearance[m] < 1)
          continue;
        const Point<3> p = to_point(points[m]);
        boxes.clear();
        rtree.query(bgi::intersects(p), std::back_inserter(boxes));
        for (const auto &box_and_cell : boxes)
          {
            const auto &c = box_and_cell.second;
            Point<3> xi;
            try
              {
                xi = affine_mapping.transform_real_to_unit_cell(c, p);
              }
            catch (...)
              {
                continue; // degenerate cell
              }
            if (outside_reference_tet(xi) > on_face_tolerance || c->id().get_coarse_cell_id() >= owner_cell[m])
              continue;
            try
              {
                xi = mapping->transform_real_to_unit_cell(c, p); // curved, one cell only
              }
            catch (...)
              {
              }
            claim(m, c, xi);
          }
      }
    settle_holders();
    // Points no rank found with straight cells (rounding on an outer or periodic side, or a
    // curved sphere face that bulges past its chord), if within 1.2 radii of a sphere centre:
    // the owned cells whose boxes come within 5 % of a radius, inverted with the curved
    // mapping; the same smallest-id rule.
    const auto first_pass = all_reduce(holder, MPI_MIN, comm);
    for (std::size_t m = 0; m < M; ++m)
      {
        if (first_pass[m] < n_ranks || clearance[m] < 1 || clearance[m] >= 1.2)
          continue;
        const Point<3> p    = to_point(points[m]);
        const double reach  = 0.05 * layout.spheres.front().radius;
        Point<3> lo = p, hi = p;
        for (unsigned int d = 0; d < 3; ++d)
          {
            lo[d] -= reach;
            hi[d] += reach;
          }
        boxes.clear();
        rtree.query(bgi::intersects(BoundingBox<3>(std::make_pair(lo, hi))), std::back_inserter(boxes));
        for (const auto &box_and_cell : boxes)
          {
            const auto &c = box_and_cell.second;
            if (c->id().get_coarse_cell_id() >= owner_cell[m])
              continue;
            try
              {
                const Point<3> xi = mapping->transform_real_to_unit_cell(c, p);
                if (outside_reference_tet(xi) <= 1e-8)
                  claim(m, c, xi);
              }
            catch (...)
              {
              }
          }
      }
    settle_holders(); // points found in the first pass keep their holder
    const auto winner = all_reduce(holder, MPI_MIN, comm);
    std::vector<LocatedPoint> located(M);
    for (std::size_t m = 0; m < M; ++m)
      {
        located[m].found    = winner[m] < n_ranks;
        located[m].rank_has = winner[m] == rank;
        if (located[m].rank_has)
          {
            located[m].cell = found[m].first;
            located[m].xi   = clamp_to_reference_tet(found[m].second);
          }
      }
    return located;
  }

  std::vector<PointSample> Electrostatics::Impl::sample_points(const std::vector<Point3> &points) const
  {
    const auto located = locate_points(points);
    TimerOutput::Scope t(timer, "point sampling");
    const std::size_t M = points.size();
    std::vector<double> values(4 * M, 0.0);
    for (std::size_t m = 0; m < M; ++m)
      if (located[m].rank_has)
        {
          const Quadrature<3> q(std::vector<Point<3>>{located[m].xi}, std::vector<double>{1.0});
          FEValues<3> fv(*mapping, fe, q, update_values | update_gradients);
          fv.reinit(located[m].cell);
          std::vector<double> v(1);
          std::vector<Tensor<1, 3>> g(1);
          fv.get_function_values(solution, v);
          fv.get_function_gradients(solution, g);
          values[4 * m] = v[0];
          for (unsigned int d = 0; d < 3; ++d)
            values[4 * m + 1 + d] = -g[0][d];
        }
    values = all_reduce(values, MPI_SUM, comm);
    std::vector<PointSample> result(M);
    for (std::size_t m = 0; m < M; ++m)
      {
        result[m].point     = points[m];
        result[m].found     = located[m].found;
        result[m].potential = values[4 * m];
        result[m].field     = {values[4 * m + 1], values[4 * m + 2], values[4 * m + 3]};
      }
    return result;
  }

  // For each point, the owned sphere face whose curved image contains it best. Candidates: the
  // faces whose flat triangle the ray from the sphere centre through the point hits (with a
  // generous margin, as the curved face bulges past its chord triangle by O(h^2 / R)); their
  // reference point comes from the curved mapping's Newton inversion on that one cell. The
  // rank with the best fit evaluates (ties: lowest rank).
  std::vector<Electrostatics::Impl::SurfaceProbe>
  Electrostatics::Impl::locate_surface_points(const std::vector<SurfacePoint> &points) const
  {
    TimerOutput::Scope t(timer, "surface point location");
    const std::size_t M = points.size();
    std::vector<SurfaceProbe> probes(M);
    std::vector<double> best(M, std::numeric_limits<double>::max());
    constexpr double ray_margin = 0.25; // barycentric slack of the ray test
    for (std::size_t m = 0; m < M; ++m)
      {
        const Point<3> p = to_point(points[m].point), c = nearest_image_centre(points[m].sphere, p);
        const Tensor<1, 3> d = p - c;
        for (const auto k : surface_faces_of_sphere[points[m].sphere])
          {
            const auto &sf = surface_faces[k];
            if (sf.cell->face(sf.face)->center().distance(p) > 3 * sf.cell->face(sf.face)->diameter())
              continue; // another periodic piece, or far away
            std::array<Tensor<1, 3>, 3> v;
            for (unsigned int i = 0; i < 3; ++i)
              v[i] = sf.cell->vertex(sf.cell_vertex[i]) - c;
            // Barycentric coordinates of the ray's hit on the triangle's plane: ratios of the
            // volumes spanned by the ray and the opposite edges.
            std::array<double, 3> w{d * cross_product_3d(v[1], v[2]), d * cross_product_3d(v[2], v[0]),
                                    d * cross_product_3d(v[0], v[1])};
            const double sum = w[0] + w[1] + w[2];
            if (sum == 0 || d * (v[0] + v[1] + v[2]) <= 0) // parallel, or the antipodal face
              continue;
            const double lowest = std::min({w[0], w[1], w[2]}) / sum;
            if (lowest < -ray_margin)
              continue;
            double out = 0;
            Point<3> xi;
            try
              {
                xi  = mapping->transform_real_to_unit_cell(sf.cell, p);
                out = outside_reference_tet(xi);
              }
            catch (...)
              {
                // Newton failed: fall back on the flat triangle's coordinates, ranked behind
                // every converged candidate.
                xi = Point<3>();
                for (unsigned int i = 0; i < 3; ++i)
                  xi += (std::max(0.0, w[i]) / sum) * ReferenceCells::Tetrahedron.vertex<3>(sf.cell_vertex[i]);
                out = 10 - lowest;
              }
            if (out < best[m])
              {
                best[m]                = out;
                probes[m].surface_face = k;
                const Point<3> on_face = project_to_reference_face(clamp_to_reference_tet(xi), sf.face);
                for (unsigned int v = 0; v < 3; ++v)
                  probes[m].lambda[v] = ReferenceCells::Tetrahedron.d_linear_shape_function(on_face, sf.cell_vertex[v]);
              }
          }
      }
    const auto global_best = all_reduce(best, MPI_MIN, comm);
    std::vector<unsigned int> holder(M, n_ranks);
    for (std::size_t m = 0; m < M; ++m)
      if (best[m] == global_best[m] && best[m] < std::numeric_limits<double>::max())
        holder[m] = rank;
    holder = all_reduce(holder, MPI_MIN, comm);
    for (std::size_t m = 0; m < M; ++m)
      {
        if (holder[m] >= n_ranks)
          throw RuntimeFailure("Electrostatics: no face of sphere " + std::to_string(points[m].sphere) +
                               " contains the surface point " + std::to_string(m));
        probes[m].rank_has = holder[m] == rank;
      }
    return probes;
  }

  std::vector<double> Electrostatics::Impl::evaluate_probes(const std::vector<SurfaceProbe> &probes) const
  {
    recover_surface_charge();
    std::vector<double> En(probes.size(), 0.0);
    for (std::size_t m = 0; m < probes.size(); ++m)
      if (probes[m].rank_has)
        En[m] = sigma_on_face(surface_faces[probes[m].surface_face], probes[m].lambda) / eps0;
    return all_reduce(En, MPI_SUM, comm);
  }

  std::size_t Electrostatics::Impl::sphere_containing(const Point3 &x) const
  {
    const std::size_t N = layout.spheres.size();
    for (std::size_t n = 0; n < N; ++n)
      if (to_point(x).distance(nearest_image_centre(n, to_point(x))) < layout.spheres[n].radius)
        return n;
    return N;
  }

  std::vector<double> Electrostatics::Impl::mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const
  {
    std::vector<Point3> all;
    for (const auto &set : point_sets)
      all.insert(all.end(), set.begin(), set.end());
    const auto samples = sample_points(all); // one location pass for every set
    const auto phi     = sphere_potentials();
    std::vector<double> means;
    std::size_t m = 0;
    for (const auto &set : point_sets)
      {
        double sum = 0;
        for (std::size_t k = 0; k < set.size(); ++k, ++m)
          {
            const std::size_t inside = sphere_containing(all[m]);
            if (inside < phi.size())
              sum += phi[inside];
            else if (samples[m].found)
              sum += samples[m].potential;
            else
              throw point_outside_mesh(all[m]);
          }
        means.push_back(set.empty() ? 0.0 : sum / set.size());
      }
    return means;
  }
  bool Electrostatics::Impl::curved_support_points(const DoFHandler<3>::active_cell_iterator &cell,
                                                   std::vector<Point<3>> &support) const
  {
    if (!prm.curved_spheres)
      return false;
    const DoFHandler<3>::active_cell_iterator position_cell(&triangulation, cell->level(), cell->index(),
                                                            &position_dof_handler);
    std::vector<types::global_dof_index> dofs(position_fe.n_dofs_per_cell());
    position_cell->get_dof_indices(dofs);
    const auto &unit_points = position_fe.base_element(0).get_unit_support_points();
    support.assign(unit_points.size(), Point<3>());
    for (unsigned int i = 0; i < dofs.size(); ++i)
      {
        const auto [component, node] = position_fe.system_to_component_index(i);
        support[node][component]     = positions(dofs[i]);
      }
    const auto tet = ReferenceCells::Tetrahedron;
    const double tolerance = 1e-9 * cell->diameter();
    for (unsigned int k = 0; k < unit_points.size(); ++k)
      {
        Point<3> straight;
        for (unsigned int v = 0; v < 4; ++v)
          straight += tet.d_linear_shape_function(unit_points[k], v) * cell->vertex(v);
        if (straight.distance(support[k]) > tolerance)
          return true;
      }
    return false;
  }

  namespace
  {
    // The nodes of a regular grid inside [lo, hi] per axis (an empty range: first > last).
    struct NodeRange
    {
      std::array<long, 3> first{}, last{};
      bool empty() const { return first[0] > last[0] || first[1] > last[1] || first[2] > last[2]; }
    };

    NodeRange nodes_in_box(const Point<3> &lo, const Point<3> &hi, const Point3 &lower, const Point3 &spacing,
                           const std::array<std::size_t, 3> &n_nodes)
    {
      NodeRange r;
      for (unsigned int d = 0; d < 3; ++d)
        {
          const double slack = 1e-9 * spacing[d]; // nodes on the box's faces belong to it
          r.first[d] = std::max(0L, static_cast<long>(std::ceil((lo[d] - lower[d] - slack) / spacing[d])));
          r.last[d]  = std::min(static_cast<long>(n_nodes[d]) - 1,
                                static_cast<long>(std::floor((hi[d] - lower[d] + slack) / spacing[d])));
        }
      return r;
    }

    // Shape values and reference gradients of a scalar simplex element at one reference point.
    // The quadratic tetrahedron, which the grid sampler evaluates millions of times (the P2
    // geometry always, the solution by default), in closed barycentric form: 10x faster than
    // deal.II's generic polynomial evaluation; its numbering (vertices, then the edges in
    // deal.II's order) is checked against FE_SimplexP<3>(2) before use. Other degrees: deal.II.
    class ShapeEvaluator
    {
    public:
      explicit ShapeEvaluator(const FiniteElement<3> &fe)
        : fe_(fe)
        , closed_form_(fe.degree == 2 && fe.n_dofs_per_cell() == 10 && matches_deal_ii())
        , values_(fe.n_dofs_per_cell())
        , gradients_(fe.n_dofs_per_cell())
      {
      }
      void evaluate(const Point<3> &xi)
      {
        if (closed_form_)
          return quadratic(xi, values_.data(), gradients_.data());
        for (unsigned int k = 0; k < values_.size(); ++k)
          {
            values_[k]    = fe_.shape_value(k, xi);
            gradients_[k] = fe_.shape_grad(k, xi);
          }
      }
      const std::vector<double> &values() const { return values_; }
      const std::vector<Tensor<1, 3>> &gradients() const { return gradients_; }

    private:
      static void quadratic(const Point<3> &xi, double *N, Tensor<1, 3> *G)
      {
        static constexpr unsigned int edge[6][2] = {{0, 1}, {1, 2}, {2, 0}, {0, 3}, {1, 3}, {2, 3}};
        const double lambda[4] = {1 - xi[0] - xi[1] - xi[2], xi[0], xi[1], xi[2]};
        Tensor<1, 3> grad_lambda[4];
        grad_lambda[0] = Tensor<1, 3>({-1., -1., -1.});
        for (unsigned int d = 0; d < 3; ++d)
          grad_lambda[d + 1][d] = 1;
        for (unsigned int v = 0; v < 4; ++v)
          {
            N[v] = lambda[v] * (2 * lambda[v] - 1);
            G[v] = (4 * lambda[v] - 1) * grad_lambda[v];
          }
        for (unsigned int e = 0; e < 6; ++e)
          {
            const unsigned int a = edge[e][0], b = edge[e][1];
            N[4 + e] = 4 * lambda[a] * lambda[b];
            G[4 + e] = 4 * (lambda[b] * grad_lambda[a] + lambda[a] * grad_lambda[b]);
          }
      }
      bool matches_deal_ii() const
      {
        double N[10];
        Tensor<1, 3> G[10];
        for (const Point<3> xi : {Point<3>(0.1, 0.2, 0.3), Point<3>(0.6, 0.05, 0.15), Point<3>(0.25, 0.5, 0.1)})
          {
            quadratic(xi, N, G);
            for (unsigned int k = 0; k < 10; ++k)
              if (std::abs(N[k] - fe_.shape_value(k, xi)) > 1e-12 || (G[k] - fe_.shape_grad(k, xi)).norm() > 1e-12)
                return false;
          }
        return true;
      }
      const FiniteElement<3> &fe_;
      bool closed_form_;
      std::vector<double> values_;
      std::vector<Tensor<1, 3>> gradients_;
    };

    // x(xi) and its Jacobian on a cell mapped by the P2 position nodes `support`.
    std::pair<Point<3>, Tensor<2, 3>> curved_map(ShapeEvaluator &geometry, const std::vector<Point<3>> &support,
                                                 const Point<3> &xi)
    {
      geometry.evaluate(xi);
      Point<3> x;
      Tensor<2, 3> J;
      for (unsigned int k = 0; k < support.size(); ++k)
        {
          x += geometry.values()[k] * support[k];
          J += outer_product(static_cast<Tensor<1, 3>>(support[k]), geometry.gradients()[k]);
        }
      return {x, J};
    }

    // Newton's method for the reference point of x in a curved cell, started at the straight
    // cell's; false if it does not converge (a point of the straight cell that the curved one
    // no longer covers, next to a sphere).
    bool invert_curved_map(ShapeEvaluator &geometry, const std::vector<Point<3>> &support, const Point<3> &x,
                           Point<3> &xi, Tensor<2, 3> &J)
    {
      for (unsigned int iteration = 0; iteration < 12; ++iteration)
        {
          const auto [x_of_xi, jacobian] = curved_map(geometry, support, xi);
          J = jacobian;
          if (std::abs(determinant(J)) == 0)
            return false;
          const Tensor<1, 3> step = invert(J) * (x_of_xi - x);
          xi -= step;
          if (step.norm() < 1e-12)
            {
              J = curved_map(geometry, support, xi).second;
              return true;
            }
        }
      return false;
    }
  } // namespace

  // One pass over the owned cells: each cell takes the grid nodes inside its straight cell
  // (barycentric coordinates by the inverse of its edge matrix), a curved cell refines the
  // reference point by Newton's method on its P2 position nodes, and phi and grad phi follow
  // from the shape functions there. A node on a face between cells goes to the smallest
  // coarse-cell id, the rule of locate_points, so the result does not depend on the partition.
  Electrostatics::GridSamples Electrostatics::Impl::sample_grid(const Point3 &lower, const Point3 &spacing,
                                                                const std::array<std::size_t, 3> &n_nodes) const
  {
    TimerOutput::Scope t(timer, "grid sampling");
    const std::size_t M = n_nodes[0] * n_nodes[1] * n_nodes[2];
    constexpr auto none = std::numeric_limits<types::coarse_cell_id>::max();
    constexpr double on_face_tolerance = 1e-10; // of the reference tetrahedron
    std::vector<types::coarse_cell_id> owner_cell(M, none);
    std::vector<double> values(4 * M, 0.0); // phi, E_x, E_y, E_z
    ShapeEvaluator geometry(position_fe.base_element(0)), shapes(fe);
    Vector<double> u(fe.n_dofs_per_cell());
    std::vector<Point<3>> support;
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
        Point<3> lo = cell->vertex(0), hi = cell->vertex(0);
        for (unsigned int v = 1; v < 4; ++v)
          for (unsigned int d = 0; d < 3; ++d)
            {
              lo[d] = std::min(lo[d], cell->vertex(v)[d]);
              hi[d] = std::max(hi[d], cell->vertex(v)[d]);
            }
        // A curved cell is not inside its straight one: a face between two vacuum cells that
        // has an edge on a sphere bends into one of them. Its nodes' box holds it (a P2 map
        // strays beyond its nodes by a small part of the bend), and its straight reference
        // coordinates only start Newton's method.
        const bool curved = curved_support_points(cell, support);
        double slack = 0;
        if (curved)
          for (const auto &x : support)
            for (unsigned int d = 0; d < 3; ++d)
              {
                lo[d] = std::min(lo[d], x[d]);
                hi[d] = std::max(hi[d], x[d]);
                slack = 0.5;
              }
        const NodeRange range = nodes_in_box(lo, hi, lower, spacing, n_nodes);
        if (range.empty())
          continue;
        Tensor<2, 3> edges; // columns: vertex v - vertex 0, the straight cell's Jacobian
        for (unsigned int v = 1; v < 4; ++v)
          for (unsigned int d = 0; d < 3; ++d)
            edges[d][v - 1] = cell->vertex(v)[d] - cell->vertex(0)[d];
        const Tensor<2, 3> to_reference = invert(edges);
        const types::coarse_cell_id id = cell->id().get_coarse_cell_id();
        cell->get_dof_values(solution, u);
        for (long k = range.first[2]; k <= range.last[2]; ++k)
          for (long j = range.first[1]; j <= range.last[1]; ++j)
            for (long i = range.first[0]; i <= range.last[0]; ++i)
              {
                const std::size_t m = i + n_nodes[0] * (j + n_nodes[1] * k);
                if (id >= owner_cell[m])
                  continue;
                const Point<3> x(lower[0] + i * spacing[0], lower[1] + j * spacing[1], lower[2] + k * spacing[2]);
                Point<3> xi(to_reference * (x - cell->vertex(0)));
                if (outside_reference_tet(xi) > on_face_tolerance + slack)
                  continue;
                Tensor<2, 3> J = edges;
                if (curved && (!invert_curved_map(geometry, support, x, xi, J) ||
                               outside_reference_tet(xi) > on_face_tolerance))
                  continue;
                double phi = 0;
                Tensor<1, 3> reference_gradient;
                shapes.evaluate(xi);
                for (unsigned int s = 0; s < u.size(); ++s)
                  {
                    phi += u[s] * shapes.values()[s];
                    reference_gradient += u[s] * shapes.gradients()[s];
                  }
                const Tensor<1, 3> gradient = transpose(invert(J)) * reference_gradient;
                owner_cell[m]     = id;
                values[4 * m]     = phi;
                for (unsigned int d = 0; d < 3; ++d)
                  values[4 * m + 1 + d] = -gradient[d];
              }
      }
    const auto smallest = all_reduce(owner_cell, MPI_MIN, comm);
    for (std::size_t m = 0; m < M; ++m)
      if (owner_cell[m] != smallest[m])
        std::fill_n(values.begin() + 4 * m, 4, 0.0);
    values = all_reduce(values, MPI_SUM, comm);
    GridSamples samples;
    samples.potential.resize(M);
    samples.field.resize(M);
    samples.found.resize(M);
    for (std::size_t m = 0; m < M; ++m)
      {
        samples.found[m]     = smallest[m] != none;
        samples.potential[m] = values[4 * m];
        samples.field[m]     = {values[4 * m + 1], values[4 * m + 2], values[4 * m + 3]};
      }
    return samples;
  }
} // namespace mpstream::solver
