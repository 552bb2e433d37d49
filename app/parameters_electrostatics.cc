// Electrostatics section (issue 3): sphere charges, electrode potentials, solver settings.
#include "app/parameter_checks.h"
#include "app/parameter_defaults.h"
#include "app/scenario.h"

namespace mpstream::app
{
  using dealii::ParameterHandler;
  namespace P = dealii::Patterns;

  namespace
  {
    const Selection<ChargeMode> &charge_modes()
    {
      static const Selection<ChargeMode> names{{{"uniform", ChargeMode::uniform},
                                                {"per layer", ChargeMode::per_layer},
                                                {"per sphere file", ChargeMode::per_sphere_file}}};
      return names;
    }
    const Selection<solver::AmgCoarsening> &amg_coarsenings()
    {
      using C = solver::AmgCoarsening;
      static const Selection<C> names{{{"classical", C::classical}, {"HMIS", C::hmis},
                                       {"HMIS aggressive", C::hmis_aggressive}}};
      return names;
    }
    const Selection<bool> &response_methods() // by unit potentials?
    {
      static const Selection<bool> names{{{"unit potentials", true}, {"unit charges", false}}};
      return names;
    }
  } // namespace

  void declare_electrostatics_parameters(ParameterHandler &prm)
  {
    const ElectrostaticsScenario d;
    prm.enter_subsection("Electrostatics");
    prm.declare_entry("Charge mode", charge_modes().name(d.charge_mode), charge_modes().pattern(),
                      "uniform: every sphere carries 'Sphere charge'; per layer: 'Layer charges' "
                      "by layer; per sphere file: 'Sphere charge file'.");
    prm.declare_entry("Sphere charge [C]", prm_default(d.sphere_charge), P::Anything(),
                      "Charge of every sphere (Charge mode = uniform). Paper Sect. 3.3: "
                      "Q = -q_muP * 1.47e-11 C at 132 kV, 46.2 kW.");
    prm.declare_entry("Layer charges [C]", prm_default(d.layer_charges), P::Anything(),
                      "Comma-separated charge per layer, lowest layer first (Charge mode = per layer).");
    prm.declare_entry("Sphere charge file", prm_default(d.sphere_charge_file), P::Anything(),
                      "CSV 'sphere,charge' (index from 0, coulomb), one line per sphere, '#' "
                      "comments; relative to the .prm file's folder.");
    prm.declare_entry("Electrode potentials [V]", prm_default(d.electrode_potentials), P::Anything(),
                      "Comma-separated potential of each layer's auxiliary electrode, lowest layer "
                      "first (with the electrode wall: of each wall node, lowest first); empty: all 0 V.");
    prm.declare_entry("Space charge density [C/m^3]", prm_default(d.space_charge_density), P::Anything(),
                      "Uniform space charge in the vacuum (0: none).");
    prm.declare_entry("FE degree", prm_default(d.solver.fe_degree), P::Integer(1, 3), "Polynomial degree of the potential.");
    prm.declare_entry("Curved spheres", prm_default(d.solver.curved_spheres), P::Bool(),
                      "Map sphere faces onto the exact spheres (P2 MappingFEField); false only for studies.");
    prm.declare_entry("Straighten inverted curved cells", prm_default(d.solver.straighten_inverted_cells), P::Bool(),
                      "Flat tetrahedra with all four vertices on one sphere turn inside out when "
                      "curved (det J < 0 in part of the cell; counted in the log and summary). true: "
                      "pull their curved nodes back towards the straight chords; removes the negative "
                      "Jacobians but raises the peak-field error (doc/electrostatics.md).");
    prm.declare_entry("Surface field recovery rings", prm_default(d.solver.surface_recovery_rings), P::Integer(0, 5),
                      "The surface charge (and E.n) at each sphere vertex is the least-squares "
                      "quadratic fit of the lumped consistent-flux values over this many vertex "
                      "rings (0: the lumped values). 2: peak-field error 0.35 % instead of 2.6 % on "
                      "the default mesh; 3 flattens sharp peaks (doc/electrostatics.md).");
    prm.declare_entry("Solver tolerance", prm_default(d.solver.relative_tolerance), P::Double(1e-16, 1e-2),
                      "CG stops when ||b - A x|| <= this * ||b||.");
    prm.declare_entry("Response solver tolerance", prm_default(d.solver.response_tolerance, -8), P::Double(1e-16, 1e-2),
                      "The same for the N + 1 unit solves of the capacitance matrix / field "
                      "responses (1e-8: errors <= 1e-8 of the potentials, doc/electrostatics.md).");
    prm.declare_entry("Response method", response_methods().name(d.solver.responses_by_unit_potentials),
                      response_methods().pattern(),
                      "How the N + 1 response solves are set up (same discrete answer): unit "
                      "potentials on the operator with every sphere grounded (capacitance matrix "
                      "first, no dense floating-sphere rows; faster), or unit charges on the "
                      "floating-sphere operator (always used for the periodic cell).");
    prm.declare_entry("AMG coarsening", amg_coarsenings().name(d.solver.amg_coarsening),
                      amg_coarsenings().pattern(),
                      "BoomerAMG preconditioner of the charge-state solve: classical: hypre's "
                      "defaults (Falgout coarsening); HMIS: HMIS coarsening, ext+i interpolation, at "
                      "most 4 weights per row (as the response solves always use): cheaper set-up "
                      "and iterations, a few more of them; HMIS aggressive: HMIS with one level of "
                      "aggressive coarsening (2 paths) on the finest grid: about half the set-up "
                      "again (doc/performance.md, \"Small problems\").");
    prm.declare_entry("Maximum iterations", prm_default(d.solver.max_iterations), P::Integer(1, 100000), "CG iteration cap.");
    prm.declare_entry("Capacitance matrix", prm_default(d.capacitance_matrix), P::Bool(),
                      "Also compute the potential-coefficient and capacitance matrices and the "
                      "surface-field sensitivities (N + 1 solves) and write them as CSV.");
    prm.declare_entry("Profile points", prm_default(d.profile_points), P::Integer(2, 100000),
                      "Samples of phi and |E| along the anode normal through the probe sphere.");
    prm.declare_entry("Cross-section points", prm_default(d.section_points), P::Integer(2, 2000),
                      "Samples along x of the cross-section y = y_probe (z gets as many per metre).");
    prm.leave_subsection();
  }

