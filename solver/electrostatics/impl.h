#pragma once
// Private to solver/electrostatics*.cc: the state and steps of Electrostatics (the public
// facade is solver/electrostatics.h). Step-40 shape, split by concern like ASPECT's solver:
//   discretisation.cc    mesh, periodicity, curved geometry, DoFs and constraints
//   operators.cc         floating and grounded-sphere operators, AMG, solves, sphere fluxes
//   condensed_sparsity.cc one rank: the operators' CSR pattern and the PETSc matrix on it
//   surface_recovery.cc  sphere faces, surface charge sigma, per-sphere surface fields
//   surface_patch_fit.cc the patch fit of sigma at a vertex (geometry only)
//   point_location.cc    points in the vacuum and on sphere surfaces, sampling, means
//   forces.cc            Maxwell-stress forces on the spheres and their quadratic form
//   responses.cc         unit-charge / unit-potential responses, mean-potential reciprocity
//   output.cc            VTU
// Members are declared in dependency order (construction and destruction follow it).
#include "solver/electrostatics.h"
#include "solver/electrostatics/condensed_sparsity.h"
#include "solver/electrostatics/surface_patch_fit.h"

#include "common/constants.h"
#include "common/error.h"

#include <deal.II/base/conditional_ostream.h>
#include <deal.II/base/index_set.h>
#include <deal.II/base/timer.h>
#include <deal.II/distributed/fully_distributed_tria.h>
#include <deal.II/dofs/dof_handler.h>
#include <deal.II/fe/fe_simplex_p.h>
#include <deal.II/fe/fe_system.h>
#include <deal.II/fe/fe_values.h>
#include <deal.II/fe/mapping_fe.h>
#include <deal.II/grid/grid_tools_cache.h>
#include <deal.II/lac/affine_constraints.h>
#include <deal.II/lac/full_matrix.h>
#include <deal.II/lac/la_parallel_vector.h>
#include <deal.II/lac/petsc_precondition.h>
#include <deal.II/lac/petsc_sparse_matrix.h>
#include <deal.II/lac/petsc_vector.h>
#include <deal.II/lac/vector.h>

#include <mpi.h>

