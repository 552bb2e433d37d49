// Electrostatics of floating charged spheres (see electrostatics.h for the model and API).
// Step-40 shape: read_mesh / setup_geometry / setup_system / assemble_operator / solve /
// postprocessing, each a TimerOutput section.
#include "solver/electrostatics.h"

#include "common/constants.h"
#include "common/error.h"
#include "meshing/physical_tags.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/index_set.h>
#include <deal.II/base/mpi.h>
#include <deal.II/base/quadrature_lib.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/dofs/dof_tools.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/fe/mapping_fe_field.h>
#include <deal.II/grid/grid_in.h>
#include <deal.II/grid/grid_tools.h>
#include <deal.II/grid/grid_tools_cache.h>
#include <deal.II/grid/tria.h>
#include <deal.II/grid/tria_description.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/dynamic_sparsity_pattern.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/solver_cg.h>
#include <deal.II/lac/solver_control.h>
#include <deal.II/lac/sparsity_tools.h>
#include <deal.II/lac/vector.h>
#include <deal.II/numerics/data_out.h>
#include <deal.II/numerics/data_postprocessor.h>
#include <deal.II/numerics/rtree.h>

#include <petscsys.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <set>
#include <sstream>
#include <type_traits>
#include <unordered_map>

namespace mpstream::solver
{
  using namespace dealii;
  namespace tags = meshing::tags;

  double SphereField::sigma_mean() const { return constants::vacuum_permittivity * field_mean; }
  double SphereField::sigma_abs_max() const { return constants::vacuum_permittivity * field_abs_max; }
  double PointSample::field_magnitude() const { return std::hypot(field[0], field[1], field[2]); }

  namespace
  {
    constexpr double eps0 = constants::vacuum_permittivity;

    // Element-wise MPI_Allreduce of a vector (deal.II 9.4 instantiates its vector-valued
    // reductions only through mpi.templates.h, which does not compile for std::vector here).
    template <typename T>
    std::vector<T> all_reduce(std::vector<T> v, MPI_Op op, MPI_Comm comm)
    {
      static_assert(std::is_same_v<T, double> || std::is_same_v<T, unsigned int> ||
                    std::is_same_v<T, unsigned long>);
      const MPI_Datatype type = std::is_same_v<T, double>         ? MPI_DOUBLE
                                : std::is_same_v<T, unsigned int> ? MPI_UNSIGNED
                                                                  : MPI_UNSIGNED_LONG;
      MPI_Allreduce(MPI_IN_PLACE, v.data(), static_cast<int>(v.size()), type, op, comm);
      return v;
    }

    Point<3> to_point(const Point3 &p) { return Point<3>(p[0], p[1], p[2]); }
    Point3 to_array(const Point<3> &p) { return {p[0], p[1], p[2]}; }

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

    // A sphere face as every rank knows it (Impl::gather_sphere_facets): enough for patch fits.
    struct SphereFacet
    {
      unsigned int sphere;
      std::array<types::global_dof_index, 3> vertex_dof;
      std::array<Point<3>, 3> vertex; // straight (Gmsh) vertices, on the sphere
      double area;                    // m^2, of the curved face
    };

    struct SphereFacets
    {
      std::vector<SphereFacet> facets;
      std::unordered_map<types::global_dof_index, std::vector<std::size_t>> of_vertex; // facet indices
    };

    // The vertices within `rings` edge-connected rings of v, with further rings (up to 3) while
    // fewer than min_size: a fit needs more conditions than unknowns to average anything.
    std::vector<types::global_dof_index> vertex_patch(types::global_dof_index v, unsigned int rings,
                                                      std::size_t min_size, const SphereFacets &surface)
    {
      std::set<types::global_dof_index> patch = {v};
      for (unsigned int ring = 0; ring < rings + 3 && (ring < rings || patch.size() < min_size); ++ring)
        {
          auto grown = patch;
          for (const auto u : patch)
            for (const auto f : surface.of_vertex.at(u))
              grown.insert(surface.facets[f].vertex_dof.begin(), surface.facets[f].vertex_dof.end());
          patch.swap(grown);
        }
      return {patch.begin(), patch.end()};
    }

    // The quadratic monomials in (s, t). A linear fit flattens peaks (sphere-plane bottom field
    // -1.6 % instead of -0.13 % at the default mesh).
    constexpr unsigned int n_monomials = 6;
    std::array<double, n_monomials> monomials(double s, double t) { return {1, s, t, s * s, s * t, t * t}; }

