#pragma once
// The dynamics stage's outputs (doc/dynamics.md, doc/outputs.md): dynamics.csv (every recorded
// instant and sphere), a VTP series with its .pvd (sphere centres as points with radius,
// velocity, force, charge and displacement, for ParaView's animation) and the summary keys of
// one run of the integrator.
#include "common/json.h"
#include "layout/stream_layout.h"
#include "solver/charge_history.h"
#include "solver/sphere_dynamics.h"

#include <filesystem>
#include <string>

namespace mpstream::app
{
  void write_dynamics_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                          const solver::DynamicsResult &result, const solver::ChargeHistory &charges);

  // <basename>_NNNN.vtp per recorded instant and <basename>.pvd in `directory`.
  void write_dynamics_vtp_series(const std::filesystem::path &directory, const std::string &basename,
                                 const layout::StreamLayout &layout, const solver::DynamicsResult &result,
                                 const solver::ChargeHistory &charges);

  // Keys <stem>max_displacement_at_exit_m, <stem>time_to_first_contact_s, <stem>first_contact,
  // ... (stem "" for the main history, "<history>_" for the others). end_time_s: the run's.
  void write_dynamics_summary(Json &summary, const std::string &stem, const layout::StreamLayout &layout,
                              const solver::DynamicsResult &result, double end_time_s);
} // namespace mpstream::app
