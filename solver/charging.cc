#include "solver/charging.h"

#include "common/error.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace mpstream::solver
{
  void validate(const ChargingSettings &settings)
  {
    if (!(settings.field_cap_V_per_m > 0) || !std::isfinite(settings.field_cap_V_per_m))
      throw QuantityError("field_cap_V_per_m", QuantityError::text(settings.field_cap_V_per_m), "must be > 0");
    if (!(settings.cap_tolerance > 0 && settings.cap_tolerance < 0.5))
      throw QuantityError("cap_tolerance", QuantityError::text(settings.cap_tolerance), "must be in (0, 0.5)");
    if (settings.max_iterations == 0)
      throw QuantityError("charging_max_iterations", "0", "must be >= 1");
    if (settings.emission.time_steps == 0)
      throw QuantityError("emission_time_steps", "0", "must be >= 1");
    // The other modes (and bounds) work on the response tables, which this solver does not compute.
    if (settings.field_cap_solver == FieldCapSolver::probed &&
        (settings.mode != ChargingMode::field_cap || !settings.bounds.empty()))
      throw QuantityError("field_cap_solver", "'probed'",
                          "needs Mode = field cap and no Bounds (the other modes need the full response tables)");
  }

  ChargingMode charging_mode_from_string(const std::string &name)
  {
    if (name == "backscatter only")
      return ChargingMode::backscatter_only;
    if (name == "field cap")
      return ChargingMode::field_cap;
    if (name == "murphy-good")
      return ChargingMode::murphy_good;
    if (name == "dwell")
      return ChargingMode::dwell;
    throw QuantityError("charging_mode", "'" + name + "'", "must be backscatter only|field cap|murphy-good|dwell");
  }

  ElectrodeModel electrode_model_from_string(const std::string &name)
  {
    if (name == "patch centre")
      return ElectrodeModel::patch_centre;
    if (name == "sheet model")
      return ElectrodeModel::sheet_model;
    if (name == "fixed")
      return ElectrodeModel::fixed;
    throw QuantityError("electrode_model", "'" + name + "'", "must be patch centre|sheet model|fixed");
  }

  std::string to_string(ElectrodeModel model)
  {
    switch (model)
      {
        case ElectrodeModel::patch_centre:
          return "patch centre";
        case ElectrodeModel::sheet_model:
          return "sheet model";
        case ElectrodeModel::fixed:
          return "fixed";
      }
    return "?";
  }

  std::string to_string(ChargingMode mode)
  {
    switch (mode)
      {
        case ChargingMode::backscatter_only:
          return "backscatter only";
        case ChargingMode::field_cap:
          return "field cap";
        case ChargingMode::murphy_good:
          return "murphy-good";
        case ChargingMode::dwell:
          return "dwell";
      }
    return "?";
  }

  double ChargeState::potential_min() const
  {
    double m = std::numeric_limits<double>::max();
    for (const double p : potentials)
      m = std::min(m, p);
    return m;
  }

  double ChargeState::field_abs_max() const
  {
    double m = 0;
    for (const auto &f : fields)
      m = std::max(m, f.field_abs_max);
    return m;
  }

  double ChargeState::emission_field(std::size_t i) const
  {
    const auto &f = fields.at(i);
    if (charges.at(i) < 0)
      return -f.field_min;
    if (charges.at(i) > 0)
      return f.field_max;
    return std::max(-f.field_min, f.field_max);
  }

  double ChargeState::emission_field_max() const
  {
    double m = 0;
    for (std::size_t i = 0; i < fields.size(); ++i)
      m = std::max(m, emission_field(i));
    return m;
  }
} // namespace mpstream::solver
