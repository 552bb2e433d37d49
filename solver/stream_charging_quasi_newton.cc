// StreamCharging's matrix-free field cap (field_cap_quasi_newton.h) on the stream's
// electrostatics: full solves with the electrode model's potentials, products on the linear
// part, the point-charge model (point_charge_field_model.h) as preconditioner.
#include "solver/charging_log.h"
#include "solver/field_cap_quasi_newton.h"
#include "solver/point_charge_field_model.h"
#include "solver/stream_charging.h"

#include <functional>
#include <sstream>
#include <utility>

namespace mpstream::solver
{
  namespace
  {
    class StreamFieldCapProblem : public FieldCapProblem
    {
    public:
      using ElectrodePotentials = std::function<std::vector<double>(const std::vector<double> &)>;
      StreamFieldCapProblem(Electrostatics &es, const layout::StreamLayout &layout, ElectrodePotentials electrodes)
        : es_(es)
        , layout_(layout)
        , electrode_potentials_(std::move(electrodes))
      {}

      // The emission-direction field as ChargeState::emission_field; its location is that of
      // the largest |E.n|, the same point unless a sphere's peak of the other sign is higher
      // (only near zero charge, where it is then at the bound x = 0).
      EmissionPeaks peaks(const std::vector<double> &Q) override
      {
        ChargeState s;
        s.charges = Q;
        es_.set_sphere_charges(Q);
        es_.set_electrode_potentials(electrode_potentials_(Q));
        es_.solve();
        s.fields = es_.sphere_fields();
        EmissionPeaks p;
        for (std::size_t i = 0; i < Q.size(); ++i)
          {
            p.field_V_per_m.push_back(s.emission_field(i));
            p.location.push_back(s.fields[i].field_abs_max_location);
          }
        return p;
      }

      DenseMatrix approximate_field_per_charge(const std::vector<PeakPoint> &points) const override
      {
        return point_charge_field_per_charge(layout_, points);
      }

    private:
      Electrostatics &es_;
      const layout::StreamLayout &layout_;
      ElectrodePotentials electrode_potentials_;
    };
  } // namespace

  ChargeState StreamCharging::field_cap_quasi_newton_state(const std::vector<double> &Q0, ChargingResult &result)
  {
    StreamFieldCapProblem problem(es_, layout_, [this](const std::vector<double> &Q) { return electrode_potentials_for(Q); });
    QuasiNewtonSettings qn;
    qn.cap_V_per_m = settings_.field_cap_V_per_m;
    qn.tolerance   = settings_.cap_tolerance;
    qn.max_solves  = settings_.max_iterations;
    const auto r   = solve_field_cap_quasi_newton(problem, Q0, qn, [this](const std::string &m) { say(m); });
    result.capped            = r.capped;
    result.infeasible        = r.infeasible;
    result.iterations        = r.field_solves;
    result.mode_field_solves = r.field_solves + 1; // + the final state's solve below (with forces)
    return solve_state(r.charges);
  }
} // namespace mpstream::solver
