// StreamCharging's field cap on probed tables (probed_field_rows.h): the same surface points
// and the same field-cap iteration (charging_modes.h, field_cap_state) as with the responses,
// the table from one linear solve per probe colour and one full solve instead of N + 1 + E unit
// solves. A constraint-point refresh probes again with the new points.
#include "common/error.h"
#include "solver/charging_log.h"
#include "solver/charging_modes.h"
#include "solver/point_charge_field_model.h"
#include "solver/probed_field_rows.h"
#include "solver/response_tables.h"
#include "solver/stream_charging.h"

#include <functional>
#include <utility>

namespace mpstream::solver
{
  namespace
  {
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
        // Neighbours: surfaces within two radii (one radius left 10 % errors of the own
        // coefficient at some points of the 77-sphere stream: the far part of a colour was too close).
        probes_.neighbours          = near_spheres(layout, 2.0);
        std::vector<bool> charged;
        for (const double q : probes_.backscatter_charges)
          charged.push_back(q != 0);
        probes_.colours = probe_colours(probes_.neighbours, charged);
        probe();
      }

      const SurfacePointSet &points() const override { return points_; }
      const DenseMatrix &field_rows() const override { return rows_.rows; }
      const std::vector<double> &field_offsets() const override { return rows_.offset; }
      ChargeState solve_state(const std::vector<double> &Q) override { return solve_state_(Q); }
      const PointFieldRows &potential_rows() const override
      {
        throw RuntimeFailure("Charging: the probed field tables hold no potential rows (field cap only)");
      }
      void add_constraint_points(const std::vector<std::size_t> &spheres, const std::vector<Point3> &locations) override
      {
        for (std::size_t n = 0; n < spheres.size(); ++n)
          points_.add(spheres[n], locations[n], 0.0);
        charging_say(log_, "refresh: " + std::to_string(spheres.size()) + " new constraint points, probed again");
        probe();
      }
      unsigned int solves() const { return solves_; }
      std::size_t colours() const { return probes_.colours.size(); }

    private:
      // One linear solve per colour and one full solve of Q0, E.n at every point.
      void probe()
      {
        const auto where      = surface_points_of(points_);
        const auto &Q0        = probes_.backscatter_charges;
        probes_.point_sphere  = points_.sphere;
        probes_.model         = point_charge_field_rows(layout_, points_.sphere, points_.point);
        probes_.probes.assign(points_.size(), std::vector<double>(probes_.colours.size()));
        for (std::size_t c = 0; c < probes_.colours.size(); ++c)
          {
            std::vector<double> Q(Q0.size(), 0.0);
            for (const auto j : probes_.colours[c])
              Q[j] = Q0[j];
            const auto En = linear_fields(Q, where);
            for (std::size_t k = 0; k < En.size(); ++k)
              probes_.probes[k][c] = En[k];
            charging_say(log_, "probe " + std::to_string(c + 1) + " of " + std::to_string(probes_.colours.size()) +
                                 " (" + std::to_string(probes_.colours[c].size()) + " spheres)");
          }
        es_.set_sphere_charges(Q0);
        es_.set_electrode_potentials(electrode_potentials_(Q0));
        es_.solve();
        ++solves_;
        probes_.full_field = es_.surface_fields_at(where);
        auto probed        = probed_field_rows(probes_);
        rows_.rows         = std::move(probed.rows);
        rows_.offset       = std::move(probed.offset);
      }

      // Charges Q, the electrodes' response to them (V - V_fixed), no space charge: the
      // linear part, solved to the response tolerance (doc/electrostatics.md).
      std::vector<double> linear_fields(const std::vector<double> &Q, const std::vector<SurfacePoint> &where)
      {
        const double rho = es_.space_charge_density();
        auto V           = electrode_potentials_(Q);
        const auto fixed = electrode_potentials_(std::vector<double>(Q.size(), 0.0));
        for (std::size_t k = 0; k < V.size(); ++k)
          V[k] -= fixed[k];
        es_.set_space_charge_density(0);
        es_.set_sphere_charges(Q);
        es_.set_electrode_potentials(V);
        es_.solve(es_.parameters().response_tolerance);
        ++solves_;
        auto En = es_.surface_fields_at(where);
        es_.set_space_charge_density(rho);
        return En;
      }

      Electrostatics &es_;
      const layout::StreamLayout &layout_;
      SurfacePointSet points_;
      ElectrodePotentials electrode_potentials_;
      SolveState solve_state_;
      std::ostream *log_;
      FieldProbes probes_;
      PointFieldRows rows_;
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
    return state;
  }
} // namespace mpstream::solver