    // Weights w_u of the patch fit at the vertex `origin` (unit outward normal `normal`):
    // fit = sum_u w_u sigma_u over the patch vertices u, sigma_u the lumped P1 values
    // integral(sigma hat_u) / integral(hat_u). The fit is the value at the vertex of the
    // quadratic q (in tangent-plane coordinates there) whose lumped values <q>_u best match
    // sigma_u in least squares. Matching lumped values, not point values, makes it exact for a
    // quadratic sigma (up to the faces' projection on the tangent plane): the lumping's own
    // smoothing, which flattens true peaks by O(h^2), is undone too. Constants give <1>_u = 1
    // exactly, so a uniform sigma is reproduced exactly (sum_u w_u = 1). Empty if degenerate.
    std::vector<std::pair<types::global_dof_index, double>>
    patch_fit_weights(const std::vector<types::global_dof_index> &patch, const Point<3> &origin,
                      const Tensor<1, 3> &normal, const SphereFacets &surface)
    {
      const auto &facets    = surface.facets;
      const auto &facets_of = surface.of_vertex;
      // Tangent frame at the vertex, lengths scaled by the patch size (conditioning).
      Tensor<1, 3> helper;
      helper[std::abs(normal[0]) < 0.6 ? 0 : 1] = 1;
      Tensor<1, 3> e1 = cross_product_3d(normal, helper);
      e1 /= e1.norm();
      const Tensor<1, 3> e2 = cross_product_3d(normal, e1);
      double h = 0;
      for (const auto u : patch)
        for (const auto f : facets_of.at(u))
          for (const auto &x : facets[f].vertex)
            h = std::max(h, (x - origin).norm());
      const QGaussSimplex<2> quadrature(3); // exact for q lambda_u (cubic)
      const unsigned int n = n_monomials;
      FullMatrix<double> B(patch.size(), n);
      for (std::size_t r = 0; r < patch.size(); ++r)
        {
          double mass = 0;
          for (const auto f : facets_of.at(patch[r]))
            {
              const auto &facet = facets[f];
              const unsigned int me = static_cast<unsigned int>(
                std::find(facet.vertex_dof.begin(), facet.vertex_dof.end(), patch[r]) - facet.vertex_dof.begin());
              mass += facet.area / 3;
              for (unsigned int q = 0; q < quadrature.size(); ++q)
                {
                  const Point<2> &xi = quadrature.point(q);
                  const std::array<double, 3> lambda = {1 - xi[0] - xi[1], xi[0], xi[1]};
                  Tensor<1, 3> x;
                  for (unsigned int k = 0; k < 3; ++k)
                    x += lambda[k] * (facet.vertex[k] - origin);
                  // quadrature weights sum to 1/2: 2 w_q is the fraction of the face
                  const auto m = monomials(x * e1 / h, x * e2 / h);
                  for (unsigned int k = 0; k < n; ++k)
                    B(r, k) += facet.area * 2 * quadrature.weight(q) * lambda[me] * m[k];
                }
            }
          for (unsigned int k = 0; k < n; ++k)
            B(r, k) /= mass;
        }
      // Normal equations: fit = e_0^T (B^T B)^-1 B^T sigma, so w = B (B^T B)^-1 e_0.
      FullMatrix<double> G(n, n);
      B.Tmmult(G, B);
      G.gauss_jordan();
      std::vector<std::pair<types::global_dof_index, double>> weights;
      double sum = 0;
      for (std::size_t r = 0; r < patch.size(); ++r)
        {
          double w = 0;
          for (unsigned int k = 0; k < n; ++k)
            w += B(r, k) * G(k, 0);
          weights.emplace_back(patch[r], w);
          sum += w;
        }
      if (!std::isfinite(sum) || std::abs(sum - 1) > 1e-8)
        return {}; // degenerate patch: the caller keeps the lumped value
      return weights;
    }

    RuntimeFailure point_outside_mesh(const Point3 &x)
    {
      return RuntimeFailure("Electrostatics: mean-potential point (" + std::to_string(x[0]) + ", " +
                            std::to_string(x[1]) + ", " + std::to_string(x[2]) + ") m is outside the mesh");
    }

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

    // E = -grad phi and |E| for the VTU output.
    class FieldPostprocessor : public DataPostprocessor<3>
    {
    public:
      void evaluate_scalar_field(const DataPostprocessorInputs::Scalar<3> &inputs,
                                 std::vector<Vector<double>> &computed) const override
      {
        for (unsigned int q = 0; q < inputs.solution_gradients.size(); ++q)
          {
            const Tensor<1, 3> E = -inputs.solution_gradients[q];
            for (unsigned int d = 0; d < 3; ++d)
              computed[q](d) = E[d];
            computed[q](3) = E.norm();
          }
      }
      std::vector<std::string> get_names() const override
      {
        return {"E_V_per_m", "E_V_per_m", "E_V_per_m", "E_magnitude_V_per_m"};
      }
      std::vector<DataComponentInterpretation::DataComponentInterpretation>
      get_data_component_interpretation() const override
      {
        return {DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_part_of_vector,
                DataComponentInterpretation::component_is_scalar};
      }
      UpdateFlags get_needed_update_flags() const override { return update_gradients; }
    };
  } // namespace

  class Electrostatics::Impl
  {
  public:
    Impl(MPI_Comm comm, const std::string &msh_file, const meshing::StreamLayout &layout,
         const ElectrostaticsParameters &parameters, std::ostream *log);

