// Electrostatics, discretisation: the mesh, the periodic lateral cell, the curved geometry,
// DoFs and constraints (step-40's make_grid / setup_system; see impl.h for the other files).
#include "solver/electrostatics/impl.h"

#include "meshing/physical_tags.h"

#include <deal.II/base/bounding_box.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe_field.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_description.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/sparsity_tools.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cmath>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace mpstream::solver
{
  namespace tags = meshing::tags;

  namespace
  {
    // Periodic sides (tags 3..6) carry no boundary condition of their own: they are tied to
    // their partner side by constraints (setup_periodicity).
    bool is_periodic_side(unsigned int tag)
    {
      return tag >= tags::first_periodic && tag < tags::first_periodic + 4;
    }

    // Physical surface tag of every locally relevant DoF (0: none; periodic sides ignored, so
    // that a DoF on the anode or a sphere piece at a periodic side keeps that condition). Only locally owned cells
    // are trusted: on a fully distributed triangulation the outer faces of the ghost layer
    // look like boundary faces, and ghost faces need not carry their tags. The owners collect
    // the tags (max) and send them back to every rank that sees the DoF.
    LinearAlgebra::distributed::Vector<double> dof_surface_tags(const DoFHandler<3> &dof_handler,
                                                                MPI_Comm comm)
    {
      IndexSet relevant;
      DoFTools::extract_locally_relevant_dofs(dof_handler, relevant);
      LinearAlgebra::distributed::Vector<double> tags_of(dof_handler.locally_owned_dofs(), relevant, comm);
      std::vector<types::global_dof_index> face_dofs(dof_handler.get_fe().n_dofs_per_face());
      for (const auto &cell : dof_handler.active_cell_iterators())
        if (cell->is_locally_owned())
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary() && !is_periodic_side(cell->face(f)->boundary_id()))
              {
                cell->face(f)->get_dof_indices(face_dofs);
                for (const auto d : face_dofs)
                  tags_of(d) = std::max<double>(tags_of(d), cell->face(f)->boundary_id());
              }
      tags_of.compress(VectorOperation::max);
      tags_of.update_ghost_values();
      return tags_of;
    }

    // Sends rank 0's vector to every rank (in chunks: MPI counts are int).
    template <typename T>
    void broadcast_vector(std::vector<T> &v, MPI_Comm comm)
    {
      unsigned long long n = v.size();
      MPI_Bcast(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, comm);
      v.resize(n);
      auto *bytes            = reinterpret_cast<char *>(v.data());
      const std::size_t size = n * sizeof(T);
      constexpr std::size_t chunk = std::size_t(1) << 30;
      for (std::size_t offset = 0; offset < size; offset += chunk)
        MPI_Bcast(bytes + offset, static_cast<int>(std::min(chunk, size - offset)), MPI_BYTE, 0, comm);
    }

    void broadcast_from_rank_0(meshing::VolumeMesh &mesh, MPI_Comm comm)
    {
      broadcast_vector(mesh.nodes, comm);
      broadcast_vector(mesh.tetrahedra, comm);
      broadcast_vector(mesh.boundary_triangles, comm);
      broadcast_vector(mesh.boundary_tags, comm);
    }

    // What GridIn::read_msh builds from the MSH file, from the mesher's arrays: tetrahedra with
    // the vacuum's material id, boundary triangles with their surface tags as boundary ids,
    // unused nodes dropped and inside-out cells inverted (GridIn's fix-ups for simplices).
    struct CoarseMesh
    {
      std::vector<Point<3>> vertices;
      std::vector<CellData<3>> cells;
      SubCellData faces;
    };

    CoarseMesh coarse_mesh(const meshing::VolumeMesh &mesh)
    {
      CoarseMesh coarse;
      coarse.vertices.reserve(mesh.nodes.size());
      for (const auto &x : mesh.nodes)
        coarse.vertices.emplace_back(x[0], x[1], x[2]);
      coarse.cells.assign(mesh.tetrahedra.size(), CellData<3>(4));
      for (std::size_t e = 0; e < coarse.cells.size(); ++e)
        {
          std::copy(mesh.tetrahedra[e].begin(), mesh.tetrahedra[e].end(), coarse.cells[e].vertices.begin());
          coarse.cells[e].material_id = tags::vacuum;
        }
      coarse.faces.boundary_quads.assign(mesh.boundary_triangles.size(), CellData<2>(3));
      for (std::size_t f = 0; f < mesh.boundary_triangles.size(); ++f)
        {
          auto &face = coarse.faces.boundary_quads[f];
          std::copy(mesh.boundary_triangles[f].begin(), mesh.boundary_triangles[f].end(), face.vertices.begin());
          face.boundary_id = static_cast<types::boundary_id>(mesh.boundary_tags[f]);
        }
      GridTools::delete_unused_vertices(coarse.vertices, coarse.cells, coarse.faces);
      GridTools::invert_cells_with_negative_measure(coarse.vertices, coarse.cells);
      return coarse;
    }

    // Morton (Z-order) key of a point in the box [lo, hi]: 21 bits per axis, interleaved.
    std::uint64_t morton_key(const Point<3> &x, const Point<3> &lo, const Point<3> &hi)
    {
      std::array<std::uint64_t, 3> q;
      for (unsigned int d = 0; d < 3; ++d)
        q[d] = static_cast<std::uint64_t>(std::clamp((x[d] - lo[d]) / (hi[d] - lo[d]), 0.0, 1.0) * 2097151.0);
      std::uint64_t key = 0;
      for (int bit = 20; bit >= 0; --bit)
        for (unsigned int d = 0; d < 3; ++d)
          key = (key << 1) | ((q[d] >> bit) & 1u);
      return key;
    }

    // The cells in the Z-order of their centroids (ties: the mesher's order). deal.II numbers the
    // DoFs in cell order, so neighbouring cells get neighbouring DoF numbers and the assembly's
    // scattered writes into the matrix rows hit the cache: on the one-sphere benchmark the
    // assembly went from 0.22 to 0.17 s (doc/performance.md, "Round 4"); Gmsh's element order
    // scatters them. The result changes at round-off only.
    void sort_cells_along_z_curve(CoarseMesh &coarse)
    {
      const BoundingBox<3> box(coarse.vertices);
      const auto &[lo, hi] = box.get_boundary_points();
      std::vector<std::pair<std::uint64_t, std::size_t>> keys(coarse.cells.size());
      for (std::size_t e = 0; e < coarse.cells.size(); ++e)
        {
          Point<3> centroid;
          for (const auto v : coarse.cells[e].vertices)
            centroid += coarse.vertices[v] / 4.0;
          keys[e] = {morton_key(centroid, lo, hi), e};
        }
      std::sort(keys.begin(), keys.end());
      std::vector<CellData<3>> sorted;
      sorted.reserve(keys.size());
      for (const auto &[key, e] : keys)
        sorted.push_back(coarse.cells[e]);
      coarse.cells.swap(sorted);
    }

    // One rank: the cells along the Z-curve (sort_cells_along_z_curve). N ranks keep the
    // mesher's order, from which METIS partitions (the golden multi-rank runs stay as recorded).
    void create_serial_triangulation(const meshing::VolumeMesh &mesh, Triangulation<3> &serial, bool z_order)
    {
      auto coarse = coarse_mesh(mesh);
      if (z_order)
        sort_cells_along_z_curve(coarse);
      serial.create_triangulation(coarse.vertices, coarse.cells, coarse.faces);
    }

    // The whole (linear) mesh in a serial triangulation on every rank: from the mesher's arrays
    // (sent from rank 0) or from the MSH file. `materials` and `surfaces` get the ids found.
    void read_whole_mesh(const MeshSource &mesh, MPI_Comm comm, Triangulation<3> &serial,
                         std::set<types::material_id> &materials, std::set<types::boundary_id> &surfaces)
    {
      if (mesh.in_memory)
        {
          if (Utilities::MPI::n_mpi_processes(comm) > 1)
            {
              meshing::VolumeMesh copy;
              if (Utilities::MPI::this_mpi_process(comm) == 0)
                copy = *mesh.in_memory;
              broadcast_from_rank_0(copy, comm);
              create_serial_triangulation(copy, serial, false);
            }
          else
            create_serial_triangulation(*mesh.in_memory, serial, true);
        }
      else
        {
          std::ifstream in(mesh.msh_file);
          if (!in)
            throw InputError("Electrostatics: cannot open mesh file '" + mesh.msh_file + "'");
          GridIn<3> grid_in;
          grid_in.attach_triangulation(serial);
          grid_in.read_msh(in);
        }
      for (const auto &cell : serial.active_cell_iterators())
        {
          materials.insert(cell->material_id());
          for (const auto f : cell->face_indices())
            if (cell->face(f)->at_boundary())
              surfaces.insert(cell->face(f)->boundary_id());
        }
    }

    // One rank: a serial triangulation; several: the fully distributed one (impl.h).
    std::unique_ptr<Triangulation<3>> make_triangulation(MPI_Comm comm)
    {
      if (Utilities::MPI::n_mpi_processes(comm) == 1)
        return std::make_unique<Triangulation<3>>();
      return std::make_unique<parallel::fullydistributed::Triangulation<3>>(comm);
    }
  } // namespace

  Electrostatics::Impl::Impl(MPI_Comm comm_, const MeshSource &mesh,
                             const layout::StreamLayout &layout_,
                             const ElectrostaticsParameters &parameters, std::ostream *log)
    : comm(comm_)
    , n_ranks(Utilities::MPI::n_mpi_processes(comm_))
    , rank(Utilities::MPI::this_mpi_process(comm_))
    , pcout(log ? *log : std::cout, log != nullptr && rank == 0)
    , timer(comm_, timer_stream, TimerOutput::never, TimerOutput::wall_times)
    , prm(parameters)
    , layout(layout_)
    , triangulation_storage(make_triangulation(comm_))
    , triangulation(*triangulation_storage)
    , fe(parameters.fe_degree)
    , position_fe(FE_SimplexP<3>(2), 3)
  {
    if (prm.fe_degree < 1 || prm.fe_degree > 3)
      throw QuantityError("fe_degree", std::to_string(prm.fe_degree), "must be in [1, 3]");
    const auto start = std::chrono::steady_clock::now();
    read_mesh(mesh);
    setup_geometry();
    setup_system();
    assemble_operator();
    charges.assign(layout.spheres.size(), 0.0);
    setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Every rank reads the whole (linear) mesh and checks its physical groups. One rank keeps it
  // as its serial triangulation; on N ranks each partitions it with METIS and keeps its part
  // in the fully distributed triangulation (parallel::distributed (p4est) refuses simplices,
  // DEALII_94_SIMPLEX_NOTES).
  void Electrostatics::Impl::read_mesh(const MeshSource &mesh)
  {
    TimerOutput::Scope t(timer, "read and partition mesh");
    std::set<types::material_id> materials;
    std::set<types::boundary_id> surfaces;
    auto *distributed = dynamic_cast<parallel::fullydistributed::Triangulation<3> *>(&triangulation);
    Triangulation<3> serial; // N ranks: the whole mesh, before each keeps its part
    Triangulation<3> &whole = distributed ? serial : triangulation;
    read_whole_mesh(mesh, comm, whole, materials, surfaces);
    const std::size_t n_cells = whole.n_active_cells();
    if (n_ranks > n_cells) // every rank reads the whole mesh, so every rank refuses alike
      throw InputError("Electrostatics: " + std::to_string(n_ranks) + " MPI ranks for a mesh of " +
                       std::to_string(n_cells) + " tetrahedra: run on at most " + std::to_string(n_cells) +
                       " ranks (each rank needs cells of its own)");
    // The physical groups against the layout: one volume, the anode, the enclosure, every
    // sphere, the periodic sides; every boundary id explained.
    const std::string msh_file_name = mesh.name();
    const auto missing = [&](const std::string &group, unsigned int tag) {
      return InputError("Electrostatics: " + msh_file_name + " has no physical " + group +
                        " (tag " + std::to_string(tag) + ")");
    };
    if (materials != std::set<types::material_id>{tags::vacuum})
      throw missing("volume 'vacuum' as its only volume", tags::vacuum);
    if (layout.anode_present && !surfaces.count(tags::anode))
      throw missing("surface 'anode'", tags::anode);
    if (!surfaces.count(tags::enclosure))
      throw missing("surface 'enclosure'", tags::enclosure);
    for (unsigned int n = 0; n < layout.spheres.size(); ++n)
      if (!surfaces.count(tags::sphere(n)))
        throw missing("surface '" + tags::name(tags::sphere(n)) + "'", tags::sphere(n));
    if (layout.periodic_cell)
      for (unsigned int side = 0; side < 4; ++side)
        if (!surfaces.count(tags::periodic_face(side)))
          throw missing("surface '" + tags::name(tags::periodic_face(side)) + "' (periodic cell)",
                        tags::periodic_face(side));
    for (const auto id : surfaces)
      {
        const bool known = id == tags::enclosure || (id == tags::anode && layout.anode_present) ||
                           (is_periodic_side(id) && layout.periodic_cell) ||
                           tags::is_electrode(id) || (id == tags::electrode_wall && !layout.periodic_cell) ||
                           (tags::is_sphere(id) && tags::sphere_index(id) < layout.spheres.size());
        if (!known)
          throw InputError("Electrostatics: " + msh_file_name + " has boundary faces " +
                           (id == 0 ? std::string("without a physical surface tag (a mesh defect: "
                                                  "open or duplicated surface)")
                                    : "with tag " + std::to_string(id) + " (" + tags::name(id) +
                                        ") that this layout does not explain"));
        if (tags::is_electrode(id))
          electrode_layers.push_back(tags::electrode_layer(id));
      }
    wall = surfaces.count(tags::electrode_wall) > 0;
    if (wall)
      {
        if (!electrode_layers.empty())
          throw InputError("Electrostatics: " + msh_file_name + " has both electrode frames and the electrode wall");
        const auto &z = prm.wall_node_heights;
        if (z.empty())
          throw InputError("Electrostatics: " + msh_file_name + " has the electrode wall, but no wall node "
                           "heights were given (ElectrostaticsParameters::wall_node_heights)");
        for (std::size_t k = 0; k < z.size(); ++k)
          {
            if (!std::isfinite(z[k]) || (k > 0 && !(z[k] > z[k - 1])))
              throw InputError("Electrostatics: the electrode wall's node heights must be finite and increasing");
            electrode_layers.push_back(static_cast<unsigned int>(k));
          }
      }
    if (distributed)
      {
        GridTools::partition_triangulation(n_ranks, serial);
        distributed->create_triangulation(
          TriangulationDescription::Utilities::create_description_from_triangulation(serial, comm));
      }
    pcout << "[electrostatics] " << n_cells << " tetrahedra on " << n_ranks << " rank(s), "
          << electrode_layers.size() << " electrode(s)" << std::endl;
  }

  Point<3> Electrostatics::Impl::nearest_image_centre(std::size_t n, const Point<3> &x) const
  {
    Point<3> c = to_point(layout.spheres.at(n).centre);
    if (!layout.periodic_cell)
      return c;
    Point<3> best = c;
    for (const auto &shift : layout.periodic_cell->image_shifts())
      {
        const Point<3> image(c[0] + shift[0], c[1] + shift[1], c[2]);
        if (image.distance(x) < best.distance(x))
          best = image;
      }
    return best;
  }

  // Every DoF on a periodic side, from every rank: each rank sends the side DoFs it owns (a DoF
  // is owned by a rank that owns one of its cells), with its support point and surface tag.
  // All ranks then hold the same list and so derive the same constraints (setup_periodicity).
  std::vector<Electrostatics::Impl::PeriodicSideDof>
  Electrostatics::Impl::gather_periodic_side_dofs(const LinearAlgebra::distributed::Vector<double> &dof_tags) const
  {
    const auto &cell = *layout.periodic_cell;
    const double plane[4] = {cell.x_min, cell.x_max, cell.y_min, cell.y_max};
    const double q = periodic_match_tolerance();
    const auto &unit_points = fe.get_unit_support_points();
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    std::set<std::pair<unsigned int, types::global_dof_index>> seen; // (side, DoF)
    constexpr std::size_t stride = 6; // side, DoF, x, y, z, tag (DoF indices are exact below 2^53)
    std::vector<double> packed;
    for (const auto &c : dof_handler.active_cell_iterators())
      if (c->is_locally_owned())
        for (const auto f : c->face_indices())
          {
            if (!c->face(f)->at_boundary() || !is_periodic_side(c->face(f)->boundary_id()))
              continue;
            const unsigned int side = c->face(f)->boundary_id() - tags::first_periodic;
            c->get_dof_indices(dofs);
            for (unsigned int i = 0; i < dofs.size(); ++i)
              {
                Point<3> x;
                for (unsigned int v = 0; v < 4; ++v)
                  x += ReferenceCells::Tetrahedron.d_linear_shape_function(unit_points[i], v) * c->vertex(v);
                if (std::abs(x[side / 2] - plane[side]) >= q || !owned_dofs.is_element(dofs[i]) ||
                    !seen.insert({side, dofs[i]}).second)
                  continue;
                packed.insert(packed.end(), {double(side), double(dofs[i]), x[0], x[1], x[2], dof_tags(dofs[i])});
              }
          }
    std::vector<PeriodicSideDof> all;
    for (const auto &from : Utilities::MPI::all_gather(comm, packed))
      for (std::size_t k = 0; k + stride <= from.size(); k += stride)
        all.push_back({static_cast<unsigned int>(from[k]), static_cast<types::global_dof_index>(from[k + 1]),
                       Point<3>(from[k + 2], from[k + 3], from[k + 4]), static_cast<unsigned int>(from[k + 5])});
    return all;
  }

  double Electrostatics::Impl::periodic_match_tolerance() const
  {
    double r_min = std::numeric_limits<double>::max();
    for (const auto &sphere : layout.spheres)
      r_min = std::min(r_min, sphere.radius);
    return 1e-3 * r_min; // matching grid: far below any element size
  }

  // Periodic lateral cell: every DoF on a max side (x_max, y_max) equals the DoF at the
  // translated support point on the min side. The mesher matches the side meshes node by node
  // (Gmsh setPeriodic), so the P_k support points match too; a DoF without a partner is a mesh
  // defect. DoFs already fixed (grounded, electrode, tied to a sphere master) keep their
  // constraint: their partners carry the same one, as the tags of both sides are the same.
  // Chains at the vertical edges (x_max, y_max) -> (x_min, y_max) -> (x_min, y_min) are
  // resolved by close(). On N ranks a partner may be a DoF this rank never sees: every rank
  // decides every periodic line from the same gathered list (gather_periodic_side_dofs), from
  // the owners' tags rather than its own constraints, and keeps all of them (the constraint
  // object's local lines include every periodic DoF), so the lines and their closure agree
  // across ranks.
  void Electrostatics::Impl::setup_periodicity(const std::vector<PeriodicSideDof> &side_dofs)
  {
    const auto &cell = *layout.periodic_cell;
    const double L[2] = {cell.length_x(), cell.length_y()};
    const double q = periodic_match_tolerance();
    std::array<std::map<types::global_dof_index, Point<3>>, 4> on_side;
    std::map<types::global_dof_index, unsigned int> tag_of;
    for (const auto &s : side_dofs)
      {
        on_side[s.side][s.dof] = s.point;
        tag_of[s.dof]          = s.tag;
      }
    const auto on_sphere = [&](types::global_dof_index d) { return tags::is_sphere(tag_of.at(d)); };
    // Fixed before periodicity: Dirichlet (anode, enclosure, electrodes) or tied to its master.
    const auto fixed_by_tag = [&](types::global_dof_index d) {
      const auto t = tag_of.at(d);
      if (tags::is_sphere(t))
        return d != sphere_master.at(tags::sphere_index(t));
      return t == tags::anode || t == tags::enclosure || tags::is_electrode(t) || t == tags::electrode_wall;
    };
    std::map<types::global_dof_index, std::set<types::global_dof_index>> partners;
    for (unsigned int d = 0; d < 2; ++d)
      {
        const unsigned int t = 1 - d; // the other lateral direction
        std::map<std::array<long, 2>, types::global_dof_index> min_side;
        for (const auto &[dof, x] : on_side[2 * d])
          min_side[{std::lround(x[t] / q), std::lround(x[2] / q)}] = dof;
        for (const auto &[dof, x] : on_side[2 * d + 1])
          {
            const std::array<long, 2> key{std::lround(x[t] / q), std::lround(x[2] / q)};
            types::global_dof_index partner = numbers::invalid_dof_index;
            for (long a = -1; a <= 1 && partner == numbers::invalid_dof_index; ++a)
              for (long b = -1; b <= 1 && partner == numbers::invalid_dof_index; ++b)
                {
                  const auto it = min_side.find({key[0] + a, key[1] + b});
                  if (it != min_side.end() && std::abs(on_side[2 * d].at(it->second)[t] - x[t]) < q &&
                      std::abs(on_side[2 * d].at(it->second)[2] - x[2]) < q)
                    partner = it->second;
                }
            if (partner == numbers::invalid_dof_index)
              throw RuntimeFailure("Electrostatics: the mesh's periodic side " + std::to_string(2 * d + 1) +
                                   " has a node at (" + std::to_string(x[0]) + ", " + std::to_string(x[1]) +
                                   ", " + std::to_string(x[2]) + ") m without a partner " +
                                   std::to_string(L[d]) + " m away on side " + std::to_string(2 * d));
            partners[dof].insert(partner);
            partners[partner].insert(dof);
            // Two DoFs of one sphere are tied to its master already (a tie here could close a
            // cycle through the master).
            const bool same_sphere = on_sphere(dof) && on_sphere(partner);
            // Every periodic DoF is a local line here, so is_constrained() sees the lines of
            // the first direction on every rank; the fixed DoFs are judged by their tags.
            if (!fixed_by_tag(dof) && !constraints.is_constrained(dof) && dof != partner && !same_sphere)
              {
                constraints.add_line(dof);
                constraints.add_entry(dof, partner, 1.0);
              }
          }
      }
    // Sphere DoFs at periodic sides: the copies of one surface point (for the flux recovery).
    std::set<types::global_dof_index> seen;
    for (const auto &[dof, p] : partners)
      {
        if (seen.count(dof) || !on_sphere(dof))
          continue;
        std::vector<types::global_dof_index> group, todo{dof};
        while (!todo.empty())
          {
            const auto g = todo.back();
            todo.pop_back();
            if (!seen.insert(g).second)
              continue;
            group.push_back(g);
            for (const auto h : partners[g])
              todo.push_back(h);
          }
        periodic_sphere_classes.push_back(group);
      }
  }

  // The P2 position field: support points of every cell by the affine map of its vertices,
  // those on sphere faces projected radially onto the exact sphere. Being one continuous FE
  // field, neighbouring cells share their curved faces and edges (conforming).
  void Electrostatics::Impl::setup_geometry()
  {
    TimerOutput::Scope t(timer, "curved geometry");
    if (!prm.curved_spheres)
      {
        mapping = std::make_unique<MappingFE<3>>(FE_SimplexP<3>(1));
        cache   = std::make_unique<GridTools::Cache<3>>(triangulation, affine_mapping);
        return;
      }
    position_dof_handler.reinit(triangulation);
    position_dof_handler.distribute_dofs(position_fe);
    positions.reinit(position_dof_handler.n_dofs());
    const auto &unit_points = position_fe.get_unit_support_points();
    const auto reference    = ReferenceCells::Tetrahedron;
    std::vector<types::global_dof_index> dofs(position_fe.n_dofs_per_cell());
    // A support point on a sphere face is projected radially onto that sphere. Which points
    // are on which sphere comes from the owners (dof_surface_tags), so every rank builds the
    // same geometry. Interior chords between two sphere nodes stay straight: their middle node
    // is on no boundary face.
    const auto node_tags = dof_surface_tags(position_dof_handler, comm);
    Vector<double> straight_positions(position_dof_handler.n_dofs());
    for (const auto &cell : position_dof_handler.active_cell_iterators())
      {
        if (cell->is_artificial())
          continue;
        cell->get_dof_indices(dofs);
        for (unsigned int i = 0; i < dofs.size(); ++i)
          {
            Point<3> x;
            for (unsigned int v = 0; v < 4; ++v)
              x += reference.d_linear_shape_function(unit_points[i], v) * cell->vertex(v);
            straight_positions(dofs[i]) = x[position_fe.system_to_component_index(i).first];
            const auto tag = static_cast<unsigned int>(node_tags(dofs[i]));
            if (tags::is_sphere(tag))
              {
                const auto &s = layout.spheres.at(tags::sphere_index(tag));
                const Point<3> c = nearest_image_centre(tags::sphere_index(tag), x);
                x = c + s.radius / (x - c).norm() * (x - c);
              }
            positions(dofs[i]) = x[position_fe.system_to_component_index(i).first];
          }
      }
    n_inverted_cells = straighten_inverted_cells(straight_positions, prm.straighten_inverted_cells);
    if (n_inverted_cells > 0)
      pcout << "[electrostatics] " << n_inverted_cells
            << " flat cell(s) on sphere surfaces turn inside out when curved (det J < 0 in part of the cell): "
            << (prm.straighten_inverted_cells ? "curved less or kept straight" : "left curved (see doc/electrostatics.md)")
            << std::endl;
    mapping = std::make_unique<MappingFEField<3, 3, Vector<double>>>(position_dof_handler, positions);
    cache   = std::make_unique<GridTools::Cache<3>>(triangulation, affine_mapping);
  }

  // Counts, and optionally repairs, inside-out curved cells.
  // Gmsh leaves a few flat tetrahedra whose four vertices all lie on one sphere, in the thin
  // vacuum shell between a surface facet and the sphere. Curving their surface edges onto the
  // sphere pushes the curved face past the opposite vertex: det J changes sign inside the cell
  // (measured -0.6 to -11.5 times the straight cell's, 12 cells in the default 77-sphere mesh,
  // benchmarks/getdp/README.md), and assembly would integrate with negative weights. Those
  // cells get their projected nodes pulled back towards the straight chords (half, a quarter,
  // then all the way) until det J > 0: locally a flatter facet of the sphere, a geometric error
  // below the facet's sagitta, instead of a negative volume. Neighbours sharing such a node
  // keep valid cells. Every rank applies the same list of nodes, so the geometry stays
  // conforming across ranks. Measured (isolated sphere, default mesh, 1 such cell): the repair
  // moves the capacitance error from +6.80e-4 to +6.55e-4 but the peak-field error from +2.6 %
  // to +5.9 %, because the flat facet meets its curved neighbours in convex kinks. Peak fields
  // drive field emission, so the repair is off by default (ElectrostaticsParameters).
  std::size_t Electrostatics::Impl::straighten_inverted_cells(const Vector<double> &straight_positions,
                                                              const bool straighten)
  {
    const QGaussSimplex<3> gauss(fe.degree + 1); // the assembly's points
    const Quadrature<3> nodes(position_fe.base_element(0).get_unit_support_points());
    std::vector<types::global_dof_index> dofs(position_fe.n_dofs_per_cell());
    const Vector<double> projected = straighten ? positions : Vector<double>(); // only the repair needs it
    // Each pass pulls the curved nodes of the cells still inverted part of the way back
    // (fraction of the radial projection kept), so the surface kinks as little as possible.
    constexpr std::array<double, 3> kept_fraction{0.5, 0.25, 0.0};
    std::size_t straightened = 0;
    for (unsigned int pass = 0; pass <= kept_fraction.size(); ++pass)
      {
        const MappingFEField<3, 3, Vector<double>> curved(position_dof_handler, positions);
        const FE_SimplexP<3> linear(1);
        std::array<FEValues<3>, 2> values{FEValues<3>(curved, linear, gauss, update_jacobians),
                                          FEValues<3>(curved, linear, nodes, update_jacobians)};
        std::vector<types::global_dof_index> to_straighten;
        std::size_t n_inverted = 0;
        for (const auto &cell : position_dof_handler.active_cell_iterators())
          {
            if (!cell->is_locally_owned())
              continue;
            cell->get_dof_indices(dofs);
            std::vector<types::global_dof_index> curved_dofs;
            for (const auto d : dofs)
              if (positions(d) != straight_positions(d))
                curved_dofs.push_back(d);
            if (curved_dofs.empty()) // a straight cell cannot be inverted
              continue;
            const Tensor<1, 3> e1 = cell->vertex(1) - cell->vertex(0), e2 = cell->vertex(2) - cell->vertex(0),
                               e3 = cell->vertex(3) - cell->vertex(0);
            const double straight_det = e1 * cross_product_3d(e2, e3);
            bool inverted = false;
            for (auto &v : values)
              {
                v.reinit(typename Triangulation<3>::active_cell_iterator(cell));
                for (const unsigned int k : v.quadrature_point_indices())
                  inverted = inverted || v.jacobian(k).determinant() * straight_det <= 0;
              }
            if (!inverted)
              continue;
            ++n_inverted;
            to_straighten.insert(to_straighten.end(), curved_dofs.begin(), curved_dofs.end());
          }
        n_inverted = Utilities::MPI::sum(n_inverted, comm);
        if (pass == 0)
          straightened = n_inverted;
        if (n_inverted == 0 || !straighten)
          break;
        if (pass == kept_fraction.size()) // straight cells are never inverted: cannot happen
          throw RuntimeFailure("Electrostatics: " + std::to_string(n_inverted) +
                               " curved cells stay inverted after straightening");
        const double a = kept_fraction[pass];
        for (const auto &from_rank : Utilities::MPI::all_gather(comm, to_straighten))
          for (const auto d : from_rank)
            positions(d) = straight_positions(d) + a * (projected(d) - straight_positions(d));
      }
    return straightened;
  }

  void Electrostatics::Impl::setup_system()
  {
    TimerOutput::Scope t(timer, "setup system");
    dof_handler.reinit(triangulation);
    dof_handler.distribute_dofs(fe);
    owned_dofs = dof_handler.locally_owned_dofs();
    DoFTools::extract_locally_relevant_dofs(dof_handler, relevant_dofs);

    // Surface DoFs of every sphere and electrode among this rank's relevant DoFs.
    const std::size_t n_spheres = layout.spheres.size();
    std::vector<std::set<types::global_dof_index>> sphere_dofs(n_spheres);
    std::set<types::global_dof_index> grounded_dofs;
    std::vector<types::global_dof_index> face_dofs(fe.n_dofs_per_face());
    const auto dof_tags = dof_surface_tags(dof_handler, comm);
    for (const auto d : relevant_dofs)
      {
        const auto id = static_cast<unsigned int>(dof_tags(d));
        if (tags::is_sphere(id))
          sphere_dofs.at(tags::sphere_index(id)).insert(d);
        else if (id == tags::anode || id == tags::enclosure)
          grounded_dofs.insert(d);
      }
    // Master of each sphere: its smallest global DoF index, the same on every rank.
    sphere_master.assign(n_spheres, std::numeric_limits<types::global_dof_index>::max());
    for (std::size_t n = 0; n < n_spheres; ++n)
      if (!sphere_dofs[n].empty())
        sphere_master[n] = *sphere_dofs[n].begin();
    sphere_master = all_reduce(sphere_master, MPI_MIN, comm);

    for (std::size_t n = 0; n < n_spheres; ++n)
      for (const auto d : sphere_dofs[n])
        sphere_of_dof.emplace(d, static_cast<unsigned int>(n));

    // Periodic cell: the constraint object keeps every periodic DoF's line on every rank (see
    // setup_periodicity), and the operator's rows include them (their entries move there).
    std::vector<PeriodicSideDof> periodic_side_dofs;
    IndexSet local_lines = relevant_dofs;
    if (layout.periodic_cell)
      {
        periodic_side_dofs = gather_periodic_side_dofs(dof_tags);
        std::vector<types::global_dof_index> indices;
        for (const auto &s : periodic_side_dofs)
          indices.push_back(s.dof);
        std::sort(indices.begin(), indices.end());
        indices.erase(std::unique(indices.begin(), indices.end()), indices.end());
        local_lines.add_indices(indices.begin(), indices.end());
        local_lines.compress();
      }
    constraints.clear();
    constraints.reinit(local_lines);
    for (const auto d : grounded_dofs)
      constraints.add_line(d);
    electrode_weights = electrode_weights_of_dofs(dof_tags);
    owned_electrode_dofs.assign(electrode_layers.size(), {});
    for (const auto &[d, weights] : electrode_weights)
      if (!constraints.is_constrained(d))
        {
          constraints.add_line(d); // its value sum_k w_k V_k is added after the solve (see solve())
          if (owned_dofs.is_element(d))
            for (const auto &[k, w] : weights)
              owned_electrode_dofs[k].emplace_back(d, w);
        }
    for (std::size_t n = 0; n < n_spheres; ++n)
      for (const auto d : sphere_dofs[n])
        if (d != sphere_master[n] && !constraints.is_constrained(d))
          {
            constraints.add_line(d);
            constraints.add_entry(d, sphere_master[n], 1.0);
          }
    if (layout.periodic_cell)
      setup_periodicity(periodic_side_dofs);
    constraints.close();

    IndexSet rows = local_lines; // masters' and periodic partners' rows are filled wherever their DoFs are
    for (const auto m : sphere_master)
      rows.add_index(m);
    rows.compress();
    reinit_condensed_matrix(matrix, constraints, rows);

    // Sphere rows of the unconstrained operator (all cells with a sphere DoF) and the
    // surface mass matrix (sphere faces; unit diagonal elsewhere so that it is invertible).
    if (n_ranks == 1)
      {
        std::vector<char> is_sphere_row(dof_handler.n_dofs(), 0);
        for (const auto &[d, n] : sphere_of_dof)
          is_sphere_row[d] = 1;
        sphere_rows.reinit(comm, cell_sparsity_pattern_of_rows(dof_handler, is_sphere_row));
      }
    else
      {
        DynamicSparsityPattern rows_dsp(relevant_dofs);
        std::vector<types::global_dof_index> cell_dofs(fe.n_dofs_per_cell());
        for (const auto &cell : dof_handler.active_cell_iterators())
          {
            if (!cell->is_locally_owned())
              continue;
            cell->get_dof_indices(cell_dofs);
            for (const auto i : cell_dofs)
              if (sphere_of_dof.count(i))
                for (const auto j : cell_dofs)
                  rows_dsp.add(i, j);
          }
        SparsityTools::distribute_sparsity_pattern(rows_dsp, owned_dofs, comm, relevant_dofs);
        sphere_rows.reinit(owned_dofs, owned_dofs, rows_dsp, comm);
      }
    {
      sphere_rows_unit_load.reinit(owned_dofs, comm);
      sigma_vertex.reinit(owned_dofs, relevant_dofs, comm);
    }

    rhs_unit_space_charge.reinit(owned_dofs, comm);
    rhs_unit_electrode.assign(electrode_layers.size(), rhs_unit_space_charge);
    solution_owned.reinit(owned_dofs, comm);
    solution.reinit(owned_dofs, relevant_dofs, comm);
    pcout << "[electrostatics] " << dof_handler.n_dofs() << " DoFs (P" << fe.degree << ", "
          << (prm.curved_spheres ? "curved" : "polyhedral") << " spheres)" << std::endl;
  }

  void Electrostatics::Impl::reinit_condensed_matrix(CsrSparseMatrix &m, const AffineConstraints<double> &with_constraints,
                                                     const IndexSet &rows) const
  {
    if (n_ranks == 1)
      {
        m.reinit(comm, condensed_sparsity_pattern(dof_handler, with_constraints));
        return;
      }
    DynamicSparsityPattern dsp(rows);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, with_constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, owned_dofs, comm, rows);
    m.reinit(owned_dofs, owned_dofs, dsp, comm);
  }

  Electrostatics::Impl::ElectrodeWeights
  Electrostatics::Impl::electrode_weights_of_dofs(const LinearAlgebra::distributed::Vector<double> &dof_tags) const
  {
    ElectrodeWeights weights;
    for (const auto d : relevant_dofs)
      {
        const auto id = static_cast<unsigned int>(dof_tags(d));
        if (tags::is_electrode(id))
          weights[d].emplace_back(static_cast<unsigned int>(
                                    std::find(electrode_layers.begin(), electrode_layers.end(),
                                              tags::electrode_layer(id)) - electrode_layers.begin()),
                                  1.0);
      }
    if (!wall)
      return weights;
    // Hat functions in z between the nodes, with the wall's bottom (anode or floor) and top
    // (enclosure lid) as grounded end nodes.
    const auto heights = wall_dof_heights(dof_tags);
    double bottom = std::numeric_limits<double>::max(), top = std::numeric_limits<double>::lowest();
    for (const auto &[d, z] : heights)
      {
        bottom = std::min(bottom, z);
        top    = std::max(top, z);
      }
    bottom = Utilities::MPI::min(bottom, comm);
    top    = Utilities::MPI::max(top, comm);
    std::vector<double> nodes{bottom};
    nodes.insert(nodes.end(), prm.wall_node_heights.begin(), prm.wall_node_heights.end());
    nodes.push_back(top);
    if (!(nodes[1] > bottom && nodes[nodes.size() - 2] < top))
      throw InputError("Electrostatics: the electrode wall's node heights must lie strictly between its bottom and top");
    for (const auto &[d, z] : heights)
      {
        auto &w = weights[d]; // every wall DoF is Dirichlet, even with no weight (0 V)
        for (std::size_t k = 1; k + 1 < nodes.size(); ++k)
          {
            double hat = 0;
            if (z > nodes[k - 1] && z <= nodes[k])
              hat = (z - nodes[k - 1]) / (nodes[k] - nodes[k - 1]);
            else if (z > nodes[k] && z < nodes[k + 1])
              hat = (nodes[k + 1] - z) / (nodes[k + 1] - nodes[k]);
            if (hat > 1e-14)
              w.emplace_back(static_cast<unsigned int>(k - 1), hat);
          }
      }
    return weights;
  }

  std::unordered_map<types::global_dof_index, double>
  Electrostatics::Impl::wall_dof_heights(const LinearAlgebra::distributed::Vector<double> &dof_tags) const
  {
    std::unordered_map<types::global_dof_index, double> z;
    const auto &unit_points = fe.get_unit_support_points();
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    for (const auto &cell : dof_handler.active_cell_iterators())
      if (!cell->is_artificial())
        {
          cell->get_dof_indices(dofs);
          for (unsigned int i = 0; i < dofs.size(); ++i)
            if (static_cast<unsigned int>(dof_tags(dofs[i])) == tags::electrode_wall && !z.count(dofs[i]))
              z[dofs[i]] = affine_mapping.transform_unit_to_real_cell(cell, unit_points[i])[2];
        }
    return z;
  }
} // namespace mpstream::solver
