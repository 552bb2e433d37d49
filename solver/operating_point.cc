#include "solver/operating_point.h"

#include "common/error.h"

#include <cmath>

namespace mpstream::solver
{
  namespace
  {
    void positive(double x, const char *quantity)
    {
      if (!(x > 0) || !std::isfinite(x))
        throw QuantityError(quantity, QuantityError::text(x), "must be a finite number > 0");
    }
  } // namespace

  void validate(const OperatingPoint &op)
  {
    positive(op.tube_voltage, "tube_voltage_V");
    positive(op.input_power, "input_power_W");
    positive(op.focal_spot_width, "focal_spot_width_m");
    positive(op.focal_spot_length, "focal_spot_length_m");
    positive(op.stream_speed, "stream_speed_m_per_s");
  }

  double beam_current_A(const OperatingPoint &op)
  {
    validate(op);
    return op.input_power / op.tube_voltage;
  }

  double current_density_A_per_m2(const OperatingPoint &op)
  {
    return beam_current_A(op) / (op.focal_spot_width * op.focal_spot_length);
  }

  double dwell_time_s(const OperatingPoint &op)
  {
    validate(op);
    return op.focal_spot_width / op.stream_speed;
  }
} // namespace mpstream::solver
