// Monte Carlo section (issue 4): histories, seed, geometry, threads, cut-offs, tallies.
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

#include <cmath>

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<bool> &mc_geometries() // bulk?
    {
      static const Selection<bool> names{{{"bulk", true}, {"stream", false}}};
      return names;
    }
    const Selection<bool> &mc_fields() // from the electrostatics?
    {
      static const Selection<bool> names{{{"none", false}, {"electrostatics", true}}};
      return names;
    }
    const Selection<bool> &on_off()
    {
      static const Selection<bool> names{{{"on", true}, {"off", false}}};
      return names;
    }
  } // namespace

  void declare_mc_parameters(ParameterHandler &prm)
  {
    const MonteCarloParameters d;
    prm.enter_subsection("Monte Carlo");
    prm.declare_entry("Histories", prm_default(d.histories), P::Integer(1),
                      "Primary electrons per tube voltage (split over MPI ranks and threads; the "
                      "tallies do not depend on the split).");
    prm.declare_entry("Seed", prm_default(d.seed), P::Integer(0),
                      "Random seed; history i uses a stream seeded from (Seed, i).");
    prm.declare_entry("Threads", prm_default(d.threads), P::Integer(0, 1024),
                      "std::threads per rank; 0: automatic, the cores of the rank's CPU affinity mask shared with "
                      "the node's other ranks (doc/hpc.md).");
    prm.declare_entry("Geometry", mc_geometries().name(d.bulk), mc_geometries().pattern(),
                      "bulk: W half-space alone (validation); stream: the Geometry section's "
                      "spheres (with the anode if Geometry/Anode, periodic cell if chosen).");
    prm.declare_entry("Tube voltages [V]", prm_default(d.tube_voltages), P::List(P::Double(1e3, 1e6)),
                      "Comma-separated sweep (e.g. Table 1); empty: Operating point/Tube voltage.");
    prm.declare_entry("Incidence angle [deg]", prm_default(d.incidence_angle_rad * 180.0 / M_PI), P::Double(-89, 89),
                      "Polar angle of the beam from the anode normal, in the x-z plane.");
    prm.declare_entry("Cut-off energy [eV]", prm_default(d.transport.cutoff_energy_eV), P::Double(500, 50000),
                      "Electrons below this stop and deposit their energy on the spot.");
    prm.declare_entry("Elastic hardness C1", prm_default(d.physics.C1), P::Double(0, 0.5),
                      "Hard elastic mean free path / transport mean free path (mixed scheme).");
    prm.declare_entry("Step fraction C2", prm_default(d.transport.C2), P::Double(0, 0.2),
                      "Largest step as a fraction of the residual CSDA range.");
    prm.declare_entry("Maximum step [m]", prm_default(d.transport.max_step_m, -6), P::Double(0), "Largest step length.");
    prm.declare_entry("Range rejection [m]", prm_default(d.transport.range_rejection_m), P::Double(0),
                      "Electrons with a residual range below this that cannot reach their body's "
                      "surface deposit their energy on the spot (0: off).");
    prm.declare_entry("Secondary emission", on_off().name(d.transport.secondary_emission), on_off().pattern(),
                      "on: every electron crossing a sphere surface (in or out) at energy E, angle theta "
                      "to the normal, takes delta(E)/max(cos theta, 0.1) slow secondaries out of that "
                      "sphere (universal yield curve, W; doc/mc.md): lowers the spheres' q, in the "
                      "default stream below zero. Off by default (the paper's model): the curve "
                      "overestimates W's measured yield at 8-28 keV 2.4-5.5 times (doc/mc.md).");
    prm.declare_entry("Power grid cells", prm_default(d.grid_cells), P::Integer(0, 200),
                      "Cells per axis of each sphere's power-density grid (0: none); the probe "
                      "sphere's grid is written as CSV.");
    prm.declare_entry("Profile cells x", prm_default(d.profile_nx), P::Integer(0, 10000),
                      "x cells of the y-integrated depth profile (0: none).");
    prm.declare_entry("Profile cells z", prm_default(d.profile_nz), P::Integer(0, 10000), "z cells of the profile.");
    prm.declare_entry("Profile bottom [m]", prm_default(d.profile_bottom_m), P::Double(),
                      "Lowest z of the depth profile (below the anode surface z = 0).");
    prm.declare_entry("Field", mc_fields().name(d.field_from_electrostatics), mc_fields().pattern(),
                      "none: straight flights in field-free vacuum (the paper's MC); electrostatics: electrons fly "
                      "through the stream's own field, that of the Electrostatics section's charge state (meshed "
                      "and solved first), sampled on a grid over the stream (doc/mc.md, \"Electrons in the "
                      "stream's field\"). Geometry = stream only.");
    prm.declare_entry("Field grid spacing [m]", prm_default(d.field_grid.spacing_m, -6), P::Double(0),
                      "Field = electrostatics: node spacing of the sampling grid (R / 10 for 5 um spheres).");
    prm.declare_entry("Field grid height above stream [m]", prm_default(d.field_grid.height_above_stream_m, -6),
                      P::Double(0),
                      "Field = electrostatics: the grid's top above the highest sphere surface; above it the "
                      "potential falls linearly to the grounded lid, and an electron rising through it escapes "
                      "(the field there pushes it up).");
    prm.declare_entry("Field step fraction", prm_default(d.field_flight.step_fraction), P::Double(0, 0.5),
                      "Field = electrostatics: a vacuum step's length as a fraction of the length on which the "
                      "field varies (the sphere radius in the grid).");
    prm.leave_subsection();
  }

  void parse_mc_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &mc = scenario.monte_carlo;
    prm.enter_subsection("Monte Carlo");
    mc.histories = static_cast<std::uint64_t>(prm.get_integer("Histories"));
    mc.seed      = static_cast<std::uint64_t>(prm.get_integer("Seed"));
    mc.threads   = static_cast<unsigned>(prm.get_integer("Threads"));
    mc.bulk      = mc_geometries().value(prm.get("Geometry"));
    mc.tube_voltages = double_list(prm, "Tube voltages [V]");
    mc.incidence_angle_rad = prm.get_double("Incidence angle [deg]") * M_PI / 180.0;
    mc.transport.cutoff_energy_eV  = prm.get_double("Cut-off energy [eV]");
    mc.physics.C1                  = require_positive(prm, "Monte Carlo", "Elastic hardness C1");
    mc.transport.C2                = require_positive(prm, "Monte Carlo", "Step fraction C2");
    mc.transport.max_step_m        = require_positive(prm, "Monte Carlo", "Maximum step [m]");
    mc.transport.range_rejection_m = prm.get_double("Range rejection [m]");
    mc.transport.seed              = mc.seed;
    mc.transport.secondary_emission = on_off().value(prm.get("Secondary emission"));
    mc.grid_cells       = static_cast<std::size_t>(prm.get_integer("Power grid cells"));
    mc.profile_nx       = static_cast<std::size_t>(prm.get_integer("Profile cells x"));
    mc.profile_nz       = static_cast<std::size_t>(prm.get_integer("Profile cells z"));
    mc.profile_bottom_m = prm.get_double("Profile bottom [m]");
    mc.field_from_electrostatics          = mc_fields().value(prm.get("Field"));
    mc.field_grid.spacing_m             = require_positive(prm, "Monte Carlo", "Field grid spacing [m]");
    mc.field_grid.height_above_stream_m = require_positive(prm, "Monte Carlo", "Field grid height above stream [m]");
    mc.field_flight.step_fraction       = require_positive(prm, "Monte Carlo", "Field step fraction");
    if (mc.field_from_electrostatics && mc.bulk)
      parameter_error("Monte Carlo/Field", "electrostatics", "needs Monte Carlo/Geometry = stream (the bulk has no charged spheres)");
    if (!(mc.profile_bottom_m < 0))
      parameter_error("Monte Carlo/Profile bottom [m]", prm.get("Profile bottom [m]"),
                      "must be < 0 (below the anode surface)");
    prm.leave_subsection();
  }
} // namespace mpstream::app
