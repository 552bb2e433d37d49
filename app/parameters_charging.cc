// Charging section (issue 5): charge state of the stream at the focal-spot exit.
#include "app/scenario.h"
#include "common/error.h"
#include "common/parse_number.h"

#include <cmath>
#include <sstream>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_charging_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Charging");
    // Default 'field cap': converges on the 77-sphere stream with many constraint points per
    // sphere (doc/validation.md, Charging).
    prm.declare_entry("Mode", "field cap", P::Selection("backscatter only|field cap|murphy-good"),
                      "Discharge model after the backscatter-only state (always computed): "
                      "'field cap' lowers |Q_i| until no surface field exceeds 'Field cap'; "
                      "'murphy-good' integrates the field-emission current over the dwell time; "
                      "'backscatter only' skips the discharge (and the N + 1 response solves).");
    prm.declare_entry("q_muP", "0.172", P::Anything(),
                      "Charging coefficient (net electrons per primary hitting a sphere's "
                      "cross-section; paper Fig. 11b). One value: every sphere; one value per "
                      "layer (comma-separated, lowest first): per layer. Default: our Monte Carlo "
                      "curve A (doc/figures/mc_fig11b.csv) at 132 kV, interpolated.");
    prm.declare_entry("Field cap [V/m]", "1e9", P::Anything(),
                      "Field-cap mode: largest surface field |E.n| after discharge (paper: ~1 MV/mm).");
    prm.declare_entry("Cap tolerance", "0.05", P::Double(1e-4, 0.5),
                      "Field-cap mode: the confirming FE solve must put every capped sphere's max "
                      "|E.n| within cap (1 +- this). The vertex maxima between the sampled points move by a few % "
                      "per step (6-sphere test: 2.4 % after one solve).");
    prm.declare_entry("Constraint refreshes", "1", P::Integer(0, 20),
                      "Field-cap mode: times the max-field points of a confirming solve are added as "
                      "constraint points (N + 1 + L solves each) when the per-sphere cap correction "
                      "has not converged after 4 confirming solves.");
    prm.declare_entry("Maximum iterations", "20", P::Integer(1, 1000),
                      "Confirming full solves (field cap) or surface re-samplings (murphy-good).");
    prm.declare_entry("Work function [eV]", "4.5", P::Anything(), "Murphy-Good mode: W work function.");
    prm.declare_entry("Temperature [K]", "0", P::Anything(),
                      "Murphy-Good mode: sphere temperature. 0: cold Murphy-Good. Above a few hundred "
                      "K the low-temperature expansion fails at the fields reached and the larger of "
                      "it (where valid) and Richardson-Schottky is used (doc/charging.md).");
    prm.declare_entry("Time steps", "400", P::Integer(1, 1000000),
                      "Murphy-Good mode: backward-Euler steps over the dwell time.");
    prm.declare_entry("Surface points", "192", P::Integer(8, 100000),
                      "Field cap / Murphy-Good: uniform (Fibonacci) points per sphere where the field "
                      "is tabulated (constraints, emission integral); denser patches are added.");
    prm.declare_entry("Patch points", "48", P::Integer(0, 100000),
                      "Field cap / Murphy-Good: extra points around each direction where the field "
                      "peaks (towards every neighbour within a radius, down to the anode).");
    prm.declare_entry("Electrodes", "patch centre", P::Selection("patch centre|sheet model|fixed"),
                      "Auxiliary-electrode potentials: 'patch centre': equal to the 3D potential of the "
                      "patch centre at their layer's height (V = T Q, solved exactly); 'sheet model': "
                      "the 1D macroscopic model; 'fixed': 'Fixed electrode potentials'.");
    prm.declare_entry("Patch centre radius [pitches]", "2.5", P::Double(0.5, 100),
                      "Electrodes = patch centre: the lateral radius around the probe sphere's axis, in "
                      "sphere pitches, of the patch centre (frames: its spheres per layer; wall: the spheres "
                      "around which each node's wall-equivalent points are averaged, doc/charging.md). "
                      "Also the disc of charging_centre_profile.csv.");
    prm.declare_entry("Fixed electrode potentials [V]", "", P::Anything(),
                      "Electrodes = fixed: one potential per layer, or per wall node with the electrode "
                      "wall (comma-separated, lowest first).");
    prm.declare_entry("Sweep tube voltages [V]", "", P::Anything(),
                      "Study: after the operating point, the mode again at these tube voltages (same "
                      "power, focal spot, speed), reusing the responses -> charging_sweep.csv.");
    prm.declare_entry("Sweep electrode potentials [V]", "", P::Anything(),
                      "Study (Electrodes = fixed): after the operating point, the mode again with every "
                      "electrode at each of these potentials, reusing the responses -> charging_sweep.csv.");
    prm.declare_entry("Sweep q_muP", "", P::Anything(),
                      "Study: q_muP at each sweep voltage (one value per voltage, or one for all; "
                      "empty: Charging/q_muP).");
    prm.declare_entry("Profile points", "200", P::Integer(2, 100000),
                      "Samples along the anode normal through the probe sphere.");
    prm.declare_entry("Cross-section points", "60", P::Integer(2, 2000),
                      "Samples along x of the cross-section y = y_probe (colour maps).");
    prm.leave_subsection();
  }

  void parse_charging_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &c = scenario.charging;
    const std::string S = "Charging/";
    prm.enter_subsection("Charging");
    c.settings.mode = solver::charging_mode_from_string(prm.get("Mode"));
    c.q_muP = parse_finite_number_list(prm.get("q_muP"), S + "q_muP");
    if (c.q_muP.empty())
      throw InputError("Charging/q_muP is empty: give one value or one per layer");
    c.settings.field_cap_V_per_m = parse_finite_number(prm.get("Field cap [V/m]"), S + "Field cap [V/m]");
    if (!(c.settings.field_cap_V_per_m > 0))
      throw InputError("Charging/Field cap [V/m] = " + prm.get("Field cap [V/m]") + " must be > 0");
    c.settings.cap_tolerance  = prm.get_double("Cap tolerance");
    c.settings.max_refreshes  = static_cast<unsigned int>(prm.get_integer("Constraint refreshes"));
    c.settings.max_iterations = static_cast<unsigned int>(prm.get_integer("Maximum iterations"));
    c.settings.emission.work_function_eV = parse_finite_number(prm.get("Work function [eV]"), S + "Work function [eV]");
    if (!(c.settings.emission.work_function_eV > 0 && c.settings.emission.work_function_eV < 20))
      throw InputError("Charging/Work function [eV] = " + prm.get("Work function [eV]") + " must be in (0, 20)");
    c.temperature_K = parse_finite_number(prm.get("Temperature [K]"), S + "Temperature [K]");
    if (!(c.temperature_K >= 0 && c.temperature_K < 5000))
      throw InputError("Charging/Temperature [K] = " + prm.get("Temperature [K]") + " must be in [0, 5000)");
    c.settings.emission.time_steps = static_cast<unsigned int>(prm.get_integer("Time steps"));
    c.settings.points.uniform_points = static_cast<unsigned int>(prm.get_integer("Surface points"));
    c.settings.points.patch_points   = static_cast<unsigned int>(prm.get_integer("Patch points"));
    c.settings.electrodes            = solver::electrode_model_from_string(prm.get("Electrodes"));
    c.settings.centre_radius_pitches = prm.get_double("Patch centre radius [pitches]");
    c.settings.fixed_electrode_potentials =
      parse_finite_number_list(prm.get("Fixed electrode potentials [V]"), S + "Fixed electrode potentials [V]");
    if (c.settings.electrodes == solver::ElectrodeModel::fixed && c.settings.fixed_electrode_potentials.empty())
      throw InputError("Charging/Electrodes = fixed needs Charging/Fixed electrode potentials [V]");
    c.settings.sweep_tube_voltages_V = parse_finite_number_list(prm.get("Sweep tube voltages [V]"), S + "Sweep tube voltages [V]");
    for (const double U : c.settings.sweep_tube_voltages_V)
      if (!(U > 0))
        throw InputError("Charging/Sweep tube voltages [V]: " + std::to_string(U) + " must be > 0");
    c.settings.sweep_electrode_potentials_V =
      parse_finite_number_list(prm.get("Sweep electrode potentials [V]"), S + "Sweep electrode potentials [V]");
    if (!c.settings.sweep_electrode_potentials_V.empty() && c.settings.electrodes != solver::ElectrodeModel::fixed)
      throw InputError("Charging/Sweep electrode potentials [V] needs Charging/Electrodes = fixed");
    c.settings.sweep_q_muP = parse_finite_number_list(prm.get("Sweep q_muP"), S + "Sweep q_muP");
    if (c.settings.sweep_q_muP.empty())
      c.settings.sweep_q_muP.assign(c.settings.sweep_tube_voltages_V.size(), c.q_muP[0]);
    else if (c.settings.sweep_q_muP.size() == 1)
      c.settings.sweep_q_muP.assign(c.settings.sweep_tube_voltages_V.size(), c.settings.sweep_q_muP[0]);
    else if (c.settings.sweep_q_muP.size() != c.settings.sweep_tube_voltages_V.size())
      throw InputError("Charging/Sweep q_muP: " + std::to_string(c.settings.sweep_q_muP.size()) + " values for " +
                       std::to_string(c.settings.sweep_tube_voltages_V.size()) + " sweep voltages (give 1 or one each)");
    c.profile_points = static_cast<unsigned int>(prm.get_integer("Profile points"));
    c.section_points = static_cast<unsigned int>(prm.get_integer("Cross-section points"));
    prm.leave_subsection();
  }
} // namespace mpstream::app
