#pragma once
// The discharged states of the charging modes (charging.h, ChargingMode), worked out on the
// linear model of E.n at the surface points and confirmed by full solves:
//  - field cap: the complementarity problem of field_cap.h, its caps corrected per sphere by
//    the confirming solves' true maxima, with a refresh of constraint points if needed;
//  - Murphy-Good: the emission integral of emission_discharge.h, one confirming solve;
//  - dwell: the same integral with the thermal-field law at each sphere's temperature T_i(t),
//    every step recorded (ChargingResult::dwell), one confirming solve at the exit.
#include "solver/charging.h"
#include "solver/electrode_models.h"
#include "solver/field_cap.h"

#include <cstddef>
#include <iosfwd>
#include <vector>

namespace mpstream::solver
{
  // What the modes need of the driver (StreamCharging).
  class LinearChargingModel
  {
  public:
    virtual ~LinearChargingModel() = default;
    // E.n at the surface points = rows Q + offsets (V/m per C, K x N; V/m), electrodes folded in.
    virtual const SurfacePointSet &points() const          = 0;
    virtual const DenseMatrix &field_rows() const            = 0;
    virtual const std::vector<double> &field_offsets() const = 0;
    // The full solve of charges Q with the model's electrode potentials (left in place).
    virtual ChargeState solve_state(const std::vector<double> &Q) = 0;
    // Sphere potentials = rows Q + offsets (V per C, N x N; V), electrodes folded in.
    virtual const PointFieldRows &potential_rows() const = 0;
    // Field cap refresh: a constraint point at each location (on spheres[n]) and its rows.
    // Called with the last confirming solve still in place.
    virtual void add_constraint_points(const std::vector<std::size_t> &spheres,
                                       const std::vector<Point3> &locations) = 0;
    // Largest |full solve - table| at the points in the last solve_state, relative to the
    // largest |E.n| there: 0 for tables exact by linearity (the responses); an approximate
    // table (probed) corrects itself with each full solve, and a refresh waits until it agrees.
    virtual double table_error_at_last_solve() const { return 0.0; }
  };

  // From the backscatter-only charges Q0; sets result.capped, infeasible, iterations, refreshes.
  // RuntimeFailure if the confirming solves miss the cap after settings.max_iterations.
  ChargeState field_cap_state(LinearChargingModel &model, const ChargingSettings &settings,
                              const std::vector<double> &Q0, ChargingResult &result, std::ostream *log);

  // Beam currents I_beam (A per sphere) over the dwell (s); sets result.iterations, emitted_charge.
  ChargeState murphy_good_state(LinearChargingModel &model, const EmissionSettings &emission,
                                const std::vector<double> &I_beam, double dwell, ChargingResult &result,
                                std::ostream *log);

  // The coupled dwell: emission (thermal-field law, settings' temperature histories) over the
  // dwell; sets result.dwell (every step), iterations, emitted_charge.
  ChargeState dwell_state(LinearChargingModel &model, EmissionSettings emission, const std::vector<double> &I_beam,
                          double dwell, ChargingResult &result, std::ostream *log);
} // namespace mpstream::solver