    void read_mesh(const std::string &msh_file);
    // Centre of sphere n, or of its periodic image nearest to x (pieces of a sphere cut by a
    // periodic side belong to an image).
    Point<3> nearest_image_centre(std::size_t n, const Point<3> &x) const;
    void setup_periodicity(); // constraints DoF(max side) = DoF(min side), before close()
    std::vector<std::vector<types::global_dof_index>> periodic_sphere_classes; // DoFs of one surface point
    void setup_geometry();
    // Puts the curved nodes of inside-out cells back on their straight chords (see .cc).
    // Returns how many cells were inverted (before any straightening).
    std::size_t straighten_inverted_cells(const Vector<double> &straight_positions, bool straighten);
    std::size_t n_inverted_cells = 0;
    void setup_system();
    void assemble_operator();
    // Calls operation(cell_matrix, cell_load, dofs) for every owned cell: eps0 (grad u, grad v)
    // and (1, v) on the curved cell.
    template <typename CellOperation>
    void for_each_owned_cell_operator(CellOperation &&operation) const;
    // Every electrode DoF known on this rank (relevant DoFs) with its Dirichlet value per volt
    // of each electrode: (index into electrode_layers, weight). A frame DoF has weight 1 for its
    // frame; a wall DoF the hat functions of its height (none at the wall's bottom and top).
    using ElectrodeWeights =
      std::unordered_map<types::global_dof_index, std::vector<std::pair<unsigned int, double>>>;
    ElectrodeWeights electrode_weights;
    ElectrodeWeights electrode_weights_of_dofs(const LinearAlgebra::distributed::Vector<double> &dof_tags) const;
    // z of every wall DoF among the relevant DoFs (straight cells: the wall is flat).
    std::unordered_map<types::global_dof_index, double>
    wall_dof_heights(const LinearAlgebra::distributed::Vector<double> &dof_tags) const;
    // Adds -K g_k (g_k = electrode k's Dirichlet values at 1 V on this cell) to liftings[k].
    void add_electrode_liftings(const FullMatrix<double> &cell_matrix,
                                const std::vector<types::global_dof_index> &dofs,
                                const AffineConstraints<double> &with_constraints,
                                std::vector<PETScWrappers::MPI::Vector> &liftings) const;
    // Electrode V (by id) as set, 0 if not given.
    double electrode_potential(std::size_t k) const;
    bool wall = false; // the mesh has the electrode wall
    PETScWrappers::PreconditionBoomerAMG::AdditionalData amg_data() const;
    SolveReport solve(double relative_tolerance);
    // CG + AMG on the floating operator for a right-hand side; the constrained DoFs stay 0.
    PETScWrappers::MPI::Vector solve_floating(const PETScWrappers::MPI::Vector &rhs, double relative_tolerance,
                                              SolveReport &report) const;

    std::vector<double> sphere_potentials() const;
    std::vector<SphereField> sphere_fields() const;
    std::vector<PointSample> sample_points(const std::vector<Point3> &points) const;
    // A point in the vacuum located once: its cell and reference point on the one rank that
    // holds it (the partition-independent rule of sample_points).
    struct LocatedPoint
    {
      bool found    = false; // on some rank
      bool rank_has = false; // on this one
      DoFHandler<3>::active_cell_iterator cell;
      Point<3> xi;
    };
    std::vector<LocatedPoint> locate_points(const std::vector<Point3> &points) const;
    MeanPotentialResponses mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets);
    std::vector<double> mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const;
    // The sphere (or periodic image of one) whose inside holds x; the sphere count if none.
    std::size_t sphere_containing(const Point3 &x) const;

    // A point on a sphere surface located once in its (owned) cell: evaluations after further
    // solves need no search. `rank_has` is true on the one rank that evaluates it.
    struct SurfaceProbe
    {
      bool rank_has = false;
      std::size_t surface_face = 0;      // index into surface_faces
      std::array<double, 3> lambda{};    // barycentric coordinates on that face
      Tensor<1, 3> normal; // out of the sphere
    };
    // All points at once: two reductions in total, candidates by a radial ray test.
    std::vector<SurfaceProbe> locate_surface_points(const std::vector<SurfacePoint> &points) const;
    // E.n = sigma / eps0 at every probe for the solution in place; one reduction; collective.
    std::vector<double> evaluate_probes(const std::vector<SurfaceProbe> &probes) const;
    Responses compute_responses(const std::vector<SurfacePoint> &surface_points);
    // The two ways of compute_responses (see there): unit charges on the floating operator
    // (periodic cell), or unit potentials on the grounded-sphere operator (default).
    // probes: the N reference points, then the caller's points. Fill r's tables and matrices.
    void responses_by_unit_charges(const std::vector<SurfaceProbe> &probes, Responses &r);
    void responses_by_unit_potentials(const std::vector<SurfaceProbe> &probes, Responses &r);

    // Every sphere surface a homogeneous Dirichlet boundary, like anode, enclosure and
    // electrodes: a plain Laplacian without the floating spheres' dense master rows, so
    // BoomerAMG coarsens it well. Built on the first call of responses_by_unit_potentials.
    struct GroundedSphereOperator
    {
      AffineConstraints<double> constraints;
      PETScWrappers::MPI::SparseMatrix matrix;
      PETScWrappers::PreconditionBoomerAMG amg;
      PETScWrappers::MPI::Vector rhs_unit_space_charge;
      std::vector<PETScWrappers::MPI::Vector> rhs_unit_electrode;
    };
    std::unique_ptr<GroundedSphereOperator> grounded;
    void setup_grounded_sphere_operator();
    // Solves the grounded-sphere problem with lifting `rhs`; adds the Dirichlet values
    // `dirichlet` (zero off the boundary) to the result. Throws RuntimeFailure if CG fails.
    PETScWrappers::MPI::Vector solve_grounded(const PETScWrappers::MPI::Vector &rhs,
                                              const PETScWrappers::MPI::Vector &dirichlet,
                                              SolveReport &report) const;
    // (A u - rho b) at the sphere-surface DoFs (zero elsewhere): the consistent flux of u.
    PETScWrappers::MPI::Vector sphere_reaction(const PETScWrappers::MPI::Vector &u, double rho) const;
    // Charge on every sphere (C) of a solution u with space charge rho: the consistent flux
    // sum_{d on sphere i} (A u - rho b)_d.
    std::vector<double> sphere_charges_of(const PETScWrappers::MPI::Vector &u, double rho) const;
    void write_vtu(const std::string &directory, const std::string &basename) const;

    MPI_Comm comm;
    unsigned int n_ranks, rank;
    ConditionalOStream pcout;
    mutable TimerOutput timer;
    std::ostringstream timer_stream;
    ElectrostaticsParameters prm;
    meshing::StreamLayout layout;

