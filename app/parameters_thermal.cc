// Thermal and Power limits sections (issue 6): the single-sphere transient and the hybrid
// target's power limits. Stream geometry and motion come from the Geometry and Operating point
// sections, so the same numbers feed every stage.
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

#include <utility>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<std::string> &heat_sources()
    {
      static const Selection<std::string> names{
        {{"exponential depth", "exponential depth"}, {"uniform", "uniform"}, {"monte carlo", "monte carlo"}}};
      return names;
    }
    const Selection<bool> &whole_stream_boundaries() // periodic?
    {
      static const Selection<bool> names{{{"periodic cell", true}, {"as geometry", false}}};
      return names;
    }
    const Selection<PowerLimitParameters::CoefficientSource> &coefficient_sources()
    {
      using C = PowerLimitParameters::CoefficientSource;
      static const Selection<C> names{{{"automatic", C::automatic}, {"table", C::table}, {"monte carlo", C::monte_carlo}}};
      return names;
    }
  } // namespace

  void declare_thermal_parameters(ParameterHandler &prm)
  {
    const ThermalParameters th;
    const PowerLimitParameters pl;
    prm.enter_subsection("Thermal");
    prm.declare_entry("Entry temperature [K]", prm_default(th.settings.initial_temperature_K), P::Double(200, 3690),
                      "T0: sphere temperature entering the focal spot (paper Fig. 9a: 800 C).");
    prm.declare_entry("Environment temperature [K]", prm_default(th.material.environment_temperature_K), P::Double(200, 6000),
                      "T_env of the radiative exchange eps sigma (T^4 - T_env^4) (anode body 1200 C).");
    prm.declare_entry("Emissivity scale", prm_default(th.material.emissivity_scale), P::Double(0, 10),
                      "Multiplies the W total emissivity; 0 switches radiation off.");
    prm.declare_entry("Melting interval half width [K]", prm_default(th.material.melting_half_width_K), P::Double(0.1, 100),
                      "Latent heat released smoothly over [T_m, T_m + 2 dT].");
    prm.declare_entry("Heat source", heat_sources().name(th.source_model), heat_sources().pattern(),
                      "Power density in a sphere: exp(-depth/lambda) from the entry surface "
                      "(stand-in), uniform, or the electron Monte Carlo's per-sphere grid for the "
                      "close-packed monolayer over the anode at the operating point.");
    prm.declare_entry("Monte Carlo histories", prm_default(th.mc_histories), P::Integer(100),
                      "Histories of the heat-source Monte Carlo (Heat source = monte carlo).");
    prm.declare_entry("Monte Carlo grid cells per axis", prm_default(th.mc_grid_cells), P::Integer(2, 64),
                      "Cells per axis of the per-sphere power grid (cube around the sphere).");
    prm.declare_entry("Source decay length [m]", prm_default(th.source_decay_length_m), P::Double(0),
                      "lambda of the exponential depth profile.");
    prm.declare_entry("Global refinements", prm_default(th.settings.refinements), P::Integer(0, 4),
                      "Refinements of the 32-cell hyper_ball_balanced mesh (FE_Q(2), MappingQ(2)).");
    prm.declare_entry("Time error tolerance [K]", prm_default(th.settings.time_error_tolerance_K), P::Double(0),
                      "Local time error per backward-Euler step (max norm).");
    prm.declare_entry("Maximum time step [s]", prm_default(th.settings.maximum_time_step_s, -7), P::Double(0), "Upper bound of the adaptive step.");
    prm.declare_entry("Relaxation time [s]", prm_default(th.settings.relaxation_time_s), P::Double(0),
                      "Time simulated after the focal-spot exit with the source off, to measure "
                      "how fast the temperature evens out.");
    prm.declare_entry("Transient limit", prm_default(th.transient_limit), P::Bool(),
                      "Also find the input power at which the peak temperature reaches T_melt "
                      "(several transients).");
    prm.declare_entry("Transient limit voltages [V]", prm_default(th.transient_limit_voltages), P::List(P::Double(0)),
                      "Tube voltages at which the transient limit is also computed (a heat-source "
                      "MC per voltage) and written to transient_limits.csv; empty: none.");
    prm.declare_entry("Whole stream", prm_default(th.whole_stream), P::Bool(),
                      "Also solve every sphere of the Geometry section's stream over the dwell, each "
                      "with its own power grid from a Monte Carlo run of that stream geometry "
                      "(stream_thermal.csv, per-layer summary, stream_* summary keys).");
    prm.declare_entry("Whole stream lateral boundary", whole_stream_boundaries().name(th.whole_stream_periodic),
                      whole_stream_boundaries().pattern(),
                      "periodic cell: the Monte Carlo and the heat solves use the Geometry section's "
                      "hexagonal stream repeated laterally (Rows rounded up to even), so every sphere "
                      "gets the backscatter of its neighbours on all sides, as inside the focal spot; "
                      "as geometry: the Geometry section's layout as it is (a finite patch loses "
                      "backscatter sideways and runs ~50 % too cool, doc/thermal.md).");
    prm.declare_entry("Whole stream global refinements", prm_default(th.whole_stream_refinements), P::Integer(0, 3),
                      "Mesh refinements for the whole-stream spheres (0: 32 cells, within a few K "
                      "of refinement 1; see doc/thermal.md).");
    prm.declare_entry("Whole stream Monte Carlo histories", prm_default(th.whole_stream_mc_histories), P::Integer(100),
                      "Histories of the stream-geometry Monte Carlo that gives every sphere its grid.");
    prm.declare_entry("Threads", prm_default(th.threads), P::Integer(0, 1024),
                      "Threads per MPI rank for the whole-stream spheres and its Monte Carlo "
                      "(0: automatic, the cores of the rank's CPU affinity mask shared with the node's other "
                      "ranks; doc/hpc.md).");
    prm.leave_subsection();

    prm.enter_subsection("Power limits");
    prm.declare_entry("Tube voltages [V]", prm_default(pl.table.tube_voltage_V), P::List(P::Double(0)),
                      "Rows of the shielding table (paper Table 1 until the MC supplies it).");
    prm.declare_entry("S_muP", prm_default(pl.table.S_muP), P::List(P::Double(0, 1)),
                      "Fraction of the input power absorbed by the spheres, per row.");
    prm.declare_entry("S_anode", prm_default(pl.table.S_anode), P::List(P::Double(0, 1)),
                      "Fraction of the input power absorbed by the anode under the stream, per row.");
    prm.declare_entry("Bare anode 1 - eta_E", prm_default(pl.table.one_minus_etaE_bare_anode), P::List(P::Double(0, 1)),
                      "1 - energy backscatter coefficient of the bare reference anode, per row.");
    prm.declare_entry("Reference anode input power [W]", prm_default(pl.stream.reference_anode_power_W), P::Double(0),
                      "P_input,ref of the reference rotating-anode CT tube (4 s scan every 10 min).");
    prm.declare_entry("Tungsten density [kg/m^3]", prm_default(pl.stream.density_kg_per_m3, 0), P::Double(0),
                      "rho_W in P_max,muP (Tolias 2017 at 293 K; mass per manufactured volume).");
    prm.declare_entry("Maximum temperature [K]", prm_default(pl.stream.maximum_temperature_K), P::Double(200, 6000),
                      "T_m,W: highest permitted sphere temperature (melting point by default).");
    prm.declare_entry("Melting allowed", prm_default(pl.stream.melting_allowed), P::Bool(), "s = 1: add the latent heat of fusion.");
    prm.declare_entry("Sweep minimum tube voltage [V]", prm_default(pl.sweep_min_V), P::Double(0), "P_max(U) curve start.");
    prm.declare_entry("Sweep maximum tube voltage [V]", prm_default(pl.sweep_max_V), P::Double(0), "P_max(U) curve end.");
    prm.declare_entry("Sweep tube voltage step [V]", prm_default(pl.sweep_step_V, 3), P::Double(0), "P_max(U) curve step.");
    prm.declare_entry("S coefficients", coefficient_sources().name(pl.coefficients), coefficient_sources().pattern(),
                      "automatic: the table where it applies (sphere radius 2.5 um, tube voltage within "
                      "its voltages), else monte carlo (the reason goes to the summary); table: S_muP, S_anode and the bare anode's 1 - eta_E from the lists above "
                      "(the paper's Table 1 by default); monte carlo: computed by the electron MC at "
                      "the voltages of 'Tube voltages [V]' and the operating voltage (Table-1 geometry: touching spheres on the "
                      "anode; bare W anode), once per run, then interpolated the same way.");
    prm.declare_entry("Monte Carlo histories", prm_default(pl.mc_histories), P::Integer(100),
                      "Histories per voltage and geometry when S coefficients = monte carlo.");
    prm.leave_subsection();
  }

  void parse_thermal_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    const auto &op = scenario.operating_point;
    auto       &th = scenario.thermal;
    prm.enter_subsection("Thermal");
    th.settings.sphere_radius_m        = scenario.layout.sphere_radius;
    th.settings.initial_temperature_K  = prm.get_double("Entry temperature [K]");
    th.settings.heating_time_s         = solver::dwell_time_s(op);
    th.settings.relaxation_time_s      = prm.get_double("Relaxation time [s]");
    th.settings.refinements            = static_cast<unsigned>(prm.get_integer("Global refinements"));
    th.settings.time_error_tolerance_K = require_positive(prm, "Thermal", "Time error tolerance [K]");
    th.settings.maximum_time_step_s    = require_positive(prm, "Thermal", "Maximum time step [s]");
    th.settings.initial_time_step_s    = std::min(1e-10, th.settings.maximum_time_step_s);
    th.settings.minimum_time_step_s    = std::min(1e-15, th.settings.initial_time_step_s);
    th.material.environment_temperature_K = prm.get_double("Environment temperature [K]");
    th.material.emissivity_scale          = prm.get_double("Emissivity scale");
    th.material.melting_half_width_K      = prm.get_double("Melting interval half width [K]");
    th.source_model                       = heat_sources().value(prm.get("Heat source"));
    th.mc_histories   = static_cast<std::uint64_t>(prm.get_integer("Monte Carlo histories"));
    th.mc_grid_cells  = static_cast<std::size_t>(prm.get_integer("Monte Carlo grid cells per axis"));
    th.source_decay_length_m = require_positive(prm, "Thermal", "Source decay length [m]");
    th.transient_limit       = prm.get_bool("Transient limit");
    th.transient_limit_voltages = double_list(prm, "Transient limit voltages [V]");
    th.whole_stream             = prm.get_bool("Whole stream");
    th.whole_stream_periodic    = whole_stream_boundaries().value(prm.get("Whole stream lateral boundary"));
    th.whole_stream_refinements = static_cast<unsigned>(prm.get_integer("Whole stream global refinements"));
    th.whole_stream_mc_histories =
      static_cast<std::uint64_t>(prm.get_integer("Whole stream Monte Carlo histories"));
    th.threads = static_cast<unsigned>(prm.get_integer("Threads"));
    prm.leave_subsection();
    th.settings.validate();

    auto &pl = scenario.power_limits;
    prm.enter_subsection("Power limits");
    pl.table.tube_voltage_V            = double_list(prm, "Tube voltages [V]");
    pl.table.S_muP                     = double_list(prm, "S_muP");
    pl.table.S_anode                   = double_list(prm, "S_anode");
    pl.table.one_minus_etaE_bare_anode = double_list(prm, "Bare anode 1 - eta_E");
    auto &s = pl.stream;
    s.sphere_radius_m         = scenario.layout.sphere_radius;
    s.operating_point         = op;
    s.entry_temperature_K     = th.settings.initial_temperature_K;
    s.maximum_temperature_K   = prm.get_double("Maximum temperature [K]");
    s.melting_allowed         = prm.get_bool("Melting allowed");
    s.density_kg_per_m3       = require_positive(prm, "Power limits", "Tungsten density [kg/m^3]");
    s.reference_anode_power_W = require_positive(prm, "Power limits", "Reference anode input power [W]");
    pl.sweep_step_V = require_positive(prm, "Power limits", "Sweep tube voltage step [V]");
    pl.coefficients = coefficient_sources().value(prm.get("S coefficients"));
    pl.mc_histories = static_cast<std::uint64_t>(prm.get_integer("Monte Carlo histories"));
    const std::size_t rows = pl.table.tube_voltage_V.size();
    for (const auto &[name, column] : {std::pair{"S_muP", &pl.table.S_muP}, std::pair{"S_anode", &pl.table.S_anode},
                                       std::pair{"Bare anode 1 - eta_E", &pl.table.one_minus_etaE_bare_anode}})
      require_list_size(prm, "Power limits", name, column->size(), {rows},
                        "one value per Power limits/Tube voltages [V] (" + std::to_string(rows) + ")");
    pl.table.validate();
    const Range table_range{pl.table.tube_voltage_V.front(), pl.table.tube_voltage_V.back(), true, true};
    pl.sweep_min_V = require_in_range(prm, "Power limits", "Sweep minimum tube voltage [V]", table_range);
    pl.sweep_max_V = require_in_range(prm, "Power limits", "Sweep maximum tube voltage [V]", table_range);
    if (!(pl.sweep_min_V <= pl.sweep_max_V))
      parameter_error("Power limits/Sweep maximum tube voltage [V]", prm.get("Sweep maximum tube voltage [V]"),
                      "must be >= Power limits/Sweep minimum tube voltage [V]");
    prm.leave_subsection();
    th.material.density_kg_per_m3 = s.density_kg_per_m3;
    s.validate();
    for (const double U : th.transient_limit_voltages)
      if (!table_range.contains(U))
        parameter_error("Thermal/Transient limit voltages [V]", prm_default(th.transient_limit_voltages),
                        "must be in " + table_range.text() + " (Power limits/Tube voltages [V])");
  }
} // namespace mpstream::app
