#include "solver/operating_point.h"

#include "common/error.h"

namespace mpstream::solver
{
  void validate(const OperatingPoint &op)
  {
    require_positive_quantity(op.tube_voltage, "tube_voltage_V");
    require_positive_quantity(op.input_power, "input_power_W");
    require_positive_quantity(op.focal_spot_width, "focal_spot_width_m");
    require_positive_quantity(op.focal_spot_length, "focal_spot_length_m");
    require_positive_quantity(op.stream_speed, "stream_speed_m_per_s");
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
