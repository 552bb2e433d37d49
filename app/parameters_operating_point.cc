// Operating point section: tube voltage, power, focal spot and stream speed.
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_operating_point_parameters(ParameterHandler &prm)
  {
    const OperatingPoint d;
    prm.enter_subsection("Operating point");
    prm.declare_entry("Tube voltage [V]", prm_default(d.tube_voltage), P::Double(1e3, 1e6),
                      "U_tube; electrons arrive with e U_tube.");
    prm.declare_entry("Input power [W]", prm_default(d.input_power), P::Double(0), "P_input = U_tube I_beam.");
    prm.declare_entry("Focal spot width [m]", prm_default(d.focal_spot_width), P::Double(0),
                      "W_CS, along the stream's motion (IEC 60336 nominal 0.3, 8 degrees).");
    prm.declare_entry("Focal spot length [m]", prm_default(d.focal_spot_length, -6), P::Double(0), "L_CS.");
    prm.declare_entry("Stream speed [m/s]", prm_default(d.stream_speed), P::Double(0), "v_muP; dwell time = W_CS / v_muP.");
    prm.leave_subsection();
  }

  void parse_operating_point_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &op = scenario.operating_point;
    prm.enter_subsection("Operating point");
    op.tube_voltage      = require_positive(prm, "Operating point", "Tube voltage [V]");
    op.input_power       = require_positive(prm, "Operating point", "Input power [W]");
    op.focal_spot_width  = require_positive(prm, "Operating point", "Focal spot width [m]");
    op.focal_spot_length = require_positive(prm, "Operating point", "Focal spot length [m]");
    op.stream_speed      = require_positive(prm, "Operating point", "Stream speed [m/s]");
    prm.leave_subsection();
  }
} // namespace mpstream::app
