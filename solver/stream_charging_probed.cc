// StreamCharging's field cap on probed tables (probed_field_rows.h): the same surface points
// and the same field-cap iteration (charging_modes.h, field_cap_state) as with the responses,
// the table from one linear solve per probe colour and one full solve instead of N + 1 + E unit
// solves. The table's far coefficients are approximate: each confirming full solve corrects
// its offsets (defect correction), so the field cap holds on the full solves' fields; a
// constraint-point refresh costs no solve.
#include "common/error.h"
#include "solver/charging_log.h"
#include "solver/charging_modes.h"
#include "solver/electrode_models.h"
#include "solver/point_charge_field_model.h"
#include "solver/probed_field_rows.h"
#include "solver/response_tables.h"
#include "solver/stream_charging.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <sstream>
#include <utility>

namespace mpstream::solver
{
  namespace
  {
    constexpr double neighbour_gap_radii = 3.5;

    class ProbedFieldModel : public LinearChargingModel
    {
    public:
      using ElectrodePotentials = std::function<std::vector<double>(const std::vector<double> &)>;
      using SolveState          = std::function<ChargeState(const std::vector<double> &)>;

      ProbedFieldModel(Electrostatics &es, const layout::StreamLayout &layout, SurfacePointSet points,
                       std::vector<double> Q0, ElectrodePotentials electrodes, SolveState solve_state, std::ostream *log)
        : es_(es)
        , layout_(layout)
        , points_(std::move(points))
        , electrode_potentials_(std::move(electrodes))
        , solve_state_(std::move(solve_state))
        , log_(log)
      {
        probes_.backscatter_charges = std::move(Q0);
        // Neighbours: surfaces within 3.5 radii. With 1 radius the far part of a colour was too
        // close for the point-charge model (negative own coefficients), with 2 the table was
        // non-monotone enough to stall the complementarity solve on the 77-sphere stream
        // (doc/charging.md); 3.5 gives 27 colours there and 32 at 600 spheres.
        probes_.neighbours          = near_spheres(layout, neighbour_gap_radii);
        std::vector<bool> charged;
        for (const double q : probes_.backscatter_charges)
          charged.push_back(q != 0);
        probes_.colours = probe_colours(probes_.neighbours, charged);
        probe();
      }

      const SurfacePointSet &points() const override { return points_; }
      const DenseMatrix &field_rows() const override { return rows_.rows; }
      const std::vector<double> &field_offsets() const override { return rows_.offset; }
      // The full solve of Q, and the table's defect correction: the offsets take up the
      // difference between the full solve and the table at every point, so the table is exact
      // at the charges of the last confirming solve. The field-cap iteration on it is then a
      // defect correction (the approximate far coefficients act as the Jacobian; the fixed
      // point satisfies the cap on the full solves' fields at the points).
      ChargeState solve_state(const std::vector<double> &Q) override
      {
        auto state = solve_state_(Q);
        last_Q_    = Q;
        last_En_   = es_.surface_fields_at(located_); // the state is in place
        correct_offsets();
        charging_say(log_, "probed table against the full solve: largest error " + std::to_string(last_error_) +
                             " of the largest |E.n|; offsets corrected");
        return state;
      }
      double table_error_at_last_solve() const override { return last_error_; }
      const PointFieldRows &potential_rows() const override
      {
        throw RuntimeFailure("Charging: the probed field tables hold no potential rows (field cap only)");
      }
      void add_constraint_points(const std::vector<std::size_t> &spheres, const std::vector<Point3> &locations) override
      {
        // No new probes: a new point takes the row of the nearest point of its sphere (the
        // rows only steer the iteration, like a Jacobian), and its offset makes it exact at the
        // last confirming solve, which is still in place.
        for (std::size_t n = 0; n < spheres.size(); ++n)
          {
            rows_.rows.push_back(rows_.rows[nearest_point(spheres[n], locations[n])]);
            rows_.offset.push_back(0.0);
            points_.add(spheres[n], locations[n], 0.0);
          }
        charging_say(log_, "refresh: " + std::to_string(spheres.size()) +
                             " new constraint points, rows from their nearest points");
        located_ = es_.locate_surface_points(surface_points_of(points_));
        last_En_ = es_.surface_fields_at(located_);
        correct_offsets();
      }
      unsigned int solves() const { return solves_; }
      std::size_t colours() const { return probes_.colours.size(); }

