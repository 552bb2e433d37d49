#pragma once
// Charge state of the stream at the focal-spot (FS) exit (paper Sect. 3.3, Fig. 12):
//  - backscatter only: every sphere keeps what the beam deposits (charge_sources.h);
//  - field cap: spheres lose charge until no surface field exceeds E_cap (field_cap.h);
//  - Murphy-Good: field-emission current integrated over the dwell (emission_discharge.h).
// The finite patch is embedded in a laterally infinite stream by the auxiliary electrodes
// (one frame per layer). Their potentials are linear in the charges, V = T Q + V_fixed:
//  - patch centre (default): each V_k equals the potential of the patch centre at that layer's
//    height in the 3D solution (mean potential of the layer's spheres within a few pitches of
//    the probe sphere), solved exactly on the linear responses;
//  - sheet model: the 1D macroscopic model (charged planes between the grounded plates);
//  - fixed: given potentials (a free-space stream next to an electrode, Sect. 3.3.2).
//
// Everything the modes need is linear in the charges: compute_responses at many surface points
// per sphere (surface_points.h; N + 1 solves with one operator and AMG) gives the potential
// coefficients P and the field responses S at the points; one solve per electrode adds Pv, Sv.
// The modes work on these dense tables; each state is confirmed by one full solve, whose true
// max |E.n| (at a mesh vertex, between the sampled points) corrects the cap per sphere.
// This header holds the vocabulary (modes, electrode models, settings, states, results); the
// driver is StreamCharging (stream_charging.h), its parts:
//  - response_tables.h:  P, S, Pv, Sv (and the wall windows) from Electrostatics;
//  - patch_centre.h, sheet_model.h, electrode_models.h: the electrode models, V = T Q + V_fixed;
//  - charging_modes.h:   the field-cap and Murphy-Good states on the linear model.
#include "layout/stream_layout.h"
#include "solver/charge_sources.h"
#include "solver/electrostatics.h"
#include "solver/emission_discharge.h"
#include "solver/surface_points.h"

#include <limits>
#include <string>
#include <vector>

namespace mpstream::solver
{
  enum class ChargingMode
  {
    backscatter_only,
    field_cap,
    murphy_good,
    dwell // the coupled dwell: thermal-field emission at each sphere's temperature T_i(t)
  };
  ChargingMode charging_mode_from_string(const std::string &name); // InputError if unknown
  std::string to_string(ChargingMode mode);

  // How the field cap's complementarity problem is solved (field_cap.h):
  //  - responses: on the tables of the N + 1 + E unit responses at the surface points
  //    (charging_modes.h, field_cap_state), confirmed by full solves;
  //  - probed: the same tables from one solve per probe colour (probed_field_rows.h), whose
  //    number does not grow with the number of spheres (large streams).
  enum class FieldCapSolver
  {
    responses,
    probed
  };

  enum class ElectrodeModel
  {
    patch_centre,
    sheet_model,
    fixed
  };
  ElectrodeModel electrode_model_from_string(const std::string &name); // InputError if unknown
  std::string to_string(ElectrodeModel model);

  struct ChargingSettings
  {
    ChargingMode mode = ChargingMode::field_cap;
    double field_cap_V_per_m    = 1e9;  // paper: ~1 MV/mm
    // Confirmed max |E.n| within cap (1 +- tol) for the capped spheres. 5 %: the true maximum
    // sits at a vertex between the sampled points and moves by a few % per step (6-sphere
    // test: 2.4 % after one confirming solve; the peak field itself is within 0.35 % on the
    // default mesh since the patch fit, doc/electrostatics.md).
    double cap_tolerance        = 0.05;
    unsigned int max_iterations = 20;   // confirming full solves (field cap)
    FieldCapSolver field_cap_solver = FieldCapSolver::responses;
    unsigned int max_refreshes  = 1;    // field cap: the confirming solve's max points added as
                                        // new points (N + 1 + L solves), if the caps per sphere
                                        // have not converged after 4 confirming solves
    ElectrodeModel electrodes   = ElectrodeModel::patch_centre;
    std::vector<double> fixed_electrode_potentials; // V by layer (ElectrodeModel::fixed)
    double centre_radius_pitches = 2.5; // patch centre for the consistency condition
    double wall_gap_m = 2.5e-6;         // electrode wall: its distance from the patch's sphere surfaces
    double plate_lower_z = 0;           // m, the grounded plates of the 1D sheet model
    double plate_upper_z = 100e-6;      // m (enclosure top)
    SurfacePointSettings points;        // constraint / emission points
    EmissionSettings emission;
    // Studies, reusing the responses (StreamCharging::sweep, stream_charging.h): the mode again at these tube
    // voltages (same power and focal spot), one q_muP each; or (Electrodes = fixed) with every
    // electrode at each of these potentials.
    std::vector<double> sweep_tube_voltages_V;
    std::vector<double> sweep_q_muP;
    std::vector<double> sweep_electrode_potentials_V;
    // Other modes computed after the main one on the same responses and charges, as bounds
    // (e.g. the field cap and cold Murphy-Good beside the coupled dwell).
    std::vector<ChargingMode> bounds;
  };

