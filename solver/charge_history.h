#pragma once
// The sphere charges over the dwell for the motion (issue 14 item 3; doc/dynamics.md): what the
// charging stage knows at the focal-spot exit or over the coupled dwell, turned into Q_i(t).
//  - ramp: the beam deposits charge at a constant rate (uniform current density over the focal
//    spot, charge_sources.h), Q_i(t) = Q_i,exit min(t / dwell, 1): the backscatter-only state;
//  - clipped ramp: the same ramp, held once |Q_i| reaches the discharged exit state's |Q_i|
//    (a model choice: each sphere charges until its emission holds it at the exit value; the
//    field-cap and Murphy-Good modes compute the exit state only);
//  - sampled: the coupled dwell's recorded Q_i(t_k), linear between the samples, held after;
//  - constant: given charges from t = 0 (studies, tests).
// Plain C++.
#include <functional>
#include <string>
#include <vector>

namespace mpstream::solver
{
  enum class ChargeHistoryKind
  {
    backscatter_only, // ramp to the backscatter-only exit state
    discharged,       // clipped ramp to the mode's exit state
    dwell,            // the coupled dwell's Q_i(t)
    constant          // the Electrostatics section's charges
  };
  ChargeHistoryKind charge_history_from_string(const std::string &name); // InputError if unknown
  std::string to_string(ChargeHistoryKind kind);

  // Charges (C, one per sphere) at time t (s).
  using ChargeHistory = std::function<std::vector<double>(double time_s)>;

  ChargeHistory ramp_history(std::vector<double> exit_charges_C, double dwell_s);
  ChargeHistory clipped_ramp_history(std::vector<double> ramp_exit_charges_C, std::vector<double> hold_charges_C,
                                     double dwell_s);
  // times_s ascending (InputError otherwise or if the sizes differ).
  ChargeHistory sampled_history(std::vector<double> times_s, std::vector<std::vector<double>> charges_C);
  ChargeHistory constant_history(std::vector<double> charges_C);
} // namespace mpstream::solver
