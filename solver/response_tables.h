#pragma once
// The dense tables the charging modes work on, all linear responses of the electrostatics
// solution (doc/charging.md), and their computation from Electrostatics:
//  - P:  sphere potentials per sphere charge (V/C, N x N);
//  - S:  E.n at the surface points per sphere charge (V/m per C, K x N);
//  - Pv, Sv: the same per electrode volt (N x E, K x E);
//  - forces: the sphere forces as a quadratic form in the charges and electrode volts;
//  - W_Q, W_V: electrode wall, the mean potential of each node's wall-equivalent points per
//    charge (E x N) and per electrode volt (E x E).
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
    DenseMatrix W_Q, W_V;
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

  // Backscatter only: the rows of P of the patch-centre spheres `centre` by reciprocity (P is
  // symmetric: row c is the potential response to a unit charge on c), one solve each; the
  // other rows stay zero.
  void compute_centre_rows(Electrostatics &es, std::size_t n_spheres, const std::vector<std::size_t> &centre,
                           ResponseTables &tables, std::ostream *log);

  // Backscatter only: Pv, one solve per electrode at 1 V with the charges zero (electrode_ids:
  // Electrostatics::electrode_layers(); n_ids: size of a by-id potential vector).
  void compute_electrode_responses(Electrostatics &es, std::size_t n_spheres,
                                   const std::vector<unsigned int> &electrode_ids, std::size_t n_ids,
                                   ResponseTables &tables, std::ostream *log);

  // Electrode wall, patch centre: W_Q and W_V for the windows (one point set per wall node).
  void compute_wall_window_responses(Electrostatics &es, const std::vector<std::vector<Point3>> &windows,
                                     ResponseTables &tables, std::ostream *log);
} // namespace mpstream::solver