    parallel::fullydistributed::Triangulation<3> triangulation;
    FE_SimplexP<3> fe;
    DoFHandler<3> dof_handler;
    // Curved geometry: P2 vector field of node positions, sphere nodes on the exact spheres.
    FESystem<3> position_fe;
    DoFHandler<3> position_dof_handler;
    Vector<double> positions; // global size (simple and enough for a few million DoFs)
    std::unique_ptr<Mapping<3>> mapping;
    // Point location uses straight cells: inverting the curved MappingFEField costs a Newton
    // solve with slow simplex shape gradients per candidate cell (minutes for a few hundred
    // points on 0.6M cells). The unit point is then refined with the curved mapping.
    MappingFE<3> affine_mapping{FE_SimplexP<3>(1)};
    std::unique_ptr<GridTools::Cache<3>> cache;

    IndexSet owned_dofs, relevant_dofs;
    AffineConstraints<double> constraints; // homogeneous Dirichlet + floating-sphere ties
    std::vector<types::global_dof_index> sphere_master;
    std::vector<unsigned int> electrode_layers;
    std::vector<std::vector<std::pair<types::global_dof_index, double>>> owned_electrode_dofs; // (DoF, weight)

    PETScWrappers::MPI::SparseMatrix matrix;
    PETScWrappers::PreconditionBoomerAMG amg;
    PETScWrappers::MPI::Vector rhs_unit_space_charge;           // rho = 1 C/m^3
    std::vector<PETScWrappers::MPI::Vector> rhs_unit_electrode;  // electrode k at 1 V
    PETScWrappers::MPI::Vector solution_owned;                   // includes Dirichlet values
    PETScWrappers::MPI::Vector solution;                         // ghosted copy

    // Surface charge recovery (see recover_surface_charge): the rows of the unconstrained
    // operator and of the unit load at sphere-surface DoFs, and the sphere-surface mass matrix.
    std::unordered_map<types::global_dof_index, unsigned int> sphere_of_dof; // relevant DoFs
    PETScWrappers::MPI::SparseMatrix sphere_rows;
    PETScWrappers::MPI::Vector sphere_rows_unit_load;
    struct SurfaceFace // a sphere face of an owned cell
    {
      DoFHandler<3>::active_cell_iterator cell;
      unsigned int face;
      unsigned int sphere;
      double area;                                      // m^2, curved
      std::array<unsigned int, 3> cell_vertex;          // the face's vertices in the cell
      std::array<types::global_dof_index, 3> vertex_dof;
      // Non-vertex face DoFs j with the weights w_vj = lambda_v(x_j) / (faces sharing j).
      std::vector<std::pair<types::global_dof_index, std::array<double, 3>>> others;
    };
    std::vector<SurfaceFace> surface_faces;
    std::vector<std::vector<std::size_t>> surface_faces_of_sphere; // indices into surface_faces
    mutable LinearAlgebra::distributed::Vector<double> sigma_vertex; // C/m^2 at sphere vertices
    // The lumped P1 values (ghosts: every vertex the owned patch fits read, and the vertices
    // of the owned sphere faces); the sphere charges are summed from these.
    mutable LinearAlgebra::distributed::Vector<double> sigma_lumped;
    mutable bool sigma_current = false;
    // Patch fit of sigma at an owned sphere vertex: sum_u weight_u * lumped sigma(u).
    struct VertexFit
    {
      types::global_dof_index vertex;
      std::vector<std::pair<types::global_dof_index, double>> weights;
    };
    std::vector<VertexFit> vertex_fits;
    void setup_surface_faces();
    void setup_surface_recovery();
    SphereFacets gather_sphere_facets() const;
    void recover_surface_charge() const;
    double sigma_on_face(const SurfaceFace &face, const std::array<double, 3> &lambda) const;

