#pragma once
// The tube's operating point and the stream's motion through the focal spot (FS): the one type
// every stage takes it from (charging, power limits, thermal, the app's scenario). SI units.
// The beam current density is uniform over the FS, j = P / (U W_CS L_CS); a sphere crosses the
// FS width W_CS at speed v in the dwell time W_CS / v.
namespace mpstream::solver
{
  struct OperatingPoint
  {
    double tube_voltage      = 132e3;   // V, U
    double input_power       = 46.2e3;  // W, P
    double focal_spot_width  = 450e-6;  // m, W_CS, along the stream's motion
    double focal_spot_length = 4670e-6; // m, L_CS
    double stream_speed      = 100;     // m/s, v_muP
  };

  // QuantityError naming the first value that is not finite and > 0.
  void validate(const OperatingPoint &op);

  // Each validates first.
  double beam_current_A(const OperatingPoint &op);           // P / U
  double current_density_A_per_m2(const OperatingPoint &op); // P / (U W L)
  double dwell_time_s(const OperatingPoint &op);             // W / v
} // namespace mpstream::solver