#include <array>
#include <chrono>
#include <functional>
#include <memory>
#include <sstream>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mpstream::solver
{
  // Only the electrostatics sources include this header: deal.II names unqualified, as in the
  // tutorials.
  using namespace dealii;

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

  inline Point<3> to_point(const Point3 &p) { return Point<3>(p[0], p[1], p[2]); }
  inline Point3 to_array(const Point<3> &p) { return {p[0], p[1], p[2]}; }

  // The error of a mean-potential point in neither the vacuum nor a sphere (point_location.cc).
  RuntimeFailure point_outside_mesh(const Point3 &x);

  // The mesh the solver starts from: an MSH 2.2 file, or (in_memory set) the mesher's mesh,
  // read on rank 0 and broadcast.
  struct MeshSource
  {
    std::string msh_file;
    const meshing::VolumeMesh *in_memory = nullptr;
    std::string name() const { return in_memory ? "the mesher's mesh (in memory)" : "mesh file '" + msh_file + "'"; }
  };

  class Electrostatics::Impl
  {
  public:
    Impl(MPI_Comm comm, const MeshSource &mesh, const layout::StreamLayout &layout,
         const ElectrostaticsParameters &parameters, std::ostream *log);

    // ---- communication, log, timing, progress ------------------------------------------------
    MPI_Comm comm;
    unsigned int n_ranks, rank;
    ConditionalOStream pcout;
    std::ostringstream timer_stream;
    mutable TimerOutput timer;
    std::function<void(const SolveProgress &)> progress; // empty: no reports
    // Calls `progress` (if set) after solve `done` of `total` of a call that began at `start`.
    void report_progress(const std::string &task, unsigned int done, unsigned int total,
                         unsigned int iterations, std::chrono::steady_clock::time_point start) const;

    // ---- input ---------------------------------------------------------------------------------
    ElectrostaticsParameters prm;
    layout::StreamLayout layout;

    // ---- mesh and curved geometry (discretisation.cc) -----------------------------------------
    void read_mesh(const MeshSource &mesh);
    // One rank: a serial Triangulation, built directly from the mesh (a third of the cost of
    // a fully distributed one, doc/performance.md, "Small problems"); several ranks:
    // parallel::fullydistributed, each rank its METIS part (p4est refuses simplices).
    std::unique_ptr<Triangulation<3>> triangulation_storage;
    Triangulation<3> &triangulation;
    std::vector<unsigned int> electrode_layers;
    bool wall = false; // the mesh has the electrode wall
    // Centre of sphere n, or of its periodic image nearest to x (pieces of a sphere cut by a
    // periodic side belong to an image).
    Point<3> nearest_image_centre(std::size_t n, const Point<3> &x) const;

    FE_SimplexP<3> fe;
    DoFHandler<3> dof_handler;
    // Curved geometry: P2 vector field of node positions, sphere nodes on the exact spheres.
    void setup_geometry();
    // Puts the curved nodes of inside-out cells back on their straight chords (see .cc).
    // Returns how many cells were inverted (before any straightening).
    std::size_t straighten_inverted_cells(const Vector<double> &straight_positions, bool straighten);
    FESystem<3> position_fe;
    DoFHandler<3> position_dof_handler;
    Vector<double> positions; // global size (simple and enough for a few million DoFs)
    std::unique_ptr<Mapping<3>> mapping;
    // Point location uses straight cells: inverting the curved MappingFEField costs a Newton
    // solve with slow simplex shape gradients per candidate cell (minutes for a few hundred
    // points on 0.6M cells). The unit point is then refined with the curved mapping.
    MappingFE<3> affine_mapping{FE_SimplexP<3>(1)};
    std::unique_ptr<GridTools::Cache<3>> cache;
    std::size_t n_inverted_cells = 0;

    // ---- DoFs and constraints (discretisation.cc) ---------------------------------------------
    void setup_system();
    // An operator's matrix condensed by `with_constraints`: on one rank on the CSR pattern of
    // the cells (condensed_sparsity.h), on N ranks on deal.II's distributed pattern whose
    // locally built rows are `rows`.
    void reinit_condensed_matrix(CsrSparseMatrix &m, const AffineConstraints<double> &with_constraints,
                                 const IndexSet &rows) const;
    IndexSet owned_dofs, relevant_dofs;
    AffineConstraints<double> constraints; // homogeneous Dirichlet + floating-sphere ties
    std::vector<types::global_dof_index> sphere_master;
    std::unordered_map<types::global_dof_index, unsigned int> sphere_of_dof; // relevant DoFs
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
    std::vector<std::vector<std::pair<types::global_dof_index, double>>> owned_electrode_dofs; // (DoF, weight)
    // A DoF on a periodic side (a DoF at a vertical edge is on two sides: two entries).
    struct PeriodicSideDof
    {
      unsigned int side; // 0..3: x_min, x_max, y_min, y_max
      types::global_dof_index dof;
      Point<3> point;    // support point (straight cell)
      unsigned int tag;  // physical surface tag (0: none), periodic sides ignored
    };
    std::vector<PeriodicSideDof> gather_periodic_side_dofs(const LinearAlgebra::distributed::Vector<double> &dof_tags) const;
    double periodic_match_tolerance() const; // m: periodic support points match closer than this
    // Constraints DoF(max side) = DoF(min side), before close(); identical on every rank.
    void setup_periodicity(const std::vector<PeriodicSideDof> &side_dofs);
    std::vector<std::vector<types::global_dof_index>> periodic_sphere_classes; // DoFs of one surface point

    // ---- floating operator (operators.cc) -----------------------------------------------------
    void assemble_operator();
    // Calls operation(cell_matrix, cell_load, dofs) for every owned cell: eps0 (grad u, grad v)
    // and (1, v) on the curved cell.
    template <typename CellOperation>
    void for_each_owned_cell_operator(CellOperation &&operation) const;
    // Adds -K g_k (g_k = electrode k's Dirichlet values at 1 V on this cell) to liftings[k].
    void add_electrode_liftings(const FullMatrix<double> &cell_matrix,
                                const std::vector<types::global_dof_index> &dofs,
                                const AffineConstraints<double> &with_constraints,
                                std::vector<PETScWrappers::MPI::Vector> &liftings) const;
    void initialize_amg(PETScWrappers::PreconditionBoomerAMG &preconditioner,
                        const PETScWrappers::MPI::SparseMatrix &operator_matrix, AmgCoarsening coarsening) const;
    CsrSparseMatrix matrix;
    PETScWrappers::PreconditionBoomerAMG amg;
    PETScWrappers::MPI::Vector rhs_unit_space_charge;           // rho = 1 C/m^3
    std::vector<PETScWrappers::MPI::Vector> rhs_unit_electrode;  // electrode k at 1 V
    // Sphere rows of the unconstrained operator and of the unit load at sphere-surface DoFs:
    // the consistent flux (surface charge recovery, grounded-sphere charges).
    CsrSparseMatrix sphere_rows;
    PETScWrappers::MPI::Vector sphere_rows_unit_load;
    // (A u - rho b) at the sphere-surface DoFs (zero elsewhere): the consistent flux of u.
    PETScWrappers::MPI::Vector sphere_reaction(const PETScWrappers::MPI::Vector &u, double rho) const;
    // Charge on every sphere (C) of a solution u with space charge rho: the consistent flux
    // sum_{d on sphere i} (A u - rho b)_d.
    std::vector<double> sphere_charges_of(const PETScWrappers::MPI::Vector &u, double rho) const;

    // ---- sources and the solution in place (operators.cc) -------------------------------------
    std::vector<double> charges;
    std::vector<double> electrode_potentials; // by layer
    double space_charge = 0;
    // Electrode V (by id) as set, 0 if not given.
    double electrode_potential(std::size_t k) const;
    SolveReport solve(double relative_tolerance);
    // CG + AMG on the floating operator for a right-hand side; the constrained DoFs stay 0.
    PETScWrappers::MPI::Vector solve_floating(const PETScWrappers::MPI::Vector &rhs, double relative_tolerance,
                                              SolveReport &report) const;
    PETScWrappers::MPI::Vector solution_owned; // includes Dirichlet values
    PETScWrappers::MPI::Vector solution;       // ghosted copy
    bool solved = false;
    std::vector<double> sphere_potentials() const;

    // ---- grounded-sphere operator (operators.cc) ----------------------------------------------
    // Every sphere surface a homogeneous Dirichlet boundary, like anode, enclosure and
    // electrodes: a plain Laplacian without the floating spheres' dense master rows, so
    // BoomerAMG coarsens it well. Built on the first call of responses_by_unit_potentials.
    struct GroundedSphereOperator
    {
      AffineConstraints<double> constraints;
      CsrSparseMatrix matrix;
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

    // ---- surface charge recovery (surface_recovery.cc) ----------------------------------------
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
    void setup_surface_faces();
    std::vector<SurfaceFace> surface_faces;
    std::vector<std::vector<std::size_t>> surface_faces_of_sphere; // indices into surface_faces
    void setup_surface_recovery();
    SphereFacets gather_sphere_facets() const;
    // Patch fit of sigma at an owned sphere vertex: sum_u weight_u * lumped sigma(u).
    struct VertexFit
    {
      types::global_dof_index vertex;
      std::vector<std::pair<types::global_dof_index, double>> weights;
    };
    std::vector<VertexFit> vertex_fits;
    void recover_surface_charge() const;
    mutable LinearAlgebra::distributed::Vector<double> sigma_vertex; // C/m^2 at sphere vertices
    // The lumped P1 values (ghosts: every vertex the owned patch fits read, and the vertices
    // of the owned sphere faces); the sphere charges are summed from these.
    mutable LinearAlgebra::distributed::Vector<double> sigma_lumped;
    mutable bool sigma_current = false;
    double sigma_on_face(const SurfaceFace &face, const std::array<double, 3> &lambda) const;
    std::vector<SphereField> sphere_fields() const;

    // ---- forces (forces.cc) -------------------------------------------------------------------
    // The volume (virtual-work) form of the Maxwell stress: F_i = -integral of T(E) : grad theta_i
    // - integral of theta_i rho E over the vacuum, theta_i the P1 hat sum of sphere i's surface
    // vertices (1 on sphere i, 0 on every other boundary, nonzero only on the cells touching
    // sphere i: its "shell"). doc/forces.md.
    struct ForceShellCell // an owned cell with a vertex on sphere `sphere` (one per cell and sphere)
    {
      DoFHandler<3>::active_cell_iterator cell;
      unsigned int sphere;
      std::array<bool, 4> vertex_on_sphere;
    };
    void setup_force_shells() const;
    mutable std::vector<ForceShellCell> force_shell_cells; // sorted by sphere
    mutable bool force_shells_ready = false;
    // A shell cell's share of F_d is u^T A_d u + rho b_d . u, u its local DoF values.
    struct CellForceWeights
    {
      std::array<FullMatrix<double>, 3> A;
      std::array<Vector<double>, 3> b;
    };
    void cell_force_weights(const ForceShellCell &shell, FEValues<3> &fe_values, CellForceWeights &w) const;
    std::vector<Point3> sphere_forces() const;
    // The DoFs of the shell cells (rows of the tables below).
    std::vector<types::global_dof_index> force_dofs;
    std::unordered_map<types::global_dof_index, std::size_t> force_dof_row;
    // The solution at force_dofs and its space charge for each unit solution of
    // compute_responses (columns), recorded while tabulating; turned into the quadratic form by
    // build_force_form.
    FullMatrix<double> force_solution_columns;
    std::vector<double> force_space_charge_columns;
    void start_force_columns(std::size_t n_columns);
    void record_force_column(std::size_t column, double scale); // the solution in place * scale
    // M_i,d = T^T (U^T A_i,d U + rho b_i,d terms) T with U the recorded columns and T their map
    // to (Q, V, 1).
    SphereForceForm build_force_form(const FullMatrix<double> &to_sources);
    FullMatrix<double> force_sources_of_unit_potentials(const FullMatrix<double> &P,
                                                        const std::vector<std::vector<double>> &induced,
                                                        bool with_space_charge) const;

    // ---- point location and sampling (point_location.cc) --------------------------------------
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
    std::vector<PointSample> sample_points(const std::vector<Point3> &points) const;
    GridSamples sample_grid(const Point3 &lower, const Point3 &spacing, const std::array<std::size_t, 3> &n_nodes) const;
    // The curved cell's P2 position nodes (by base-element index); false if the cell is straight.
    bool curved_support_points(const DoFHandler<3>::active_cell_iterator &cell, std::vector<Point<3>> &support) const;
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
    // The sphere (or periodic image of one) whose inside holds x; the sphere count if none.
    std::size_t sphere_containing(const Point3 &x) const;
    std::vector<double> mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const;

    // ---- responses (responses.cc) -------------------------------------------------------------
    Responses compute_responses(const std::vector<SurfacePoint> &surface_points);
    // The two ways of compute_responses (see there): unit charges on the floating operator
    // (periodic cell), or unit potentials on the grounded-sphere operator (default).
    // probes: the N reference points, then the caller's points. Fill r's tables and matrices.
    void responses_by_unit_charges(const std::vector<SurfaceProbe> &probes, Responses &r);
    void responses_by_unit_potentials(const std::vector<SurfaceProbe> &probes, Responses &r);
    MeanPotentialResponses mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets);

    // ---- output (output.cc) -------------------------------------------------------------------
    void write_vtu(const std::string &directory, const std::string &basename) const;

    double setup_seconds = 0;
  };
} // namespace mpstream::solver
