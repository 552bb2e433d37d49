// Thermal and Power limits sections (issue 6): the single-sphere transient and the hybrid
// target's power limits. Stream geometry and motion come from the Geometry and Operating point
// sections, so the same numbers feed every stage.
#include "app/scenario.h"
#include "common/error.h"

#include <deal.II/base/utilities.h>

#include <sstream>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    // Paper Table 1 (Behling et al., Instruments 8 (2024) 32): input data, not answers.
    constexpr const char *table1_voltages = "30e3, 80e3, 100e3, 120e3, 150e3, 200e3, 250e3, 300e3";
    constexpr const char *table1_S_muP    = "0.566, 0.533, 0.449, 0.366, 0.213, 0.143, 0.095, 0.067";
    constexpr const char *table1_S_anode  = "0.119, 0.137, 0.208, 0.282, 0.426, 0.489, 0.502, 0.477";
    // Bare W anode: Hunger & Kuechler (1979) eta(Z = 74, E) x mean backscattered energy
    // fraction 0.75 (ours), until the MC supplies eta_E; see doc/thermal.md.
    constexpr const char *bare_one_minus_etaE = "0.639, 0.628, 0.626, 0.623, 0.621, 0.617, 0.615, 0.613";

    std::vector<double> doubles(const ParameterHandler &prm, const std::string &name)
    {
      std::vector<double> v;
      for (const auto &s : dealii::Utilities::split_string_list(prm.get(name), ','))
        v.push_back(dealii::Utilities::string_to_double(s));
      return v;
    }
  } // namespace

  void declare_thermal_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Thermal");
    prm.declare_entry("Entry temperature [K]", "1073.15", P::Double(200, 3690),
                      "T0: sphere temperature entering the focal spot (paper Fig. 9a: 800 C).");
    prm.declare_entry("Environment temperature [K]", "1473.15", P::Double(200, 6000),
                      "T_env of the radiative exchange eps sigma (T^4 - T_env^4) (anode body 1200 C).");
    prm.declare_entry("Emissivity scale", "1", P::Double(0, 10),
                      "Multiplies the W total emissivity; 0 switches radiation off.");
    prm.declare_entry("Melting interval half width [K]", "10", P::Double(0.1, 100),
                      "Latent heat released smoothly over [T_m, T_m + 2 dT].");
    prm.declare_entry("Heat source", "monte carlo",
                      P::Selection("exponential depth|uniform|monte carlo"),
                      "Power density in a sphere: exp(-depth/lambda) from the entry surface "
                      "(stand-in), uniform, or the electron Monte Carlo's per-sphere grid for the "
                      "close-packed monolayer over the anode at the operating point.");
    prm.declare_entry("Monte Carlo histories", "20000", P::Integer(100),
                      "Histories of the heat-source Monte Carlo (Heat source = monte carlo).");
    prm.declare_entry("Monte Carlo grid cells per axis", "10", P::Integer(2, 64),
                      "Cells per axis of the per-sphere power grid (cube around the sphere).");
    prm.declare_entry("Source decay length [m]", "2e-6", P::Double(0),
                      "lambda of the exponential depth profile.");
    prm.declare_entry("Global refinements", "1", P::Integer(0, 4),
                      "Refinements of the 32-cell hyper_ball_balanced mesh (FE_Q(2), MappingQ(2)).");
    prm.declare_entry("Time error tolerance [K]", "0.5", P::Double(0),
                      "Local time error per backward-Euler step (max norm).");
    prm.declare_entry("Maximum time step [s]", "2e-7", P::Double(0), "Upper bound of the adaptive step.");
    prm.declare_entry("Relaxation time [s]", "1e-6", P::Double(0),
                      "Time simulated after the focal-spot exit with the source off, to measure "
                      "how fast the temperature evens out.");
    prm.declare_entry("Transient limit", "false", P::Bool(),
                      "Also find the input power at which the peak temperature reaches T_melt "
                      "(several transients).");
    prm.declare_entry("Transient limit voltages [V]", "", P::List(P::Double(0)),
                      "Tube voltages at which the transient limit is also computed (a heat-source "
                      "MC per voltage) and written to transient_limits.csv; empty: none.");
    prm.declare_entry("Whole stream", "true", P::Bool(),
                      "Also solve every sphere of the Geometry section's stream over the dwell, each "
                      "with its own power grid from a Monte Carlo run of that stream geometry "
                      "(stream_thermal.csv, per-layer summary, stream_* summary keys).");
    prm.declare_entry("Whole stream lateral boundary", "periodic cell", P::Selection("periodic cell|as geometry"),
                      "periodic cell: the Monte Carlo and the heat solves use the Geometry section's "
                      "hexagonal stream repeated laterally (Rows rounded up to even), so every sphere "
                      "gets the backscatter of its neighbours on all sides, as inside the focal spot; "
                      "as geometry: the Geometry section's layout as it is (a finite patch loses "
                      "backscatter sideways and runs ~50 % too cool, doc/thermal.md).");
    prm.declare_entry("Whole stream global refinements", "0", P::Integer(0, 3),
                      "Mesh refinements for the whole-stream spheres (0: 32 cells, within a few K "
                      "of refinement 1; see doc/thermal.md).");
    prm.declare_entry("Whole stream Monte Carlo histories", "200000", P::Integer(100),
                      "Histories of the stream-geometry Monte Carlo that gives every sphere its grid.");
    prm.declare_entry("Threads", "0", P::Integer(0, 1024),
                      "Threads per MPI rank for the whole-stream spheres and its Monte Carlo "
                      "(0: hardware threads / ranks).");
    prm.leave_subsection();

    prm.enter_subsection("Power limits");
    prm.declare_entry("Tube voltages [V]", table1_voltages, P::List(P::Double(0)),
                      "Rows of the shielding table (paper Table 1 until the MC supplies it).");
    prm.declare_entry("S_muP", table1_S_muP, P::List(P::Double(0, 1)),
                      "Fraction of the input power absorbed by the spheres, per row.");
    prm.declare_entry("S_anode", table1_S_anode, P::List(P::Double(0, 1)),
                      "Fraction of the input power absorbed by the anode under the stream, per row.");
    prm.declare_entry("Bare anode 1 - eta_E", bare_one_minus_etaE, P::List(P::Double(0, 1)),
                      "1 - energy backscatter coefficient of the bare reference anode, per row.");
    prm.declare_entry("Reference anode input power [W]", "25e3", P::Double(0),
                      "P_input,ref of the reference rotating-anode CT tube (4 s scan every 10 min).");
    prm.declare_entry("Tungsten density [kg/m^3]", "19250", P::Double(0),
                      "rho_W in P_max,muP (Tolias 2017 at 293 K; mass per manufactured volume).");
    prm.declare_entry("Maximum temperature [K]", "3695", P::Double(200, 6000),
                      "T_m,W: highest permitted sphere temperature (melting point by default).");
    prm.declare_entry("Melting allowed", "false", P::Bool(), "s = 1: add the latent heat of fusion.");
    prm.declare_entry("Sweep minimum tube voltage [V]", "30e3", P::Double(0), "P_max(U) curve start.");
    prm.declare_entry("Sweep maximum tube voltage [V]", "300e3", P::Double(0), "P_max(U) curve end.");
    prm.declare_entry("Sweep tube voltage step [V]", "2e3", P::Double(0), "P_max(U) curve step.");
    prm.declare_entry("S coefficients", "table", P::Selection("table|monte carlo"),
                      "table: S_muP, S_anode and the bare anode's 1 - eta_E from the lists above "
                      "(the paper's Table 1 by default); monte carlo: computed by the electron MC at "
                      "the voltages of 'Tube voltages [V]' (Table-1 geometry: touching spheres on the "
                      "anode; bare W anode), once per run, then interpolated the same way.");
    prm.declare_entry("Monte Carlo histories", "20000", P::Integer(100),
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
    th.settings.heating_time_s         = op.dwell_time();
    th.settings.relaxation_time_s      = prm.get_double("Relaxation time [s]");
    th.settings.refinements            = static_cast<unsigned>(prm.get_integer("Global refinements"));
    th.settings.time_error_tolerance_K = positive(prm, "Thermal", "Time error tolerance [K]");
    th.settings.maximum_time_step_s    = positive(prm, "Thermal", "Maximum time step [s]");
    th.settings.initial_time_step_s    = std::min(1e-10, th.settings.maximum_time_step_s);
    th.settings.minimum_time_step_s    = std::min(1e-15, th.settings.initial_time_step_s);
    th.material.density_kg_per_m3         = 19250.0; // replaced below by Power limits' value
    th.material.environment_temperature_K = prm.get_double("Environment temperature [K]");
    th.material.emissivity_scale          = prm.get_double("Emissivity scale");
    th.material.melting_half_width_K      = prm.get_double("Melting interval half width [K]");
    th.source_model                       = prm.get("Heat source");
    th.mc_histories   = static_cast<std::uint64_t>(prm.get_integer("Monte Carlo histories"));
    th.mc_grid_cells  = static_cast<std::size_t>(prm.get_integer("Monte Carlo grid cells per axis"));
    th.source_decay_length_m = positive(prm, "Thermal", "Source decay length [m]");
    th.transient_limit       = prm.get_bool("Transient limit");
    th.transient_limit_voltages = doubles(prm, "Transient limit voltages [V]");
    th.whole_stream             = prm.get_bool("Whole stream");
    th.whole_stream_periodic    = prm.get("Whole stream lateral boundary") == "periodic cell";
    th.whole_stream_refinements = static_cast<unsigned>(prm.get_integer("Whole stream global refinements"));
    th.whole_stream_mc_histories =
      static_cast<std::uint64_t>(prm.get_integer("Whole stream Monte Carlo histories"));
    th.threads = static_cast<unsigned>(prm.get_integer("Threads"));
    prm.leave_subsection();
    th.settings.validate();

    auto &pl = scenario.power_limits;
    prm.enter_subsection("Power limits");
    pl.table.tube_voltage_V            = doubles(prm, "Tube voltages [V]");
    pl.table.S_muP                     = doubles(prm, "S_muP");
    pl.table.S_anode                   = doubles(prm, "S_anode");
    pl.table.one_minus_etaE_bare_anode = doubles(prm, "Bare anode 1 - eta_E");
    auto &s = pl.stream;
    s.sphere_radius_m         = scenario.layout.sphere_radius;
    s.focal_spot_width_m      = op.focal_spot_width;
    s.focal_spot_length_m     = op.focal_spot_length;
    s.velocity_m_per_s        = op.stream_speed;
    s.entry_temperature_K     = th.settings.initial_temperature_K;
    s.maximum_temperature_K   = prm.get_double("Maximum temperature [K]");
    s.melting_allowed         = prm.get_bool("Melting allowed");
    s.density_kg_per_m3       = positive(prm, "Power limits", "Tungsten density [kg/m^3]");
    s.reference_anode_power_W = positive(prm, "Power limits", "Reference anode input power [W]");
    pl.sweep_min_V  = prm.get_double("Sweep minimum tube voltage [V]");
    pl.sweep_max_V  = prm.get_double("Sweep maximum tube voltage [V]");
    pl.sweep_step_V = positive(prm, "Power limits", "Sweep tube voltage step [V]");
    pl.monte_carlo_coefficients = prm.get("S coefficients") == "monte carlo";
    pl.mc_histories = static_cast<std::uint64_t>(prm.get_integer("Monte Carlo histories"));
    prm.leave_subsection();
    th.material.density_kg_per_m3 = s.density_kg_per_m3;
    pl.table.validate();
    s.validate();
    for (const double U : th.transient_limit_voltages)
      if (!(U >= pl.table.tube_voltage_V.front() && U <= pl.table.tube_voltage_V.back()))
        {
          std::ostringstream msg;
          msg << "Thermal/Transient limit voltages [V]: " << U << " V lies outside the shielding "
              << "table's range " << pl.table.tube_voltage_V.front() << " .. "
              << pl.table.tube_voltage_V.back() << " V";
          throw InputError(msg.str());
        }
    if (!(pl.sweep_min_V >= pl.table.tube_voltage_V.front() && pl.sweep_max_V <= pl.table.tube_voltage_V.back() &&
          pl.sweep_min_V <= pl.sweep_max_V))
      {
        std::ostringstream msg;
        msg << "Power limits/Sweep minimum/maximum tube voltage [V] = " << pl.sweep_min_V << " .. "
            << pl.sweep_max_V << " must lie within the table's range " << pl.table.tube_voltage_V.front()
            << " .. " << pl.table.tube_voltage_V.back() << " V";
        throw InputError(msg.str());
      }
  }
} // namespace mpstream::app