  void parse_electrostatics_parameters(ParameterHandler &prm, Scenario &scenario)
  {
    auto &e = scenario.electrostatics;
    prm.enter_subsection("Electrostatics");
    const std::string S = "Electrostatics";
    e.charge_mode   = charge_modes().value(prm.get("Charge mode"));
    e.sphere_charge = require_finite(prm, S, "Sphere charge [C]");
    e.layer_charges = require_finite_list(prm, S, "Layer charges [C]");
    const std::string file = prm.get("Sphere charge file");
    if (!file.empty())
      {
        std::filesystem::path path(file);
        e.sphere_charge_file = path.is_relative() ? scenario.file.parent_path() / path : path;
      }
    e.electrode_potentials = require_finite_list(prm, S, "Electrode potentials [V]");
    e.space_charge_density = require_finite(prm, S, "Space charge density [C/m^3]");
    e.solver.fe_degree          = static_cast<unsigned int>(prm.get_integer("FE degree"));
    e.solver.curved_spheres     = prm.get_bool("Curved spheres");
    e.solver.straighten_inverted_cells = prm.get_bool("Straighten inverted curved cells");
    e.solver.surface_recovery_rings = static_cast<unsigned int>(prm.get_integer("Surface field recovery rings"));
    e.solver.relative_tolerance = prm.get_double("Solver tolerance");
    e.solver.response_tolerance = prm.get_double("Response solver tolerance");
    e.solver.responses_by_unit_potentials = response_methods().value(prm.get("Response method"));
    e.solver.amg_coarsening = amg_coarsenings().value(prm.get("AMG coarsening"));
    e.solver.max_iterations     = static_cast<unsigned int>(prm.get_integer("Maximum iterations"));
    e.capacitance_matrix        = prm.get_bool("Capacitance matrix");
    e.profile_points            = static_cast<unsigned int>(prm.get_integer("Profile points"));
    e.section_points            = static_cast<unsigned int>(prm.get_integer("Cross-section points"));
    if (e.charge_mode == ChargeMode::per_layer && e.layer_charges.empty())
      parameter_error("Electrostatics/Charge mode", prm.get("Charge mode"), "needs Electrostatics/Layer charges [C]");
    if (e.charge_mode == ChargeMode::per_sphere_file && e.sphere_charge_file.empty())
      parameter_error("Electrostatics/Charge mode", prm.get("Charge mode"), "needs Electrostatics/Sphere charge file");
    prm.leave_subsection();
  }
} // namespace mpstream::app