    private:
      // One linear solve per colour and one full solve of Q0, E.n at every point.
      void probe()
      {
        located_              = es_.locate_surface_points(surface_points_of(points_));
        const auto &Q0        = probes_.backscatter_charges;
        probes_.point_sphere  = points_.sphere;
        probes_.model         = point_charge_field_rows(layout_, points_.sphere, points_.point);
        probes_.probes.assign(points_.size(), std::vector<double>(probes_.colours.size()));
        for (std::size_t c = 0; c < probes_.colours.size(); ++c)
          {
            std::vector<double> Q(Q0.size(), 0.0);
            for (const auto j : probes_.colours[c])
              Q[j] = Q0[j];
            SolveReport report;
            const auto En = linear_fields(Q, report);
            for (std::size_t k = 0; k < En.size(); ++k)
              probes_.probes[k][c] = En[k];
            std::ostringstream m;
            m << "probe " << c + 1 << " of " << probes_.colours.size() << " (" << probes_.colours[c].size()
              << " spheres, " << report.iterations << " CG iterations, " << report.seconds << " s)";
            charging_say(log_, m.str());
          }
        es_.set_sphere_charges(Q0);
        es_.set_electrode_potentials(electrode_potentials_(Q0));
        es_.solve();
        ++solves_;
        probes_.full_field = es_.surface_fields_at(located_);
        auto probed        = probed_field_rows(probes_);
        rows_.rows         = std::move(probed.rows);
        rows_.offset       = std::move(probed.offset);
        // The model rows and the probe values (points x N and points x K) are not needed again.
        probes_.model      = {};
        probes_.probes     = {};
      }

      std::size_t nearest_point(std::size_t sphere, const Point3 &x) const
      {
        std::size_t best = points_.size();
        double d_best    = 0;
        for (std::size_t k = 0; k < points_.size(); ++k)
          if (points_.sphere[k] == sphere)
            {
              const auto &p  = points_.point[k];
              const double d = std::hypot(p[0] - x[0], p[1] - x[1], p[2] - x[2]);
              if (best == points_.size() || d < d_best)
                best = k, d_best = d;
            }
        if (best == points_.size())
          throw RuntimeFailure("Charging: sphere " + std::to_string(sphere) + " has no surface point");
        return best;
      }

      // Offsets += full solve - table at the last confirming solve's charges: the table is
      // then exact there (defect correction; the probed rows act as the Jacobian).
      void correct_offsets()
      {
        const auto model = evaluate(rows_, last_Q_);
        last_error_      = largest_relative_difference(model, last_En_);
        for (std::size_t k = 0; k < last_En_.size(); ++k)
          rows_.offset[k] += last_En_[k] - model[k];
      }

      // Charges Q, the electrodes' response to them (V - V_fixed), no space charge: the
      // linear part, solved to the response tolerance (doc/electrostatics.md).
      std::vector<double> linear_fields(const std::vector<double> &Q, SolveReport &report)
      {
        const double rho = es_.space_charge_density();
        auto V           = electrode_potentials_(Q);
        const auto fixed = electrode_potentials_(std::vector<double>(Q.size(), 0.0));
        for (std::size_t k = 0; k < V.size(); ++k)
          V[k] -= fixed[k];
        es_.set_space_charge_density(0);
        es_.set_sphere_charges(Q);
        es_.set_electrode_potentials(V);
        report = es_.solve(es_.parameters().response_tolerance);
        ++solves_;
        auto En = es_.surface_fields_at(located_);
        es_.set_space_charge_density(rho);
        return En;
      }

      Electrostatics &es_;
      const layout::StreamLayout &layout_;
      SurfacePointSet points_;
      Electrostatics::LocatedSurfacePoints located_; // points_, located once (again at a refresh)
      ElectrodePotentials electrode_potentials_;
      SolveState solve_state_;
      std::ostream *log_;
      FieldProbes probes_;
      PointFieldRows rows_;
      std::vector<double> last_Q_, last_En_; // the last confirming solve: charges, E.n at the points
      double last_error_ = 1.0;               // the table's error there before its correction
      unsigned int solves_ = 0;
    };
  } // namespace

  ChargeState StreamCharging::field_cap_probed_state(const std::vector<double> &Q0, ChargingResult &result)
  {
    ProbedFieldModel model(
      es_, layout_, make_surface_points(layout_, settings_.points), Q0,
      [this](const std::vector<double> &Q) { return electrode_potentials_for(Q); },
      [this](const std::vector<double> &Q) { return solve_state(Q); }, log_);
    say("probed field tables: " + std::to_string(model.colours()) + " colours, " +
        std::to_string(model.points().size()) + " surface points, " + std::to_string(model.solves()) + " solves");
    auto state               = field_cap_state(model, settings_, Q0, result, log_);
    result.mode_field_solves = model.solves() + result.iterations;
    result.surface_points    = model.points().size();
    // The table's error against the final (last confirming) solve, before its correction: what
    // point_model_error reports on the responses' tables.
    result.model_error = std::max(result.model_error, model.table_error_at_last_solve());
    return state;
  }
} // namespace mpstream::solver
