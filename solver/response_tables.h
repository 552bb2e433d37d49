#pragma once
// The dense tables the charging modes work on, all linear responses of the electrostatics
// solution (doc/charging.md), and their computation from Electrostatics:
//  - P:  sphere potentials per sphere charge (V/C, N x N);
//  - S:  E.n at the surface points per sphere charge (V/m per C, K x N);
//  - Pv, Sv: the same per electrode volt (N x E, K x E);
//  - forces: the sphere forces as a quadratic form in the charges and electrode volts;
//  - K_Q, K_V: the patch-centre electrode model's consistency rows, the mean potential where
//    each electrode stands per charge (E x N) and per electrode volt (E x E): electrode wall,
//    each node's wall-equivalent points (both); frames without the full responses, each
//    layer's centre spheres (K_Q only; K_V follows from Pv). Empty when P is full.
// Collective over the communicator of Electrostatics; each function leaves its last unit
// solution in place.
#include "solver/electrostatics.h"
#include "solver/field_cap.h"
#include "solver/surface_points.h"

#include <cstddef>
#include <iosfwd>
#include <vector>

namespace mpstream::solver
{
  struct ResponseTables
  {
    SurfacePointSet points; // constraint / emission points (empty in backscatter-only mode)
    DenseMatrix P, S, Pv, Sv;
    DenseMatrix K_Q, K_V;
    SphereForceForm forces; // field-cap, Murphy-Good and dwell modes (compute_point_responses)
    unsigned int solves = 0; // unit solves so far
  };

  // The points of a set from index `from` on, as Electrostatics takes them.
  std::vector<SurfacePoint> surface_points_of(const SurfacePointSet &points, std::size_t from = 0);

  // Field-cap and Murphy-Good modes: the surface points of every sphere and P, S, Pv, Sv there
  // (N + 1 solves and one per electrode, by Electrostatics::compute_responses).
  void compute_point_responses(Electrostatics &es, const layout::StreamLayout &layout,
                               const SurfacePointSettings &settings, std::size_t n_electrodes,
                               ResponseTables &tables, std::ostream *log);

  // Field-cap refresh: constraint points (area 0) at `locations` on `spheres`, their rows of S
  // and Sv (the unit solutions are not kept, so the unit solves run again).
  void add_constraint_points(Electrostatics &es, const std::vector<std::size_t> &spheres,
                             const std::vector<Point3> &locations, ResponseTables &tables);

  // Frames without the full responses (backscatter only, probed field cap): K_Q, the mean
  // potential of each electrode layer's centre spheres per unit charge on every sphere. By
  // reciprocity (P is symmetric), sum_i k_i P_ij is sphere j's potential when the centre
  // spheres carry k_i = 1/|set| each: one solve per electrode, however many centre spheres
  // (`centre_sets` by electrode, none empty).
  void compute_centre_mean_rows(Electrostatics &es, std::size_t n_spheres,
                                const std::vector<std::vector<std::size_t>> &centre_sets,
                                ResponseTables &tables, std::ostream *log);

  // Backscatter only: Pv, one solve per electrode at 1 V with the charges zero (electrode_ids:
  // Electrostatics::electrode_layers(); n_ids: size of a by-id potential vector).
  void compute_electrode_responses(Electrostatics &es, std::size_t n_spheres,
                                   const std::vector<unsigned int> &electrode_ids, std::size_t n_ids,
                                   ResponseTables &tables, std::ostream *log);

  // Electrode wall, patch centre: K_Q and K_V for the windows (one point set per wall node).
  void compute_wall_window_responses(Electrostatics &es, const std::vector<std::vector<Point3>> &windows,
                                     ResponseTables &tables, std::ostream *log);
} // namespace mpstream::solver
