#pragma once
// The charging stage's CSV files (doc/charging.md), one writer each; rank 0 calls them.
#include "layout/stream_layout.h"
#include "solver/stream_charging.h"

#include <filesystem>
#include <vector>

namespace mpstream::app
{
  // charging_spheres.csv: one row per sphere, both states, where its field peaks, its state
  // (kept / emitting / capped / zero_charge_above_cap).
  // A further per-sphere column (e.g. the q of the self-consistent iterations).
  struct SphereColumn
  {
    std::string name;
    std::vector<double> values;
  };
  void write_charging_spheres_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                  const solver::ChargingResult &r, solver::ChargingMode mode,
                                  const std::vector<double> &q_muP, const std::vector<double> &q_muP_stderr,
                                  const std::vector<SphereColumn> &more = {});

  // charging_electrodes.csv: one row per frame layer (with the 3D patch-centre potential) or per
  // node of the electrode wall, beside the 1D sheet model.
  void write_charging_electrodes_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                     const solver::ChargingResult &r, const solver::Electrostatics &es,
                                     const solver::StreamCharging &charging);

  // charging_centre_profile.csv: mean potential of the patch-centre disc vs height, both states.
  void write_charging_centre_profile_csv(const std::filesystem::path &file, const std::vector<double> &z,
                                         const std::vector<double> &mean_backscatter_only,
                                         const std::vector<double> &mean_final);

  // charging_profile.csv / charging_section.csv: point samples of both states.
  void write_charging_samples_csv(const std::filesystem::path &file, const layout::StreamLayout &layout,
                                  const solver::ChargingResult &r,
                                  const std::vector<solver::PointSample> &backscatter_only,
                                  const std::vector<solver::PointSample> &final_state);

  // charging_sweep.csv: one row per sweep case.
  void write_charging_sweep_csv(const std::filesystem::path &file, const std::vector<solver::SweepPoint> &sweep,
                                double input_power_W, solver::ChargingMode mode);
} // namespace mpstream::app
