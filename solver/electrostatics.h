#pragma once
// Electrostatics of a sphere stream: -div(eps0 grad phi) = rho in the vacuum of the Gmsh mesh,
// anode and enclosure at 0 V, auxiliary electrodes at given potentials (Dirichlet), every
// sphere a floating conductor with a prescribed total charge Q_i and an unknown uniform
// potential (all DoFs of its surface tied to one master DoF; Q_i enters the right-hand side
// at the master: the weak form's boundary term with test function 1 on the sphere is Q_i).
//
// Discretisation (doc/electrostatics.md has the measurements behind these choices):
// FE_SimplexP(p) (default p = 2) on the linear tetrahedra of the mesh, with a curved geometry
// from MappingFEField on a P2 position field whose support points on sphere faces are
// projected radially onto the exact spheres; parallel::fullydistributed::Triangulation (also
// for one rank), PETSc matrix, deal.II CG (true residual) with BoomerAMG.
//
// The operator and preconditioner are built once in the constructor; every solve after that
// only assembles a right-hand side from precomputed unit responses:
//   b = sum_i Q_i e_{master(i)} + rho b_rho + sum_k V_k b_k,
// which is what makes the capacitance matrix (N + 1 solves) and the charging iteration cheap.
//
// Usage (issue 5, charging):
//   Electrostatics es(MPI_COMM_WORLD, "mesh.msh", layout, parameters);
//   es.set_sphere_charges(Q);              // C, one per sphere
//   es.set_electrode_potentials(V);        // V, one per layer (electrode tag 100 + layer)
//   es.solve();                            // throws RuntimeFailure if CG does not converge
//   es.sphere_potentials();                // V
//   es.sphere_fields()[i].field_abs_max;   // V/m, max |E.n| on sphere i
//   es.sphere_forces()[i];                 // N, net electrostatic force on sphere i
//   auto r = es.compute_responses();       // potential coefficients, capacitance, sensitivities
//   es.surface_fields_at({{i, x}, ...});   // V/m, E.n at many surface points at once
//   es.sample_line(a, b, 200);             // phi and |E| along a segment
//   es.set_progress_callback(f);           // f(SolveProgress) after each unit solve
// All functions are collective (every rank of the communicator calls them) and return the
// same values on every rank.
#include "layout/stream_layout.h"
#include "meshing/volume_mesh.h"
#include "solver/sphere_force_form.h"

#include <mpi.h>