  // QuantityError (common/error.h) naming the first setting out of range: the one check of
  // the settings, for the app at parse time and for StreamCharging.
  void validate(const ChargingSettings &settings);

  struct ChargeState
  {
    std::vector<double> charges;             // C
    std::vector<double> electrode_potentials; // V, by layer
    std::vector<double> potentials;          // V, sphere potentials from the full solve
    std::vector<SphereField> fields;         // full solve
    std::vector<Point3> forces;              // N, net electrostatic force per sphere, full solve
    double potential_min() const;            // most negative sphere potential (V)
    double field_abs_max() const;            // V/m, max |E.n| over all spheres
    // Field in the emission direction of sphere i (V/m): electrons leave a negative sphere where
    // E.n < 0, so -min(E.n); a positive sphere max(E.n); an uncharged one the larger. This is
    // what the field cap limits: E.n > 0 on a negative sphere (e.g. facing a more negative
    // neighbour across a 0.1 um gap) pulls no electrons out.
    double emission_field(std::size_t i) const;
    double emission_field_max() const;       // V/m, over all spheres
  };

  // One instant of the dwell (ChargingMode::dwell), per sphere; potentials from the linear
  // model (P + Pv T) Q + Pv V_fixed, fields the largest emission-direction field at the points.
  struct DwellSample
  {
    double time_s = 0;
    std::vector<double> charges_C, potentials_V, emission_field_V_per_m, emission_current_A, temperature_K;
    std::vector<Point3> forces_N; // from the force form of the responses (SphereForceForm)
  };

  struct ChargingResult
  {
    ChargeState backscatter_only;
    ChargeState final_state;                   // = backscatter_only in that mode
    std::vector<double> sheet_model_potentials; // V by layer, 1D model for the backscatter-only charges
    std::vector<double> centre_potentials;      // V by layer, 3D patch centre, backscatter-only state
    std::vector<double> emitted_charge;         // C per sphere (final - backscatter-only charge)
    std::vector<std::size_t> capped, infeasible;
    unsigned int iterations = 0;               // confirming full solves of the mode
    unsigned int response_solves = 0;
    unsigned int refreshes       = 0;         // field cap: point refreshes (N + 1 + L solves each)
    unsigned int mode_field_solves = 0;       // field cap, probed: probe + table + confirming solves
    std::size_t surface_points   = 0;         // constraint / emission points, all spheres
    std::vector<DwellSample> dwell;            // ChargingMode::dwell: entry, every time step
    double model_error = 0; // max relative |model - full solve| (potentials; discharged mode: fields at the points;
                            // electrode wall: window means against the node potentials)
    double seconds_responses = 0, seconds_backscatter = 0, seconds_mode = 0;
  };

  struct ChargingBound
  {
    ChargingMode mode;
    ChargeState state;
  };

  // One case of a sweep (same geometry and responses): a beam, its q_muP and, with fixed
  // electrodes, the potential of every electrode (NaN: as set).
  struct SweepCase
  {
    OperatingPoint beam;
    double q_muP                 = 0;
    double electrode_potential_V = std::numeric_limits<double>::quiet_NaN();
  };

  struct SweepPoint
  {
    double tube_voltage_V = 0;
    double electrode_potential_V = std::numeric_limits<double>::quiet_NaN();
    double q_muP          = 0;
    double backscatter_only_potential_min_V = 0, backscatter_only_field_max_V_per_m = 0;
    double potential_min_V = 0, field_max_V_per_m = 0;
    double probe_backscatter_only_V = 0, probe_V = 0;
    std::size_t capped = 0;
    unsigned int iterations = 0;
  };
} // namespace mpstream::solver
