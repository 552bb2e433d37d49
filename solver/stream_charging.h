#pragma once
// The charging driver (charging.h describes the physics): builds the response tables
// (response_tables.h) and the electrode model's V = T Q + V_fixed (electrode_models.h), then
// the backscatter-only state and the state of the mode (charging_modes.h), each confirmed by a
// full solve; the sweep reuses the tables for other beams. Uses only the public interface of
// Electrostatics; collective over its communicator.
#include "solver/charging.h"
#include "solver/charging_modes.h"
#include "solver/electrode_models.h"
#include "solver/patch_centre.h"
#include "solver/response_tables.h"
#include "solver/sheet_model.h"

#include <iosfwd>
#include <vector>

namespace mpstream::solver
{
  // Whether the response tables hold the surface points' rows (every mode but backscatter only
  // and the field cap on probed tables) or only what the electrode model needs; the stage
  // cache's key of the tables says which (app/stage_cache_keys.cc).
  bool uses_point_responses(const ChargingSettings &settings);

  class StreamCharging : private LinearChargingModel
  {
  public:
    StreamCharging(Electrostatics &es, const layout::StreamLayout &layout, const OperatingPoint &beam,
                   const ChargingCoefficients &q, const ChargingSettings &settings, std::ostream *log = nullptr);
    // Runs the mode; leaves `es` solved for the final state.
    ChargingResult run();
    // The response tables run() starts from (the stage cache, app/stage_cache.h, keeps them):
    // compute them now (collective; run() then reuses them), or take earlier ones computed for
    // the same mesh, electrostatics and point settings, and the tables as they are before
    // run() adds the field cap's constraint points.
    void prepare_responses();
    void use_responses(ResponseTables tables);
    const ResponseTables &responses() const { return tables_; }
    // The states of ChargingSettings::bounds for the same beam and charges, reusing the
    // responses of run() (call it first, in a mode other than backscatter only).
    std::vector<ChargingBound> bounds(const ChargingResult &result);
    // The mode for other cases, reusing the responses of run() (call it first).
    std::vector<SweepPoint> sweep(const std::vector<SweepCase> &cases);
    // The forces as a quadratic form in (Q, V, 1) (sphere_force_form.h), from the responses of
    // run(); in the backscatter-only mode, which computes no force form, the first call makes
    // the N + 1 + E unit solves of Electrostatics::compute_responses (collective).
    const SphereForceForm &force_form();
    // The electrode model's potentials (V, by electrode id) for charges Q: V = T Q + V_fixed.
    std::vector<double> electrode_potentials_for(const std::vector<double> &Q) const;
    // Sets charges and electrode potentials of a state and solves (for sampling afterwards).
    void apply(const ChargeState &state);
    // Another charge source (e.g. q from a Monte Carlo in the stream's own field): run() again
    // reuses the responses of the first run().
    void set_coefficients(const ChargingCoefficients &q) { q_ = q; }
    // The backscatter-only state of charge source q (one confirming solve; run() first).
    ChargeState backscatter_only_state(const ChargingCoefficients &q);
    // The state of sphere charges Q with the electrode model's potentials (one solve; run() first).
    ChargeState state_of_charges(const std::vector<double> &Q);
    // 1D sheet-model potential at height z for charges Q (V).
    double sheet_model_potential_at(const std::vector<double> &Q, double z) const;
    // Mean potential of the patch-centre disc (PatchCentre::window) at each height for the
    // solution in place (direct sampling; a point in a sphere takes its potential).
    std::vector<double> centre_window_means(const std::vector<double> &heights) const;

  private:
    // The state of `mode` from the backscatter-only state of beam and q (the driver's dispatch).
    ChargeState mode_state(ChargingMode mode, const OperatingPoint &beam, const ChargingCoefficients &q,
                           const ChargeState &backscatter_only, ChargingResult &result);
    // P, S, Pv, Sv at the points (full) or only what the electrode model needs (backscatter
    // only); then T and the field rows.
    void compute_responses(bool full);
    // T, and the field and potential rows, from tables_ (after they are computed or given).
    void finish_responses(bool full);
    bool full_responses() const { return uses_point_responses(settings_); }
    // The field cap on probed tables instead of the responses (stream_charging_probed.cc).
    ChargeState field_cap_probed_state(const std::vector<double> &Q0, ChargingResult &result);
    // Electrode wall: the wall-equivalent points of every node.
    std::vector<std::vector<Point3>> wall_windows() const;
    std::vector<double> centre_potentials(const std::vector<double> &phi) const;
    // Checks of the linear model against the full solve in place (max relative differences):
    // sphere potentials P Q + Pv V; fields at the points; electrode wall: each node's window
    // mean against the node's potential (the reciprocity tables end to end).
    double potential_model_error(const ChargeState &state) const;
    std::vector<double> linear_potentials(const std::vector<double> &Q, const std::vector<double> &V) const;
    double point_model_error(const ChargeState &state) const;
    double wall_consistency_error(const ChargeState &state) const;
    void add_dwell_forces(std::vector<DwellSample> &dwell) const;
    void say(const std::string &message) const;

    // LinearChargingModel, for the modes.
    const SurfacePointSet &points() const override { return tables_.points; }
    const DenseMatrix &field_rows() const override { return fields_.rows; }
    const std::vector<double> &field_offsets() const override { return fields_.offset; }
    ChargeState solve_state(const std::vector<double> &Q) override;
    const PointFieldRows &potential_rows() const override { return potentials_; }
    // fields_ and potentials_ from the tables and the electrode model (after either changes).
    void fold_electrodes();
    void add_constraint_points(const std::vector<std::size_t> &spheres, const std::vector<Point3> &locations) override;

    Electrostatics &es_;
    const layout::StreamLayout &layout_;
    OperatingPoint beam_;
    ChargingCoefficients q_;
    ChargingSettings settings_;
    std::ostream *log_;
    ChargingElectrodes electrodes_;
    PatchCentre centre_;
    SheetModel sheet_;
    std::vector<std::vector<std::size_t>> centre_sets_; // by layer
    ResponseTables tables_;
    bool responses_ready_ = false;
    ElectrodeTransfer transfer_;
    PointFieldRows fields_;     // field cap, Murphy-Good, dwell
    PointFieldRows potentials_; // dwell (its sink barrier and history)
  };
} // namespace mpstream::solver
