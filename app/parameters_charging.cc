// Charging section (issue 5): charge state of the stream at the focal-spot exit.
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"
#include "solver/thermal_field_emission.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<solver::ChargingMode> &charging_modes()
    {
      using M = solver::ChargingMode;
      static const auto names = selection_named_by_to_string({M::backscatter_only, M::field_cap, M::murphy_good, M::dwell});
      return names;
    }
    const Selection<solver::FieldCapSolver> &field_cap_solvers()
    {
      using F = solver::FieldCapSolver;
      static const Selection<F> names{{{"responses", F::responses}, {"probed", F::probed}}};
      return names;
    }
    const Selection<ChargeSource> &charge_sources()
    {
      static const Selection<ChargeSource> names{{{"monte carlo", ChargeSource::monte_carlo},
                                                  {"q_muP", ChargeSource::q_muP}}};
      return names;
    }
    const Selection<bool> &mc_embeddings() // periodic?
    {
      static const Selection<bool> names{{{"periodic stream", true}, {"patch", false}}};
      return names;
    }
    const Selection<solver::ElectrodeModel> &electrode_models()
    {
      using E = solver::ElectrodeModel;
      static const auto names = selection_named_by_to_string({E::patch_centre, E::sheet_model, E::fixed});
      return names;
    }
  } // namespace

  void declare_charging_parameters(ParameterHandler &prm)
  {
    const ChargingScenario d;
    prm.enter_subsection("Charging");
    // Default 'field cap': converges on the 77-sphere stream with many constraint points per
    // sphere (doc/validation.md, Charging).
    prm.declare_entry("Mode", charging_modes().name(d.settings.mode), charging_modes().pattern(),
                      "Discharge model after the backscatter-only state (always computed): "
                      "'field cap' lowers |Q_i| until no surface field exceeds 'Field cap'; "
                      "'murphy-good' integrates the field-emission current over the dwell time; "
                      "'dwell' integrates the general thermal-field emission over the dwell with each "
                      "sphere's temperature T_i(t) from the whole-stream thermal transient of this "
                      "stream (Thermal section: its MC histories, refinements, material); "
                      "'backscatter only' skips the discharge (and the N + 1 response solves).");
    prm.declare_entry("Charge source", charge_sources().name(d.charge_source), charge_sources().pattern(),
                      "monte carlo: every sphere's q_i (net electrons per primary through its cross-"
                      "section) from one electron MC of the stream's own geometry at the operating "
                      "point's tube voltage, with the Monte Carlo section's histories, seed, threads and "
                      "physics (doc/charging.md); q_muP: the typed Charging/q_muP (studies).");
    prm.declare_entry("Monte Carlo embedding", mc_embeddings().name(d.mc_periodic_embedding), mc_embeddings().pattern(),
                      "Charge source = monte carlo with a finite patch: 'periodic stream': the MC runs over "
                      "the Geometry section's stream made laterally periodic (the focal-spot interior, "
                      "as the whole-stream thermal stage; Rows rounded up to even) and every sphere takes "
                      "its layer's mean q; 'patch': over the isolated patch itself, per sphere (its edge "
                      "spheres miss their neighbours' and the surrounding anode's scattered electrons: "
                      "q about 4 x lower at 132 kV, doc/charging.md). A periodic cell: per sphere.");
    prm.declare_entry("Bounds", "", P::Anything(),
                      "Other modes computed after Mode on the same responses and charges, as bounds "
                      "(comma-separated: field cap, murphy-good; e.g. the field cap and cold Murphy-Good "
                      "beside the coupled dwell). Summary keys bound_<mode>_*; needs a Mode other than "
                      "backscatter only.");
    prm.declare_entry("q_muP", prm_default(d.q_muP), P::Anything(),
                      "Charge source = q_muP: charging coefficient (net electrons per primary hitting a sphere's "
                      "cross-section; paper Fig. 11b). One value: every sphere; one value per "
                      "layer (comma-separated, lowest first): per layer. Default: our Monte Carlo "
                      "curve A (doc/figures/mc_fig11b.csv) at 132 kV, interpolated.");
    prm.declare_entry("Field cap [V/m]", prm_default(d.settings.field_cap_V_per_m), P::Anything(),
                      "Field-cap mode: largest surface field |E.n| after discharge (paper: ~1 MV/mm).");
    prm.declare_entry("Cap tolerance", prm_default(d.settings.cap_tolerance), P::Double(1e-4, 0.5),
                      "Field-cap mode: the confirming FE solve must put every capped sphere's max "
                      "|E.n| within cap (1 +- this). The vertex maxima between the sampled points move by a few % "
                      "per step (6-sphere test: 2.4 % after one solve).");
    prm.declare_entry("Field cap solver", field_cap_solvers().name(d.settings.field_cap_solver),
                      field_cap_solvers().pattern(),
                      "Field-cap mode: responses: on the tables of the N + 1 + E unit responses at the surface "
                      "points (cost grows with the sphere count N; the cheaper choice below ~150 spheres); probed: "
                      "an approximate table from one solve per probe colour (~27-32 on a hexagonal stream, for "
                      "any N; exact for each sphere and its neighbours within 3.5 radii, a point-charge model for "
                      "the far spheres), corrected by each confirming full solve (defect correction), so the cap "
                      "holds on the full solves' fields. Needs Mode = field cap and no Bounds (doc/charging.md, "
                      "\"Field cap on probed tables\").");
    prm.declare_entry("Constraint refreshes", prm_default(d.settings.max_refreshes), P::Integer(0, 20),
                      "Field-cap mode: times the max-field points of a confirming solve are added as "
                      "constraint points (responses: N + 1 + L solves each; probed: no solve) when the per-sphere "
                      "cap correction has not converged after 4 confirming solves.");
    prm.declare_entry("Maximum iterations", prm_default(d.settings.max_iterations), P::Integer(1, 1000),
                      "Confirming full solves (field cap) or surface re-samplings (murphy-good).");
    prm.declare_entry("Work function [eV]", prm_default(d.settings.emission.work_function_eV), P::Anything(), "Murphy-Good and dwell modes: W work function (dwell: 2-7 eV, the thermal-field model's range).");
    prm.declare_entry("Temperature [K]", prm_default(d.temperature_K), P::Anything(),
                      "Murphy-Good mode: sphere temperature. 0: cold Murphy-Good. Above a few hundred "
                      "K the low-temperature expansion fails at the fields reached and the larger of "
                      "it (where valid) and Richardson-Schottky is used (doc/charging.md).");
    prm.declare_entry("Time steps", prm_default(d.settings.emission.time_steps), P::Integer(1, 1000000),
                      "Murphy-Good and dwell modes: backward-Euler steps over the dwell time.");
    prm.declare_entry("Surface points", prm_default(d.settings.points.uniform_points), P::Integer(8, 100000),
                      "Field cap / Murphy-Good: uniform (Fibonacci) points per sphere where the field "
                      "is tabulated (constraints, emission integral); denser patches are added.");
    prm.declare_entry("Patch points", prm_default(d.settings.points.patch_points), P::Integer(0, 100000),
                      "Field cap / Murphy-Good: extra points around each direction where the field "
                      "peaks (towards every neighbour within a radius, down to the anode).");
    prm.declare_entry("Electrodes", electrode_models().name(d.settings.electrodes), electrode_models().pattern(),
                      "Auxiliary-electrode potentials: 'patch centre': equal to the 3D potential of the "
                      "patch centre at their layer's height (V = T Q, solved exactly); 'sheet model': "
                      "the 1D macroscopic model; 'fixed': 'Fixed electrode potentials'.");
    prm.declare_entry("Patch centre radius [pitches]", prm_default(d.settings.centre_radius_pitches), P::Double(0.5, 100),
                      "Electrodes = patch centre: the lateral radius around the probe sphere's axis, in "
                      "sphere pitches, of the patch centre (frames: its spheres per layer; wall: the spheres "
                      "around which each node's wall-equivalent points are averaged, doc/charging.md). "
                      "Also the disc of charging_centre_profile.csv.");
    prm.declare_entry("Fixed electrode potentials [V]", prm_default(d.settings.fixed_electrode_potentials), P::Anything(),
                      "Electrodes = fixed: one potential per layer, or per wall node with the electrode "
                      "wall (comma-separated, lowest first).");
    prm.declare_entry("Sweep tube voltages [V]", prm_default(d.settings.sweep_tube_voltages_V), P::Anything(),
                      "Study: after the operating point, the mode again at these tube voltages (same "
                      "power, focal spot, speed), reusing the responses -> charging_sweep.csv.");
    prm.declare_entry("Sweep electrode potentials [V]", prm_default(d.settings.sweep_electrode_potentials_V), P::Anything(),
                      "Study (Electrodes = fixed): after the operating point, the mode again with every "
                      "electrode at each of these potentials, reusing the responses -> charging_sweep.csv.");
    prm.declare_entry("Sweep q_muP", prm_default(d.settings.sweep_q_muP), P::Anything(),
                      "Study: q_muP at each sweep voltage (one value per voltage, or one for all; "
                      "empty: Charging/q_muP).");
    prm.declare_entry("Profile points", prm_default(d.profile_points), P::Integer(2, 100000),
                      "Samples along the anode normal through the probe sphere.");
    prm.declare_entry("Cross-section points", prm_default(d.section_points), P::Integer(2, 2000),
                      "Samples along x of the cross-section y = y_probe (colour maps).");
    prm.declare_entry("Self-consistent field", d.self_consistent_field ? "on" : "off", P::Selection("off|on"),
                      "Charge source = monte carlo: on: the charge fractions q_i come from Monte Carlos whose "
                      "electrons fly through the field of the stream's own charge state (Monte Carlo/Field grid "
                      "and step parameters): the backscatter-only charge grows in its own field over the dwell "
                      "(Self-consistent growth steps), then the Mode's state is iterated to a fixed point (dwell: "
                      "its most negative state); every later result uses the Mode's self-consistent q "
                      "(doc/charging.md, \"Self-consistent charging\"). Needs a periodic cell or Monte Carlo "
                      "embedding = patch (the MC must see the stream it charges).");
    prm.declare_entry("Self-consistent iterations", prm_default(d.self_consistent.max_iterations), P::Integer(1, 100),
                      "Self-consistent field: at most this many Monte Carlos in the field per state; not "
                      "converged by then ends the run with the iteration history.");
    prm.declare_entry("Self-consistent tolerance", prm_default(d.self_consistent.tolerance), P::Double(0, 1),
                      "Self-consistent field: converged when the state's most negative sphere potential changes "
                      "by less than this (relative) from one iteration to the next.");
    prm.declare_entry("Self-consistent damping", prm_default(d.self_consistent.damping), P::Double(0, 1),
                      "Self-consistent field: the mixing factor beta of the Anderson step (with depth 0: q_{k+1} = "
                      "q_k + damping (q_MC - q_k)).");
    prm.declare_entry("Self-consistent method", solver::to_string(d.self_consistent.method),
                      P::Selection("bracketed scale|anderson|damped"),
                      "Self-consistent field: bracketed scale: the mean q found by the Illinois regula falsi "
                      "(bracketed from q = 0, where the field vanishes) with the per-sphere shape of the last "
                      "Monte Carlo; anderson: Anderson mixing of the per-sphere q; damped: q + damping (q_MC - q). "
                      "The last two oscillate where q falls steeply with the potential (doc/charging.md).");
    prm.declare_entry("Self-consistent growth steps", prm_default(d.self_consistent.growth.growth_steps),
                      P::Integer(1, 1000),
                      "Self-consistent field: the backscatter-only charge grows in its own field over the dwell in "
                      "explicit steps of at most 1/this of the dwell, one Monte Carlo each with Monte Carlo/Histories "
                      "/ this histories (so the grown charge carries the statistical error of one Monte Carlo of "
                      "the section's histories; solver/charge_growth.h).");
    prm.declare_entry("Self-consistent growth potential step [V]", prm_default(d.self_consistent.growth.potential_step_V),
                      P::Double(0),
                      "Self-consistent field: a growth step changes no sphere's potential by more than this "
                      "(resolves q(V); the explicit step's error is first order in it, doc/charging.md).");
    prm.declare_entry("Self-consistent cut-off band [V]", prm_default(d.self_consistent.growth.cutoff_band_V),
                      P::Double(0),
                      "Self-consistent field: a sphere within this of the beam's cut-off (-U_tube, where the "
                      "primaries land with zero energy) takes no more charge; steps end in the band, so the grown "
                      "charge cannot overshoot the cut-off.");
    prm.declare_entry("Self-consistent Anderson depth", prm_default(d.self_consistent.anderson_depth), P::Integer(0, 10),
                      "Self-consistent field: earlier iterates the Anderson step uses (0: the damped iteration, "
                      "which oscillates where q falls steeply with the potential; solver/self_consistent_charging.h).");
    prm.leave_subsection();
  }

  void parse_charging_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &c = scenario.charging;
    const std::string S = "Charging";
    prm.enter_subsection(S);
    c.settings.mode = charging_modes().value(prm.get("Mode"));
    c.charge_source = charge_sources().value(prm.get("Charge source"));
    c.mc_periodic_embedding = mc_embeddings().value(prm.get("Monte Carlo embedding"));
    c.settings.bounds.clear();
    for (const auto &name : dealii::Utilities::split_string_list(prm.get("Bounds"), ','))
      {
        using M = solver::ChargingMode;
        const bool known = name == to_string(M::field_cap) || name == to_string(M::murphy_good);
        if (!known)
          parameter_error("Charging/Bounds", prm.get("Bounds"), "must list field cap and/or murphy-good");
        c.settings.bounds.push_back(charging_modes().value(name));
      }
    if (!c.settings.bounds.empty() && c.settings.mode == solver::ChargingMode::backscatter_only)
      parameter_error("Charging/Bounds", prm.get("Bounds"), "needs a Charging/Mode other than backscatter only");
    c.q_muP         = require_finite_list(prm, S, "q_muP");
    if (c.q_muP.empty())
      parameter_error("Charging/q_muP", prm.get("q_muP"), "must be one value, or one per layer");
    c.settings.field_cap_V_per_m = require_finite(prm, S, "Field cap [V/m]"); // range: solver::validate below
    c.settings.cap_tolerance  = prm.get_double("Cap tolerance");
    c.settings.field_cap_solver = field_cap_solvers().value(prm.get("Field cap solver"));
    c.settings.max_refreshes  = static_cast<unsigned int>(prm.get_integer("Constraint refreshes"));
    c.settings.max_iterations = static_cast<unsigned int>(prm.get_integer("Maximum iterations"));
    c.settings.emission.work_function_eV = require_in_range(prm, S, "Work function [eV]", Range{0, 20, false, false});
    c.temperature_K = require_in_range(prm, S, "Temperature [K]", Range{0, 5000, true, false});
    c.settings.emission.time_steps = static_cast<unsigned int>(prm.get_integer("Time steps"));
    c.settings.points.uniform_points = static_cast<unsigned int>(prm.get_integer("Surface points"));
    c.settings.points.patch_points   = static_cast<unsigned int>(prm.get_integer("Patch points"));
    c.settings.electrodes            = electrode_models().value(prm.get("Electrodes"));
    c.settings.centre_radius_pitches = prm.get_double("Patch centre radius [pitches]");
    c.settings.fixed_electrode_potentials = require_finite_list(prm, S, "Fixed electrode potentials [V]");
    const bool fixed = c.settings.electrodes == solver::ElectrodeModel::fixed;
    if (fixed && c.settings.fixed_electrode_potentials.empty())
      parameter_error("Charging/Electrodes", prm.get("Electrodes"), "needs Charging/Fixed electrode potentials [V]");
    c.settings.sweep_tube_voltages_V = require_positive_list(prm, S, "Sweep tube voltages [V]");
    c.settings.sweep_electrode_potentials_V = require_finite_list(prm, S, "Sweep electrode potentials [V]");
    if (!fixed && !c.settings.sweep_electrode_potentials_V.empty())
      parameter_error("Charging/Sweep electrode potentials [V]", prm.get("Sweep electrode potentials [V]"),
                      "needs Charging/Electrodes = fixed");
    const std::size_t n_sweep = c.settings.sweep_tube_voltages_V.size();
    c.settings.sweep_q_muP = require_finite_list(prm, S, "Sweep q_muP");
    require_list_size(prm, S, "Sweep q_muP", c.settings.sweep_q_muP.size(), {0, 1, n_sweep},
                      "1 value or one per Charging/Sweep tube voltages [V] (" + std::to_string(n_sweep) + ")");
    if (c.settings.sweep_q_muP.size() <= 1)
      c.settings.sweep_q_muP.assign(n_sweep, c.settings.sweep_q_muP.empty() ? c.q_muP[0] : c.settings.sweep_q_muP[0]);
    if (c.settings.mode == solver::ChargingMode::dwell)
      {
        namespace L = solver::thermal_field_limits;
        const double phi = c.settings.emission.work_function_eV;
        if (phi < L::min_work_function_eV || phi > L::max_work_function_eV)
          parameter_error("Charging/Work function [eV]", prm.get("Work function [eV]"),
                          "must be in [2, 7] with Mode = dwell (the thermal-field model's validity range)");
        if (n_sweep > 0 || !c.settings.sweep_electrode_potentials_V.empty())
          parameter_error("Charging/Mode", prm.get("Mode"),
                          "dwell takes no sweep (its temperatures belong to the operating point): clear "
                          "Charging/Sweep tube voltages [V] and Sweep electrode potentials [V]");
      }
    c.self_consistent_field          = prm.get("Self-consistent field") == "on";
    c.self_consistent.max_iterations = static_cast<unsigned int>(prm.get_integer("Self-consistent iterations"));
    c.self_consistent.tolerance      = require_positive(prm, S, "Self-consistent tolerance");
    c.self_consistent.damping        = require_positive(prm, S, "Self-consistent damping");
    c.self_consistent.anderson_depth = static_cast<unsigned int>(prm.get_integer("Self-consistent Anderson depth"));
    c.self_consistent.growth.growth_steps = static_cast<unsigned int>(prm.get_integer("Self-consistent growth steps"));
    c.self_consistent.growth.potential_step_V =
      require_positive(prm, S, "Self-consistent growth potential step [V]");
    c.self_consistent.growth.cutoff_band_V = require_positive(prm, S, "Self-consistent cut-off band [V]");
    for (const auto m : {solver::SelfConsistentMethod::bracketed_scale, solver::SelfConsistentMethod::anderson,
                         solver::SelfConsistentMethod::damped})
      if (prm.get("Self-consistent method") == solver::to_string(m))
        c.self_consistent.method = m;
    if (c.self_consistent_field && c.charge_source != ChargeSource::monte_carlo)
      parameter_error("Charging/Self-consistent field", "on", "needs Charging/Charge source = monte carlo");
    c.profile_points = static_cast<unsigned int>(prm.get_integer("Profile points"));
    c.section_points = static_cast<unsigned int>(prm.get_integer("Cross-section points"));
    prm.leave_subsection();
    solver::validate(c.settings); // the settings' one range check (QuantityError, named by the app)
  }
} // namespace mpstream::app