#include <array>
#include <cstddef>
#include <functional>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace mpstream::solver
{
  using Point3 = std::array<double, 3>;

  // BoomerAMG coarsening of the charge-state solve (ElectrostaticsParameters::amg_coarsening).
  enum class AmgCoarsening
  {
    classical,
    hmis,
    hmis_aggressive
  };

  struct ElectrostaticsParameters
  {
    unsigned int fe_degree        = 2;     // polynomial degree of the potential
    bool curved_spheres           = true;  // false: polyhedral spheres (only for studies)
    double relative_tolerance     = 1e-12; // CG stops at ||b - A x|| <= this * ||b||
    // The same for the N + 1 solves of compute_responses. Measured on the 77-sphere stream
    // (doc/electrostatics.md): 1e-8 changes potentials by <= 1e-8 and surface fields by
    // <= 1.2e-8 of their maxima against 1e-12, at 11 instead of 17 CG iterations.
    double response_tolerance     = 1e-8;
    // compute_responses: true solves with unit potentials on the grounded-sphere operator (C
    // first), false with unit charges on the floating operator (P first); the same discrete
    // answer (doc/electrostatics.md). The periodic cell always uses unit charges.
    bool responses_by_unit_potentials = true;
    unsigned int max_iterations   = 1000;
    double amg_strong_threshold   = 0.5;   // BoomerAMG; 0.5 is hypre's advice for 3D
    // BoomerAMG of the floating operator (solve): classical keeps hypre's (Falgout)
    // coarsening; hmis takes HMIS coarsening, ext+i interpolation and at most 4 weights per row
    // (as the grounded-sphere operator always does): on the one-sphere benchmark a cheaper
    // set-up and V-cycle for a few more CG iterations; hmis_aggressive adds one level of
    // aggressive coarsening (2 paths) on top: half the set-up again (doc/performance.md,
    // "Small problems").
    AmgCoarsening amg_coarsening  = AmgCoarsening::classical;
    // Pull the curved nodes of inside-out cells back towards straight chords (see
    // electrostatics/discretisation.cc: it removes negative Jacobians but raises the
    // peak-field error on the default mesh).
    bool straighten_inverted_cells = false;
    // Meshes with the electrode wall (tag electrode_wall): heights (m, ascending) of its
    // potential nodes. Electrode k is node k: the wall's Dirichlet value is sum_k V_k hat_k(z),
    // hat_k piecewise linear, 1 at node k, 0 at its neighbours, the wall's bottom and its top.
    std::vector<double> wall_node_heights;
    // Surface field recovery: the lumped P1 values of sigma are refitted at every vertex by a
    // least-squares quadratic over this many vertex rings around it (0: the lumped values).
    // Measured in doc/electrostatics.md: 2 rings bring the default mesh's peak-field error
    // from 2.6 % to 0.35 %; 3 rings flatten sharp peaks (sphere 0.1 R above a plane: -11 %).
    unsigned int surface_recovery_rings = 2;
  };

  struct SolveReport
  {
    unsigned int iterations = 0;
    double residual         = 0; // final ||b - A x|| (C)
    double rhs_norm         = 0; // ||b|| (C)
    double seconds          = 0;
  };

  // Outward normal field E.n on one sphere's surface (n points out of the sphere).
  struct SphereField
  {
    double potential        = 0; // V
    double charge           = 0; // C, the prescribed charge
    double area             = 0; // m^2, of the curved discrete surface
    double surface_charge   = 0; // C, integral of sigma (equals `charge` to solver tolerance)
    // E.n = sigma / eps0 with sigma recovered from the consistent flux
    // (electrostatics/surface_recovery.cc).
    double field_mean       = 0; // V/m, (1/area) integral of E.n
    double field_min        = 0; // V/m, most negative E.n (a negative sphere's peak)
    double field_max        = 0; // V/m, most positive E.n
    double field_abs_max    = 0; // V/m, max |E.n|: what field emission sees
    Point3 field_abs_max_location{}; // m
    // Diagnostics from the FE gradient at the surface (less accurate; for studies only).
    double gradient_field_mean    = 0; // V/m
    double gradient_field_abs_max = 0; // V/m
    // Surface charge density sigma = eps0 E.n: mean and extremes follow from the above.
    double sigma_mean() const;
    double sigma_abs_max() const;
  };

  // Progress of the unit solves of one compute_responses or mean_potential_responses call,
  // reported after each solve (Electrostatics::set_progress_callback), on every rank.
  struct SolveProgress
  {
    std::string task;            // "unit-potential responses", "unit-charge responses", ...
    unsigned int done  = 0;      // solves finished in this call
    unsigned int total = 0;      // solves of this call
    unsigned int iterations = 0; // CG iterations of the last one
    double seconds     = 0;      // since the call's solves began (this rank's clock)
  };

  struct SurfacePoint { std::size_t sphere; Point3 point; }; // point on that sphere's surface (m)

  struct PointSample
  {
    Point3 point{};
    bool found       = false; // false: point outside the vacuum (inside a sphere, electrode)
    double potential = 0;     // V
    Point3 field{};           // V/m, E = -grad phi
    double field_magnitude() const;
  };

  // Linear responses of the N spheres from one operator set-up and N + 1 solves.
  struct Responses
  {
    // phi_i = sum_j P_ij Q_j + phi_electrodes_i  (P in V/C)
    std::vector<std::vector<double>> potential_coefficients;
    // Maxwell capacitance matrix C = P^-1 (F): Q_i = sum_j C_ij phi_j with electrodes at 0 V.
    std::vector<std::vector<double>> capacitance;
    // Sphere potentials with all charges zero and the electrodes (and space charge) as set (V).
    std::vector<double> electrode_potentials;
    // E.n at each sphere's reference point x_i per unit charge of sphere j (V/m per C), and
    // from the electrodes as set (V/m): E_n,i(Q) = sum_j field_per_charge[i][j] Q_j +
    // field_electrodes[i]. Exact at x_i by linearity; x_i is the location of |E.n| max of
    // sphere i in the last solve before compute_responses (or its lowest point if none).
    std::vector<std::vector<double>> field_per_charge;
    std::vector<double> field_electrodes;
    std::vector<Point3> field_points;
    // The same at the caller's surface_points (compute_responses argument), in their order.
    std::vector<std::vector<double>> surface_field_per_charge; // [m][j], V/m per C at surface_points[m]
    std::vector<double> surface_field_electrodes; // [m], V/m from the electrodes as set
    // Each electrode alone at 1 V (electrode_layers() order), all charges zero, no space
    // charge: sphere potentials [i][k] (V per V) and E.n at the surface_points [m][k] (V/m per V).
    std::vector<std::vector<double>> potential_per_electrode_volt;
    std::vector<std::vector<double>> surface_field_per_electrode_volt;
    // The net force on every sphere as a quadratic form in (Q, V, 1): forces of any charge state
    // and electrode potentials without a solve (solver/sphere_force_form.h).
    SphereForceForm forces;
    unsigned int solves         = 0; // linear solves used
    unsigned int max_iterations = 0;
    double seconds              = 0;
  };

  // Linear functionals "mean potential over a set of points" (a point inside a sphere counts
  // with that sphere's potential), as functions of the charges, electrode potentials and space
  // charge: mean_f = sum_j per_charge[f][j] Q_j + sum_k per_electrode_volt[f][k] V_k +
  // per_space_charge[f] rho. By reciprocity (the operator is symmetric) one solve per
  // functional gives all its coefficients.
  struct MeanPotentialResponses
  {
    std::vector<std::vector<double>> per_charge;         // [f][j], V/C
    std::vector<std::vector<double>> per_electrode_volt; // [f][k], V/V (electrode_layers() order)
    std::vector<double> per_space_charge;                // [f], V per C/m^3
    unsigned int solves = 0;
  };

  class Electrostatics
  {
  public:
    // Reads the MSH 2.2 mesh (physical tags of meshing/physical_tags.h), checks that it has
    // the vacuum volume, a surface for every sphere of `layout`, the anode if the layout has
    // one and the enclosure (InputError naming the missing group), partitions it over `comm`,
    // builds the curved mapping, DoFs, constraints, operator and preconditioner.
    // A periodic lateral cell (layout.periodic_cell; mesh sides tagged periodic_0..3) ties the
    // opposite sides by constraints and needs a one-rank communicator (InputError otherwise).
    Electrostatics(MPI_Comm comm, const std::string &msh_file, const layout::StreamLayout &layout,
                   const ElectrostaticsParameters &parameters, std::ostream *log = nullptr);
    // The same from the mesher's mesh in memory (meshing::build_stream_mesh's in_memory): only
    // rank 0's copy is read (the mesher runs there), the other ranks get it by broadcast.
    Electrostatics(MPI_Comm comm, const meshing::VolumeMesh &mesh_on_rank_0, const layout::StreamLayout &layout,
                   const ElectrostaticsParameters &parameters, std::ostream *log = nullptr);
    ~Electrostatics();
    Electrostatics(const Electrostatics &) = delete;
    Electrostatics &operator=(const Electrostatics &) = delete;

    const ElectrostaticsParameters &parameters() const;
    std::size_t n_spheres() const;
    std::size_t n_dofs() const;
    std::size_t n_cells() const;
    // Flat cells on sphere surfaces whose curved map has det J < 0 somewhere (before any repair).
    std::size_t n_inverted_curved_cells() const;
    // Ids of the electrodes in the mesh, ascending: frames, the layer of each frame (tag 100 +
    // layer); the electrode wall, its node indices 0 ... K-1 (parameters().wall_node_heights).
    const std::vector<unsigned int> &electrode_layers() const;
    bool has_electrode_wall() const;

    // Charges in C, one per sphere (InputError if NaN/inf or the count is wrong).
    void set_sphere_charges(const std::vector<double> &charges);
    // Potentials in V indexed by layer; size >= 1 + the largest electrode layer (or empty: 0 V).
    void set_electrode_potentials(const std::vector<double> &potentials);
    // Uniform space charge density in the vacuum (C/m^3).
    void set_space_charge_density(double rho);
    double space_charge_density() const; // as set (0 until set)

    SolveReport solve();
    // The same to another relative tolerance than ElectrostaticsParameters::relative_tolerance
    // (e.g. loose ones for early charging iterations).
    SolveReport solve(double relative_tolerance);

    std::vector<double> sphere_potentials() const;   // V
    std::vector<SphereField> sphere_fields() const;  // per sphere
    // Net electrostatic force on every sphere (N): the Maxwell stress on its surface, computed
    // in its volume form on the cells around the sphere (doc/forces.md). The torque about the
    // centre is zero: the stress on a conductor is normal to its surface.
    std::vector<Point3> sphere_forces() const;
    // phi and E at points (one FE evaluation each; points inside spheres are not found).
    std::vector<PointSample> sample_points(const std::vector<Point3> &points) const;
    std::vector<PointSample> sample_line(const Point3 &from, const Point3 &to, unsigned int n) const;
    // phi and E at the nodes of a regular grid (x fastest: i + n_x (j + n_y k)), found cell by
    // cell in one pass over the owned cells instead of one search per point: ~10^6 nodes in
    // seconds (the Monte Carlo's field, issue 15). The same values as sample_points at the same
    // nodes (the same partition-independent owner cell); nodes inside a body are not found.
    struct GridSamples
    {
      std::vector<double> potential; // V
      std::vector<Point3> field;     // V/m
      std::vector<char> found;       // 1: in the vacuum
    };
    GridSamples sample_grid(const Point3 &lower, const Point3 &spacing, const std::array<std::size_t, 3> &n_nodes) const;
    // E.n (n out of sphere `sphere`) at a point of that sphere's surface: sigma / eps0 at the
    // point's image on the curved sphere face that contains it.
    double surface_field_at(std::size_t sphere, const Point3 &point_on_surface) const;
    // E.n (V/m, n out of the sphere) at each point for the solution in place; collective.
    // Each point is located once (face of the curved sphere + its barycentric coordinates, see
    // locate_surface_points in electrostatics/point_location.cc); InputError if a point is not
    // within 5 % of its sphere's radius from its centre or the sphere does not exist.
    std::vector<double> surface_fields_at(const std::vector<SurfacePoint> &points) const;
    // Surface points located once (their faces and barycentric coordinates; the location is
    // the expensive part, a Newton inversion of the curved mapping per candidate face), then
    // evaluated after any number of solves at 3 multiply-adds each. Valid only for the object
    // that located them (RuntimeFailure otherwise).
    class LocatedSurfacePoints
    {
    public:
      std::size_t size() const;

    private:
      friend class Electrostatics;
      struct Data;
      std::shared_ptr<const Data> data_;
    };
    LocatedSurfacePoints locate_surface_points(const std::vector<SurfacePoint> &points) const;
    std::vector<double> surface_fields_at(const LocatedSurfacePoints &points) const;

    // N unit solves, one per electrode (and one for the space charge if set) with the same
    // operator and preconditioner.
    // Restores the solution of the current charges/potentials afterwards.
    // surface_points: where to tabulate the field responses besides the per-sphere maxima
    // (located once; each solve then costs 3 multiply-adds per point).
    Responses compute_responses(const std::vector<SurfacePoint> &surface_points = {});

    // Frees the grounded-sphere operator (matrix and AMG, about as large as the floating
    // one) that compute_responses builds on its first call; a later call builds it again.
    // For runs whose responses are done (large streams).
    void release_response_operator();

    // The mean potential over each point set, as linear functions of the sources (see
    // MeanPotentialResponses): one solve per set, at the response tolerance; the solution in
    // place stays. RuntimeFailure if a point is neither in the vacuum nor in a sphere.
    MeanPotentialResponses mean_potential_responses(const std::vector<std::vector<Point3>> &point_sets);
    // The same means for the solution in place, by sampling (the check of the above).
    std::vector<double> mean_potentials(const std::vector<std::vector<Point3>> &point_sets) const;

    // VTU per rank + PVTU + PVD (potential, E, |E|, subdomain) with curved quadratic cells.
    void write_vtu(const std::string &directory, const std::string &basename) const;

    // Called after each unit solve of compute_responses and mean_potential_responses (on every
    // rank; the caller decides who prints). An empty function: no reports.
    void set_progress_callback(std::function<void(const SolveProgress &)> callback);

    void print_timing(std::ostream &out) const;
    double total_setup_seconds() const;

  private:
    class Impl;
    std::unique_ptr<Impl> impl_;
  };
} // namespace mpstream::solver
