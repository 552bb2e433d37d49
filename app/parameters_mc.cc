// Monte Carlo section (issue 4): histories, seed, geometry, threads, cut-offs, tallies.
#include "app/scenario.h"
#include "common/error.h"

#include <deal.II/base/utilities.h>

#include <cmath>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  void declare_mc_parameters(ParameterHandler &prm)
  {
    prm.enter_subsection("Monte Carlo");
    prm.declare_entry("Histories", "100000", P::Integer(1),
                      "Primary electrons per tube voltage (split over MPI ranks and threads; the "
                      "tallies do not depend on the split).");
    prm.declare_entry("Seed", "1", P::Integer(0),
                      "Random seed; history i uses a stream seeded from (Seed, i).");
    prm.declare_entry("Threads", "0", P::Integer(0, 1024),
                      "std::threads per rank; 0: all hardware threads.");
    prm.declare_entry("Geometry", "stream", P::Selection("bulk|stream"),
                      "bulk: W half-space alone (validation); stream: the Geometry section's "
                      "spheres (with the anode if Geometry/Anode, periodic cell if chosen).");
    prm.declare_entry("Tube voltages [V]", "", P::List(P::Double(1e3, 1e6)),
                      "Comma-separated sweep (e.g. Table 1); empty: Operating point/Tube voltage.");
    prm.declare_entry("Incidence angle [deg]", "0", P::Double(-89, 89),
                      "Polar angle of the beam from the anode normal, in the x-z plane.");
    prm.declare_entry("Cut-off energy [eV]", "1000", P::Double(500, 50000),
                      "Electrons below this stop and deposit their energy on the spot.");
    prm.declare_entry("Elastic hardness C1", "0.2", P::Double(0, 0.5),
                      "Hard elastic mean free path / transport mean free path (mixed scheme).");
    prm.declare_entry("Step fraction C2", "0.04", P::Double(0, 0.2),
                      "Largest step as a fraction of the residual CSDA range.");
    prm.declare_entry("Maximum step [m]", "0.5e-6", P::Double(0), "Largest step length.");
    prm.declare_entry("Range rejection [m]", "1e-6", P::Double(0),
                      "Electrons with a residual range below this that cannot reach their body's "
                      "surface deposit their energy on the spot (0: off).");
    prm.declare_entry("Power grid cells", "0", P::Integer(0, 200),
                      "Cells per axis of each sphere's power-density grid (0: none); the probe "
                      "sphere's grid is written as CSV.");
    prm.declare_entry("Profile cells x", "60", P::Integer(0, 10000),
                      "x cells of the y-integrated depth profile (0: none).");
    prm.declare_entry("Profile cells z", "200", P::Integer(0, 10000), "z cells of the profile.");
    prm.declare_entry("Profile bottom [m]", "-15e-6", P::Double(),
                      "Lowest z of the depth profile (below the anode surface z = 0).");
    prm.leave_subsection();
  }

  void parse_mc_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &mc = scenario.monte_carlo;
    prm.enter_subsection("Monte Carlo");
    mc.histories = static_cast<std::uint64_t>(prm.get_integer("Histories"));
    mc.seed      = static_cast<std::uint64_t>(prm.get_integer("Seed"));
    mc.threads   = static_cast<unsigned>(prm.get_integer("Threads"));
    mc.bulk      = prm.get("Geometry") == "bulk";
    mc.tube_voltages.clear();
    for (const auto &v : dealii::Utilities::split_string_list(prm.get("Tube voltages [V]")))
      mc.tube_voltages.push_back(dealii::Utilities::string_to_double(v));
    mc.incidence_angle_rad = prm.get_double("Incidence angle [deg]") * M_PI / 180.0;
    mc.transport.cutoff_energy_eV  = prm.get_double("Cut-off energy [eV]");
    mc.physics.C1                  = positive(prm, "Monte Carlo", "Elastic hardness C1");
    mc.transport.C2                = positive(prm, "Monte Carlo", "Step fraction C2");
    mc.transport.max_step_m        = positive(prm, "Monte Carlo", "Maximum step [m]");
    mc.transport.range_rejection_m = prm.get_double("Range rejection [m]");
    mc.transport.seed              = mc.seed;
    mc.grid_cells       = static_cast<std::size_t>(prm.get_integer("Power grid cells"));
    mc.profile_nx       = static_cast<std::size_t>(prm.get_integer("Profile cells x"));
    mc.profile_nz       = static_cast<std::size_t>(prm.get_integer("Profile cells z"));
    mc.profile_bottom_m = prm.get_double("Profile bottom [m]");
    prm.leave_subsection();
    if (!(mc.profile_bottom_m < 0))
      throw InputError("Monte Carlo/Profile bottom [m] = " + std::to_string(mc.profile_bottom_m) +
                       " must be below the anode surface (negative)");
    mc.transport.validate();
  }
} // namespace mpstream::app