    std::vector<double> charges;
    std::vector<double> electrode_potentials; // by layer
    double space_charge = 0;
    SolveReport last;
    bool solved = false;
    double setup_seconds = 0;
  };

  Electrostatics::Impl::Impl(MPI_Comm comm_, const std::string &msh_file,
                             const meshing::StreamLayout &layout_,
                             const ElectrostaticsParameters &parameters, std::ostream *log)
    : comm(comm_)
    , n_ranks(Utilities::MPI::n_mpi_processes(comm_))
    , rank(Utilities::MPI::this_mpi_process(comm_))
    , pcout(log ? *log : std::cout, log != nullptr && rank == 0)
    , timer(comm_, timer_stream, TimerOutput::never, TimerOutput::wall_times)
    , prm(parameters)
    , layout(layout_)
    , triangulation(comm_)
    , fe(parameters.fe_degree)
    , position_fe(FE_SimplexP<3>(2), 3)
  {
    if (layout.periodic_cell && n_ranks > 1)
      throw InputError("Electrostatics: a periodic lateral cell runs on one MPI rank only (the "
                       "periodicity constraints pair DoFs that another rank may own); run with "
                       "mpirun -np 1");
    if (prm.fe_degree < 1 || prm.fe_degree > 3)
      throw InputError("Electrostatics/FE degree = " + std::to_string(prm.fe_degree) +
                       " is outside [1, 3]");
    const auto start = std::chrono::steady_clock::now();
    read_mesh(msh_file);
    setup_geometry();
    setup_system();
    assemble_operator();
    charges.assign(layout.spheres.size(), 0.0);
    setup_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }

  // Every rank reads the whole (linear) mesh, checks its physical groups, partitions it with
  // METIS and keeps its part: parallel::distributed (p4est) refuses simplices, so the
  // fully distributed triangulation is built from the serial one (DEALII_94_SIMPLEX_NOTES).
  void Electrostatics::Impl::read_mesh(const std::string &msh_file)
  {
    TimerOutput::Scope t(timer, "read and partition mesh");
    Triangulation<3> serial;
    {
      std::ifstream in(msh_file);
      if (!in)
        throw InputError("Electrostatics: cannot open mesh file '" + msh_file + "'");
      GridIn<3> grid_in;
      grid_in.attach_triangulation(serial);
      grid_in.read_msh(in);
    }
    std::set<types::material_id> materials;
    std::set<types::boundary_id> surfaces;
    for (const auto &cell : serial.active_cell_iterators())
      {
        materials.insert(cell->material_id());
        for (const auto f : cell->face_indices())
          if (cell->face(f)->at_boundary())
            surfaces.insert(cell->face(f)->boundary_id());
      }
    const auto missing = [&](const std::string &group, unsigned int tag) {
      return InputError("Electrostatics: mesh file '" + msh_file + "' has no physical " + group +
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
          throw InputError("Electrostatics: mesh file '" + msh_file + "' has boundary faces " +
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
          throw InputError("Electrostatics: mesh file '" + msh_file + "' has both electrode frames and the electrode wall");
        const auto &z = prm.wall_node_heights;
        if (z.empty())
          throw InputError("Electrostatics: mesh file '" + msh_file + "' has the electrode wall, but no wall node "
                           "heights were given (ElectrostaticsParameters::wall_node_heights)");
        for (std::size_t k = 0; k < z.size(); ++k)
          {
            if (!std::isfinite(z[k]) || (k > 0 && !(z[k] > z[k - 1])))
              throw InputError("Electrostatics: the electrode wall's node heights must be finite and increasing");
            electrode_layers.push_back(static_cast<unsigned int>(k));
          }
      }
    GridTools::partition_triangulation(n_ranks, serial);
    const auto description =
      TriangulationDescription::Utilities::create_description_from_triangulation(serial, comm);
    triangulation.create_triangulation(description);
    pcout << "[electrostatics] " << serial.n_active_cells() << " tetrahedra on " << n_ranks
          << " rank(s), " << electrode_layers.size() << " electrode(s)" << std::endl;
  }

  Point<3> Electrostatics::Impl::nearest_image_centre(std::size_t n, const Point<3> &x) const
  {
    Point<3> c = to_point(layout.spheres.at(n).centre);
    if (!layout.periodic_cell)
      return c;
    const auto &cell = *layout.periodic_cell;
    Point<3> best = c;
    for (int a = -1; a <= 1; ++a)
      for (int b = -1; b <= 1; ++b)
        {
          const Point<3> image(c[0] + a * cell.length_x(), c[1] + b * cell.length_y(), c[2]);
          if (image.distance(x) < best.distance(x))
            best = image;
        }
    return best;
  }

  // Periodic lateral cell (one rank): every DoF on a max side (x_max, y_max) equals the DoF at
  // the translated support point on the min side. The mesher matches the side meshes node by
  // node (Gmsh setPeriodic), so the P_k support points match too; a DoF without a partner is a
  // mesh defect. DoFs already constrained (grounded, sphere ties) keep their constraint: their
  // partners carry the same one, as the tags of both sides are the same. Chains at the
  // vertical edges (x_max, y_max) -> (x_min, y_max) -> (x_min, y_min) are resolved by close().
  void Electrostatics::Impl::setup_periodicity()
  {
    const auto &cell = *layout.periodic_cell;
    const double L[2] = {cell.length_x(), cell.length_y()};
    const double plane[4] = {cell.x_min, cell.x_max, cell.y_min, cell.y_max};
    double r_min = std::numeric_limits<double>::max();
    for (const auto &sphere : layout.spheres)
      r_min = std::min(r_min, sphere.radius);
    const double q = 1e-3 * r_min; // matching grid: far below any element size
    const auto &unit_points = fe.get_unit_support_points();
    std::vector<types::global_dof_index> dofs(fe.n_dofs_per_cell());
    std::array<std::map<types::global_dof_index, Point<3>>, 4> on_side;
    for (const auto &c : dof_handler.active_cell_iterators())
      for (const auto f : c->face_indices())
        {
          if (!c->face(f)->at_boundary() || !is_periodic_side(c->face(f)->boundary_id()))
            continue;
          const unsigned int side = c->face(f)->boundary_id() - tags::first_periodic;
          const unsigned int d    = side / 2;
          c->get_dof_indices(dofs);
          for (unsigned int i = 0; i < dofs.size(); ++i)
            {
              Point<3> x;
              for (unsigned int v = 0; v < 4; ++v)
                x += ReferenceCells::Tetrahedron.d_linear_shape_function(unit_points[i], v) * c->vertex(v);
              if (std::abs(x[d] - plane[side]) < q)
                on_side[side][dofs[i]] = x;
            }
        }
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
            const bool same_sphere = sphere_of_dof.count(dof) && sphere_of_dof.count(partner);
            if (!constraints.is_constrained(dof) && dof != partner && !same_sphere)
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
        if (seen.count(dof) || !sphere_of_dof.count(dof))
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

    constraints.clear();
    constraints.reinit(relevant_dofs);
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
      setup_periodicity();
    constraints.close();

    IndexSet rows = relevant_dofs; // masters' rows are filled wherever a sphere DoF is
    for (const auto m : sphere_master)
      rows.add_index(m);
    rows.compress();
    DynamicSparsityPattern dsp(rows);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, owned_dofs, comm, rows);
    matrix.reinit(owned_dofs, owned_dofs, dsp, comm);

    // Sphere rows of the unconstrained operator (all cells with a sphere DoF) and the
    // surface mass matrix (sphere faces; unit diagonal elsewhere so that it is invertible).
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

  template <typename CellOperation>
  void Electrostatics::Impl::for_each_owned_cell_operator(CellOperation &&operation) const
  {
    const QGaussSimplex<3> quadrature(fe.degree + 1);
    FEValues<3> fe_values(*mapping, fe, quadrature, update_values | update_gradients | update_JxW_values);
    const unsigned int n = fe.n_dofs_per_cell();
    FullMatrix<double> cell_matrix(n, n);
    Vector<double> cell_load(n);
    std::vector<types::global_dof_index> dofs(n);
    for (const auto &cell : dof_handler.active_cell_iterators())
      {
        if (!cell->is_locally_owned())
          continue;
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
        cell->get_dof_indices(dofs);
        operation(cell_matrix, cell_load, dofs);
      }
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

  double Electrostatics::Impl::electrode_potential(std::size_t k) const
  {
    return electrode_layers[k] < electrode_potentials.size() ? electrode_potentials[electrode_layers[k]] : 0.0;
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
        constraints.distribute_local_to_global(cell_matrix, dofs, matrix);
        constraints.distribute_local_to_global(cell_load, dofs, rhs_unit_space_charge);
        for (unsigned int i = 0; i < dofs.size(); ++i)
          if (sphere_of_dof.count(dofs[i]))
            {
              for (unsigned int j = 0; j < dofs.size(); ++j)
                sphere_rows.add(dofs[i], dofs[j], cell_matrix(i, j));
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
      amg.initialize(matrix, amg_data());
    }
  }

  PETScWrappers::PreconditionBoomerAMG::AdditionalData Electrostatics::Impl::amg_data() const
  {
    PETScWrappers::PreconditionBoomerAMG::AdditionalData data;
    data.symmetric_operator = true;
    data.strong_threshold   = prm.amg_strong_threshold;
    return data;
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
          << relative_tolerance << " x ||b||); raise Electrostatics/Maximum iterations or "
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
    last   = report;
    solved        = true;
    sigma_current = false;
    return report;
  }

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
    r.update_ghost_values();
    // Periodic cell (one rank): a sphere point on a periodic side has one DoF per side, each
    // seeing only its side's cells; the point's reaction, mass and numerator are the sums.
    const auto sum_over_periodic_copies = [&](LinearAlgebra::distributed::Vector<double> &v) {
      for (const auto &group : periodic_sphere_classes)
        {
          double total = 0;
          for (const auto d : group)
            total += v(d);
          for (const auto d : group)
            v(d) = total;
        }
    };
    sum_over_periodic_copies(r);
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
        sigma_vertex(d) /= static_cast<double>(group.size());
    sigma_vertex.update_ghost_values();
    sigma_current = true;
  }

  double Electrostatics::Impl::sigma_on_face(const SurfaceFace &face, const std::array<double, 3> &lambda) const
  {
    return lambda[0] * sigma_vertex(face.vertex_dof[0]) + lambda[1] * sigma_vertex(face.vertex_dof[1]) +
           lambda[2] * sigma_vertex(face.vertex_dof[2]);
  }

  std::vector<double> Electrostatics::Impl::sphere_potentials() const
  {
    std::vector<double> phi(sphere_master.size(), 0.0);
    for (std::size_t n = 0; n < phi.size(); ++n)
      if (owned_dofs.is_element(sphere_master[n]))
        phi[n] = solution_owned(sphere_master[n]);
    return all_reduce(phi, MPI_SUM, comm);
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
    const auto saved_last     = last;
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
    last                 = saved_last;
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
    electrode_potentials.clear();
    space_charge = 0;
    // One floating solve of the state as set: sphere potentials and E.n at the probes.
    const auto solve_and_probe = [&]() {
      const auto report = solve(prm.response_tolerance);
      r.max_iterations  = std::max(r.max_iterations, report.iterations);
      ++r.solves;
      return std::make_pair(sphere_potentials(), evaluate_probes(probes));
    };
    for (std::size_t j = 0; j < N; ++j)
      {
        charges.assign(N, 0.0);
        charges[j] = q_unit;
        const auto [phi, En] = solve_and_probe();
        for (std::size_t i = 0; i < N; ++i)
          {
            r.potential_coefficients[i][j] = phi[i] / q_unit;
            r.field_per_charge[i][j]       = En[i] / q_unit;
          }
        for (std::size_t m = 0; m < M; ++m)
          r.surface_field_per_charge[m][j] = En[N + m] / q_unit;
        pcout << "[electrostatics] response to sphere " << j << ": " << last.iterations
              << " CG iterations" << std::endl;
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
        for (std::size_t i = 0; i < N; ++i)
          r.potential_per_electrode_volt[i][k] = phi[i];
        for (std::size_t m = 0; m < M; ++m)
          r.surface_field_per_electrode_volt[m][k] = En[N + m];
      }
    electrode_potentials = saved_V;
    space_charge         = saved_rho;
    {
      const auto [phi, En]   = solve_and_probe();
      r.electrode_potentials = phi;
      r.field_electrodes.assign(En.begin(), En.begin() + N);
      r.surface_field_electrodes.assign(En.begin() + N, En.end());
    }

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
        pcout << "[electrostatics] mean-potential response " << r.solves << " of " << point_sets.size() << ": "
              << report.iterations << " CG iterations" << std::endl;
      }
    return r;
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
    DynamicSparsityPattern dsp(relevant_dofs);
    DoFTools::make_sparsity_pattern(dof_handler, dsp, g.constraints, false);
    SparsityTools::distribute_sparsity_pattern(dsp, owned_dofs, comm, relevant_dofs);
    g.matrix.reinit(owned_dofs, owned_dofs, dsp, comm);
    g.rhs_unit_space_charge.reinit(owned_dofs, comm);
    g.rhs_unit_electrode.assign(electrode_layers.size(), g.rhs_unit_space_charge);
    for_each_owned_cell_operator([&](const FullMatrix<double> &cell_matrix, const Vector<double> &cell_load,
                                     const std::vector<types::global_dof_index> &dofs) {
      g.constraints.distribute_local_to_global(cell_matrix, dofs, g.matrix);
      g.constraints.distribute_local_to_global(cell_load, dofs, g.rhs_unit_space_charge);
      if (!electrode_weights.empty())
        add_electrode_liftings(cell_matrix, dofs, g.constraints, g.rhs_unit_electrode);
    });
    g.matrix.compress(VectorOperation::add);
    g.rhs_unit_space_charge.compress(VectorOperation::add);
    for (auto &v : g.rhs_unit_electrode)
      v.compress(VectorOperation::add);
    // BoomerAMG with HMIS coarsening, ext+i interpolation and at most 4 interpolation weights
    // per row (hypre's advice for 3D): measured on the default stream, 9 instead of 7-8 CG
    // iterations but 1.8 instead of 2.7 s per response solve (doc/performance.md). deal.II 9.4's
    // AdditionalData has no fields for these, so they go through PETSc's options database for
    // this one set-up. The floating operator keeps hypre's defaults.
    const std::array<std::pair<const char *, const char *>, 3> options{
      {{"-pc_hypre_boomeramg_coarsen_type", "HMIS"},
       {"-pc_hypre_boomeramg_interp_type", "ext+i"},
       {"-pc_hypre_boomeramg_P_max", "4"}}};
    for (const auto &[name, value] : options)
      PetscOptionsSetValue(nullptr, name, value);
    g.amg.initialize(g.matrix, amg_data());
    for (const auto &[name, value] : options)
      PetscOptionsClearValue(nullptr, name);
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
          << " C); raise Electrostatics/Maximum iterations or check the mesh";
        throw RuntimeFailure(s.str());
      }
    report.iterations = control.last_step();
    report.residual   = control.last_value();
    grounded->constraints.set_zero(x);
    x += dirichlet;
    report.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return x;
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

  void Electrostatics::Impl::responses_by_unit_potentials(const std::vector<SurfaceProbe> &probes, Responses &r)
  {
    const std::size_t N = layout.spheres.size(), M = probes.size() - N;
    const double rho    = space_charge; // as set; the tabulation below changes the member
    if (!grounded)
      setup_grounded_sphere_operator();
    // The field at a probe of a solution u is linear in u: tabulate it for each unit-potential
    // solution (columns 0..N-1) and for the boundary solves below (columns N..N+E).
    FullMatrix<double> C(N, N), field(N + M, N + electrode_layers.size() + 1);
    const auto tabulate = [&](const PETScWrappers::MPI::Vector &u, double rho, std::size_t column) {
      solution_owned = u;
      solution       = u;
      space_charge   = rho;
      sigma_current  = false;
      const auto En  = evaluate_probes(probes);
      for (std::size_t m = 0; m < N + M; ++m)
        field(m, column) = En[m];
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
        pcout << "[electrostatics] response to sphere " << j << ": " << report.iterations
              << " CG iterations" << std::endl;
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
  }

  void Electrostatics::Impl::write_vtu(const std::string &directory, const std::string &basename) const
  {
    TimerOutput::Scope t(timer, "output");
    DataOut<3> data_out;
    data_out.attach_dof_handler(dof_handler);
    data_out.add_data_vector(solution, "potential_V");
    FieldPostprocessor field;
    data_out.add_data_vector(solution, field);
    Vector<float> subdomain(triangulation.n_active_cells());
    for (auto &x : subdomain)
      x = static_cast<float>(triangulation.locally_owned_subdomain());
    data_out.add_data_vector(subdomain, "subdomain");
    // Quadratic output cells through the curved mapping, so ParaView shows the curved spheres.
    data_out.build_patches(*mapping, 2);
    DataOutBase::VtkFlags flags;
    flags.write_higher_order_cells = true;
    data_out.set_flags(flags);
    std::filesystem::create_directories(directory);
    const std::string pvtu = data_out.write_vtu_with_pvtu_record(directory + "/", basename, 0, comm, 4, 0);
    if (rank == 0)
      {
        std::ofstream pvd(directory + "/" + basename + ".pvd");
        DataOutBase::write_pvd_record(pvd, std::vector<std::pair<double, std::string>>{{0.0, pvtu}});
      }
  }

  // ---- public interface -----------------------------------------------------------------------

  Electrostatics::Electrostatics(MPI_Comm comm, const std::string &msh_file,
                                 const meshing::StreamLayout &layout,
                                 const ElectrostaticsParameters &parameters, std::ostream *log)
    : impl_(std::make_unique<Impl>(comm, msh_file, layout, parameters, log))
  {}

  Electrostatics::~Electrostatics() = default;

  const ElectrostaticsParameters &Electrostatics::parameters() const { return impl_->prm; }
  std::size_t Electrostatics::n_spheres() const { return impl_->layout.spheres.size(); }
  std::size_t Electrostatics::n_dofs() const { return impl_->dof_handler.n_dofs(); }
  std::size_t Electrostatics::n_cells() const { return impl_->triangulation.n_global_active_cells(); }
  std::size_t Electrostatics::n_inverted_curved_cells() const { return impl_->n_inverted_cells; }
  const std::vector<unsigned int> &Electrostatics::electrode_layers() const { return impl_->electrode_layers; }
  bool Electrostatics::has_electrode_wall() const { return impl_->wall; }

  void Electrostatics::set_sphere_charges(const std::vector<double> &charges)
  {
    if (charges.size() != n_spheres())
      throw InputError("Electrostatics: " + std::to_string(charges.size()) +
                       " sphere charges given for " + std::to_string(n_spheres()) + " spheres");
    for (std::size_t n = 0; n < charges.size(); ++n)
      if (!std::isfinite(charges[n]))
        throw InputError("Electrostatics: the charge of sphere " + std::to_string(n) +
                         " is not a finite number (" + std::to_string(charges[n]) + " C)");
    impl_->charges = charges;
  }

  void Electrostatics::set_electrode_potentials(const std::vector<double> &potentials)
  {
    for (std::size_t k = 0; k < potentials.size(); ++k)
      if (!std::isfinite(potentials[k]))
        throw InputError("Electrostatics: the potential of the electrode of layer " +
                         std::to_string(k) + " is not a finite number");
    for (const auto layer : impl_->electrode_layers)
      if (!potentials.empty() && layer >= potentials.size())
        throw InputError("Electrostatics: no potential given for electrode " + std::to_string(layer) +
                         " (" + std::to_string(potentials.size()) + " given)");
    impl_->electrode_potentials = potentials;
  }

  void Electrostatics::set_space_charge_density(double rho)
  {
    if (!std::isfinite(rho))
      throw InputError("Electrostatics: the space charge density is not a finite number");
    impl_->space_charge = rho;
  }

  SolveReport Electrostatics::solve() { return impl_->solve(impl_->prm.relative_tolerance); }
  SolveReport Electrostatics::solve(double relative_tolerance)
  {
    if (!(relative_tolerance > 0 && relative_tolerance < 1))
      throw InputError("Electrostatics: solver tolerance " + std::to_string(relative_tolerance) +
                       " is outside (0, 1)");
    return impl_->solve(relative_tolerance);
  }
  const SolveReport &Electrostatics::last_solve() const { return impl_->last; }
  std::vector<double> Electrostatics::sphere_potentials() const { return impl_->sphere_potentials(); }
  std::vector<SphereField> Electrostatics::sphere_fields() const { return impl_->sphere_fields(); }

  std::vector<PointSample> Electrostatics::sample_points(const std::vector<Point3> &points) const
  {
    return impl_->sample_points(points);
  }

  std::vector<PointSample> Electrostatics::sample_line(const Point3 &from, const Point3 &to,
                                                       unsigned int n) const
  {
    std::vector<Point3> points;
    for (unsigned int k = 0; k < n; ++k)
      {
        const double t = n > 1 ? double(k) / (n - 1) : 0.0;
        points.push_back({from[0] + t * (to[0] - from[0]), from[1] + t * (to[1] - from[1]),
                          from[2] + t * (to[2] - from[2])});
      }
    return impl_->sample_points(points);
  }

  double Electrostatics::surface_field_at(std::size_t sphere, const Point3 &point) const
  {
    return surface_fields_at({SurfacePoint{sphere, point}})[0];
  }

  namespace
  {
    void check_surface_points(const std::vector<SurfacePoint> &points, const meshing::StreamLayout &layout)
    {
      for (std::size_t m = 0; m < points.size(); ++m)
        {
          const auto &p = points[m];
          if (p.sphere >= layout.spheres.size())
            throw InputError("Electrostatics: surface point " + std::to_string(m) + " names sphere " +
                             std::to_string(p.sphere) + ", but there are " +
                             std::to_string(layout.spheres.size()) + " spheres");
          const auto &s = layout.spheres[p.sphere];
          double r = to_point(p.point).distance(to_point(s.centre));
          if (layout.periodic_cell) // the point may lie on a periodic image's piece
            for (int a = -1; a <= 1; ++a)
              for (int b = -1; b <= 1; ++b)
                r = std::min(r, to_point(p.point).distance(Point<3>(s.centre[0] + a * layout.periodic_cell->length_x(),
                                                                    s.centre[1] + b * layout.periodic_cell->length_y(),
                                                                    s.centre[2])));
          if (!(std::abs(r - s.radius) <= 0.05 * s.radius))
            throw InputError("Electrostatics: surface point " + std::to_string(m) + " is " +
                             std::to_string(r) + " m from the centre of sphere " + std::to_string(p.sphere) +
                             " (radius " + std::to_string(s.radius) + " m): not on its surface");
        }
    }
  } // namespace

  std::vector<double> Electrostatics::surface_fields_at(const std::vector<SurfacePoint> &points) const
  {
    check_surface_points(points, impl_->layout);
    return impl_->evaluate_probes(impl_->locate_surface_points(points));
  }

  MeanPotentialResponses Electrostatics::mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets)
  {
    return impl_->mean_potential_responses(point_sets);
  }

  std::vector<double> Electrostatics::mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const
  {
    return impl_->mean_potentials(point_sets);
  }

  Responses Electrostatics::compute_responses(const std::vector<SurfacePoint> &surface_points)
  {
    check_surface_points(surface_points, impl_->layout);
    return impl_->compute_responses(surface_points);
  }

  void Electrostatics::write_vtu(const std::string &directory, const std::string &basename) const
  {
    impl_->write_vtu(directory, basename);
  }

  void Electrostatics::print_timing(std::ostream &out) const
  {
    impl_->timer_stream.str("");
    impl_->timer.print_wall_time_statistics(impl_->comm);
    impl_->timer.print_summary();
    if (impl_->rank == 0)
      out << impl_->timer_stream.str();
  }

  double Electrostatics::total_setup_seconds() const { return impl_->setup_seconds; }
} // namespace mpstream::solver
